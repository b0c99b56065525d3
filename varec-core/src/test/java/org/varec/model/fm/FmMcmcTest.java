package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.FeatureTable;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.data.SparseDesign;
import org.varec.linalg.Cholesky;
import org.varec.model.Predictive;
import org.varec.model.UserState;
import org.varec.stats.Rng;
import org.varec.testing.PlantedFactors;
import org.varec.train.EpochReport;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingResult;
import org.varec.util.Parallel;

class FmMcmcTest {
    private static FmMcmcConfig config(Map<String, ?> p) {
        return FmTestSupport.config(FmMcmcConfig.class, p);
    }

    /**
     * rank = 0 with the noise precision and priors held fixed is Bayesian linear regression: the
     * Gibbs chain of (w0, w) must have the closed-form posterior mean A^-1 (alpha X^T t + Lambda mu)
     * and covariance A^-1, A = alpha X^T X + Lambda; with either sampler.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gibbsConditionalsGiveTheExactLinearPosterior(boolean block) {
        int rows = 25;
        int p = 4;
        Rng rng = new Rng(7);
        int[] off = new int[rows + 1];
        int[] feat = new int[rows * 3];
        float[] vals = new float[rows * 3];
        float[] t = new float[rows];
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            int u = r % 2; // group 0: features 0, 1 (exclusive); group 1: features 2, 3 (both may occur)
            feat[nnz] = u;
            vals[nnz++] = 1f;
            for (int j = 2; j < 4; j++) {
                if (rng.nextDouble() < 0.6) {
                    feat[nnz] = j;
                    vals[nnz++] = (float) (0.5 + rng.nextDouble());
                }
            }
            off[r + 1] = nnz;
            t[r] = (float) (1 + 0.5 * u + rng.nextGaussian());
        }
        SparseDesign sd = new SparseDesign(t, off, java.util.Arrays.copyOf(feat, nnz), java.util.Arrays.copyOf(vals, nnz),
                p, new int[] {0, 0, 1, 1});
        FmDesign d = FmDesign.of(sd, p);
        assertTrue(d.exclusive(0));
        assertTrue(!d.exclusive(1));
        double alpha = 2.0;
        double lam0 = 0.5;
        double[] muG = {0.3, -0.2};
        double[] lamG = {1.5, 4.0};
        try (Parallel par = new Parallel(2)) {
            FmCoordinate c = new FmCoordinate(d, 0, 0.1, true, false, new double[] {lam0, 0, 0}, 1, par);
            c.fixedHyper = true;
            c.block = block;
            c.alpha = alpha;
            c.muW[0] = muG[0];
            c.muW[1] = muG[1];
            c.lamW[0] = lamG[0];
            c.lamW[1] = lamG[1];
            int dim = p + 1; // theta = (w0, w_0..w_3)
            double[] s1 = new double[dim];
            double[] s2 = new double[dim * dim];
            int burn = 500;
            int n = 60_000;
            for (int it = 1; it <= burn + n; it++) {
                c.sweep(it);
                if (it > burn) {
                    double[] th = theta(c);
                    for (int a = 0; a < dim; a++) {
                        s1[a] += th[a];
                        for (int b = 0; b < dim; b++) {
                            s2[a * dim + b] += th[a] * th[b];
                        }
                    }
                }
            }
            // closed form
            double[] a = new double[dim * dim];
            double[] rhs = new double[dim];
            double[] prec = {lam0, lamG[0], lamG[0], lamG[1], lamG[1]};
            double[] mu = {0, muG[0], muG[0], muG[1], muG[1]};
            for (int r = 0; r < rows; r++) {
                double[] x = new double[dim];
                x[0] = 1;
                for (int q = off[r]; q < off[r + 1]; q++) {
                    x[1 + feat[q]] += vals[q];
                }
                for (int i = 0; i < dim; i++) {
                    rhs[i] += alpha * x[i] * t[r];
                    for (int j = 0; j < dim; j++) {
                        a[i * dim + j] += alpha * x[i] * x[j];
                    }
                }
            }
            for (int i = 0; i < dim; i++) {
                a[i * dim + i] += prec[i];
                rhs[i] += prec[i] * mu[i];
            }
            double[] l = a.clone();
            assertTrue(Cholesky.factor(l, dim));
            double[] mean = rhs.clone();
            Cholesky.solveFactored(l, dim, mean);
            for (int i = 0; i < dim; i++) {
                double[] e = new double[dim];
                e[i] = 1;
                Cholesky.solveFactored(l, dim, e); // column i of the covariance
                double m = s1[i] / n;
                double cov = s2[i * dim + i] / n - m * m;
                assertEquals(mean[i], m, 0.05 * Math.sqrt(e[i]), "posterior mean of theta_" + i);
                assertEquals(e[i], cov, 0.06 * e[i], "posterior variance of theta_" + i);
                for (int j = 0; j < i; j++) {
                    double cij = s2[i * dim + j] / n - m * (s1[j] / n);
                    assertEquals(e[j], cij, 0.05 * Math.sqrt(e[i] * covDiag(l, dim, j)),
                            "posterior covariance " + i + "," + j);
                }
            }
        }
    }

    private static double covDiag(double[] l, int dim, int j) {
        double[] e = new double[dim];
        e[j] = 1;
        Cholesky.solveFactored(l, dim, e);
        return e[j];
    }

    private static double[] theta(FmCoordinate c) {
        double[] th = new double[1 + c.p.w.length];
        th[0] = c.p.w0;
        for (int j = 0; j < c.p.w.length; j++) {
            th[1 + j] = c.p.w[j];
        }
        return th;
    }

    @ParameterizedTest
    @ValueSource(strings = {"coordinate", "block"})
    void recoversPlantedFactorsWithCalibratedVariance(String sampler) {
        PlantedFactors pf = FmTestSupport.planted(3);
        FmModel m = new FmMcmcTrainer(config(Map.of("rank", 3, "iterations", 150, "burn_in", 30, "sweep", sampler)))
                .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 2));
        double rmse = FmTestSupport.rmse(m, pf.test());
        double base = FmTestSupport.meanRmse(pf.train(), pf.test());
        assertTrue(rmse < 0.5 * base, sampler + " test RMSE " + rmse + " vs mean " + base);
        // the 90% intervals cover most test ratings
        int covered = 0;
        Interactions test = pf.test();
        for (int r = 0; r < test.size(); r++) {
            Predictive p = m.predictive(test.users()[r], test.items()[r]);
            if (Math.abs(test.values()[r] - p.mean()) <= 1.645 * p.sd()) {
                covered++;
            }
        }
        double cov = covered / (double) test.size();
        assertTrue(cov > 0.75 && cov < 0.99, sampler + " 90% coverage " + cov);
        assertEquals(60, m.predictor().numSamples()); // 120 post-burn-in sweeps thinned by 2
    }

    /**
     * A libFM file read without a meta file puts user and item one-hots in one group; its features
     * are coloured into two exclusive classes (users, items), sampled in parallel, with the same
     * samples for any thread count.
     */
    @Test
    void oneGroupOfOneHotsIsColouredIntoExclusiveClasses() {
        int users = 1500;
        int items = 700;
        Rng rng = new Rng(3);
        int rows = 20_000;
        int[] off = new int[rows + 1];
        int[] feat = new int[2 * rows];
        float[] vals = new float[2 * rows];
        float[] t = new float[rows];
        for (int r = 0; r < rows; r++) {
            feat[2 * r] = rng.nextInt(users);
            feat[2 * r + 1] = users + rng.nextInt(items);
            vals[2 * r] = 1f;
            vals[2 * r + 1] = 1f;
            off[r + 1] = 2 * r + 2;
            t[r] = (float) (3 + rng.nextGaussian());
        }
        SparseDesign sd = new SparseDesign(t, off, feat, vals, users + items, null);
        FmDesign d = FmDesign.of(sd, users + items);
        assertEquals(1, d.numGroups());
        assertTrue(!d.exclusive(0));
        assertEquals(2, d.numClasses(0));
        for (int[] cls : d.classes[0]) {
            java.util.Set<Integer> set = new java.util.HashSet<>();
            for (int j : cls) {
                set.add(j);
            }
            for (int r = 0; r < rows; r++) {
                assertTrue(!(set.contains(feat[2 * r]) && set.contains(feat[2 * r + 1])), "row " + r + " in one class");
            }
        }
        FmTestSupport.assertSameOnOneAndTwoThreads(
                par -> new FmCoordinate(d, 3, 0.1, true, false, new double[] {1, 1, 1}, 5, par), 5);
    }

    /** Small designs run on the calling thread (the hand-offs cost more than they save); large ones on the pool. */
    @Test
    void smallDesignsRunOnTheCallingThread() {
        try (Parallel two = new Parallel(2)) {
            assertEquals(1, FmCoordinate.pool(emptyRows(FmCoordinate.MIN_PARALLEL_ROWS - 1), two, false).threads());
            assertEquals(2, FmCoordinate.pool(emptyRows(FmCoordinate.MIN_PARALLEL_ROWS), two, false).threads());
            // the block sweep hands off less often: its threshold is lower
            assertEquals(1, FmCoordinate.pool(emptyRows(FmCoordinate.MIN_PARALLEL_ROWS_BLOCK - 1), two, true).threads());
            assertEquals(2, FmCoordinate.pool(emptyRows(FmCoordinate.MIN_PARALLEL_ROWS_BLOCK), two, true).threads());
        }
    }

    private static org.varec.data.SparseDesign emptyRows(int rows) {
        return new org.varec.data.SparseDesign(new float[rows], new int[rows + 1], new int[0], new float[0], 1, null);
    }

    @Test
    void sameSeedSameSamplesForAnyThreadCount() throws Exception {
        PlantedFactors pf = FmTestSupport.planted(5);
        FmMcmcConfig c = config(Map.of("rank", 2, "iterations", 12, "burn_in", 2, "keep_samples", 4));
        FmModel a = new FmMcmcTrainer(c).fit(FmTestSupport.data(pf.train()), TrainingContext.of(9, 1));
        FmModel b = new FmMcmcTrainer(c).fit(FmTestSupport.data(pf.train()), TrainingContext.of(9, 2));
        assertEquals(4, a.predictor().numSamples());
        for (int s = 0; s < 4; s++) {
            assertArrayEquals(a.predictor().sample(s).v, b.predictor().sample(s).v);
            assertArrayEquals(a.predictor().sample(s).w, b.predictor().sample(s).w);
        }
        FmModel back = FmTestSupport.roundTrip(a);
        for (int u = -1; u < 6; u++) {
            for (int i = -1; i < 6; i++) {
                assertEquals(a.predictive(u, i), back.predictive(u, i));
            }
        }
        int[] items = {0, 3, 5};
        float[] r = {4, 2, 5};
        UserState s1 = a.foldIn(items, r);
        UserState s2 = back.foldIn(items, r);
        assertEquals(a.predictive(s1, 7), back.predictive(s2, 7));
    }

    /** Probit classification, with either sampler (the block sampler's latent targets change every sweep: its per-row-q layout). */
    @ParameterizedTest
    @ValueSource(strings = {"coordinate", "block"})
    void probitClassification(String sampler) {
        PlantedFactors pf = FmTestSupport.planted(4);
        double mu = pf.train().mean();
        Interactions train = FmTestSupport.binarize(pf.train(), mu);
        Interactions test = FmTestSupport.binarize(pf.test(), mu);
        FmModel m = new FmMcmcTrainer(config(Map.of("rank", 3, "iterations", 100, "task", "classification",
                "sweep", sampler)))
                .fit(FmTestSupport.data(train), TrainingContext.of(1, 2));
        int correct = 0;
        for (int r = 0; r < test.size(); r++) {
            Predictive p = m.predictive(test.users()[r], test.items()[r]);
            assertTrue(p.mean() >= 0 && p.mean() <= 1 && p.variance() > 0);
            if ((p.mean() > 0.5) == (test.values()[r] == 1f)) {
                correct++;
            }
        }
        assertTrue(correct > 0.75 * test.size(), "accuracy " + correct + "/" + test.size());
    }

    @Test
    void sideInformationGroupsAndFoldIn() throws Exception {
        // item ratings driven by a planted genre: the genre group must help items with few ratings
        int users = 80;
        int items = 60;
        Rng rng = new Rng(2);
        FeatureTable.Builder fb = new FeatureTable.Builder(items);
        int[] genre = new int[items];
        for (int i = 0; i < items; i++) {
            genre[i] = i % 3;
            fb.add(i, "genre", "g" + genre[i]);
        }
        FeatureTable itemFeatures = fb.build();
        org.varec.data.InteractionsBuilder b = new org.varec.data.InteractionsBuilder();
        double[] userTaste = new double[users];
        for (int u = 0; u < users; u++) {
            userTaste[u] = rng.nextGaussian();
        }
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rng.nextDouble() < 0.25) {
                    double r = 3 + (genre[i] - 1) * userTaste[u] + 0.2 * rng.nextGaussian();
                    b.add(u, i, (float) r);
                }
            }
        }
        Interactions all = b.build(users, items, org.varec.data.DuplicatePolicy.parse("error")).interactions();
        TrainingData data = new TrainingData(RatingMatrix.of(all), RatingScale.UNBOUNDED, itemFeatures, null);
        FmModel m = new FmMcmcTrainer(config(Map.of("rank", 2, "iterations", 60, "side", "item")))
                .fit(data, TrainingContext.of(3, 2));
        assertEquals(3, m.layout().numGroups());
        FmModel back = FmTestSupport.roundTrip(m);
        assertEquals(m.predictive(3, 4), back.predictive(3, 4));
        double se = 0;
        int n = 0;
        for (int r = 0; r < all.size(); r++) {
            double e = all.values()[r] - m.predict(all.users()[r], all.items()[r]);
            se += e * e;
            n++;
        }
        assertTrue(Math.sqrt(se / n) < 0.4, "train RMSE " + Math.sqrt(se / n));
        // fold in a user who loves genre 2 and dislikes genre 0
        int[] its = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        float[] rs = new float[its.length];
        for (int a = 0; a < its.length; a++) {
            rs[a] = (float) (3 + (genre[its[a]] - 1) * 1.5);
        }
        UserState s = m.foldIn(its, rs);
        assertTrue(m.predict(s, 50) > m.predict(s, 51), "genre 2 item " + m.predict(s, 50) + " vs genre 0 " + m.predict(s, 51));
    }

    /**
     * The loop's probe measures the snapshot: nothing during burn-in, then the samples kept so far,
     * so the last val_rmse is the returned model's RMSE; the sampler itself reports only its own figures.
     */
    @Test
    void validationProbesTheKeptSamples() {
        PlantedFactors pf = FmTestSupport.planted(9);
        FmMcmcConfig c = config(Map.of("rank", 3, "iterations", 60, "burn_in", 10));
        TrainingResult<FmModel> r = Training.fit(new FmMcmcTrainer(c), FmTestSupport.data(pf.train()),
                TrainingContext.of(2, 2).withValidation(pf.test()), null);
        List<EpochReport> history = r.history();
        assertEquals(60, history.size());
        assertEquals(java.util.Set.of("train_rmse", "alpha"), history.get(9).figures().keySet());
        assertTrue(Double.isNaN(history.get(9).figure("val_rmse")));
        double last = history.get(59).figure("val_rmse");
        assertEquals(FmTestSupport.rmse(r.model(), pf.test()), last, 1e-12);
        assertTrue(last < history.get(10).figure("val_rmse"));
        assertEquals(50, r.model().predictor().numSamples());
    }

    /** Stopped during burn-in, the run keeps its last sample; the same seed gives the same model. */
    @Test
    void stoppedInBurnInKeepsTheLastSample() {
        PlantedFactors pf = FmTestSupport.planted(9);
        FmMcmcConfig c = config(Map.of("rank", 2, "iterations", 20, "burn_in", 10));
        TrainingContext ctx = TrainingContext.of(2, 1).withStopRule(h -> h.size() >= 4);
        TrainingResult<FmModel> r = Training.fit(new FmMcmcTrainer(c), FmTestSupport.data(pf.train()), ctx, null);
        assertEquals(4, r.epochs());
        assertTrue(r.stoppedEarly());
        assertEquals(1, r.model().predictor().numSamples());
        FmModel again = Training.fit(new FmMcmcTrainer(c), FmTestSupport.data(pf.train()), ctx, null).model();
        assertEquals(r.model().predictive(3, 4), again.predictive(3, 4));
    }

    /** Long columns (a group covering most rows) go through the chunked path: still thread-count independent. */
    @Test
    void longColumnsAreChunkedAndReproducible() {
        int rows = 3 * FmCoordinate.LONG_COLUMN;
        Rng rng = new Rng(4);
        int users = 300;
        int[] off = new int[rows + 1];
        int[] feat = new int[rows * 4];
        float[] vals = new float[rows * 4];
        float[] t = new float[rows];
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            int u = rng.nextInt(users);
            int sex = u % 2;
            feat[nnz] = u;
            vals[nnz++] = 1f;
            feat[nnz] = users + sex; // group 1: two features, each in half the rows (long columns)
            vals[nnz++] = 1f;
            feat[nnz] = users + 2; // group 2: one feature in every row with a varying value
            vals[nnz++] = (float) rng.nextDouble();
            off[r + 1] = nnz;
            t[r] = (float) (3 + 0.5 * sex + 0.3 * rng.nextGaussian());
        }
        SparseDesign sd = new SparseDesign(t, off, java.util.Arrays.copyOf(feat, nnz), java.util.Arrays.copyOf(vals, nnz),
                users + 3, null);
        int[] groups = new int[users + 3];
        groups[users] = 1;
        groups[users + 1] = 1;
        groups[users + 2] = 2;
        sd = sd.withGroups(groups);
        FmMcmcConfig c = config(Map.of("rank", 2, "iterations", 8, "burn_in", 2, "keep_samples", 3));
        FmSamples a = (FmSamples) FmTestSupport.fitDesign(new FmMcmcTrainer(c), sd, 5, 1);
        FmSamples b = (FmSamples) FmTestSupport.fitDesign(new FmMcmcTrainer(c), sd, 5, 2);
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(a.sample(s).w, b.sample(s).w);
            assertArrayEquals(a.sample(s).v, b.sample(s).v);
        }
        // the group-1 weights learn the planted 0.5 difference
        FmParams last = a.sample(2);
        assertEquals(0.5, last.w[users + 1] - last.w[users], 0.1);
        // ALS through the same chunked path still never increases its objective
        try (Parallel par = new Parallel(2)) {
            FmCoordinate als = FmAlsTrainer.engine(sd, FmTestSupport.config(FmAlsConfig.class, Map.of("rank", 2)), 3,
                    par);
            double before = als.objective();
            for (int it = 1; it <= 5; it++) {
                als.sweep(it);
                double after = als.objective();
                assertTrue(after <= before * (1 + 1e-9), before + " -> " + after);
                before = after;
            }
        }
    }
}
