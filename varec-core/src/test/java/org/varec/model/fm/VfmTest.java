package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.metrics.ClassificationMetrics;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.Predictive;
import org.varec.model.Task;
import org.varec.model.UserState;
import org.varec.stats.Rng;
import org.varec.testing.PlantedFactors;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;
import org.varec.train.TrainingResult;
import org.varec.util.Parallel;

class VfmTest {
    /** A tiny random FM problem: 7 features in 3 groups, rows of 2-4 features with fractional values. */
    static VfmEngine tinyEngine(boolean classification, int d, int samples, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int K = 7;
        int[] groups = {0, 0, 1, 1, 1, 2, 2};
        int N = 12;
        int[][] idx = new int[N][];
        float[][] val = new float[N][];
        float[] y = new float[N];
        for (int r = 0; r < N; r++) {
            int u = rnd.nextInt(2);
            int i = 2 + rnd.nextInt(3);
            boolean side = rnd.nextBoolean();
            idx[r] = side ? new int[] {u, i, 5, 6} : new int[] {u, i};
            val[r] = side ? new float[] {1, 1, 0.5f, 0.5f} : new float[] {1, 1};
            y[r] = classification ? rnd.nextInt(2) : (float) (1 + 4 * rnd.nextDouble());
        }
        VfmEngine.Rows rows = new VfmEngine.Rows() {
            public int size() {
                return N;
            }

            public int row(int r, int[] ix, float[] vx) {
                System.arraycopy(idx[r], 0, ix, 0, idx[r].length);
                System.arraycopy(val[r], 0, vx, 0, val[r].length);
                return idx[r].length;
            }

            public float y(int r) {
                return y[r];
            }
        };
        VfmEngine e = new VfmEngine(d, K, groups, 3, samples, classification, rows, N, 4);
        e.countFeatures();
        for (int j = 0; j < e.P.length; j++) {
            e.P[j] = 0.5 * (rnd.nextDouble() * 2 - 1);
        }
        for (int j = 0; j < e.glob.length; j++) {
            e.glob[j] = 0.5 * (rnd.nextDouble() * 2 - 1);
        }
        return e;
    }

    private static void checkGradients(boolean classification) {
        VfmEngine e = tinyEngine(classification, 3, 2, 7);
        int[] order = {0, 3, 4, 7, 9}; // a batch: some features absent, alpha_k < 1
        e.collect(order, 0, order.length);
        e.drawNoise(new Rng(11));
        e.evaluate();
        double[] gP = e.gP.clone();
        double[] gG = e.gGlob.clone();
        double h = 1e-6;
        int checked = 0;
        for (int i = 0; i < e.nPresent; i++) {
            int k = e.present[i];
            for (int j = k * e.bs; j < (k + 1) * e.bs; j++) {
                double fd = fd(e, e.P, j, h);
                assertEquals(fd, gP[j], 1e-5 * Math.max(1, Math.abs(fd)), "P[" + j + "] (feature " + k + ")");
                checked++;
            }
        }
        for (int j = 0; j < e.glob.length; j++) {
            if (classification && j == 2) {
                assertEquals(0, gG[j], 0, "no noise precision in classification");
                continue;
            }
            double fd = fd(e, e.glob, j, h);
            assertEquals(fd, gG[j], 1e-5 * Math.max(1, Math.abs(fd)), "glob[" + j + "]");
            checked++;
        }
        assertTrue(checked > 40);
    }

    /** Central difference of the loss -L_B with the noise fixed. */
    private static double fd(VfmEngine e, double[] a, int j, double h) {
        double keep = a[j];
        a[j] = keep + h;
        double up = -e.evaluate();
        a[j] = keep - h;
        double down = -e.evaluate();
        a[j] = keep;
        return (up - down) / (2 * h);
    }

    @Test
    void regressionGradientsMatchFiniteDifferences() {
        checkGradients(false);
    }

    @Test
    void classificationGradientsMatchFiniteDifferences() {
        checkGradients(true);
    }

    @Test
    void klIsRescaledPerGroup() {
        // with zero noise and rows whose likelihood is removed, L_B = -KL(w0) - sum_g K_g/sum alpha sum alpha_k KL_k
        VfmEngine e = tinyEngine(false, 2, 1, 3);
        int[] order = {0, 1, 2};
        e.collect(order, 0, 3);
        e.zeroNoise();
        double full = e.evaluate();
        // recompute by hand
        double ll = 0;
        int[] idx = new int[4];
        float[] val = new float[4];
        double alpha = Math.exp(e.glob[2]);
        for (int r : order) {
            int n = e.rows.row(r, idx, val);
            double y = e.glob[0];
            double[] q = new double[2];
            double sq = 0;
            for (int p = 0; p < n; p++) {
                y += e.P[idx[p] * e.bs] * val[p];
            }
            for (int f = 0; f < 2; f++) {
                double s2 = 0;
                for (int p = 0; p < n; p++) {
                    double t = e.P[idx[p] * e.bs + 2 + f] * val[p];
                    q[f] += t;
                    s2 += t * t;
                }
                y += 0.5 * (q[f] * q[f] - s2);
            }
            double err = e.rows.y(r) - y;
            ll += 0.5 * e.glob[2] - 0.5 * Math.log(2 * Math.PI) - 0.5 * alpha * err * err;
        }
        ll *= 12.0 / 3;
        double s0 = VfmEngine.softplus(e.glob[1]);
        double kl0 = 0.5 * (s0 * s0 + e.glob[0] * e.glob[0] - 1 - 2 * Math.log(s0));
        double[] sumA = new double[3];
        for (int i = 0; i < e.nPresent; i++) {
            int k = e.present[i];
            sumA[e.group[k]] += (double) e.cntB[k] / e.nk[k];
        }
        double kl = 0;
        for (int i = 0; i < e.nPresent; i++) {
            int k = e.present[i];
            int g = e.group[k];
            double a = (double) e.cntB[k] / e.nk[k];
            double klk = 0;
            for (int j = 0; j <= 2; j++) {
                double mu = e.P[k * e.bs + (j == 0 ? 0 : 1 + j)];
                double sig = VfmEngine.softplus(e.P[k * e.bs + (j == 0 ? 1 : 1 + 2 + j)]);
                double nu = e.glob[3 + g * e.bs + (j == 0 ? 0 : 1 + j)];
                double lam = Math.exp(e.glob[3 + g * e.bs + (j == 0 ? 1 : 1 + 2 + j)]);
                klk += 0.5 * (lam * sig * sig + lam * (mu - nu) * (mu - nu) - 1 - Math.log(lam) - 2 * Math.log(sig));
            }
            kl += e.kg[g] / sumA[g] * a * klk;
        }
        assertEquals(ll - kl0 - kl, full, 1e-9 * Math.abs(full));
    }

    @Test
    void momentsMatchMonteCarlo() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 4;
        int d = 3;
        double[] mw = new double[n];
        double[] sw = new double[n];
        double[] mv = new double[n * d];
        double[] sv = new double[n * d];
        float[] x = {1, 1, 0.5f, 0.25f};
        for (int p = 0; p < n; p++) {
            mw[p] = rnd.nextDouble() - 0.5;
            sw[p] = 0.1 * rnd.nextDouble();
            for (int f = 0; f < d; f++) {
                mv[p * d + f] = rnd.nextDouble() * 2 - 1;
                sv[p * d + f] = 0.3 * rnd.nextDouble();
            }
        }
        double[] out = new double[2];
        VfmMoments.moments(0.3, 0.02, mw, sw, mv, sv, d, x, n, out);
        Rng rng = new Rng(9);
        int T = 400_000;
        double s1 = 0;
        double s2 = 0;
        double[] v = new double[n * d];
        for (int t = 0; t < T; t++) {
            double y = 0.3 + Math.sqrt(0.02) * rng.nextGaussian();
            for (int p = 0; p < n; p++) {
                y += (mw[p] + Math.sqrt(sw[p]) * rng.nextGaussian()) * x[p];
                for (int f = 0; f < d; f++) {
                    v[p * d + f] = mv[p * d + f] + Math.sqrt(sv[p * d + f]) * rng.nextGaussian();
                }
            }
            for (int p = 0; p < n; p++) {
                for (int l = p + 1; l < n; l++) {
                    for (int f = 0; f < d; f++) {
                        y += v[p * d + f] * v[l * d + f] * x[p] * x[l];
                    }
                }
            }
            s1 += y;
            s2 += y * y;
        }
        double mean = s1 / T;
        double var = s2 / T - mean * mean;
        assertEquals(mean, out[0], 4 * Math.sqrt(var / T));
        assertEquals(var, out[1], 0.02 * var);
    }

    private static VfmConfig cfg(String task, int epochs) {
        return cfg(task, epochs, 0);
    }

    private static VfmConfig cfg(String task, int epochs, int averageFrom) {
        return new VfmConfig(3, epochs, 256, 0.02, 1, 0.1, Task.parse(task), FmSide.NONE, averageFrom);
    }

    @Test
    void recoversPlantedStructure() {
        PlantedFactors pf = PlantedFactors.generate(3, 150, 120, 3, 1.0, 0.3, 0.3);
        List<EpochReport> reps = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(42, 1).withValidation(pf.test()).withListener(new TrainingListener() {
            @Override
            public void onEpoch(EpochReport r) {
                reps.add(r);
            }
        });
        VfmModel m = new VfmTrainer(cfg("regression", 40)).fit(TrainingData.of(pf.train(), RatingScale.UNBOUNDED), ctx);
        double truthRmse = 0;
        Interactions te = pf.test();
        for (int q = 0; q < te.size(); q++) {
            double e = te.values()[q] - pf.truth(te.users()[q], te.items()[q]);
            truthRmse += e * e;
        }
        truthRmse = Math.sqrt(truthRmse / te.size());
        double rmse = RegressionMetrics.rmse(m, te, RatingScale.UNBOUNDED);
        double meanOnly = Math.sqrt(variance(te.values()));
        assertTrue(rmse < truthRmse * 1.25 && rmse < 0.6 * meanOnly, "rmse " + rmse + " truth " + truthRmse + " mean-only " + meanOnly);
        // the noise sd is learned
        assertEquals(0.3, 1 / Math.sqrt(m.noisePrecision()), 0.08);
        // the trainer reports its own figures, the loop's probe the validation RMSE of the returned model
        EpochReport lastRep = reps.get(reps.size() - 1);
        assertEquals(List.of("elbo", "noise_sd", "val_rmse"), List.copyOf(lastRep.figures().keySet()));
        assertEquals(rmse, lastRep.figure("val_rmse"), 1e-12);
        // predictive variance includes the noise
        Predictive p = m.predictive(0, 0);
        assertTrue(p.variance() > 1 / m.noisePrecision());
    }

    private static double variance(float[] v) {
        double m = 0;
        for (float x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    @Test
    void classifiesPlantedStructure() {
        PlantedFactors pf = PlantedFactors.generate(4, 150, 120, 3, 1.0, 0.3, 0.3);
        Interactions tr = pf.train().binarize(3.5);
        Interactions te = pf.test().binarize(3.5);
        VfmModel m = new VfmTrainer(cfg("classification", 40)).fit(TrainingData.of(tr, RatingScale.UNBOUNDED),
                TrainingContext.of(42, 1));
        double[] p = new double[te.size()];
        for (int q = 0; q < p.length; q++) {
            p[q] = m.predict(te.users()[q], te.items()[q]);
            assertTrue(p[q] > 0 && p[q] < 1);
        }
        double auc = ClassificationMetrics.auc(te.values(), p);
        assertTrue(auc > 0.8, "auc " + auc);
        // predictive: the mean probability and the variance of the logit
        Predictive pr = m.predictive(te.users()[0], te.items()[0]);
        assertEquals(p[0], pr.mean(), 0.0);
        assertTrue(pr.variance() > 0);
        // fold-in of user 0's binary ratings ranks like the trained user 0
        RatingMatrix rm = RatingMatrix.of(tr);
        int[] uo = rm.userOffsets();
        UserState s = m.foldIn(java.util.Arrays.copyOfRange(rm.userItems(), uo[0], uo[1]),
                java.util.Arrays.copyOfRange(rm.userValues(), uo[0], uo[1]));
        double diff = 0;
        for (int i = 0; i < 120; i++) {
            double q = m.predict(s, i);
            assertTrue(q > 0 && q < 1);
            diff += Math.abs(q - m.predict(0, i));
        }
        assertTrue(diff / 120 < 0.15, "fold-in vs trained " + diff / 120);
    }

    @Test
    void saveLoadPredictsIdenticallyAndFoldInWorks() throws IOException {
        PlantedFactors pf = PlantedFactors.generate(5, 60, 50, 2, 1.0, 0.4, 0.3);
        VfmModel m = new VfmTrainer(cfg("regression", 10)).fit(TrainingData.of(pf.train(), RatingScale.UNBOUNDED),
                TrainingContext.of(1, 2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeParameters(new DataOutputStream(bytes));
        VfmModel back = (VfmModel) Algorithms.get("vfm").read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                Algorithms.get("vfm").parseConfig(Params.empty()));
        for (int u = -1; u < 60; u++) {
            for (int i = -1; i < 50; i++) {
                assertEquals(m.predict(u, i), back.predict(u, i), 0.0);
                assertEquals(m.predictive(u, i), back.predictive(u, i));
            }
        }
        // fold-in of user 0 from its training ratings predicts close to the trained user 0
        RatingMatrix rm = RatingMatrix.of(pf.train());
        int[] uo = rm.userOffsets();
        int[] items = java.util.Arrays.copyOfRange(rm.userItems(), uo[0], uo[1]);
        float[] vals = java.util.Arrays.copyOfRange(rm.userValues(), uo[0], uo[1]);
        UserState s = m.foldIn(items, vals);
        UserState s2 = back.foldIn(items, vals);
        double diff = 0;
        for (int i = 0; i < 50; i++) {
            assertEquals(m.predict(s, i), back.predict(s2, i), 0.0, "fold-in is deterministic");
            diff += Math.abs(m.predict(s, i) - m.predict(0, i));
        }
        assertTrue(diff / 50 < 0.25, "fold-in vs trained user " + diff / 50);
    }

    /**
     * The snapshot is what a stop would return: the last iterate before averaging starts, the
     * averaged iterate after (so it leaves the last iterate's path), and the result at the end.
     */
    @Test
    void snapshotIsTheLastIterateThenTheAverage() {
        PlantedFactors pf = PlantedFactors.generate(7, 40, 30, 2, 1.0, 0.4, 0.3);
        TrainingData td = TrainingData.of(pf.train(), RatingScale.UNBOUNDED);
        try (Parallel pool = new Parallel(1)) {
            EpochTrainer<VfmModel> never = new VfmTrainer(cfg("regression", 6, 100)).start(td, 3, pool);
            EpochTrainer<VfmModel> from4 = new VfmTrainer(cfg("regression", 6, 4)).start(td, 3, pool);
            for (int epoch = 1; epoch <= 6; epoch++) {
                never.epoch(epoch, EpochReport.builder(epoch));
                from4.epoch(epoch, EpochReport.builder(epoch));
                double[] a = predictions(never.snapshot());
                double[] b = predictions(from4.snapshot());
                assertEquals(epoch < 4, java.util.Arrays.equals(a, b), "epoch " + epoch);
                assertArrayEquals(b, predictions(from4.result(epoch)), "epoch " + epoch);
            }
        }
        // stopped after 5 of 6 epochs: the average of epochs 4 and 5 (average_from = 6/2 + 1)
        TrainingResult<VfmModel> stopped = Training.fit(new VfmTrainer(cfg("regression", 6)), td,
                TrainingContext.of(3, 1).withStopRule(h -> h.size() >= 5), null);
        try (Parallel pool = new Parallel(1)) {
            EpochTrainer<VfmModel> run = new VfmTrainer(cfg("regression", 6, 4)).start(td, 3, pool);
            for (int epoch = 1; epoch <= 5; epoch++) {
                run.epoch(epoch, EpochReport.builder(epoch));
            }
            assertArrayEquals(predictions(run.snapshot()), predictions(stopped.model()));
        }
    }

    private static double[] predictions(VfmModel m) {
        double[] p = new double[m.numUsers() * m.numItems()];
        for (int u = 0; u < m.numUsers(); u++) {
            for (int i = 0; i < m.numItems(); i++) {
                p[u * m.numItems() + i] = m.predict(u, i);
            }
        }
        return p;
    }

    /** The Monte Carlo sample count is mc_samples; model files naming it samples still load. */
    @Test
    void mcSamplesKeepsItsOldNameForOldFiles() {
        Algorithm<?, ?> vfm = Algorithms.get("vfm");
        assertEquals(4, ((VfmConfig) vfm.parseConfig(Params.of(Map.of("mc_samples", 4, "dim", 2)))).mcSamples());
        assertThrows(IllegalArgumentException.class, () -> vfm.parseConfig(Params.of(Map.of("samples", 4))));
        VfmConfig old = (VfmConfig) vfm.storedConfig(Map.of("dim", 2, "epochs", 5, "batch_size", 100, "learn_rate", 0.1,
                "samples", 4, "init_stdev", 0.1, "task", "classification", "side", "none", "average_from", 0));
        assertEquals(new VfmConfig(2, 5, 100, 0.1, 4, 0.1, Task.CLASSIFICATION, FmSide.NONE, 0), old);
    }

    @Test
    void sameSeedSameModel() {
        PlantedFactors pf = PlantedFactors.generate(6, 40, 30, 2, 1.0, 0.4, 0.3);
        TrainingData td = TrainingData.of(pf.train(), RatingScale.UNBOUNDED);
        VfmModel a = new VfmTrainer(cfg("regression", 3)).fit(td, TrainingContext.of(9, 2));
        VfmModel b = new VfmTrainer(cfg("regression", 3)).fit(td, TrainingContext.of(9, 2));
        for (int i = 0; i < 30; i++) {
            assertEquals(a.predict(1, i), b.predict(1, i), 0.0);
        }
    }
}
