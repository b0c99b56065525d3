package org.varec.model.als;

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
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.metrics.RegressionMetrics;
import org.varec.io.ModelFile;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.Params;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.testing.Synthetic;
import org.varec.train.EpochReport;
import org.varec.train.StopRule;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingResult;
import org.varec.util.Parallel;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;
import org.varec.util.Parallel;

class AlsTest {
    @TempDir
    Path dir;

    private static TrainingData data(Interactions r) {
        return TrainingData.of(r, RatingScale.UNBOUNDED);
    }

    private static List<EpochReport> history(AlsTrainer t, TrainingData d, int threads, long seed) {
        List<EpochReport> reports = new ArrayList<>();
        t.fit(d, TrainingContext.of(seed, threads).withListener(new TrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
                reports.add(report);
            }
        }));
        return reports;
    }

    /**
     * One user half-sweep equals the normal-equation solution built independently with EJML from
     * the COO ratings: for each user, X has rows [v_j, 1], A = lambda X^T X + diag(tau..., gamma),
     * rhs = lambda X^T (r - mu - b_j); likewise for items (with and without a genre prior mean).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void halfSweepEqualsNormalEquations(boolean itemsSide) {
        int k = 4;
        Interactions r = AlsData.lowRank(11, 40, 30, 2, 0.4, 0.3);
        RatingMatrix m = RatingMatrix.of(r);
        AlsConfig c = new AlsConfig(k, 2.0, 3.0, 0.7, 1, 0.3);
        AlsTrainer t = AlsTrainer.plain(c);
        AlsTrainer.State s = new AlsTrainer.State(k, 40, 30, null);
        SplittableRandom rnd = new SplittableRandom(5);
        for (float[] a : new float[][] {s.u, s.v, s.bu, s.bi}) {
            for (int p = 0; p < a.length; p++) {
                a[p] = (float) (0.5 * org.varec.stats.Normal.boxMuller(rnd));
            }
        }
        double mu = 3.1;
        try (Parallel par = new Parallel(2)) {
            if (itemsSide) {
                t.solveItems(par, m, mu, s);
            } else {
                t.solveUsers(par, m, mu, s);
            }
        }
        int rows = itemsSide ? 30 : 40;
        float[] other = itemsSide ? s.u : s.v;
        float[] otherB = itemsSide ? s.bu : s.bi;
        for (int row = 0; row < rows; row++) {
            List<Integer> mine = new ArrayList<>();
            for (int q = 0; q < r.size(); q++) {
                if ((itemsSide ? r.items()[q] : r.users()[q]) == row) {
                    mine.add(q);
                }
            }
            DMatrixRMaj x = new DMatrixRMaj(mine.size(), k + 1);
            DMatrixRMaj y = new DMatrixRMaj(mine.size(), 1);
            for (int e = 0; e < mine.size(); e++) {
                int q = mine.get(e);
                int j = itemsSide ? r.users()[q] : r.items()[q];
                for (int f = 0; f < k; f++) {
                    x.set(e, f, other[j * k + f]);
                }
                x.set(e, k, 1);
                y.set(e, 0, r.values()[q] - mu - otherB[j]);
            }
            DMatrixRMaj a = new DMatrixRMaj(k + 1, k + 1);
            CommonOps_DDRM.multTransA(x, x, a);
            CommonOps_DDRM.scale(c.lambda(), a);
            for (int f = 0; f < k; f++) {
                a.add(f, f, c.tau());
            }
            a.add(k, k, c.gamma());
            DMatrixRMaj b = new DMatrixRMaj(k + 1, 1);
            CommonOps_DDRM.multTransA(x, y, b);
            CommonOps_DDRM.scale(c.lambda(), b);
            DMatrixRMaj sol = new DMatrixRMaj(k + 1, 1);
            assertTrue(CommonOps_DDRM.solve(a, b, sol));
            float[] got = itemsSide ? s.v : s.u;
            float[] gotB = itemsSide ? s.bi : s.bu;
            for (int f = 0; f < k; f++) {
                assertEquals(sol.get(f, 0), got[row * k + f], 1e-5, "row " + row + " dim " + f);
            }
            assertEquals(sol.get(k, 0), gotB[row], 1e-5, "bias of row " + row);
        }
    }

    /** With a prior mean p the item solve is eq (13): rhs gains tau p (checked with EJML). */
    @Test
    void itemSolveWithPriorMeanEqualsEq13() {
        int k = 3;
        float[] users = {0.3f, -0.2f, 0.5f, 1.1f, 0.4f, -0.7f};
        float[] ub = {0.2f, -0.1f};
        int[] idx = {0, 1};
        float[] val = {4f, 2f};
        float[] prior = {0.5f, -0.5f, 0.25f};
        float[] out = new float[k];
        double lambda = 1.5;
        double tau = 2;
        double gamma = 0.5;
        double b = new RidgeSolver(k, true).solve(users, ub, idx, val, 0, 2, 3.0, lambda, tau, gamma, prior, 0, out, 0);
        DMatrixRMaj a = new DMatrixRMaj(k + 1, k + 1);
        DMatrixRMaj rhs = new DMatrixRMaj(k + 1, 1);
        for (int e = 0; e < 2; e++) {
            double[] z = {users[e * k], users[e * k + 1], users[e * k + 2], 1};
            double t = val[e] - 3.0 - ub[e];
            for (int p = 0; p <= k; p++) {
                rhs.add(p, 0, lambda * z[p] * t);
                for (int q = 0; q <= k; q++) {
                    a.add(p, q, lambda * z[p] * z[q]);
                }
            }
        }
        for (int f = 0; f < k; f++) {
            a.add(f, f, tau);
            rhs.add(f, 0, tau * prior[f]);
        }
        a.add(k, k, gamma);
        DMatrixRMaj sol = new DMatrixRMaj(k + 1, 1);
        assertTrue(CommonOps_DDRM.solve(a, rhs, sol));
        for (int f = 0; f < k; f++) {
            assertEquals(sol.get(f, 0), out[f], 1e-6);
        }
        assertEquals(sol.get(k, 0), b, 1e-9);
    }

    /** Each step minimises objective (5) (or (12)) exactly over a block: it never increases. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void objectiveNeverIncreases(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        AlsConfig c = new AlsConfig(1 + rnd.nextInt(6), 0.5 + rnd.nextDouble() * 2, 0.1 + rnd.nextDouble() * 5,
                0.05 + rnd.nextDouble() * 3, 20, 0.5);
        Interactions r = AlsData.lowRank(seed, 50 + rnd.nextInt(30), 40 + rnd.nextInt(30), 3, 0.3, 0.3);
        checkMonotone(history(AlsTrainer.plain(c), data(r), 1 + rnd.nextInt(3), seed));
        AlsData.GenreData g = AlsData.genres(seed, 60, 50, 4, 0.3, new int[] {1, 7});
        TrainingData gd = new TrainingData(RatingMatrix.of(g.ratings()), RatingScale.UNBOUNDED, g.itemFeatures(), null);
        checkMonotone(history(AlsTrainer.withFeatures(c), gd, 2, seed));
    }

    /**
     * The training RMSE each sweep reports, which comes from the item solves' normal equations, is
     * the RMSE of the model after that sweep on the training ratings, computed directly (to float
     * rounding), for als and als-features, on 1 and 3 threads.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void reportedTrainRmseIsTheModelsError(int threads) {
        Interactions r = AlsData.lowRank(5, 70, 50, 3, 0.3, 0.4);
        for (int sweeps = 1; sweeps <= 3; sweeps++) {
            TrainingResult<AlsModel> fit = Training.fit(AlsTrainer.plain(new AlsConfig(3, 2, 1, 1, sweeps, 0.3)),
                    data(r), TrainingContext.of(9, threads), null);
            double direct = RegressionMetrics.rmse(fit.model(), r, RatingScale.UNBOUNDED);
            assertEquals(direct, fit.history().get(sweeps - 1).figure("train_rmse"), 1e-6 * direct);
        }
        AlsData.GenreData g = AlsData.genres(5, 60, 50, 4, 0.3, new int[] {1, 7});
        TrainingData gd = new TrainingData(RatingMatrix.of(g.ratings()), RatingScale.UNBOUNDED, g.itemFeatures(), null);
        TrainingResult<AlsModel> fit = Training.fit(AlsTrainer.withFeatures(new AlsConfig(3, 2, 1, 1, 2, 0.3)), gd,
                TrainingContext.of(9, threads), null);
        double direct = RegressionMetrics.rmse(fit.model(), g.ratings(), RatingScale.UNBOUNDED);
        assertEquals(direct, fit.history().get(1).figure("train_rmse"), 1e-6 * direct);
    }

    private static void checkMonotone(List<EpochReport> h) {
        for (int e = 1; e < h.size(); e++) {
            double prev = h.get(e - 1).figure("loss");
            double cur = h.get(e).figure("loss");
            assertTrue(cur <= prev + 1e-6 * Math.abs(prev), "loss rose at sweep " + (e + 1) + ": " + prev + " -> " + cur);
        }
    }

    @Test
    void recoversPlantedRankThree() {
        Interactions all = AlsData.lowRank(7, 300, 200, 3, 0.3, 0.1);
        Interactions[] parts = AlsData.split(all, 10);
        TrainingResult<AlsModel> r = Training.fit(AlsTrainer.plain(new AlsConfig(3, 100, 1, 1, 30, 0.1)),
                data(parts[0]), TrainingContext.of(3, 2), null);
        double rmse = RegressionMetrics.rmse(r.model(), parts[1], RatingScale.UNBOUNDED);
        assertTrue(rmse <= 0.15, "held-out RMSE " + rmse);
        assertTrue(r.history().get(r.epochs() - 1).figure("train_rmse") < 0.12);
    }

    @Test
    void reportsValidationRmseAndHonoursStopRule() {
        Interactions[] parts = AlsData.split(AlsData.lowRank(8, 80, 60, 2, 0.3, 0.2), 5);
        List<EpochReport> reports = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(1, 1).withValidation(parts[1])
                .withStopRule(StopRule.relativeChange("loss", 1e-4))
                .withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        reports.add(report);
                    }
                });
        TrainingResult<AlsModel> r = Training.fit(AlsTrainer.plain(AlsConfig.defaults().withIterations(500)),
                data(parts[0]), ctx, null);
        assertTrue(reports.size() < 500);
        assertTrue(reports.get(0).figures().keySet().containsAll(List.of("loss", "train_rmse", "val_rmse")));
        assertEquals(reports, r.history());
    }

    /** Folding in a trained user from its own ratings reproduces its trained vector (items fixed, converged). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void foldInReproducesTrainedUser(boolean features) {
        AlsModel m;
        RatingMatrix rm;
        AlsConfig c = new AlsConfig(4, 1, 2, 1, 300, 0.1);
        if (features) {
            AlsData.GenreData g = AlsData.genres(4, 60, 40, 4, 0.4, new int[0]);
            rm = RatingMatrix.of(g.ratings());
            m = AlsTrainer.withFeatures(c).fit(new TrainingData(rm, RatingScale.UNBOUNDED, g.itemFeatures(), null),
                    TrainingContext.of(1, 2));
        } else {
            rm = RatingMatrix.of(AlsData.lowRank(4, 60, 40, 3, 0.4, 0.2));
            m = AlsTrainer.plain(c).fit(new TrainingData(rm, RatingScale.UNBOUNDED, null, null), TrainingContext.of(1, 2));
        }
        for (int u = 0; u < 60; u++) {
            int from = rm.userOffsets()[u];
            int to = rm.userOffsets()[u + 1];
            UserState s = m.foldIn(Arrays.copyOfRange(rm.userItems(), from, to), Arrays.copyOfRange(rm.userValues(), from, to));
            float[] fv = m.userVector(s);
            float[] tv = m.userVector(m.user(u));
            for (int f = 0; f < 4; f++) {
                assertEquals(tv[f], fv[f], 1e-4, "user " + u + " dim " + f);
            }
            assertEquals(m.userBiases()[u], ((org.varec.model.BiasedFactorModel.State) s).bias(), 1e-4);
            assertEquals(m.predict(u, 5), m.predict(s, 5), 1e-4);
        }
        // no usable ratings: the prior (zero vector, zero bias)
        UserState empty = m.foldIn(new int[] {-1, 1000}, new float[] {4, 4});
        assertEquals(m.globalMean() + m.itemBiases()[2], m.predict(empty, 2), 1e-9);
    }

    /** Row solves are independent: same seed gives bit-identical models for any thread count. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void identicalForSameSeedAndAnyThreadCount(int threads) {
        Interactions r = AlsData.lowRank(9, 700, 300, 3, 0.1, 0.3);
        AlsConfig c = AlsConfig.defaults().withIterations(4);
        AlsModel one = AlsTrainer.plain(c).fit(data(r), TrainingContext.of(17, 1));
        AlsModel many = AlsTrainer.plain(c).fit(data(r), TrainingContext.of(17, threads));
        assertArrayEquals(one.userFactors(), many.userFactors());
        assertArrayEquals(one.itemFactors(), many.itemFactors());
        assertArrayEquals(one.userBiases(), many.userBiases());
        assertArrayEquals(one.itemBiases(), many.itemBiases());
        AlsModel other = AlsTrainer.plain(c).fit(data(r), TrainingContext.of(18, threads));
        assertTrue(!Arrays.equals(one.userFactors(), other.userFactors()));
    }

    /** The bare sweeps of a run (benchmarks, bpmf's start) are exactly the epochs of fit. */
    @Test
    void bareSweepsMatchFit() {
        TrainingData d = data(AlsData.lowRank(6, 100, 80, 3, 0.2, 0.3));
        AlsTrainer t = AlsTrainer.plain(AlsConfig.defaults().withIterations(3));
        AlsModel fitted = t.fit(d, TrainingContext.of(4, 2));
        try (Parallel pool = new Parallel(1)) {
            AlsTrainer.Run run = t.start(d, 4, pool);
            for (int i = 0; i < 3; i++) {
                run.sweep();
            }
            assertArrayEquals(fitted.userFactors(), run.snapshot().userFactors());
            assertArrayEquals(fitted.itemFactors(), run.snapshot().itemFactors());
            assertArrayEquals(fitted.itemBiases(), run.snapshot().itemBiases());
        }
    }

    /**
     * Items held out entirely get their factor from their genres; for each, the users it ranks on
     * top prefer its genre.
     */
    @Test
    void coldStartItemsRankGenreConsistentUsersOnTop() {
        int genres = 4;
        int[] cold = {4, 9, 14, 23, 30, 42};
        int users = 200;
        AlsData.GenreData g = AlsData.genres(21, users, 60, genres, 0.2, cold);
        TrainingData d = new TrainingData(RatingMatrix.of(g.ratings()), RatingScale.UNBOUNDED, g.itemFeatures(), null);
        AlsModel m = AlsTrainer.withFeatures(new AlsConfig(genres, 1, 1, 1, 30, 0.1)).fit(d, TrainingContext.of(5, 2));
        assertEquals(genres, m.numGenres());
        for (int item : cold) {
            int[] feats = g.itemFeatures().rowFeatures(item);
            float[] v = m.coldStartItemVector(feats);
            // an item with no ratings carries its prior mean, i.e. the cold-start vector, and no bias
            float[] trained = Arrays.copyOfRange(m.itemFactors(), item * genres, item * genres + genres);
            assertArrayEquals(v, trained, 1e-5f);
            assertEquals(0, m.itemBiases()[item], 1e-6);
            Integer[] order = new Integer[users];
            double[] score = new double[users];
            for (int u = 0; u < users; u++) {
                order[u] = u;
                score[u] = m.predictColdStart(m.user(u), feats) - m.globalMean();
                assertEquals(m.predict(u, item), m.predictColdStart(m.user(u), feats), 1e-5);
            }
            Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            int consistent = 0;
            int top = 20;
            for (int t = 0; t < top; t++) {
                int pref = order[t] % genres;
                for (int f : feats) {
                    if (g.itemFeatures().featureName(f).equals("genre=G" + pref)) {
                        consistent++;
                        break;
                    }
                }
            }
            assertTrue(consistent >= 18, "item " + item + ": " + consistent + " of top " + top + " users prefer its genre");
        }
        // plain ALS has no genre vectors
        AlsModel plain = AlsTrainer.plain(AlsConfig.defaults().withIterations(2)).fit(d, TrainingContext.of(5, 1));
        assertThrows(IllegalStateException.class, () -> plain.coldStartItemVector(new int[] {0}));
    }

    @Test
    void featuresTrainerRefusesDataWithoutGenres() {
        TrainingData d = data(AlsData.lowRank(1, 10, 10, 2, 0.5, 0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AlsTrainer.withFeatures(AlsConfig.defaults()).fit(d, TrainingContext.defaults()));
        assertTrue(e.getMessage().contains("genre"), e.getMessage());
    }

    /** Save/load through the model file: identical predictions, fold-in and cold start. */
    @ParameterizedTest
    @ValueSource(strings = {"als", "als-features"})
    void modelFileRoundTrip(String name) throws Exception {
        AlsData.GenreData g = AlsData.genres(2, 40, 30, 3, 0.3, new int[] {5});
        Dataset ds = withGenres(g);
        Algorithm<?, ?> a = Algorithms.get(name);
        TrainedModel tm = Fitting.fit(a, a.parseConfig(Params.parse(List.of("rank=3", "iterations=5"))), ds,
                ds.ratings(), TrainingContext.of(9, 2));
        Path f = dir.resolve(name + ".varec");
        ModelFile.save(tm, f);
        TrainedModel back = ModelFile.load(f);
        AlsModel m1 = (AlsModel) tm.model();
        AlsModel m2 = (AlsModel) back.model();
        assertEquals(name, m2.algorithm());
        for (int u = -1; u <= 40; u++) {
            for (int i = -1; i <= 30; i++) {
                assertEquals(m1.predict(u, i), m2.predict(u, i), 0.0);
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
            assertEquals(m1.predict(s1, i), o1[i], 1e-9);
        }
        if (m1.hasGenreFactors()) {
            assertArrayEquals(m1.coldStartItemVector(new int[] {0, 2}), m2.coldStartItemVector(new int[] {0, 2}));
        }
    }

    static Dataset withGenres(AlsData.GenreData g) {
        Dataset plain = Synthetic.dataset("genres", g.ratings());
        return new Dataset(plain.name(), plain.format(), null, plain.users(), plain.items(), plain.ratings(),
                RatingScale.UNBOUNDED, g.itemFeatures(), null, null, ReadReport.empty());
    }

    @Test
    void configIsValidatedAndUnknownKeysRefused() {
        var algo = Algorithms.get("als");
        var e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("tau=-1"))));
        assertTrue(e.getMessage().contains("tau"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("rank=0"))));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("reg=1"))));
        assertTrue(e.getMessage().contains("gamma"), e.getMessage());
        assertEquals(AlsConfig.defaults(), algo.defaultConfig());
        assertEquals(AlsConfig.defaults(), algo.parseConfig(Params.of(AlsConfig.defaults().toMap())));
        assertEquals(AlsConfig.defaults(), Algorithms.get("als-features").defaultConfig());
    }
}
