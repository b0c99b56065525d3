package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.varec.data.FeatureTable;
import org.varec.data.FmLayout;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.data.SparseDesign;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.ProbabilisticModel;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

/**
 * The one FM design pipeline: ratings become a design matrix through {@link FmLayout} once, and
 * every FM algorithm trains the same way on it as on a design matrix given as it is (libFM files),
 * the rating model being the layout's rows plus the design run's predictor.
 */
class FmDesignPathTest {
    private static final PlantedFactors PF = FmTestSupport.planted(11);

    private static FeatureTable genres(int items) {
        FeatureTable.Builder b = new FeatureTable.Builder(items);
        for (int i = 0; i < items; i++) {
            b.add(i, "genre", "g" + (i % 4));
            if (i % 5 == 0) {
                b.add(i, "genre", "g4");
            }
        }
        return b.build();
    }

    /** With item genres (the walk through {@code row}) and ids only (its own loop): the same arrays. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void designOfTheRatingMatrixIsItsRowsInUserOrder(boolean genres) {
        RatingMatrix m = RatingMatrix.of(PF.train());
        FmLayout layout = genres ? FmModel.layout(m.numUsers(), m.numItems(), null, genres(m.numItems()))
                : FmLayout.idsOnly(m.numUsers(), m.numItems());
        int[] users = new int[m.nnz()];
        for (int u = 0; u < m.numUsers(); u++) {
            java.util.Arrays.fill(users, m.userOffsets()[u], m.userOffsets()[u + 1], u);
        }
        SparseDesign viaTriples = layout.design(new Interactions(m.numUsers(), m.numItems(), users, m.userItems(),
                m.userValues(), true));
        SparseDesign direct = layout.design(m);
        assertArrayEquals(viaTriples.targets(), direct.targets());
        assertArrayEquals(viaTriples.offsets(), direct.offsets());
        assertArrayEquals(viaTriples.features(), direct.features());
        assertArrayEquals(viaTriples.values(), direct.values());
        assertArrayEquals(viaTriples.featureGroups(), direct.featureGroups());
        assertEquals(layout.numFeatures(), direct.numFeatures());
    }

    /** Each algorithm's rating model predicts exactly as its predictor trained on the design of the same ratings. */
    @ParameterizedTest
    @ValueSource(strings = {"fm-sgd", "fm-als", "fm-mcmc", "vfm", "vbfm", "ovbfm"})
    void trainsOnTheDesignOfRatingsAsOnTheRatings(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        AlgorithmConfig c = a.parseConfig(Params.parse(List.of("rank=2", "side=item",
                (name.equals("vfm") || name.equals("ovbfm") ? "epochs=3" : "iterations=6"))));
        RatingMatrix m = RatingMatrix.of(PF.train());
        FeatureTable items = genres(m.numItems());
        TrainingData data = new TrainingData(m, RatingScale.UNBOUNDED, items, null);
        ProbabilisticModel model = (ProbabilisticModel) a.fit(c, data, TrainingContext.of(4, 2)).model();
        FmLayout layout = FmModel.layout(m.numUsers(), m.numItems(), null, items);
        FmPredictor p = FmTestSupport.fitDesign(a.designTrainer(c), layout.design(m), 4, 2);
        assertEquals(name.startsWith("fm-") ? FmSamples.class : VfmPosterior.class, p.getClass());
        assertEquals(layout.numFeatures(), p.numFeatures());
        int[] idx = new int[layout.maxRowLength()];
        float[] val = new float[layout.maxRowLength()];
        for (int u = 0; u < m.numUsers(); u += 3) {
            for (int i = 0; i < m.numItems(); i += 2) {
                int n = layout.row(u, i, idx, val);
                assertEquals(model.predictive(u, i), p.predictive(idx, val, n), name + " (" + u + ", " + i + ")");
            }
        }
    }

    /** The libFM path's test metrics, computed in row blocks on a pool, do not depend on its thread count. */
    @ParameterizedTest
    @ValueSource(strings = {"fm-mcmc", "vfm"})
    void designMetricsDoNotDependOnThreads(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        AlgorithmConfig c = a.parseConfig(Params.parse(List.of("rank=2", name.equals("vfm") ? "epochs=2" : "iterations=6")));
        FmLayout layout = FmLayout.idsOnly(RatingMatrix.of(PF.train()).numUsers(), RatingMatrix.of(PF.train()).numItems());
        FmPredictor p = FmTestSupport.fitDesign(a.designTrainer(c), layout.design(RatingMatrix.of(PF.train())), 1, 1);
        SparseDesign base = layout.design(RatingMatrix.of(PF.train()));
        SparseDesign test = repeat(base, 3); // more rows than one block of 4096
        assertEquals(true, test.numRows() > 4096, "rows " + test.numRows());
        java.util.Map<String, Double> one;
        java.util.Map<String, Double> two;
        try (org.varec.util.Parallel p1 = new org.varec.util.Parallel(1);
             org.varec.util.Parallel p2 = new org.varec.util.Parallel(2)) {
            one = org.varec.eval.DesignEvaluator.evaluate(p, test, false, 1, 5, p1);
            two = org.varec.eval.DesignEvaluator.evaluate(p, test, false, 1, 5, p2);
        }
        assertEquals(one, two);
        assertEquals(java.util.Set.of("rmse", "mae", "nlpd"), java.util.Set.copyOf(one.keySet()).stream()
                .filter(k -> !k.startsWith("coverage")).collect(java.util.stream.Collectors.toSet()));
    }

    private static SparseDesign repeat(SparseDesign d, int times) {
        int n = d.numRows();
        int nnz = d.offsets()[n];
        float[] t = new float[n * times];
        int[] off = new int[n * times + 1];
        int[] f = new int[nnz * times];
        float[] v = new float[nnz * times];
        for (int c = 0; c < times; c++) {
            System.arraycopy(d.targets(), 0, t, c * n, n);
            System.arraycopy(d.features(), 0, f, c * nnz, nnz);
            System.arraycopy(d.values(), 0, v, c * nnz, nnz);
            for (int r = 0; r < n; r++) {
                off[c * n + r + 1] = c * nnz + d.offsets()[r + 1];
            }
        }
        return new SparseDesign(t, off, f, v, d.numFeatures(), d.featureGroups());
    }

    /** A libFM test file may hold features the training file never had: they are left out. */
    @ParameterizedTest
    @ValueSource(strings = {"fm-sgd", "fm-mcmc", "vfm", "vbfm"})
    void featuresBeyondTheTrainedRangeAreIgnored(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        AlgorithmConfig c = a.parseConfig(Params.parse(name.equals("vfm") ? List.of("rank=2", "epochs=2")
                : name.equals("fm-mcmc") ? List.of("rank=2", "iterations=6", "burn_in=2") : List.of("rank=2", "iterations=3")));
        RatingMatrix m = RatingMatrix.of(PF.train());
        FmLayout layout = FmLayout.idsOnly(m.numUsers(), m.numItems());
        FmPredictor p = FmTestSupport.fitDesign(a.designTrainer(c), layout.design(m), 1, 1);
        int[] idx = {3, layout.itemFeature(5), p.numFeatures() + 7, -1};
        float[] val = {1, 1, 1, 1};
        assertEquals(p.predictive(idx, val, 2), p.predictive(idx, val, 4), name);
        assertEquals(p.predict(idx, val, 2), p.predict(idx, val, 4), name);
    }

    @Test
    void classificationOnADesignNeedsZeroOneTargets() {
        RatingMatrix m = RatingMatrix.of(PF.train());
        SparseDesign ratings = FmLayout.idsOnly(m.numUsers(), m.numItems()).design(m);
        for (String name : new String[] {"fm-sgd", "fm-mcmc", "vfm"}) {
            Algorithm<?, ?> a = Algorithms.get(name);
            AlgorithmConfig c = a.parseConfig(Params.parse(List.of("task=classification")));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FmTestSupport.fitDesign(a.designTrainer(c), ratings, 1, 1), name);
            assertEquals(true, e.getMessage().contains("targets 0 or 1"), e.getMessage());
        }
    }

    /** Asking for side information the data does not have is an error, in all six algorithms alike. */
    @ParameterizedTest
    @ValueSource(strings = {"fm-sgd", "fm-als", "fm-mcmc", "vfm", "vbfm", "ovbfm"})
    void missingSideInformationIsAnError(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        AlgorithmConfig c = a.parseConfig(Params.parse(List.of("side=user")));
        TrainingData data = FmTestSupport.data(PF.train());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.fit(c, data, TrainingContext.of(1, 1)));
        assertEquals(true, e.getMessage().contains("side=user needs user features"), e.getMessage());
    }
}
