package org.varec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutput;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingScale;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.model.baseline.BiasesModel;
import org.varec.testing.Synthetic;

class EvaluatorTest {
    /** Predicts N(mu_u, sd^2) for user u: a calibrated model when the data come from it. */
    private record GaussianModel(double[] mean, double sd, int items) implements ProbabilisticModel {
        @Override
        public Predictive predictive(int user, int item) {
            return new Predictive(mean[user], sd * sd);
        }

        @Override
        public Predictive predictive(UserState user, int item) {
            return predictive(user.user(), item);
        }

        @Override
        public String algorithm() {
            return "gaussian";
        }

        @Override
        public int numUsers() {
            return mean.length;
        }

        @Override
        public int numItems() {
            return items;
        }

        @Override
        public double predict(int user, int item) {
            return mean[user];
        }

        @Override
        public UserState user(int user) {
            return () -> user;
        }

        @Override
        public UserState foldIn(int[] items, float[] ratings) {
            return () -> -1;
        }

        @Override
        public double predict(UserState user, int item) {
            return mean[user.user()];
        }

        @Override
        public void writeParameters(DataOutput out) {
        }
    }

    /** Data simulated from the model's own predictive distribution: coverage near nominal, NLPD near the entropy. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void calibratedModelCoversNominally(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int users = 200;
        int items = 100;
        double sd = 0.7;
        double[] mean = new double[users];
        InteractionsBuilder b = new InteractionsBuilder();
        for (int u = 0; u < users; u++) {
            mean[u] = 3 + rnd.nextDouble();
            for (int i = 0; i < items; i++) {
                b.add(u, i, (float) (mean[u] + sd * org.varec.stats.Normal.boxMuller(rnd)));
            }
        }
        Interactions test = b.build(users, items, DuplicatePolicy.LAST).interactions();
        Map<String, Double> m = Evaluator.evaluate(new GaussianModel(mean, sd, items), test, null,
                RatingScale.UNBOUNDED, EvalOptions.defaults(), 1);
        assertEquals(0.50, m.get("coverage_50"), 0.015);
        assertEquals(0.90, m.get("coverage_90"), 0.01);
        assertEquals(0.95, m.get("coverage_95"), 0.01);
        assertEquals(0.5 * Math.log(2 * Math.PI * Math.E * sd * sd), m.get("nlpd"), 0.02);
        assertEquals(sd, m.get("rmse"), 0.02);
    }

    @Test
    void pointModelsGetNoProbabilisticMetricsAndOptionalOnesOnRequest() {
        BiasesModel model = new BiasesModel(3, new float[] {0.5f, -0.5f}, new float[] {1f, 0f, -1f, 0.2f}, 1);
        Interactions train = new Interactions(2, 4, new int[] {0, 1}, new int[] {3, 3}, new float[] {4, 3}, true);
        Interactions test = new Interactions(2, 4, new int[] {0, 0, 1, 1}, new int[] {0, 2, 0, 1},
                new float[] {5, 2, 4, 1}, true);
        Map<String, Double> m = Evaluator.evaluate(model, test, train, RatingScale.STARS_1_5,
                new EvalOptions(List.of(1, 2), 3, 4.0, true), 2);
        assertFalse(m.containsKey("nlpd"));
        // predictions: (0,0)=4.5 (0,2)=2.5 (1,0)=3.5 (1,1)=2.5
        assertEquals(Math.sqrt((0.25 + 0.25 + 0.25 + 2.25) / 4), m.get("rmse"), 1e-6);
        // labels 1,0,1,0; positive when prediction > 3.5: only 4.5, so (1,0) at exactly 3.5 is a miss
        assertEquals(0.75, m.get("acc"), 1e-12);
        assertTrue(m.containsKey("auc") && m.containsKey("map"));
        // user 0 relevant {0}; user 1 relevant {0}; item 3 excluded; both rank item 0 first
        assertEquals(1.0, m.get("recall@1"), 1e-12);
        assertEquals(1.0, m.get("ndcg@2"), 1e-12);
        assertEquals(0.5, m.get("precision@2"), 1e-12);
    }

    @Test
    void testCandidatesRankEachUsersOwnTestItemsByUnclampedPrediction() {
        // predictions: (0,0)=4.5 (0,2)=2.5 (1,0)=3.5 (1,1)=2.5 (0,1)=3.5
        BiasesModel model = new BiasesModel(3, new float[] {0.5f, -0.5f}, new float[] {1f, 0f, -1f, 0.2f}, 1);
        Interactions train = new Interactions(2, 4, new int[] {0, 1}, new int[] {3, 3}, new float[] {4, 3}, true);
        Interactions test = new Interactions(2, 4, new int[] {0, 0, 0, 1}, new int[] {0, 1, 2, 0},
                new float[] {2, 5, 4, 5}, true);
        EvalOptions options = new EvalOptions(List.of(1, 2), 3, null, true)
                .withRanking(EvalOptions.Candidates.TEST, 2);
        Map<String, Double> m = Evaluator.evaluate(model, test, train, RatingScale.STARS_1_5, options, 1);
        // user 0 ranks 0 (not relevant), 1 (relevant), 2 (relevant); user 1 has one test rating: left out
        assertEquals(0.0, m.get("ndcg@1"), 1e-12);
        assertEquals(0.5, m.get("recall@2"), 1e-12);
        double log2of3 = Math.log(3) / Math.log(2);
        assertEquals((1 / log2of3) / (1 + 1 / log2of3), m.get("ndcg@2"), 1e-12);
        assertEquals("test", options.ranking().candidates());
        assertEquals(2, options.ranking().minTest());
        assertEquals(null, new EvalOptions(List.of(1), 3, null, true).ranking().minTest());
    }

    /**
     * Held-out users: predictions come from the state folded in from their fold-in ratings, and
     * ranked lists leave those items out (item 0, the best item, is in the fold-in part: with it
     * left out, item 1 is the top of the list).
     */
    @Test
    void heldOutUsersAreFoldedInAndTheirFoldInItemsLeftOutOfRankings() {
        int users = 30;
        int items = 6;
        float[] itemMean = {5, 4.6f, 1, 2, 2, 2};
        org.varec.data.InteractionsBuilder b = new org.varec.data.InteractionsBuilder();
        for (int u = 0; u < users - 1; u++) {
            for (int i = 0; i < items; i++) {
                b.add(u, i, itemMean[i] - (u % 3 == 0 ? 0.4f : 0));
            }
        }
        Interactions train = b.build(users, items, org.varec.data.DuplicatePolicy.LAST).interactions();
        int held = users - 1;
        Interactions foldIn = new Interactions(users, items, new int[] {held, held}, new int[] {0, 2},
                new float[] {5, 1}, true);
        Interactions test = new Interactions(users, items, new int[] {held}, new int[] {1}, new float[] {5}, true);
        org.varec.model.RatingModel model = org.varec.model.Algorithms.get("biases").fit(
                org.varec.model.Algorithms.get("biases").parseConfig(org.varec.model.Params.parse(java.util.List.of())),
                new org.varec.train.TrainingData(org.varec.data.RatingMatrix.of(train), RatingScale.STARS_1_5, null, null),
                org.varec.train.TrainingContext.of(1, 1)).model();
        EvalOptions options = new EvalOptions(java.util.List.of(1), 3, null, true);
        Map<String, Double> m = Evaluator.evaluate(model, test, train, foldIn, RatingScale.STARS_1_5, options, 1);
        double expected = RatingScale.STARS_1_5.clamp(model.predict(model.foldIn(new int[] {0, 2}, new float[] {5, 1}), 1));
        assertEquals(Math.abs(5 - expected), m.get("rmse"), 1e-12);
        assertEquals(1.0, m.get("precision@1"), 1e-12, "item 1 tops the list once the fold-in items are left out");
        Map<String, Double> trainedOnly = Evaluator.evaluate(model, test, train, RatingScale.STARS_1_5, options, 1);
        assertEquals(0.0, trainedOnly.get("precision@1"), 1e-12, "without the fold-in part, item 0 would top the list");
    }
}
