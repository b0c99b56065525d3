package org.varec.model.nnmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.FeatureTable;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Params;
import org.varec.model.ParamSpec;
import org.varec.nn.Activation;
import org.varec.nn.Dense;
import org.varec.nn.Mlp;
import org.varec.nn.ParamArray;
import org.varec.optim.Optimizer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * The gradients of the batch objective L_B (eq. (2) with each row's penalty charged per occurrence,
 * weight 1/count) with respect to every weight, bias and embedding entry, against central finite
 * differences of a double-precision reference of L_B, on tiny random models (with and without
 * side information, hidden layers, products), for the full batch and for a partial batch.
 */
class NnmfGradientTest {
    /** Tiny random ratings (every user and item rated at least once, one rating per pair) with genres. */
    static TrainingData tinyData(SplittableRandom rnd, int nu, int ni, int extra) {
        List<int[]> pairs = new ArrayList<>();
        boolean[] seen = new boolean[nu * ni];
        for (int a = 0; a < Math.max(nu, ni); a++) {
            int u = a % nu;
            int i = a % ni;
            if (!seen[u * ni + i]) {
                seen[u * ni + i] = true;
                pairs.add(new int[] {u, i});
            }
        }
        for (int e = 0; e < extra; e++) {
            int u = rnd.nextInt(nu);
            int i = rnd.nextInt(ni);
            if (!seen[u * ni + i]) {
                seen[u * ni + i] = true;
                pairs.add(new int[] {u, i});
            }
        }
        int n = pairs.size();
        int[] us = new int[n];
        int[] is = new int[n];
        float[] vs = new float[n];
        for (int p = 0; p < n; p++) {
            us[p] = pairs.get(p)[0];
            is[p] = pairs.get(p)[1];
            vs[p] = 1 + rnd.nextInt(5);
        }
        FeatureTable.Builder g = new FeatureTable.Builder(ni);
        for (int i = 0; i < ni; i++) {
            g.add(i, "genre", "G" + (i % 3));
            if (i % 2 == 0) {
                g.add(i, "genre", "G3");
            }
        }
        return new TrainingData(RatingMatrix.of(new Interactions(nu, ni, us, is, vs, false)), RatingScale.STARS_1_5,
                g.build(), null);
    }

    static NnmfConfig config(String... settings) {
        return ParamSpec.of(NnmfConfig.class).parse(Params.parse(List.of(settings)), false);
    }

    /** The double reference of L_B over ratings order[from .. from+b) at the parameters in {@code p}. */
    private static double reference(NnmfTrainer.Run run, TrainingData data, NnmfConfig c, double[][] p, int from,
                                    int b, float[] side, int sideWidth) {
        RatingMatrix m = data.ratings();
        int k = c.rank();
        int dk = c.productWidth();
        int[] users = new int[m.nnz()];
        for (int a = 0; a < m.numUsers(); a++) {
            for (int q = m.userOffsets()[a]; q < m.userOffsets()[a + 1]; q++) {
                users[q] = a;
            }
        }
        Mlp net = run.network();
        int layers = net.numLayers();
        int[] sizes = net.sizes();
        int np = run.embeddings().size();
        double[] u = p[0];
        double[] v = p[1];
        double[] up = dk > 0 ? p[2] : new double[0];
        double[] vp = dk > 0 ? p[3] : new double[0];
        double loss = 0;
        for (int r = 0; r < b; r++) {
            int q = run.order()[from + r];
            int a = users[q];
            int i = m.userItems()[q];
            double[] x = new double[sizes[0]];
            for (int j = 0; j < k; j++) {
                x[j] = u[a * k + j];
                x[k + j] = v[i * k + j];
            }
            for (int j = 0; j < dk; j++) {
                x[2 * k + j] = up[a * dk + j] * vp[i * dk + j];
            }
            for (int j = 0; j < sideWidth; j++) {
                x[2 * k + dk + j] = side[i * sideWidth + j];
            }
            for (int l = 0; l < layers; l++) {
                double[] w = p[np + 2 * l];
                double[] bias = p[np + 2 * l + 1];
                double[] z = new double[sizes[l + 1]];
                for (int o = 0; o < z.length; o++) {
                    double s = bias[o];
                    for (int in = 0; in < x.length; in++) {
                        s += x[in] * w[in * z.length + o];
                    }
                    z[o] = l < layers - 1 ? act(c.activation(), s) : s;
                }
                x = z;
            }
            double e = m.userValues()[q] - x[0];
            double cu = m.userCount(a);
            double ci = m.itemCount(i);
            double pu = 0;
            double pi = 0;
            for (int j = 0; j < k; j++) {
                pu += u[a * k + j] * u[a * k + j];
                pi += v[i * k + j] * v[i * k + j];
            }
            for (int j = 0; j < dk; j++) {
                pu += up[a * dk + j] * up[a * dk + j];
                pi += vp[i * dk + j] * vp[i * dk + j];
            }
            loss += e * e + c.lambda() * (pu / cu + pi / ci);
        }
        // reg_net ||W||^2 per rating of the batch, on the weights (not the biases)
        for (int l = 0; l < layers; l++) {
            for (double w : p[np + 2 * l]) {
                loss += b * c.regNet() * w * w;
            }
        }
        return loss;
    }

    private static double act(Activation f, double s) {
        return switch (f) {
            case IDENTITY -> s;
            case SIGMOID -> 1 / (1 + Math.exp(-s));
            case TANH -> Math.tanh(s);
            case RELU -> Math.max(s, 0);
            case SOFTPLUS -> Math.log1p(Math.exp(s));
        };
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void gradientsMatchFiniteDifferences(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TrainingData data = tinyData(rnd, 5 + rnd.nextInt(3), 4 + rnd.nextInt(3), 10);
        String hidden = switch ((int) (seed % 3)) {
            case 0 -> "";
            case 1 -> "4";
            default -> "5,3";
        };
        String act = seed % 2 == 0 ? "tanh" : "sigmoid";
        NnmfConfig c = config("rank=" + (1 + rnd.nextInt(3)), "products=" + (seed == 4 ? 0 : 1 + rnd.nextInt(3)),
                "product_rank=" + (1 + rnd.nextInt(2)), "hidden=" + hidden, "activation=" + act, "lambda=0.7",
                "init_stdev=0.8", "side=" + (seed % 2 == 1 ? "item" : "none"), "batch_size=0",
                "reg_net=" + (seed <= 3 ? "0" : "0.05"));
        try (Parallel pool = new Parallel(2)) {
            NnmfTrainer.Run run = new NnmfTrainer(c).start(data, seed, pool);
            // random non-zero biases so that their gradients are exercised away from zero
            for (int l = 0; l < run.network().numLayers(); l++) {
                Dense d = run.network().layer(l);
                float[] bv = d.bias().value();
                for (int o = 0; o < bv.length; o++) {
                    bv[o] += (float) (0.3 * (2 * rnd.nextDouble() - 1));
                }
            }
            NnmfTrainer.Genres g = c.itemSide() ? NnmfTrainer.Genres.of(data.itemFeatures(), data.numItems(), "t")
                    : null;
            float[] side = g == null ? new float[0] : g.rows();
            int sideWidth = g == null ? 0 : g.width();
            int n = data.ratings().nnz();
            int partial = Math.max(1, n / 3);
            for (int b : new int[] {n, partial}) {
                List<ParamArray> all = new ArrayList<>(run.embeddings());
                all.addAll(run.network().params());
                Optimizer.zeroGrad(all);
                double sse = run.networkGradients(0, b) + run.lastNetPenalty();
                double pen = run.embeddingGradients(0, b);
                double[][] p = new double[all.size()][];
                for (int a = 0; a < all.size(); a++) {
                    float[] val = all.get(a).value();
                    p[a] = new double[val.length];
                    for (int e = 0; e < val.length; e++) {
                        p[a][e] = val[e];
                    }
                }
                double l0 = reference(run, data, c, p, 0, b, side, sideWidth);
                assertEquals(l0, sse + pen, 1e-4 * Math.max(1, l0), "L_B");
                double h = 1e-6;
                for (int a = 0; a < all.size(); a++) {
                    ParamArray arr = all.get(a);
                    for (int e = 0; e < p[a].length; e++) {
                        double old = p[a][e];
                        p[a][e] = old + h;
                        double plus = reference(run, data, c, p, 0, b, side, sideWidth);
                        p[a][e] = old - h;
                        double minus = reference(run, data, c, p, 0, b, side, sideWidth);
                        p[a][e] = old;
                        double numeric = (plus - minus) / (2 * h);
                        double analytic = arr.grad()[e];
                        assertTrue(Math.abs(numeric - analytic) <= 2e-4 + 2e-3 * Math.abs(numeric),
                                arr.name() + "[" + e + "] batch " + b + ": analytic " + analytic + ", numeric " + numeric);
                    }
                }
            }
        }
    }

    /** Over one epoch of batches (a partition of the ratings), the charged penalties add up to eq. (2)'s. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void batchPenaltiesAddUpToTheFullPenalty(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TrainingData data = tinyData(rnd, 7, 6, 20);
        NnmfConfig c = config("rank=2", "products=3", "hidden=4", "lambda=1.3", "init_stdev=0.5");
        try (Parallel pool = new Parallel(1)) {
            NnmfTrainer.Run run = new NnmfTrainer(c).start(data, seed, pool);
            int n = data.ratings().nnz();
            double sum = 0;
            for (int from = 0; from < n; from += 4) {
                int b = Math.min(4, n - from);
                run.networkGradients(from, b);
                sum += run.embeddingGradients(from, b);
            }
            double full = 0;
            for (ParamArray p : run.embeddings()) {
                for (float w : p.value()) {
                    full += (double) w * w;
                }
            }
            assertEquals(c.lambda() * full, sum, 1e-9 * Math.max(1, sum));
        }
    }
}
