package org.varec.model.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.testing.Synthetic;
import org.varec.train.EpochReport;
import org.varec.train.StopRule;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;

class BiasesTest {
    private static List<EpochReport> train(Interactions r, BiasesConfig c, int threads) {
        return Training.fit(new BiasesTrainer(c), TrainingData.of(r, RatingScale.UNBOUNDED), TrainingContext.of(1, threads),
                null).history();
    }

    /** Exact block minimisation: the objective never increases, whatever the data and penalties. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void objectiveNeverIncreases(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        var planted = Synthetic.biases(seed, 30 + rnd.nextInt(40), 20 + rnd.nextInt(40), 0.2, 0.5);
        BiasesConfig c = new BiasesConfig(25, rnd.nextDouble() * 20, rnd.nextDouble() * 20);
        List<EpochReport> h = train(planted.dataset().ratings(), c, 1 + rnd.nextInt(3));
        assertEquals(25, h.size());
        for (int e = 1; e < h.size(); e++) {
            assertTrue(h.get(e).figure("loss") <= h.get(e - 1).figure("loss") + 1e-12,
                    "loss rose at epoch " + (e + 1) + ": " + h.get(e - 1).figure("loss") + " -> " + h.get(e).figure("loss"));
        }
    }

    @Test
    void recoversPlantedBiases() {
        var planted = Synthetic.biases(7, 200, 150, 0.3, 0.1);
        Interactions all = planted.dataset().ratings();
        // hold out every 10th rating
        int n = all.size();
        int[] tr = java.util.stream.IntStream.range(0, n).filter(k -> k % 10 != 0).toArray();
        int[] te = java.util.stream.IntStream.range(0, n).filter(k -> k % 10 == 0).toArray();
        BiasesModel m = new BiasesTrainer(new BiasesConfig(30, 0.5, 0.5))
                .fit(TrainingData.of(all.select(tr), RatingScale.UNBOUNDED), TrainingContext.defaults());
        double rmse = RegressionMetrics.rmse(m, all.select(te), RatingScale.UNBOUNDED);
        assertTrue(rmse < 0.15, "held-out RMSE " + rmse);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void sameResultForAnyThreadCount(int threads) {
        var planted = Synthetic.biases(3, 300, 100, 0.1, 0.3);
        TrainingData d = TrainingData.of(planted.dataset().ratings(), RatingScale.UNBOUNDED);
        BiasesModel one = new BiasesTrainer(BiasesConfig.defaults()).fit(d, TrainingContext.of(1, 1));
        BiasesModel many = new BiasesTrainer(BiasesConfig.defaults()).fit(d, TrainingContext.of(1, threads));
        for (int u = 0; u < 300; u++) {
            assertEquals(one.userBias(u), many.userBias(u));
        }
    }

    /** Folding in a trained user from its own ratings gives its trained bias once training has converged. */
    @Test
    void foldInReproducesTrainedUser() {
        var planted = Synthetic.biases(5, 80, 60, 0.3, 0.3);
        RatingMatrix m = RatingMatrix.of(planted.dataset().ratings());
        BiasesModel model = new BiasesTrainer(new BiasesConfig(200, 5, 5))
                .fit(new TrainingData(m, RatingScale.UNBOUNDED, null, null), TrainingContext.defaults());
        for (int u = 0; u < 80; u++) {
            int from = m.userOffsets()[u];
            int to = m.userOffsets()[u + 1];
            int[] items = java.util.Arrays.copyOfRange(m.userItems(), from, to);
            float[] values = java.util.Arrays.copyOfRange(m.userValues(), from, to);
            var s = (BiasesModel.State) model.foldIn(items, values);
            assertEquals(model.userBias(u), s.bias(), 1e-4, "user " + u);
            assertEquals(model.predict(u, 3), model.predict(s, 3), 1e-4);
        }
        assertEquals(model.globalMean() + model.itemBias(2), model.predict(model.foldIn(new int[0], new float[0]), 2), 1e-12);
    }

    @Test
    void stopRuleEndsTrainingEarly() {
        var planted = Synthetic.biases(5, 50, 50, 0.3, 0.3);
        var reports = new java.util.ArrayList<EpochReport>();
        TrainingContext ctx = TrainingContext.of(1, 1).withStopRule(StopRule.relativeChange("loss", 1e-3))
                .withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        reports.add(report);
                    }
                });
        new BiasesTrainer(new BiasesConfig(1000, 5, 5)).fit(TrainingData.of(planted.dataset().ratings(), RatingScale.UNBOUNDED), ctx);
        assertTrue(reports.size() < 1000);
    }

    @Test
    void configIsValidatedAndUnknownKeysRefused() {
        var algo = Algorithms.get("biases");
        var e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("reg_user=-1"))));
        assertTrue(e.getMessage().contains("reg_user"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("regularization=1"))));
        assertTrue(e.getMessage().contains("regularization") && e.getMessage().contains("reg_item"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> algo.parseConfig(Params.parse(List.of("iterations=ten"))));
        assertTrue(e.getMessage().contains("iterations"), e.getMessage());
        assertEquals(BiasesConfig.defaults(), algo.defaultConfig());
        assertEquals(BiasesConfig.defaults(), algo.parseConfig(Params.of(BiasesConfig.defaults().toMap())));
        assertFalse(Algorithms.names().isEmpty());
    }
}
