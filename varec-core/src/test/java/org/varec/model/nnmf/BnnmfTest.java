package org.varec.model.nnmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varec.data.FeatureTable;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Params;
import org.varec.model.ParamSpec;
import org.varec.nn.ParamArray;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

class BnnmfTest {
    static BnnmfConfig config(String... sets) {
        return ParamSpec.of(BnnmfConfig.class).parse(Params.parse(List.of(sets)), false);
    }

    /** Planted ratings with item genres (item i has genre i % 3 and, for even i, genre 3). */
    static TrainingData planted(long seed, int users, int items, double density) {
        PlantedFactors p = PlantedFactors.generate(seed, users, items, 2, 1.0, density, 0.3);
        FeatureTable.Builder b = new FeatureTable.Builder(items);
        for (int i = 0; i < items; i++) {
            b.add(i, "genre", "G" + (i % 3));
            if (i % 2 == 0) {
                b.add(i, "genre", "even");
            }
        }
        return new TrainingData(RatingMatrix.of(p.train()), RatingScale.UNBOUNDED, b.build(), null);
    }

    /**
     * The gradient each step uses against central finite differences of its objective, with the
     * noise of the step fixed: the network step w.r.t. every mean and rho of theta and log sigma^2,
     * the embedding step w.r.t. every mean and rho of U, V, U', V' (full batch and a minibatch).
     */
    @ParameterizedTest
    @CsvSource({"'',none,0", "'4,3',none,0", "'3',item,0", "'4,3',item,7"})
    void stepGradientsMatchFiniteDifferences(String hidden, String side, int batch) {
        BnnmfConfig c = config("rank=2", "products=3", "product_rank=2", "hidden=" + hidden, "side=" + side,
                "init_stdev=0.5", "init_posterior_sd=0.3", "batch_size=" + batch);
        TrainingData data = planted(3, 6, 5, 0.6);
        try (Parallel pool = new Parallel(2)) {
            BnnmfTrainer.Run run = new BnnmfTrainer(c).start(data, 5, pool);
            // move q off its symmetric start, with unit-scale gradients
            run.epoch(1, org.varec.train.EpochReport.builder(1));
            int size = batch == 0 ? run.size() : batch;
            run.loadBatch(0, size);
            check(run.networkArrays(), () -> run.networkPass(11, size)[2]);
            check(run.embeddingArrays(), () -> run.embeddingPass(12, size, true));
        }
    }

    private static void check(List<ParamArray> arrays, java.util.function.DoubleSupplier objective) {
        for (ParamArray a : arrays) {
            a.zeroGrad();
        }
        objective.getAsDouble();
        List<float[]> analytic = new ArrayList<>();
        for (ParamArray a : arrays) {
            analytic.add(a.grad().clone());
        }
        double h = 1e-2;
        int checked = 0;
        for (int k = 0; k < arrays.size(); k++) {
            ParamArray a = arrays.get(k);
            float[] x = a.value();
            for (int e = 0; e < x.length; e++) {
                float x0 = x[e];
                x[e] = (float) (x0 + h);
                double hi = objective.getAsDouble();
                x[e] = (float) (x0 - h);
                double lo = objective.getAsDouble();
                x[e] = x0;
                double fd = (hi - lo) / ((double) (float) (x0 + h) - (float) (x0 - h));
                double an = analytic.get(k)[e];
                assertEquals(fd, an, 2e-2 * Math.max(1, Math.abs(fd)), a.name() + "[" + e + "]");
                checked++;
            }
        }
        for (ParamArray a : arrays) {
            a.zeroGrad();
        }
        assertTrue(checked > 10);
    }
}
