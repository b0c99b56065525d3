package org.varec.model.svd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.UserState;
import org.varec.model.baseline.BiasesConfig;
import org.varec.model.baseline.BiasesTrainer;
import org.varec.testing.PlantedFactors;
import org.varec.testing.Synthetic;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;

class SvdTest {
    /** A fully observed users x items matrix of rank {@code rank} plus N(0, noise^2), as ratings. */
    private static double[][] denseLowRank(long seed, int users, int items, int rank, double noise) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] a = new double[users][rank];
        double[][] b = new double[items][rank];
        for (double[] row : a) {
            for (int f = 0; f < rank; f++) {
                row[f] = org.varec.stats.Normal.boxMuller(rnd) * (1 + f); // distinct scales: a clear spectrum
            }
        }
        for (double[] row : b) {
            for (int f = 0; f < rank; f++) {
                row[f] = org.varec.stats.Normal.boxMuller(rnd);
            }
        }
        double[][] r = new double[users][items];
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                double s = 3;
                for (int f = 0; f < rank; f++) {
                    s += a[u][f] * b[i][f];
                }
                r[u][i] = (float) (s + noise * org.varec.stats.Normal.boxMuller(rnd)); // as stored
            }
        }
        return r;
    }

    private static Interactions toInteractions(double[][] r) {
        InteractionsBuilder bld = new InteractionsBuilder();
        for (int u = 0; u < r.length; u++) {
            for (int i = 0; i < r[u].length; i++) {
                bld.add(u, i, (float) r[u][i]);
            }
        }
        return bld.build(r.length, r[0].length, DuplicatePolicy.ERROR).interactions();
    }

    /** EJML's dense SVD of {@code r - mean(r)}: singular values descending, and the rank-k reconstruction. */
    private static double[] denseSingularValues(double[][] r, double mu) {
        DMatrixRMaj a = new DMatrixRMaj(r.length, r[0].length);
        for (int u = 0; u < r.length; u++) {
            for (int i = 0; i < r[0].length; i++) {
                a.set(u, i, r[u][i] - mu);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        assertTrue(svd.decompose(a));
        double[] s = svd.getSingularValues().clone();
        Arrays.sort(s);
        double[] desc = new double[s.length];
        for (int t = 0; t < s.length; t++) {
            desc[t] = s[s.length - 1 - t];
        }
        return desc;
    }

    /** On a fully observed matrix the randomized SVD finds the exact top singular values. */
    @ParameterizedTest
    @CsvSource({"1, 60, 40, 6, 6, 1", "2, 80, 50, 8, 5, 2", "3, 45, 70, 5, 3, 3", "4, 100, 30, 10, 10, 2"})
    void matchesDenseSvdOnFullyObservedLowRankMatrix(long seed, int users, int items, int plantedRank, int rank,
                                                      int threads) {
        double[][] r = denseLowRank(seed, users, items, plantedRank, 0.01);
        Interactions all = toInteractions(r);
        RatingMatrix m = RatingMatrix.of(all);
        SvdModel model = new SvdTrainer(new SvdConfig(rank, 10, 4, SvdConfig.Center.MEAN, 5))
                .fit(new TrainingData(m, RatingScale.UNBOUNDED, null, null), TrainingContext.of(seed, threads));
        double[] expected = denseSingularValues(r, m.mean());
        double[] got = model.singularValues();
        for (int f = 0; f < rank; f++) {
            assertEquals(expected[f], got[f], 1e-6 * expected[f], "singular value " + f);
        }
        // p_u . q_i is the best rank-k approximation: its error is the tail of the spectrum
        double sse = 0;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                double e = r[u][i] - model.predict(u, i);
                sse += e * e;
            }
        }
        double tail = 0;
        for (int f = rank; f < expected.length; f++) {
            tail += expected[f] * expected[f];
        }
        assertEquals(Math.sqrt(tail), Math.sqrt(sse), 1e-4 * expected[0] + 1e-3 * Math.sqrt(tail));
    }

    /** On sparse planted data the SVD of the centred matrix beats the biases baseline. */
    @ParameterizedTest
    @EnumSource(SvdConfig.Center.class)
    void beatsBiasesOnSparsePlantedMatrix(SvdConfig.Center center) {
        PlantedFactors pf = PlantedFactors.generate(21, 400, 300, 4, 1.0, 0.5, 0.3);
        TrainingData d = TrainingData.of(pf.train(), RatingScale.UNBOUNDED);
        SvdModel svd = new SvdTrainer(new SvdConfig(8, 10, 4, center, 5)).fit(d, TrainingContext.of(1, 2));
        double rmse = RegressionMetrics.rmse(svd, pf.test(), RatingScale.UNBOUNDED);
        double biases = RegressionMetrics.rmse(new BiasesTrainer(BiasesConfig.defaults()).fit(d, TrainingContext.defaults()),
                pf.test(), RatingScale.UNBOUNDED);
        assertTrue(rmse < biases - 0.05, center + ": svd " + rmse + " vs biases " + biases);
    }

    /** Sparse products are partitioned by rows, so the thread count does not change the model. */
    @Test
    void sameModelForAnyThreadCount() {
        PlantedFactors pf = PlantedFactors.generate(8, 300, 200, 3, 1.0, 0.2, 0.3);
        TrainingData d = TrainingData.of(pf.train(), RatingScale.UNBOUNDED);
        SvdModel one = new SvdTrainer(SvdConfig.defaults()).fit(d, TrainingContext.of(5, 1));
        for (int threads : new int[] {2, 3}) {
            SvdModel many = new SvdTrainer(SvdConfig.defaults()).fit(d, TrainingContext.of(5, threads));
            assertArrayEquals(one.userFactors(), many.userFactors());
            assertArrayEquals(one.itemFactors(), many.itemFactors());
        }
    }

    /** Folding in a trained user's ratings computes exactly how trained users were projected. */
    @ParameterizedTest
    @EnumSource(SvdConfig.Center.class)
    void foldInReproducesTrainedUsers(SvdConfig.Center center) {
        PlantedFactors pf = PlantedFactors.generate(9, 150, 120, 3, 1.0, 0.3, 0.3);
        RatingMatrix rm = RatingMatrix.of(pf.train());
        SvdModel model = new SvdTrainer(new SvdConfig(10, 10, 3, center, 5))
                .fit(new TrainingData(rm, RatingScale.UNBOUNDED, null, null), TrainingContext.of(4, 1));
        for (int u = 0; u < rm.numUsers(); u += 5) {
            int from = rm.userOffsets()[u];
            int to = rm.userOffsets()[u + 1];
            UserState s = model.foldIn(Arrays.copyOfRange(rm.userItems(), from, to), Arrays.copyOfRange(rm.userValues(), from, to));
            float[] trained = model.userVector(model.user(u));
            float[] folded = model.userVector(s);
            for (int f = 0; f < model.rank(); f++) {
                assertEquals(trained[f], folded[f], 1e-4 * (1 + Math.abs(trained[f])), "user " + u + " factor " + f);
            }
            if (center == SvdConfig.Center.MEAN) {
                for (int i = 0; i < model.numItems(); i += 11) {
                    assertEquals(model.predict(u, i), model.predict(s, i), 1e-4);
                }
            }
        }
        UserState empty = model.foldIn(new int[0], new float[0]);
        double expected = model.globalMean() + (model.itemBiases() == null ? 0 : model.itemBiases()[3]);
        assertEquals(expected, model.predict(empty, 3), 1e-9);
        if (center == SvdConfig.Center.MEAN) {
            assertNull(model.itemBiases());
        }
    }

    /** A rank above min(users, items) keeps the model's rank and pads with zero components. */
    @Test
    void rankAboveMatrixSizeIsPadded() {
        PlantedFactors pf = PlantedFactors.generate(2, 12, 9, 2, 1.0, 0.8, 0.1);
        List<EpochReport> h = new ArrayList<>();
        SvdModel model = new SvdTrainer(new SvdConfig(20, 10, 2, SvdConfig.Center.MEAN, 5)).fit(
                TrainingData.of(pf.train(), RatingScale.UNBOUNDED), TrainingContext.of(1, 1).withValidation(pf.test())
                        .withListener(new TrainingListener() {
                            @Override
                            public void onEpoch(EpochReport report) {
                                h.add(report);
                            }
                        }));
        assertEquals(20, model.rank());
        assertEquals(0.0, model.singularValues()[19]);
        assertEquals(1, h.size());
        assertTrue(h.get(0).figure("energy") > 0.999, h.toString());
        assertTrue(h.get(0).figure("train_rmse") < 1e-3, h.toString());
        assertTrue(Double.isFinite(h.get(0).figure("val_rmse")));
    }

    @ParameterizedTest
    @EnumSource(SvdConfig.Center.class)
    void parametersRoundTripExactly(SvdConfig.Center center) throws IOException {
        PlantedFactors pf = PlantedFactors.generate(4, 60, 50, 2, 1.0, 0.3, 0.3);
        SvdConfig c = new SvdConfig(7, 5, 2, center, 3);
        SvdModel m = new SvdTrainer(c).fit(TrainingData.of(pf.train(), RatingScale.UNBOUNDED), TrainingContext.of(1, 2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeParameters(new DataOutputStream(bytes));
        SvdModel back = SvdModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), c);
        assertArrayEquals(m.userFactors(), back.userFactors());
        assertArrayEquals(m.itemFactors(), back.itemFactors());
        assertArrayEquals(m.singularValues(), back.singularValues());
        for (int u = -1; u <= m.numUsers(); u++) {
            for (int i = -1; i <= m.numItems(); i++) {
                assertEquals(m.predict(u, i), back.predict(u, i), 0.0);
            }
        }
        UserState a = m.foldIn(new int[] {1, 2, 3}, new float[] {5, 1, 4});
        UserState b = back.foldIn(new int[] {1, 2, 3}, new float[] {5, 1, 4});
        double[] sa = new double[m.numItems()];
        double[] sb = new double[m.numItems()];
        m.scoreAll(a, sa);
        back.scoreAll(b, sb);
        assertArrayEquals(sa, sb, 0.0);
    }

    @Test
    void configIsValidatedAndRegistered() {
        var algo = Algorithms.get("svd");
        for (String bad : List.of("rank=0", "oversample=-1", "power_iters=-1", "center=median", "reg_bias=-1")) {
            String name = bad.substring(0, bad.indexOf('='));
            var e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of(bad))));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertEquals(SvdConfig.defaults(), algo.defaultConfig());
        assertEquals(SvdConfig.defaults(), algo.parseConfig(Params.of(SvdConfig.defaults().toMap())));
        assertEquals(SvdConfig.Center.BIASES, ((SvdConfig) algo.parseConfig(Params.parse(List.of("center=BIASES")))).center());
        // model files keep writing and reading the centring in lower case
        assertEquals("biases", SvdConfig.defaults().toMap().get("center"));
        assertEquals(SvdConfig.Center.MEAN, ((SvdConfig) algo.storedConfig(java.util.Map.of("center", "mean"))).center());
    }
}
