package org.varec.model.ncf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.DuplicatePolicy;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.nn.Conv2x2;
import org.varec.nn.ParamArray;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * The analytic gradient of a batch loss L_B of {@code ncf} and {@code convncf} (network weights,
 * biases and both embedding tables, penalty included) against central differences of a
 * double-precision reference of the same loss written from the papers' equations in the plain
 * map layout (NeuMF eq. (9)-(12); ConvNCF eq. (2), (6)-(8)), on tiny shapes: K = 3 pads ConvNCF's
 * map to 4 x 4, K = 4 does not, K = 5 pads to 8 x 8 (three layers).
 */
class NcfGradientTest {
    private static final double H = 1e-6;
    private static Parallel pool;

    @BeforeAll
    static void open() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    static TrainingData tinyData(SplittableRandom rnd, int users, int items, int n) {
        InteractionsBuilder b = new InteractionsBuilder();
        for (int e = 0; e < n; e++) {
            b.add(rnd.nextInt(users), rnd.nextInt(items), (float) (1 + 4 * rnd.nextDouble()));
        }
        return new TrainingData(RatingMatrix.of(b.build(users, items, DuplicatePolicy.LAST).interactions()),
                RatingScale.UNBOUNDED, null, null);
    }

    static NetSettings config(String algo, String... settings) {
        return (NetSettings) Algorithms.get(algo).parseConfig(Params.parse(List.of(settings)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ncf rank=3 hidden=4,3", "ncf rank=2 hidden=", "ncf rank=4 hidden=5 biases=false",
            "ncf rank=2 hidden= biases=false", "convncf rank=3 channels=2", "convncf rank=4 channels=3 biases=false",
            "convncf rank=5 channels=2", "convncf rank=1"})
    void batchGradientMatchesTheReference(String setup) {
        check(setup, false);
    }

    /**
     * convncf's MF pretraining (EmbeddingNetTrainer): the gradient of L_MF's batch terms on the
     * tables against the reference {@code m + p_u . q_i (+ b_u + b_i)}; the network gets none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"convncf rank=3 channels=2", "convncf rank=4 channels=3 biases=false"})
    void pretrainingGradientMatchesBiasedMf(String setup) {
        check(setup, true);
    }

    private void check(String setup, boolean mf) {
        String[] parts = setup.split(" ");
        String algo = parts[0];
        String[] settings = new String[parts.length + 1];
        System.arraycopy(parts, 1, settings, 0, parts.length - 1);
        settings[parts.length - 1] = "reg=0.3";
        settings[parts.length] = "init_stdev=0.7";
        settings = java.util.Arrays.copyOf(settings, settings.length + 1);
        settings[settings.length - 1] = "reg_net=0.05";
        NetSettings c = config(algo, settings);
        TrainingData data = tinyData(new SplittableRandom(setup.hashCode()), 6, 5, 14);
        EmbeddingNetTrainer.Run run = new EmbeddingNetTrainer(c).start(data, 3, pool);
        List<ParamArray> ps = run.parameters();
        // random biases, so that ReLUs are neither all on nor all off
        SplittableRandom rnd = new SplittableRandom(11);
        for (ParamArray p : ps) {
            if (p.rows() == 1) {
                for (int e = 0; e < p.size(); e++) {
                    p.value()[e] = (float) (0.3 * rnd.nextGaussian()) + (p.cols() == 1 ? 3f : 0f);
                }
            }
        }
        int n = data.ratings().nnz();
        run.gradients(0, n, mf);
        double[][] at = new double[ps.size()][];
        for (int a = 0; a < ps.size(); a++) {
            at[a] = widen(ps.get(a).value());
        }
        RatingMatrix m = data.ratings();
        int[] users = new int[n];
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = m.userOffsets()[u]; p < m.userOffsets()[u + 1]; p++) {
                users[p] = u;
            }
        }
        int[] order = run.order();
        double mean = m.mean();
        Loss loss = mf ? (w, pu, qi) -> biasedMf(mean, c.biases(), pu, qi) : algo.equals("ncf")
                ? new NeuMf(((NcfConfig) c).rank(), org.varec.nn.Mlp.parseHidden(((NcfConfig) c).hidden()),
                ((NcfConfig) c).biases())
                : new ConvNcf(((ConvNcfConfig) c).rank(), ((ConvNcfConfig) c).channels(), ((ConvNcfConfig) c).biases());
        for (int a = 0; a < ps.size(); a++) {
            double[] x = at[a];
            float[] g = ps.get(a).grad();
            for (int e = 0; e < x.length; e++) {
                double v = x[e];
                double step = H * (1 + Math.abs(v));
                x[e] = v + step;
                double up = total(loss, at, m, users, order, n, c, ps, mf);
                x[e] = v - step;
                double down = total(loss, at, m, users, order, n, c, ps, mf);
                x[e] = v;
                double numeric = (up - down) / (2 * step);
                double tol = 2e-4 + 1e-3 * Math.abs(numeric);
                String what = setup + ": " + ps.get(a).name() + "[" + e + "] analytic " + g[e] + " numeric " + numeric;
                assertTrue(Math.abs(g[e] - numeric) <= tol, what);
            }
        }
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int e = 0; e < v.length; e++) {
            d[e] = v[e];
        }
        return d;
    }

    /** L_B over ratings order[0..n): squared errors plus the per-occurrence penalties; last two arrays are P and Q. */
    private static double total(Loss f, double[][] at, RatingMatrix m, int[] users, int[] order, int n, NetSettings c,
                                List<ParamArray> ps, boolean mf) {
        double reg = c.reg();
        double w2 = 0;
        for (int a = 0; a < at.length - 2; a++) {
            if (ps.get(a).name().endsWith(".w")) {
                for (double x : at[a]) {
                    w2 += x * x;
                }
            }
        }
        double[] pt = at[at.length - 2];
        double[] qt = at[at.length - 1];
        int d = pt.length / m.numUsers();
        double s = mf ? 0 : n * c.regNet() * w2;
        for (int r = 0; r < n; r++) {
            int x = order[r];
            int u = users[x];
            int i = m.userItems()[x];
            double[] pu = java.util.Arrays.copyOfRange(pt, u * d, (u + 1) * d);
            double[] qi = java.util.Arrays.copyOfRange(qt, i * d, (i + 1) * d);
            double e = f.predict(at, pu, qi) - m.userValues()[x];
            s += e * e;
            for (int j = 0; j < d; j++) {
                s += reg * (pu[j] * pu[j] + qi[j] * qi[j]);
            }
        }
        return s;
    }

    /** Biased MF in double: {@code m + sum_(j < core) p_j q_j}, plus the biases ending the rows when present. */
    static double biasedMf(double mean, boolean biases, double[] pu, double[] qi) {
        int core = pu.length - (biases ? 1 : 0);
        double s = mean + (biases ? pu[core] + qi[core] : 0);
        for (int j = 0; j < core; j++) {
            s += pu[j] * qi[j];
        }
        return s;
    }

    /** A network's prediction from its parameter arrays (in the network's order) and the two rows, in double. */
    interface Loss {
        double predict(double[][] w, double[] pu, double[] qi);
    }

    static double[] denseRelu(double[] x, double[] w, double[] b, boolean relu) {
        int in = x.length;
        int out = b.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b[o];
            for (int i = 0; i < in; i++) {
                s += x[i] * w[i * out + o];
            }
            y[o] = relu ? Math.max(0, s) : s;
        }
        return y;
    }

    /** NeuMF, eq. (9)-(12) of He et al. 2017 with an identity output. */
    record NeuMf(int k, int[] hidden, boolean biases) implements Loss {
        @Override
        public double predict(double[][] w, double[] pu, double[] qi) {
            int core = hidden.length == 0 ? k : 2 * k;
            double bias = biases ? pu[core] + qi[core] : 0;
            double[] z = new double[k + (hidden.length == 0 ? 0 : hidden[hidden.length - 1])];
            for (int j = 0; j < k; j++) {
                z[j] = pu[j] * qi[j];
            }
            if (hidden.length > 0) {
                double[] x = new double[2 * k];
                System.arraycopy(pu, k, x, 0, k);
                System.arraycopy(qi, k, x, k, k);
                for (int l = 0; l < hidden.length; l++) {
                    x = denseRelu(x, w[2 * l], w[2 * l + 1], true);
                }
                System.arraycopy(x, 0, z, k, x.length);
            }
            return denseRelu(z, w[2 * hidden.length], w[2 * hidden.length + 1], false)[0] + bias;
        }
    }

    /** ConvNCF, eq. (2), (6)-(8) of He et al. 2018 (identity output), the map in the plain [y][x][c] layout. */
    record ConvNcf(int k, int channels, boolean biases) implements Loss {
        @Override
        public double predict(double[][] w, double[] pu, double[] qi) {
            double bias = biases ? pu[k] + qi[k] : 0;
            int side = ConvNcfNetwork.side(k);
            double[] map = new double[side * side];
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    map[y * side + x] = pu[y] * qi[x];
                }
            }
            int levels = Integer.numberOfTrailingZeros(side);
            int cin = 1;
            for (int l = 0; l < levels; l++) {
                int s = side >> l;
                int h = s / 2;
                double[] out = new double[h * h * channels];
                for (int oy = 0; oy < h; oy++) {
                    for (int ox = 0; ox < h; ox++) {
                        for (int o = 0; o < channels; o++) {
                            double acc = w[2 * l + 1][o];
                            for (int dy = 0; dy < 2; dy++) {
                                for (int dx = 0; dx < 2; dx++) {
                                    for (int c = 0; c < cin; c++) {
                                        acc += map[((2 * oy + dy) * s + 2 * ox + dx) * cin + c]
                                                * w[2 * l][((2 * dy + dx) * cin + c) * channels + o];
                                    }
                                }
                            }
                            out[(oy * h + ox) * channels + o] = Math.max(0, acc);
                        }
                    }
                }
                map = out;
                cin = channels;
            }
            return denseRelu(map, w[2 * levels], w[2 * levels + 1], false)[0] + bias;
        }
    }

    /** The K x K map is written in Z-order: cell (y, x) of a padded 8 x 8 map. */
    @org.junit.jupiter.api.Test
    void mapSideIsTheNextPowerOfTwo() {
        int[] expected = {1, 2, 4, 4, 8, 8, 8, 8, 16};
        for (int k = 1; k <= 9; k++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[k - 1], ConvNcfNetwork.side(k), "K=" + k);
        }
        org.junit.jupiter.api.Assertions.assertEquals(32, ConvNcfNetwork.side(32));
        org.junit.jupiter.api.Assertions.assertEquals(64, ConvNcfNetwork.side(33));
        org.junit.jupiter.api.Assertions.assertEquals(5, Conv2x2.zOrder(0, 3));
    }
}
