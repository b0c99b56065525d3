package org.varec.model.vb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.metrics.RegressionMetrics;
import org.varec.io.ModelFile;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.Params;
import org.varec.model.Predictive;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.stats.Normal;
import org.varec.model.vb.VbmfConfig.Covariance;
import org.varec.model.vb.VbmfConfig.FactorPrior;
import org.varec.testing.Synthetic;
import org.varec.train.EpochReport;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;
import org.varec.train.TrainingResult;
import org.varec.util.Parallel;

class VbmfTest {
    @TempDir
    Path dir;

    private static TrainingData data(Interactions r) {
        return TrainingData.of(r, RatingScale.UNBOUNDED);
    }

    private static VbmfConfig config(int rank, boolean full, int iterations) {
        return new VbmfConfig(rank, full ? Covariance.FULL : Covariance.DIAGONAL, FactorPrior.ARD, iterations, 0, 1, 10,
                10, true, true, true, true, 0.1);
    }

    private static FactorPrior prior(boolean gaussian) {
        return gaussian ? FactorPrior.GAUSSIAN : FactorPrior.ARD;
    }

    private static List<EpochReport> history(VbmfTrainer t, TrainingData d, int threads, long seed) {
        List<EpochReport> reports = new ArrayList<>();
        t.fit(d, TrainingContext.of(seed, threads).withListener(new TrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
                reports.add(report);
            }
        }));
        return reports;
    }

    /** ELBO non-decreasing sweep after sweep: both covariance modes, fixed and learned hyper-parameters, several seeds. */
    @ParameterizedTest
    @CsvSource({"1,false,false,false", "2,false,false,false", "3,false,true,false", "4,false,true,false",
            "5,false,true,false", "1,true,false,false", "2,true,false,false", "3,true,true,false", "4,true,true,false",
            "5,true,true,false", "6,false,true,true", "7,false,true,true", "6,true,true,true", "7,true,true,true"})
    void elboNeverDecreases(long seed, boolean full, boolean learn, boolean gaussianPrior) {
        Interactions r = VbData.fromPrior(seed, 120, 90, 3, 0.15, 3.5, 4, 2, 8);
        VbmfConfig c = config(4, full, 40).withLearning(learn).withPrior(prior(gaussianPrior));
        List<EpochReport> h = history(new VbmfTrainer(c), data(r), 2, seed);
        assertEquals(40, h.size());
        for (int e = 1; e < h.size(); e++) {
            double a = h.get(e - 1).figure("elbo");
            double b = h.get(e).figure("elbo");
            assertTrue(b >= a - 1e-9 * Math.abs(a), "ELBO fell at sweep " + (e + 1) + ": " + a + " -> " + b);
        }
        assertTrue(h.get(h.size() - 1).figure("elbo") > h.get(0).figure("elbo"));
    }

    /**
     * Each block update is a maximiser of the ELBO: after updating all users (then all items),
     * perturbing one row's mean, variance, bias mean or bias variance lowers the ELBO.
     */
    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void blockUpdatesAreMaximizers(boolean full, boolean gaussianPrior) {
        Interactions r = VbData.fromPrior(11, 60, 50, 3, 0.3, 3.5, 4, 2, 8);
        RatingMatrix m = RatingMatrix.of(r);
        VbmfTrainer t = new VbmfTrainer(config(3, full, 1).withPrior(prior(gaussianPrior)));
        VbmfTrainer.State s = t.initialize(m, 3);
        try (Parallel par = new Parallel(1)) {
            for (int it = 0; it < 3; it++) {
                VbmfTrainer.updateUsers(par, m, s);
                VbmfTrainer.updateItems(par, m, s);
                t.updateHyper(VbmfTrainer.stats(par, m, s), s);
            }
            for (boolean users : new boolean[] {true, false}) {
                int rows = users ? s.numUsers() : s.numItems();
                VbmfTrainer.updateRows(m, s, users, 0, rows);
                double e0 = VbmfTrainer.elbo(par, m, s);
                float[] mean = users ? s.um : s.vm;
                float[] cov = users ? s.uv : s.vv;
                float[] bm = users ? s.ubm : s.vbm;
                float[] bv = users ? s.ubv : s.vbv;
                for (int row : new int[] {0, 7, rows - 1}) {
                    for (int x = 0; x < s.k; x++) {
                        int p = row * s.k + x;
                        int q = row * s.kv + (full ? x * s.k + x : x);
                        for (double d : new double[] {-1e-2, 1e-2}) {
                            assertLower(par, m, s, e0, mean, p, (float) (mean[p] + d), "mean");
                            assertLower(par, m, s, e0, cov, q, (float) (cov[q] * (1 + 5 * d)), "variance");
                        }
                    }
                    if (full) { // an off-diagonal covariance entry, kept symmetric
                        int q1 = row * s.kv + 1;
                        int q2 = row * s.kv + s.k;
                        float old = cov[q1];
                        double scale = Math.sqrt(cov[row * s.kv] * (double) cov[row * s.kv + s.k + 1]);
                        for (double d : new double[] {-0.05, 0.05}) {
                            cov[q1] = cov[q2] = (float) (old + d * scale);
                            double e1 = VbmfTrainer.elbo(par, m, s);
                            cov[q1] = cov[q2] = old;
                            assertTrue(e1 < e0, "off-diagonal covariance perturbation raised the ELBO");
                        }
                    }
                    for (double d : new double[] {-1e-2, 1e-2}) {
                        assertLower(par, m, s, e0, bm, row, (float) (bm[row] + d), "bias mean");
                        assertLower(par, m, s, e0, bv, row, (float) (bv[row] * (1 + 5 * d)), "bias variance");
                    }
                }
            }
        }
    }

    /** The ELBO's expected squared errors equal the predictive distribution's: E[e^2] = (r - mean)^2 + var - 1/lambda. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void elboStatisticsMatchThePredictiveDistribution(boolean full) {
        Interactions r = VbData.fromPrior(12, 70, 50, 3, 0.3, 3.5, 4, 2, 8);
        RatingMatrix m = RatingMatrix.of(r);
        VbmfTrainer t = new VbmfTrainer(config(4, full, 1));
        VbmfTrainer.State s = t.initialize(m, 3);
        try (Parallel par = new Parallel(2)) {
            for (int it = 0; it < 3; it++) {
                VbmfTrainer.updateUsers(par, m, s);
                VbmfTrainer.updateItems(par, m, s);
                t.updateHyper(VbmfTrainer.stats(par, m, s), s);
            }
            VbmfTrainer.Stats st = VbmfTrainer.stats(par, m, s);
            VbmfModel model = s.model();
            double esq = 0;
            double sse = 0;
            for (int p = 0; p < r.size(); p++) {
                Predictive pr = model.predictive(r.users()[p], r.items()[p]);
                double e = r.values()[p] - pr.mean();
                sse += e * e;
                esq += e * e + pr.variance() - 1 / model.lambda();
            }
            assertEquals(esq, st.esq(), 1e-9 * esq);
            assertEquals(sse, st.sse(), 1e-9 * sse);
        }
    }

    private static void assertLower(Parallel par, RatingMatrix m, VbmfTrainer.State s, double e0, float[] a, int p,
                                    float value, String what) {
        float old = a[p];
        a[p] = value;
        double e1 = VbmfTrainer.elbo(par, m, s);
        a[p] = old;
        assertTrue(e1 < e0, what + " perturbation raised the ELBO: " + e0 + " -> " + e1);
    }

    /** The full-covariance row update equals the textbook formulas built with EJML. */
    @Test
    void fullRowUpdateEqualsExplicitFormulas() {
        int k = 3;
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 6;
        float[] om = new float[n * k];
        float[] ov = new float[n * k * k];
        float[] ob = new float[n];
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < k; x++) {
                om[j * k + x] = (float) org.varec.stats.Normal.boxMuller(rnd);
            }
            double[] g = new double[k * k];
            for (int p = 0; p < k * k; p++) {
                g[p] = 0.3 * org.varec.stats.Normal.boxMuller(rnd);
            }
            for (int x = 0; x < k; x++) { // S = G G^T + 0.1 I
                for (int y = 0; y < k; y++) {
                    double v = x == y ? 0.1 : 0;
                    for (int z = 0; z < k; z++) {
                        v += g[x * k + z] * g[y * k + z];
                    }
                    ov[j * k * k + x * k + y] = (float) v;
                }
            }
            ob[j] = (float) org.varec.stats.Normal.boxMuller(rnd);
        }
        int[] idx = {0, 2, 3, 5};
        float[] val = {4, 1, 3, 5};
        double mu = 3.2;
        double lambda = 2.5;
        double gamma = 3;
        double[] tau = {1, 2, 4};
        Prior prior = new Prior(k);
        prior.setArd(tau);
        float[] mOut = new float[k];
        float[] sOut = new float[k * k];
        double b = new RowPosterior(k, true).update(om, ov, ob, idx, val, 0, idx.length, mu, lambda, prior, gamma,
                mOut, 0, sOut, 0);
        DMatrixRMaj lam = new DMatrixRMaj(k + 1, k + 1);
        DMatrixRMaj h = new DMatrixRMaj(k + 1, 1);
        for (int x = 0; x < k; x++) {
            lam.set(x, x, tau[x]);
        }
        lam.set(k, k, gamma);
        for (int p = 0; p < idx.length; p++) {
            int j = idx[p];
            double t = val[p] - mu - ob[j];
            for (int x = 0; x < k; x++) {
                for (int y = 0; y < k; y++) {
                    lam.add(x, y, lambda * (om[j * k + x] * om[j * k + y] + ov[j * k * k + x * k + y]));
                }
                lam.add(x, k, lambda * om[j * k + x]);
                lam.add(k, x, lambda * om[j * k + x]);
                h.add(x, 0, lambda * t * om[j * k + x]);
            }
            lam.add(k, k, lambda);
            h.add(k, 0, lambda * t);
        }
        DMatrixRMaj sol = new DMatrixRMaj(k + 1, 1);
        CommonOps_DDRM.solve(lam, h, sol);
        DMatrixRMaj luu = CommonOps_DDRM.extract(lam, 0, k, 0, k);
        CommonOps_DDRM.invert(luu);
        for (int x = 0; x < k; x++) {
            assertEquals(sol.get(x), mOut[x], 1e-5);
            for (int y = 0; y < k; y++) {
                assertEquals(luu.get(x, y), sOut[x * k + y], 1e-6);
            }
        }
        assertEquals(sol.get(k), b, 1e-7);
        // the diagonal mode projects: c_k = 1 / [Lambda_uu]_kk, same means given diagonal inputs
        float[] ovDiag = new float[n * k];
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < k; x++) {
                ovDiag[j * k + x] = ov[j * k * k + x * k + x];
            }
        }
        float[] dOut = new float[k];
        new RowPosterior(k, false).update(om, ovDiag, ob, idx, val, 0, idx.length, mu, lambda, prior, gamma, mOut, 0,
                dOut, 0);
        double[] lamDiag = new double[k];
        for (int x = 0; x < k; x++) {
            lamDiag[x] = tau[x];
            for (int j : idx) {
                lamDiag[x] += lambda * (om[j * k + x] * om[j * k + x] + ovDiag[j * k + x]);
            }
            assertEquals(1 / lamDiag[x], dOut[x], 1e-6);
        }
    }

    /** Var[u.v] of independent Gaussians, against a brute-force expectation of the second moment. */
    @Test
    void varDotMatchesSecondMoments() {
        int k = 3;
        float[] ma = {0.5f, -1f, 2f};
        float[] mb = {1f, 0.3f, -0.7f};
        float[] sa = {0.5f, 0.1f, 0f, 0.1f, 0.4f, 0.05f, 0f, 0.05f, 0.3f};
        float[] sb = {0.2f, -0.05f, 0.02f, -0.05f, 0.1f, 0f, 0.02f, 0f, 0.6f};
        // E[(u.v)^2] = tr(E[uu^T] E[vv^T]); Var = that - (ma.mb)^2
        double e2 = 0;
        double dot = 0;
        for (int x = 0; x < k; x++) {
            dot += ma[x] * mb[x];
            for (int y = 0; y < k; y++) {
                e2 += (ma[x] * ma[y] + sa[x * k + y]) * (mb[y] * mb[x] + sb[y * k + x]);
            }
        }
        assertEquals(e2 - dot * dot, RowPosterior.varDot(k, true, ma, 0, sa, 0, mb, 0, sb, 0), 1e-6);
        float[] da = {sa[0], sa[4], sa[8]};
        float[] db = {sb[0], sb[4], sb[8]};
        double e2d = 0;
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                e2d += (ma[x] * ma[y] + (x == y ? da[x] : 0)) * (mb[y] * mb[x] + (x == y ? db[x] : 0));
            }
        }
        assertEquals(e2d - dot * dot, RowPosterior.varDot(k, false, ma, 0, da, 0, mb, 0, db, 0), 1e-6);
    }

    /** Planted rank 3 at noise sd 0.3: held-out RMSE near the noise level, lambda learned near 1/0.09. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void recoversPlantedLowRank(boolean full) {
        Interactions all = VbData.fromPrior(7, 300, 200, 3, 0.2, 3.5, 1 / 0.09, 1, 4);
        Interactions[] parts = VbData.split(all, 10);
        VbmfModel m = new VbmfTrainer(config(6, full, 80)).fit(data(parts[0]), TrainingContext.of(3, 2));
        double rmse = RegressionMetrics.rmse(m, parts[1], RatingScale.UNBOUNDED);
        assertTrue(rmse <= 0.36, "held-out RMSE " + rmse);
        double noiseSd = 1 / Math.sqrt(m.lambda());
        assertTrue(noiseSd > 0.25 && noiseSd < 0.35, "learned noise sd " + noiseSd);
    }

    /** On data simulated from the model's own prior, the 90% predictive interval covers 90% +- 3% of held-out ratings. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void intervalCoverageOnPriorData(boolean full) {
        Interactions all = VbData.fromPrior(21, 400, 300, 3, 0.15, 3.5, 2, 1.5, 6);
        Interactions[] parts = VbData.split(all, 10);
        VbmfModel m = new VbmfTrainer(config(3, full, 60)).fit(data(parts[0]), TrainingContext.of(5, 2));
        Interactions test = parts[1];
        double z = Normal.quantile(0.95);
        int covered = 0;
        for (int p = 0; p < test.size(); p++) {
            Predictive pr = m.predictive(test.users()[p], test.items()[p]);
            if (Math.abs(test.values()[p] - pr.mean()) <= z * pr.sd()) {
                covered++;
            }
        }
        double cov = covered / (double) test.size();
        assertTrue(Math.abs(cov - 0.9) <= 0.03, "coverage of the 90% interval: " + cov + " on " + test.size());
    }

    /** Fold-in: the mean predictive sd over all items shrinks as a new user's ratings are added. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void foldInIntervalNarrowsWithRatings(boolean full) {
        Interactions all = VbData.fromPrior(31, 300, 120, 3, 0.25, 3.5, 4, 1.5, 6);
        VbmfModel m = new VbmfTrainer(config(3, full, 40)).fit(data(all), TrainingContext.of(5, 2));
        // a new user drawn from the same prior
        SplittableRandom rnd = new SplittableRandom(99);
        double[] u = new double[3];
        for (int x = 0; x < 3; x++) {
            u[x] = org.varec.stats.Normal.boxMuller(rnd) / Math.sqrt(1.5);
        }
        int[] order = new int[120];
        for (int i = 0; i < 120; i++) {
            order[i] = (i * 37) % 120;
        }
        double prev = Double.POSITIVE_INFINITY;
        for (int n : new int[] {0, 2, 5, 10, 20, 40}) {
            int[] items = Arrays.copyOf(order, n);
            float[] ratings = new float[n];
            for (int p = 0; p < n; p++) {
                double r = 3.5 + m.itemBiases()[items[p]];
                for (int x = 0; x < 3; x++) {
                    r += u[x] * m.itemFactors()[items[p] * 3 + x];
                }
                ratings[p] = (float) (r + 0.5 * org.varec.stats.Normal.boxMuller(rnd));
            }
            UserState s = m.foldIn(items, ratings);
            double sd = 0;
            for (int i = 0; i < 120; i++) {
                sd += m.predictive(s, i).sd();
            }
            sd /= 120;
            assertTrue(sd < prev, "mean predictive sd " + sd + " with " + n + " ratings, was " + prev);
            prev = sd;
        }
        // no ratings: the prior, the same as an unknown user
        UserState prior = m.foldIn(new int[0], new float[0]);
        assertEquals(m.predictive(-1, 4).variance(), m.predictive(prior, 4).variance(), 1e-6);
        assertEquals(m.predictive(-1, 4).mean(), m.predict(prior, 4), 1e-9);
        // a trained user's state predicts like the index
        UserState t = m.user(17);
        assertEquals(m.predictive(17, 5).variance(), m.predictive(t, 5).variance(), 1e-9);
        assertEquals(m.predict(17, 5), m.predict(t, 5), 1e-9);
    }

    /** With K = 1 a full covariance is its diagonal: both modes give the same model. */
    @Test
    void fullAndDiagonalAgreeAtRankOne() {
        Interactions r = VbData.fromPrior(3, 80, 60, 1, 0.3, 3.5, 4, 1, 8);
        VbmfModel d = new VbmfTrainer(config(1, false, 15)).fit(data(r), TrainingContext.of(2, 1));
        VbmfModel f = new VbmfTrainer(config(1, true, 15)).fit(data(r), TrainingContext.of(2, 1));
        assertArrayEquals(d.userFactors(), f.userFactors(), 1e-5f);
        assertArrayEquals(d.itemCovariances(), f.itemCovariances(), 1e-6f);
        assertEquals(d.lambda(), f.lambda(), 1e-6 * d.lambda());
        for (int i = 0; i < 60; i += 7) {
            assertEquals(d.predictive(3, i).variance(), f.predictive(3, i).variance(), 1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void identicalForSameSeedAndAnyThreadCount(int threads) {
        Interactions r = VbData.fromPrior(9, 700, 300, 3, 0.05, 3.5, 4, 2, 8);
        VbmfConfig c = config(4, false, 4);
        TrainingResult<VbmfModel> one = Training.fit(new VbmfTrainer(c), data(r), TrainingContext.of(17, 1), null);
        TrainingResult<VbmfModel> many = Training.fit(new VbmfTrainer(c), data(r), TrainingContext.of(17, threads),
                null);
        assertArrayEquals(one.model().userFactors(), many.model().userFactors());
        assertArrayEquals(one.model().itemCovariances(), many.model().itemCovariances());
        assertArrayEquals(one.model().itemBiases(), many.model().itemBiases());
        assertEquals(one.model().lambda(), many.model().lambda());
        assertEquals(one.history().get(3).figure("elbo"), many.history().get(3).figure("elbo"));
    }

    @Test
    void reportsFiguresStopsOnConvergenceAndHonoursStopRule() {
        Interactions[] parts = VbData.split(VbData.fromPrior(8, 100, 80, 2, 0.2, 3.5, 4, 2, 8), 5);
        List<EpochReport> reports = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(1, 1).withValidation(parts[1])
                .withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        reports.add(report);
                    }
                });
        VbmfConfig c = new VbmfConfig(3, Covariance.DIAGONAL, FactorPrior.ARD, 500, 1e-6, 1, 10, 10, true, true, true,
                true, 0.1);
        TrainingResult<VbmfModel> result = Training.fit(new VbmfTrainer(c), data(parts[0]), ctx, null);
        assertTrue(reports.size() < 500, "converged in " + reports.size());
        assertTrue(reports.get(0).figures().keySet().containsAll(List.of("elbo", "train_rmse", "val_rmse", "lambda")));
        assertEquals(reports, result.history());
        assertTrue(!result.stoppedEarly(), "convergence is the trainer's own rule, not an early stop");
        // the run stops at the first sweep whose relative ELBO change is below tol, not later
        for (int e = 1; e < reports.size(); e++) {
            double elbo = reports.get(e).figure("elbo");
            double change = Math.abs(elbo - reports.get(e - 1).figure("elbo"));
            assertEquals(e == reports.size() - 1, change < 1e-6 * Math.abs(elbo), "sweep " + (e + 1));
        }
        List<EpochReport> stopped = new ArrayList<>();
        TrainingResult<VbmfModel> early = Training.fit(new VbmfTrainer(c), data(parts[0]), TrainingContext.of(1, 1)
                .withStopRule(h -> h.size() >= 3).withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        stopped.add(report);
                    }
                }), null);
        assertEquals(3, stopped.size());
        assertTrue(early.stoppedEarly());
    }

    @ParameterizedTest
    @ValueSource(strings = {"diagonal", "full"})
    void modelFileRoundTrip(String covariance) throws Exception {
        Interactions r = VbData.fromPrior(2, 40, 30, 2, 0.3, 3.5, 4, 2, 8);
        Dataset ds = Synthetic.dataset("vb", r);
        Algorithm<?, ?> a = Algorithms.get("vbmf");
        TrainedModel tm = Fitting.fit(a, a.parseConfig(Params.parse(List.of("rank=3", "iterations=5",
                "covariance=" + covariance))), ds, ds.ratings(), TrainingContext.of(9, 2));
        Path f = dir.resolve(covariance + ".varec");
        ModelFile.save(tm, f);
        TrainedModel back = ModelFile.load(f);
        VbmfModel m1 = (VbmfModel) tm.model();
        VbmfModel m2 = (VbmfModel) back.model();
        assertEquals("vbmf", m2.algorithm());
        assertEquals(covariance.equals("full"), m2.fullCovariance());
        for (int u = -1; u <= 40; u++) {
            for (int i = -1; i <= 30; i++) {
                assertEquals(m1.predict(u, i), m2.predict(u, i), 0.0);
                assertEquals(m1.predictive(u, i), m2.predictive(u, i));
            }
        }
        UserState s1 = m1.foldIn(new int[] {1, 2}, new float[] {5, 1});
        UserState s2 = m2.foldIn(new int[] {1, 2}, new float[] {5, 1});
        for (int i = 0; i < 30; i++) {
            assertEquals(m1.predictive(s1, i), m2.predictive(s2, i));
        }
        assertArrayEquals(m1.tauUsers(), m2.tauUsers());
        assertEquals(m1.gammaUsers(), m2.gammaUsers());
        assertEquals(m1.gammaItems(), m2.gammaItems());
    }

    @Test
    void configIsValidatedAndUnknownKeysRefused() {
        var algo = Algorithms.get("vbmf");
        assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("rank=0"))));
        assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("covariance=banded"))));
        assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("tol=-1"))));
        assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("rnak=3"))));
        VbmfConfig c = (VbmfConfig) algo.parseConfig(Params.parse(List.of("covariance=full", "learn_lambda=false")));
        assertTrue(c.fullCovariance());
        assertTrue(!c.learnLambda() && c.learnTau());
        assertEquals("full", c.toMap().get("covariance"));
        assertEquals("gaussian", c.toMap().get("prior"));
        assertEquals(c, algo.parseConfig(Params.of(c.toMap())));
        assertEquals(VbmfConfig.defaults(), algo.defaultConfig());
    }
}
