package org.varec.model.autoenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Params;
import org.varec.model.ParamSpec;
import org.varec.model.UserState;
import org.varec.nn.ParamArray;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * AutoRec: the batch gradient (sparse output, per-column penalty) against finite differences of a
 * double-precision reference of L_B; planted low-rank recovery; fold-in (exact for autorec-u, the
 * exact ridge minimiser for autorec-i); one and two threads give the same model.
 */
class AutoRecTest {
    static AutoRecConfig config(String... set) {
        return ParamSpec.of(AutoRecConfig.class).parse(Params.parse(List.of(set)), false);
    }

    static TrainingData data(Interactions r) {
        return new TrainingData(RatingMatrix.of(r), RatingScale.UNBOUNDED, null, null);
    }

    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int e = 0; e < v.length; e++) {
            d[e] = v[e];
        }
        return d;
    }

    /** Central differences of {@code loss} at {@code at}, perturbing in place. */
    static double[] numeric(double[] at, ToDoubleFunction<double[]> loss) {
        double[] g = new double[at.length];
        for (int e = 0; e < at.length; e++) {
            double x = at[e];
            double h = 1e-6 * (1 + Math.abs(x));
            at[e] = x + h;
            double up = loss.applyAsDouble(at);
            at[e] = x - h;
            double down = loss.applyAsDouble(at);
            at[e] = x;
            g[e] = (up - down) / (2 * h);
        }
        return g;
    }

    static void assertGradient(String what, float[] analytic, double[] numeric) {
        for (int e = 0; e < numeric.length; e++) {
            double tol = 2e-4 + 2e-3 * Math.abs(numeric[e]);
            assertTrue(Math.abs(analytic[e] - numeric[e]) <= tol,
                    what + "[" + e + "]: analytic " + analytic[e] + " vs numeric " + numeric[e]);
        }
    }

    /**
     * L_B in double: rows {@code rows} of the CSR {@code (off, idx, val)}, parameters
     * {@code p = {V, mu, W, b}}, column weights 1/n_j; the encoder reads {@code in} (the values after
     * dropout, indexed like {@code val}), the loss compares with {@code val}.
     */
    static double referenceLoss(double[][] p, int[] rows, int[] off, int[] idx, float[] val, float[] in, int cols,
                                int h, double lambda, double[] colWeight) {
        double[] v = p[0];
        double[] mu = p[1];
        double[] w = p[2];
        double[] b = p[3];
        double loss = 0;
        int[] count = new int[cols];
        for (int r : rows) {
            double[] code = new double[h];
            for (int k = 0; k < h; k++) {
                double z = mu[k];
                for (int q = off[r]; q < off[r + 1]; q++) {
                    z += in[q] * v[idx[q] * h + k];
                }
                code[k] = 1 / (1 + Math.exp(-z));
            }
            for (int q = off[r]; q < off[r + 1]; q++) {
                int j = idx[q];
                count[j]++;
                double y = b[j];
                for (int k = 0; k < h; k++) {
                    y += code[k] * w[j * h + k];
                }
                loss += (y - val[q]) * (y - val[q]);
            }
        }
        for (int j = 0; j < cols; j++) {
            double sq = 0;
            for (int k = 0; k < h; k++) {
                sq += v[j * h + k] * v[j * h + k] + w[j * h + k] * w[j * h + k];
            }
            loss += lambda / 2 * count[j] * colWeight[j] * sq;
        }
        return loss;
    }

    @ParameterizedTest
    @CsvSource({"true, 0, none", "false, 0, none", "true, 0.4, none", "false, 0.4, none", "true, 0.4, mean",
        "false, 0, mean"})
    void batchGradientMatchesFiniteDifferences(boolean userRows, double dropout, String center) {
        PlantedFactors pf = PlantedFactors.generate(3, 9, 7, 2, 1.0, 0.6, 0.3);
        TrainingData d = data(pf.train());
        AutoRecConfig c = config("hidden=5", "lambda=0.7", "batch_size=4", "dropout=" + dropout, "center=" + center);
        try (Parallel pool = new Parallel(2)) {
            AutoRecTrainer.Run run = (userRows ? AutoRecTrainer.users(c) : AutoRecTrainer.items(c)).start(d, 5, pool);
            RatingMatrix m = d.ratings();
            int[] off = userRows ? m.userOffsets() : m.itemOffsets();
            int[] idx = userRows ? m.userItems() : m.itemUsers();
            float[] val = userRows ? m.userValues() : m.itemValues();
            int cols = userRows ? m.numItems() : m.numUsers();
            double[] colWeight = new double[cols];
            for (int j = 0; j < cols; j++) {
                int n = userRows ? m.itemCount(j) : m.userCount(j);
                colWeight[j] = n == 0 ? 0 : 1.0 / n;
            }
            List<ParamArray> params = run.params();
            // random biases, so that their gradients are tested away from the initial values too
            org.varec.stats.Rng rng = new org.varec.stats.Rng(8);
            for (ParamArray p : params) {
                if (p.cols() == 1 || p.rows() == 1) {
                    for (int e = 0; e < p.size(); e++) {
                        p.value()[e] += (float) (0.3 * rng.nextGaussian());
                    }
                }
            }
            int[] rows = {2, 0, 5, 3};
            Autoencoders.Batch b = new Autoencoders.Batch(4);
            b.gather(rows, 0, 4, off, idx, val);
            double[] s = run.gradients(b, new org.varec.stats.Rng(13));
            // the encoder's input: the batch's values less the shift, under the same mask (drawn in entry order)
            float shift = center.equals("mean") ? (float) m.mean() : 0f;
            float[] dropped = new float[b.entries()];
            for (int p = 0; p < dropped.length; p++) {
                dropped[p] = b.values[p] - shift;
            }
            org.varec.nn.Dropout.apply((float) dropout, dropped, dropped, 0, b.entries(), new org.varec.stats.Rng(13));
            float[] in = val.clone();
            for (int r = 0, p = 0; r < rows.length; r++) {
                for (int q = off[rows[r]]; q < off[rows[r] + 1]; q++) {
                    in[q] = dropped[p++];
                }
            }
            if (dropout > 0 || shift != 0) {
                assertTrue(!java.util.Arrays.equals(in, val), "the input differs from the targets");
            }
            double[][] at = new double[4][];
            for (int q = 0; q < 4; q++) {
                at[q] = widen(params.get(q).value());
            }
            double expected = referenceLoss(at, rows, off, idx, val, in, cols, 5, 0.7, colWeight);
            assertEquals(expected, s[0] + s[1], 1e-4 * (1 + expected));
            String[] names = {"V", "mu", "W", "b"};
            for (int q = 0; q < 4; q++) {
                final int which = q;
                double[] num = numeric(at[q], x -> {
                    double[][] a = at.clone();
                    a[which] = x;
                    return referenceLoss(a, rows, off, idx, val, in, cols, 5, 0.7, colWeight);
                });
                assertGradient(names[q], params.get(q).grad(), num);
            }
        }
    }

    static double rmse(org.varec.model.RatingModel m, Interactions test) {
        double s = 0;
        for (int k = 0; k < test.size(); k++) {
            double e = m.predict(test.users()[k], test.items()[k]) - test.values()[k];
            s += e * e;
        }
        return Math.sqrt(s / test.size());
    }

    /** RMSE of the planted biases alone (the truth without the interaction term). */
    private static double biasOracle(PlantedFactors p, Interactions test) {
        double s = 0;
        for (int k = 0; k < test.size(); k++) {
            int u = test.users()[k];
            int i = test.items()[k];
            double e = p.mu() + p.userBias()[u] + p.itemBias()[i] - test.values()[k];
            s += e * e;
        }
        return Math.sqrt(s / test.size());
    }

    /** On planted rank-2 ratings both orientations beat the planted biases alone on held-out ratings. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recoversPlantedInteractions(boolean userRows) {
        PlantedFactors p = PlantedFactors.generate(21, 120, 100, 2, 1.0, 0.5, 0.3);
        AutoRecConfig c = config("hidden=32", "lambda=3", "epochs=150", "batch_size=16", "learning_rate=0.003", "decay=1");
        AutoRecModel m = (userRows ? AutoRecTrainer.users(c) : AutoRecTrainer.items(c)).fit(data(p.train()),
                TrainingContext.of(4, 2));
        double floor = biasOracle(p, p.test());
        double r = rmse(m, p.test());
        assertTrue(r < 0.8 * floor, (userRows ? "U" : "I") + "-AutoRec held-out RMSE " + r + " vs biases alone " + floor);
    }

    /** autorec-u: a trained user's own ratings fold in to their own code, bit for bit. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "mean"})
    void userFoldInIsTheEncoding(String center) {
        PlantedFactors p = PlantedFactors.generate(6, 30, 25, 2, 1.0, 0.5, 0.3);
        TrainingData d = data(p.train());
        AutoRecModel m = AutoRecTrainer.users(config("hidden=8", "epochs=5", "center=" + center))
                .fit(d, TrainingContext.of(1, 2));
        RatingMatrix r = d.ratings();
        for (int u = 0; u < 30; u++) {
            int[] items = java.util.Arrays.copyOfRange(r.userItems(), r.userOffsets()[u], r.userOffsets()[u + 1]);
            float[] vals = java.util.Arrays.copyOfRange(r.userValues(), r.userOffsets()[u], r.userOffsets()[u + 1]);
            UserState s = m.foldIn(items, vals);
            double[] all = new double[25];
            m.scoreAll(s, all);
            for (int i = 0; i < 25; i++) {
                assertEquals(m.predict(u, i), m.predict(s, i), 0.0);
                assertEquals(m.predict(u, i), all[i], 0.0);
            }
        }
    }

    /**
     * autorec-i: fold-in solves the new user's decoder row exactly: the gradient of
     * {@code sum_i (r_i - b - w . code_i)^2 + (lambda/2)||w||^2} vanishes at it.
     */
    @Test
    void itemFoldInIsTheRidgeMinimiser() {
        PlantedFactors p = PlantedFactors.generate(7, 30, 25, 2, 1.0, 0.5, 0.3);
        double lambda = 2;
        AutoRecModel m = AutoRecTrainer.items(config("hidden=6", "epochs=5", "lambda=" + lambda))
                .fit(data(p.train()), TrainingContext.of(1, 2));
        int[] items = {0, 3, 4, 9, 17, 24};
        float[] vals = {4f, 2f, 5f, 3.5f, 1f, 4.5f};
        AutoRecModel.DecoderRow row = (AutoRecModel.DecoderRow) m.foldIn(items, vals);
        double[] gw = new double[6];
        double gb = 0;
        for (int q = 0; q < items.length; q++) {
            float[] code = m.code(items[q]);
            double res = vals[q] - m.predict(row, items[q]);
            gb += -2 * res;
            for (int k = 0; k < 6; k++) {
                gw[k] += -2 * res * code[k];
            }
        }
        assertEquals(0, gb, 1e-4);
        for (int k = 0; k < 6; k++) {
            assertEquals(0, gw[k] + lambda * row.w()[k], 1e-4, "d/dw_" + k);
        }
        // a trained user's state reads their decoder row: the same predictions
        UserState s = m.user(3);
        for (int i = 0; i < 25; i++) {
            assertEquals(m.predict(3, i), m.predict(s, i), 0.0);
        }
        // no usable ratings: the training mean
        assertEquals(m.mean(), m.predict(m.foldIn(new int[] {99}, new float[] {5}), 2), 0.0);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void oneAndTwoThreadsGiveTheSameModel(boolean userRows) {
        PlantedFactors p = PlantedFactors.generate(8, 40, 30, 2, 1.0, 0.4, 0.3);
        AutoRecConfig c = config("hidden=7", "epochs=4", "batch_size=5", "lambda=1");
        AutoRecTrainer t = userRows ? AutoRecTrainer.users(c) : AutoRecTrainer.items(c);
        AutoRecModel one = t.fit(data(p.train()), TrainingContext.of(3, 1));
        AutoRecModel two = t.fit(data(p.train()), TrainingContext.of(3, 2));
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                assertEquals(one.predict(u, i), two.predict(u, i), 0.0);
            }
        }
    }
}
