package org.varec.model.bpmf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.eval.EvalOptions;
import org.varec.eval.Evaluator;
import org.varec.metrics.RegressionMetrics;
import org.varec.io.ModelFile;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.Params;
import org.varec.model.Predictive;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.model.als.AlsConfig;
import org.varec.model.als.AlsModel;
import org.varec.model.als.AlsTrainer;
import org.varec.model.bpmf.BpmfConfig.Init;
import org.varec.stats.Rng;
import org.varec.testing.Synthetic;
import org.varec.train.EpochReport;
import org.varec.train.StopRule;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;
import org.varec.train.TrainingResult;
import org.varec.util.Parallel;

class BpmfTest {
    @TempDir
    Path dir;

    private static TrainingData data(Interactions r) {
        return TrainingData.of(r, RatingScale.UNBOUNDED);
    }

    private static BpmfConfig config(int rank, int iterations, int burnIn, double noiseShape) {
        return new BpmfConfig(rank, iterations, burnIn, 0, 50, Init.ALS, 3, 2, true, noiseShape);
    }

    /**
     * The row draw's empirical mean and covariance over many draws match the closed-form Gaussian
     * conditional N(P^-1 h, P^-1), P = Lambda + alpha sum z z^T, h = Lambda m + alpha sum z t
     * (built independently with EJML).
     */
    @Test
    void rowDrawMatchesClosedFormConditional() {
        int k = 2;
        int d = k + 1;
        double[] other = {0.5, -1.0, 0.3, /* item 1 */ 1.2, 0.4, -0.2, /* item 2 */ -0.7, 0.9, 0.1,
            /* item 3 */ 0.2, 0.2, 0.6};
        int[] idx = {3, 0, 2};
        float[] val = {4f, 2.5f, 3f};
        double mu = 3.2;
        double alpha = 1.7;
        double[] lam = {2.0, 0.3, 0.1, 0.3, 1.5, -0.2, 0.1, -0.2, 3.0};
        double[] m = {0.2, -0.1, 0.4};
        double[] lin = new double[d];
        for (int x = 0; x < d; x++) {
            for (int y = 0; y < d; y++) {
                lin[x] += lam[x * d + y] * m[y];
            }
        }
        DMatrixRMaj p = new DMatrixRMaj(d, d, true, lam);
        DMatrixRMaj h = new DMatrixRMaj(d, 1, true, lin);
        for (int q = 0; q < idx.length; q++) {
            int j = idx[q];
            double[] z = {other[j * d], other[j * d + 1], 1};
            double t = val[q] - mu - other[j * d + 2];
            for (int x = 0; x < d; x++) {
                h.add(x, 0, alpha * z[x] * t);
                for (int y = 0; y < d; y++) {
                    p.add(x, y, alpha * z[x] * z[y]);
                }
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        assertTrue(CommonOps_DDRM.invert(p, cov));
        DMatrixRMaj mean = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.mult(cov, h, mean);

        RowSampler rs = new RowSampler(k);
        Rng rng = new Rng(99);
        int n = 200_000;
        double[] out = new double[d];
        double[] s = new double[d];
        double[] ss = new double[d * d];
        for (int t = 0; t < n; t++) {
            rs.sample(other, idx, val, 0, idx.length, mu, alpha, lam, lin, rng, out, 0);
            for (int x = 0; x < d; x++) {
                s[x] += out[x];
                for (int y = 0; y < d; y++) {
                    ss[x * d + y] += out[x] * out[y];
                }
            }
        }
        for (int x = 0; x < d; x++) {
            double mx = s[x] / n;
            assertEquals(mean.get(x, 0), mx, 5 * Math.sqrt(cov.get(x, x) / n), "mean " + x);
            for (int y = 0; y < d; y++) {
                double c = ss[x * d + y] / n - mx * s[y] / n;
                double se = Math.sqrt((cov.get(x, x) * cov.get(y, y) + cov.get(x, y) * cov.get(x, y)) / n);
                assertEquals(cov.get(x, y), c, 5 * se, "cov " + x + "," + y);
            }
        }
        // the same draw from the dense path (rows in rating order) is bit-identical for the same stream
        double[] dense = new double[idx.length * d];
        for (int q = 0; q < idx.length; q++) {
            System.arraycopy(other, idx[q] * d, dense, q * d, d);
        }
        double[] a = new double[d];
        double[] b = new double[d];
        rs.sample(other, idx, val, 0, idx.length, mu, alpha, lam, lin, new Rng(5), a, 0);
        rs.sampleDense(dense, null, val, idx.length, mu, alpha, lam, lin, new Rng(5), b, 0);
        assertArrayEquals(a, b, 0.0);
    }

    /** {@code n} standard normal draws. */
    private static double[] gaussians(Rng rng, int n) {
        double[] a = new double[n];
        for (int p = 0; p < n; p++) {
            a[p] = rng.nextGaussian();
        }
        return a;
    }

    /** Fills {@code idx} with random rows below {@code items} and {@code val} with ratings around 3. */
    private static void randomRatings(Rng rng, int items, int[] idx, float[] val) {
        for (int q = 0; q < idx.length; q++) {
            idx[q] = rng.nextInt(items);
            val[q] = (float) (3 + rng.nextGaussian());
        }
    }

    /** Many ratings per row exercise the 4-way unrolled Gram accumulation and its remainder. */
    @Test
    void gramAccumulationMatchesNaive() {
        int k = 5;
        int d = k + 1;
        Rng rng = new Rng(4);
        int items = 150;
        double[] other = gaussians(rng, items * d);
        for (int n : new int[] {0, 1, 3, 4, 7, 64, 65, 131}) {
            int[] idx = new int[n];
            float[] val = new float[n];
            randomRatings(rng, items, idx, val);
            double[] lam = new double[d * d];
            for (int x = 0; x < d; x++) {
                lam[x * d + x] = 2;
            }
            double[] lin = new double[d];
            // a draw with alpha = 1 and a fixed stream equals the naive mean plus L^-T z
            DMatrixRMaj p = new DMatrixRMaj(d, d, true, lam);
            DMatrixRMaj h = new DMatrixRMaj(d, 1);
            for (int q = 0; q < n; q++) {
                int j = idx[q];
                double[] z = new double[d];
                System.arraycopy(other, j * d, z, 0, k);
                z[k] = 1;
                double t = val[q] - 3.0 - other[j * d + k];
                for (int x = 0; x < d; x++) {
                    h.add(x, 0, z[x] * t);
                    for (int y = 0; y < d; y++) {
                        p.add(x, y, z[x] * z[y]);
                    }
                }
            }
            RowSampler rs = new RowSampler(k);
            double[] out = new double[d];
            rs.sample(other, idx, val, 0, n, 3.0, 1.0, lam, lin, new Rng(1), out, 0);
            double[] l = rs.lastFactor();
            // L L^T must equal P
            for (int x = 0; x < d; x++) {
                for (int y = 0; y <= x; y++) {
                    double acc = 0;
                    for (int q = 0; q <= y; q++) {
                        acc += l[x * d + q] * l[y * d + q];
                    }
                    assertEquals(p.get(x, y), acc, 1e-9 * (1 + Math.abs(p.get(x, y))), "n " + n + " P " + x + "," + y);
                }
            }
        }
    }

    /**
     * A draw from the other side's outer-product table (plain, and with per-row noise multipliers
     * in the table) is the exact kernel's draw for the same stream up to the table's float rounding
     * (relative 1e-6 here), for every count of ratings around the table's blocks of four, and its
     * conditional precision is the exact one to 1e-6; a table of another rank is refused.
     */
    @Test
    void tableDrawIsTheExactDrawToTheProductsRounding() {
        int k = 5;
        int d = k + 1;
        Rng rng = new Rng(7);
        int items = 150;
        double[] other = gaussians(rng, items * d);
        double[] weight = new double[items];
        for (int j = 0; j < items; j++) {
            weight[j] = 0.5 + rng.nextDouble();
        }
        org.varec.linalg.OuterTable table = new org.varec.linalg.OuterTable(k);
        org.varec.linalg.OuterTable weighted = new org.varec.linalg.OuterTable(k);
        table.fill(other, d, null, items, org.varec.util.Parallel.SERIAL);
        weighted.fill(other, d, weight, items, org.varec.util.Parallel.SERIAL);
        double[] lam = new double[d * d];
        for (int x = 0; x < d; x++) {
            lam[x * d + x] = 2;
        }
        double[] lin = new double[d];
        lin[0] = 0.3;
        for (int n : new int[] {0, 1, 3, 4, 7, 64, 65, 131}) {
            int[] idx = new int[n];
            float[] val = new float[n];
            randomRatings(rng, items, idx, val);
            RowSampler exact = new RowSampler(k);
            RowSampler fromTable = new RowSampler(k);
            double[] a = new double[d];
            double[] b = new double[d];
            for (boolean w : new boolean[] {false, true}) {
                exact.sample(other, w ? weight : null, idx, val, 0, n, 3.0, 1.7, lam, lin, new Rng(11), a, 0);
                double[] la = exact.lastFactor().clone();
                fromTable.sample(w ? weighted : table, other, w ? weight : null, idx, val, 0, n, 3.0, 1.7, lam, lin,
                        new Rng(11), b, 0);
                double[] lb = fromTable.lastFactor();
                for (int x = 0; x < d; x++) {
                    assertEquals(a[x], b[x], 1e-6 * (1 + Math.abs(a[x])), "n " + n + " weighted " + w + " coordinate " + x);
                }
                for (int x = 0; x < d * d; x++) {
                    assertEquals(la[x], lb[x], 1e-6 * (1 + Math.abs(la[x])), "n " + n + " weighted " + w + " factor " + x);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new RowSampler(k + 1).sample(table, other, null, new int[0],
                new float[0], 0, 0, 3.0, 1.0, new double[(d + 1) * (d + 1)], new double[d + 1], new Rng(1),
                new double[d + 1], 0));
    }

    /**
     * The ALS start is exactly {@code init_sweeps} sweeps of an ALS fit with the same seed (ALS's
     * default priors), run on the chain's own pool whatever its thread count.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void alsStartIsTheAlsFitOfTheSameSeed(int threads) {
        TrainingData d = data(BpmfData.lowRank(4, 90, 70, 3, 0.3, 0.2));
        int k = 3;
        int width = k + 1;
        int nu = d.ratings().numUsers();
        int ni = d.ratings().numItems();
        double[] u = new double[nu * width];
        double[] v = new double[ni * width];
        try (Parallel pool = new Parallel(threads)) {
            new BpmfTrainer(config(k, 10, 2, 0)).initialize(d, 6, pool, u, v, k);
        }
        AlsConfig alsDefaults = AlsConfig.defaults();
        AlsConfig alsStart = new AlsConfig(k, alsDefaults.lambda(), alsDefaults.tau(), alsDefaults.gamma(), 3,
                alsDefaults.initStdev());
        AlsModel als = AlsTrainer.plain(alsStart).fit(d, TrainingContext.of(6, 1));
        for (int r = 0; r < nu; r++) {
            for (int x = 0; x < k; x++) {
                assertEquals(als.userFactors()[r * k + x], u[r * width + x], 0.0);
            }
            assertEquals(als.userBiases()[r], u[r * width + k], 0.0);
        }
        for (int r = 0; r < ni; r++) {
            for (int x = 0; x < k; x++) {
                assertEquals(als.itemFactors()[r * k + x], v[r * width + x], 0.0);
            }
            assertEquals(als.itemBiases()[r], v[r * width + k], 0.0);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 10})
    void recoversPlantedLowRank(double noiseShape) {
        Interactions all = BpmfData.lowRank(7, 300, 200, 3, 0.3, 0.1);
        Interactions[] parts = BpmfData.split(all, 10);
        BpmfModel m = new BpmfTrainer(config(3, 60, 20, noiseShape)).fit(data(parts[0]), TrainingContext.of(3, 2));
        double rmse = RegressionMetrics.rmse(m, parts[1], RatingScale.UNBOUNDED);
        assertTrue(rmse <= 0.15, "held-out RMSE " + rmse);
        // the noise precision is learned: sd 0.1 means alpha near 100
        double[] alphas = m.alphas();
        double mean = Arrays.stream(alphas).average().orElseThrow();
        assertTrue(mean > 60 && mean < 140, "mean alpha " + mean);
        assertEquals(Math.min(50, 40), m.numSamples());
    }

    /** Same seed: bit-identical model for any thread count (fixed blocks, one RNG stream per block). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void identicalForSameSeedAndAnyThreadCount(int threads) {
        Interactions r = BpmfData.lowRank(9, 500, 300, 3, 0.1, 0.3);
        BpmfConfig c = config(4, 8, 3, 10);
        BpmfModel one = new BpmfTrainer(c).fit(data(r), TrainingContext.of(17, 1));
        BpmfModel many = new BpmfTrainer(c).fit(data(r), TrainingContext.of(17, threads));
        assertArrayEquals(one.userFactors(), many.userFactors());
        assertArrayEquals(one.itemFactors(), many.itemFactors());
        assertArrayEquals(one.itemBiases(), many.itemBiases());
        assertArrayEquals(one.alphas(), many.alphas());
        for (int u = 0; u < 50; u++) {
            assertEquals(one.predictive(u, u).variance(), many.predictive(u, u).variance(), 0.0);
        }
        BpmfModel other = new BpmfTrainer(c).fit(data(r), TrainingContext.of(18, threads));
        assertTrue(!Arrays.equals(one.userFactors(), other.userFactors()));
        BpmfModel random = new BpmfTrainer(new BpmfConfig(4, 8, 3, 0, 50, Init.RANDOM, 1, 2, false, 0))
                .fit(data(r), TrainingContext.of(17, threads));
        BpmfModel random1 = new BpmfTrainer(new BpmfConfig(4, 8, 3, 0, 50, Init.RANDOM, 1, 2, false, 0))
                .fit(data(r), TrainingContext.of(17, 1));
        assertArrayEquals(random1.userFactors(), random.userFactors());
        assertEquals(2.0, random.alphas()[0], 0.0);
    }

    /**
     * On data simulated from the model, the central intervals cover about their nominal level on
     * held-out ratings (90%: within +-3.5%), and the model beats the fixed-variance baseline NLPD.
     */
    @Test
    void intervalsAreCalibratedOnDataFromTheModel() {
        Interactions all = BpmfData.fromModel(21, 800, 400, 3, 4.0);
        Interactions[] parts = BpmfData.split(all, 10);
        BpmfModel m = new BpmfTrainer(config(3, 80, 20, 0)).fit(data(parts[0]), TrainingContext.of(5, 2));
        Map<String, Double> r = Evaluator.evaluate(m, parts[1], parts[0], RatingScale.UNBOUNDED,
                EvalOptions.defaults(), 1);
        double c90 = r.get("coverage_90");
        double c50 = r.get("coverage_50");
        assertTrue(Math.abs(c90 - 0.90) <= 0.035, "coverage_90 " + c90 + " " + r);
        assertTrue(Math.abs(c50 - 0.50) <= 0.05, "coverage_50 " + c50 + " " + r);
        double mean = Arrays.stream(m.alphas()).average().orElseThrow();
        assertTrue(Math.abs(mean - 4.0) < 0.6, "alpha " + mean);
    }

    /**
     * With noise that differs between users (simulated c_u ~ Gamma(3, 3)), per-row noise keeps the
     * 90% interval calibrated and gives a better NLPD than one noise level for all.
     */
    @Test
    void perRowNoiseIsCalibratedOnHeteroscedasticData() {
        Interactions all = BpmfData.fromModel(22, 800, 400, 3, 4.0, 3.0);
        Interactions[] parts = BpmfData.split(all, 10);
        Map<String, Double> perRow = Evaluator.evaluate(
                new BpmfTrainer(config(3, 80, 20, 10)).fit(data(parts[0]), TrainingContext.of(5, 2)),
                parts[1], parts[0], RatingScale.UNBOUNDED, EvalOptions.defaults(), 1);
        Map<String, Double> global = Evaluator.evaluate(
                new BpmfTrainer(config(3, 80, 20, 0)).fit(data(parts[0]), TrainingContext.of(5, 2)),
                parts[1], parts[0], RatingScale.UNBOUNDED, EvalOptions.defaults(), 1);
        assertTrue(Math.abs(perRow.get("coverage_90") - 0.90) <= 0.035, "per-row " + perRow);
        assertTrue(perRow.get("nlpd") < global.get("nlpd"), "per-row " + perRow + " global " + global);
    }

    /** A folded-in user: deterministic, and the predictive interval narrows as ratings are added. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 10})
    void foldInNarrowsWithMoreRatings(double noiseShape) {
        Interactions all = BpmfData.lowRank(3, 400, 120, 3, 0.4, 0.3);
        RatingMatrix rm = RatingMatrix.of(all);
        // train without user 0; fold it in from its ratings
        int[] keep = java.util.stream.IntStream.range(0, all.size()).filter(q -> all.users()[q] != 0).toArray();
        BpmfModel m = new BpmfTrainer(config(3, 40, 10, noiseShape)).fit(data(all.select(keep)),
                TrainingContext.of(1, 2));
        int from = rm.userOffsets()[0];
        int to = rm.userOffsets()[1];
        int[] items = Arrays.copyOfRange(rm.userItems(), from, to);
        float[] vals = Arrays.copyOfRange(rm.userValues(), from, to);
        assertTrue(items.length >= 30, "user 0 has " + items.length + " ratings");
        double prev = Double.POSITIVE_INFINITY;
        double prevErr = Double.POSITIVE_INFINITY;
        for (int n : new int[] {0, 2, 8, 30}) {
            UserState s = m.foldIn(Arrays.copyOf(items, n), Arrays.copyOf(vals, n));
            double var = 0;
            double err = 0;
            for (int q = 0; q < items.length; q++) {
                Predictive p = m.predictive(s, items[q]);
                var += p.variance();
                err += Math.pow(p.mean() - vals[q], 2);
                assertEquals(p.mean(), m.predict(s, items[q]), 1e-9);
            }
            var /= items.length;
            err /= items.length;
            assertTrue(var < prev, n + " ratings: mean predictive variance " + var + " not below " + prev);
            prev = var;
            prevErr = Math.min(prevErr, err);
        }
        assertTrue(prevErr < 0.3, "squared error with 30 ratings " + prevErr);
        UserState a = m.foldIn(Arrays.copyOf(items, 5), Arrays.copyOf(vals, 5));
        UserState b = m.foldIn(Arrays.copyOf(items, 5), Arrays.copyOf(vals, 5));
        assertArrayEquals(m.userVector(a), m.userVector(b));
        // unknown users and items: the prior predictive (mean near mu + known part, wider variance)
        Predictive unknown = m.predictive(-1, 5);
        Predictive known = m.predictive(3, 5);
        assertTrue(unknown.variance() > known.variance());
        assertTrue(Double.isFinite(m.predict(2, 10_000)));
    }

    @Test
    void reportsOneEpochPerSampleWithValidation() {
        Interactions[] parts = BpmfData.split(BpmfData.lowRank(8, 80, 60, 2, 0.3, 0.2), 5);
        List<EpochReport> reports = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(1, 1).withValidation(parts[1]).withListener(new TrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
                reports.add(report);
            }
        });
        BpmfModel m = new BpmfTrainer(new BpmfConfig(2, 12, 4, 2, 50, Init.RANDOM, 1, 2, true, 0)).fit(data(parts[0]), ctx);
        assertEquals(12, reports.size());
        assertEquals(4, m.numSamples());
        assertTrue(reports.get(0).figures().keySet().containsAll(List.of("train_rmse", "sample_rmse", "alpha")));
        // no val_rmse during burn-in (there is no posterior mean yet); from the first kept sample on
        for (int e = 0; e < 12; e++) {
            assertEquals(e >= 5, reports.get(e).figures().containsKey("val_rmse"), "epoch " + (e + 1));
        }
        // the last val_rmse is the model's own held-out RMSE (running mean over the kept samples)
        assertEquals(RegressionMetrics.rmse(m, parts[1], RatingScale.UNBOUNDED), reports.get(11).figure("val_rmse"), 1e-5);
    }

    /** A stop rule ending the run early: the model keeps (and compacts) what was kept, or the last state. */
    @Test
    void earlyStopKeepsWhatWasKept() {
        Interactions[] parts = BpmfData.split(BpmfData.lowRank(8, 80, 60, 2, 0.3, 0.2), 5);
        BpmfConfig c = new BpmfConfig(2, 40, 2, 1, 50, Init.RANDOM, 1, 2, true, 10);
        TrainingContext ctx = TrainingContext.of(1, 2).withValidation(parts[1])
                .withStopRule(h -> h.size() == 6);
        TrainingResult<BpmfModel> r = Training.fit(new BpmfTrainer(c), data(parts[0]), ctx, null);
        BpmfModel m = r.model();
        assertEquals(4, m.numSamples());
        assertEquals(6, r.history().size());
        assertEquals(RegressionMetrics.rmse(m, parts[1], RatingScale.UNBOUNDED),
                r.history().get(5).figure("val_rmse"), 1e-5);
        BpmfModel first = new BpmfTrainer(c).fit(data(parts[0]), ctx.withStopRule(h -> true));
        assertEquals(1, first.numSamples());
        assertTrue(Double.isFinite(first.predictive(0, 0).variance()));
        // early stopping on val_rmse waits for the burn-in: it sees only posterior means of kept samples
        TrainingResult<BpmfModel> patient = Training.fit(
                new BpmfTrainer(new BpmfConfig(2, 40, 10, 1, 50, Init.ALS, 3, 2, true, 10)), data(parts[0]),
                ctx.withStopRule(StopRule.noImprovement("val_rmse", 2, 0)), null);
        assertTrue(patient.history().size() > 12, "stopped after " + patient.history().size());
        assertTrue(patient.model().numSamples() >= 3);
    }

    /** Save/load through the model file: identical predictions, predictive variances and fold-in. */
    @Test
    void modelFileRoundTrip() throws Exception {
        Interactions r = BpmfData.lowRank(2, 40, 30, 2, 0.3, 0.3);
        Dataset ds = Synthetic.dataset("bpmf", r);
        Algorithm<?, ?> a = Algorithms.get("bpmf");
        TrainedModel tm = Fitting.fit(a, a.parseConfig(Params.parse(List.of("rank=3", "iterations=10", "burn_in=5", "thin=2", "noise_shape=5"))), ds,
                ds.ratings(), TrainingContext.of(9, 2));
        Path f = dir.resolve("bpmf.varec");
        ModelFile.save(tm, f);
        TrainedModel back = ModelFile.load(f);
        BpmfModel m1 = (BpmfModel) tm.model();
        BpmfModel m2 = (BpmfModel) back.model();
        assertEquals("bpmf", m2.algorithm());
        assertEquals(m1.numSamples(), m2.numSamples());
        for (int u = -1; u <= 40; u++) {
            for (int i = -1; i <= 30; i++) {
                assertEquals(m1.predict(u, i), m2.predict(u, i), 0.0);
                assertEquals(m1.predictive(u, i), m2.predictive(u, i));
            }
        }
        UserState s1 = m1.foldIn(new int[] {1, 2}, new float[] {5, 1});
        UserState s2 = m2.foldIn(new int[] {1, 2}, new float[] {5, 1});
        double[] o1 = new double[30];
        double[] o2 = new double[30];
        m1.scoreAll(s1, o1);
        m2.scoreAll(s2, o2);
        assertArrayEquals(o1, o2, 0.0);
        for (int i = 0; i < 30; i++) {
            assertEquals(m1.predict(s1, i), o1[i], 1e-5);
            assertEquals(m1.predictive(s1, i), m2.predictive(s2, i));
        }
        assertArrayEquals(m1.userFactors(), m2.userFactors());
    }

    @Test
    void configIsValidatedAndUnknownKeysRefused() {
        var algo = Algorithms.get("bpmf");
        var e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("rank=0"))));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> algo.parseConfig(Params.parse(List.of("iterations=10", "burn_in=10"))));
        assertTrue(e.getMessage().contains("burn_in"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> algo.parseConfig(Params.parse(List.of("iterations=200", "burn_in=0", "thin=1",
                        "keep_samples=50"))));
        assertTrue(e.getMessage().contains("keep_samples"), e.getMessage());
        // the names before the rename (keep, samples) only load old model files
        assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("keep=50"))));
        BpmfConfig old = (BpmfConfig) algo.storedConfig(Map.of("samples", 40, "burn_in", 4, "keep", 12, "init", "random"));
        assertEquals(40, old.iterations());
        assertEquals(12, old.keepSamples());
        assertEquals(Init.RANDOM, old.init());
        assertEquals("random", old.toMap().get("init"));
        e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("init=svd"))));
        assertTrue(e.getMessage().contains("init"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("tau=1"))));
        assertTrue(e.getMessage().contains("sample_alpha"), e.getMessage());
        assertEquals(BpmfConfig.defaults(), algo.defaultConfig());
        assertEquals(BpmfConfig.defaults(), algo.parseConfig(Params.of(BpmfConfig.defaults().toMap())));
        BpmfConfig d = BpmfConfig.defaults();
        assertTrue(d.keptCount() <= d.keepSamples());
        assertEquals(2, d.effectiveThin());
        assertEquals(70, d.keptCount());
    }
}
