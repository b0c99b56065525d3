package org.varec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varec.data.Dataset;
import org.varec.data.FeatureTable;
import org.varec.data.RatingMatrix;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import org.varec.metrics.RegressionMetrics;
import org.varec.testing.Synthetic;
import org.varec.train.EpochReport;
import org.varec.train.Selection;
import org.varec.train.StopRule;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;
import org.varec.train.TrainingResult;

/**
 * What every registered algorithm promises, checked for all of them on small planted data: the
 * same seed and threads give the same model; the loop's epoch-report stream (start, numbered
 * epochs, end) is the history; a stop rule ends the run at the asked epoch; restoring the best
 * epoch returns the model whose validation figure is the best in the history; a copy through the
 * model's own parameter format predicts identically; a new user folds in without retraining;
 * parameters are declared once and round-trip through their map.
 */
class AlgorithmContractTest {
    static Stream<String> algorithms() {
        return Algorithms.names().stream();
    }

    private static final Dataset DATA = withGenres(Synthetic.biases(5, 60, 40, 0.3, 0.3).dataset());
    private static final Split SPLIT = split();

    private static Split split() {
        try {
            return Protocols.parse("holdout:0.8").splits(DATA, 3).get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Dataset withGenres(Dataset d) {
        FeatureTable.Builder b = new FeatureTable.Builder(d.numItems());
        for (int i = 0; i < d.numItems(); i++) {
            b.add(i, "genre", "G" + (i % 3));
        }
        return new Dataset(d.name(), d.format(), d.source(), d.users(), d.items(), d.ratings(), d.scale(), b.build(),
                d.userFeatures(), d.itemTitles(), d.report());
    }

    /** Network-only algorithms (block models) get a planted network instead of ratings. */
    private static final Dataset NETWORK = org.varec.testing.PlantedNetwork.draw(5, 60, 3, 0.3, 0.05).dataset();
    private static final Split NETWORK_SPLIT = networkSplit();

    private static Split networkSplit() {
        try {
            return Protocols.parse("holdout:0.8").splits(NETWORK, 3).get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Dataset data(Algorithm<?, ?> a) {
        return a.networksOnly() ? NETWORK : DATA;
    }

    private static Split split(Algorithm<?, ?> a) {
        return a.networksOnly() ? NETWORK_SPLIT : SPLIT;
    }

    private static TrainingData train(Algorithm<?, ?> a) {
        if (a.networksOnly()) {
            return new TrainingData(RatingMatrix.of(org.varec.data.Networks.mirror(NETWORK_SPLIT.train())),
                    NETWORK.scale(), null, null);
        }
        return new TrainingData(RatingMatrix.of(SPLIT.train()), DATA.scale(), DATA.itemFeatures(), DATA.userFeatures());
    }

    /** Fold-in values: ratings, or 0/1 links for a network. */
    private static float[] foldInValues(Algorithm<?, ?> a) {
        return a.networksOnly() ? new float[] {1, 0, 1} : new float[] {5, 1, 4};
    }

    /** A config small enough to run in well under a second, with at least 4 epochs where the algorithm has epochs. */
    private static AlgorithmConfig small(Algorithm<?, ?> a) {
        Map<String, Object> m = a.defaultConfig().toMap();
        List<String> set = new ArrayList<>();
        for (String k : List.of("iterations", "epochs", "samples")) {
            if (m.containsKey(k)) {
                set.add(k + "=" + (a.name().equals("bpmf") ? 20 : 8));
            }
        }
        if (a.name().equals("bpmf")) {
            set.add("burn_in=2");
        }
        if (m.containsKey("burn_in") && !a.name().equals("bpmf")) {
            set.add("burn_in=2");
        }
        if (m.containsKey("rank")) {
            set.add("rank=3");
        }
        return a.parseConfig(Params.parse(set));
    }

    private static double[] predictions(RatingModel m) {
        double[] p = new double[60 * 40];
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 40; i++) {
                p[u * 40 + i] = m.predict(u, i);
            }
        }
        return p;
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void sameSeedAndThreadsGiveTheSameModel(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        AlgorithmConfig c = small(a);
        for (int threads : new int[] {1, 2}) {
            double[] one = predictions(a.fit(c, train(a), TrainingContext.of(11, threads)).model());
            double[] two = predictions(a.fit(c, train(a), TrainingContext.of(11, threads)).model());
            assertEquals(0, java.util.Arrays.compare(one, two), name + " differs between runs at " + threads + " threads");
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void epochReportStreamIsTheHistory(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        List<String> events = new ArrayList<>();
        List<EpochReport> heard = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(2, 2).withValidation(split(a).test()).withListener(new TrainingListener() {
            @Override
            public void onStart(String algorithm, int plannedEpochs) {
                events.add("start " + algorithm);
            }

            @Override
            public void onEpoch(EpochReport report) {
                heard.add(report);
            }

            @Override
            public void onEnd(int epochs, boolean stoppedEarly) {
                events.add("end " + epochs + " " + stoppedEarly);
            }
        });
        TrainingResult<?> r = a.fit(small(a), train(a), ctx);
        assertEquals(List.of("start " + name, "end " + r.epochs() + " false"), events);
        assertEquals(heard, r.history());
        assertTrue(r.epochs() >= 1);
        for (int e = 0; e < r.epochs(); e++) {
            assertEquals(e + 1, r.history().get(e).epoch());
            assertTrue(r.history().get(e).seconds() >= 0);
        }
        double last = r.history().get(r.epochs() - 1).figure("val_rmse");
        assertFalse(Double.isNaN(last), name + " has no val_rmse in its last epoch");
        // the probe measured the model the loop returned (nothing changes after the last epoch)
        assertEquals(RegressionMetrics.rmse((RatingModel) r.model(), split(a).test(), data(a).scale()), last, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void stopRuleEndsTheRunAtTheAskedEpoch(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        AlgorithmConfig c = small(a);
        int planned = a.fit(c, train(a), TrainingContext.of(2, 1)).epochs();
        TrainingResult<?> r = a.fit(c, train(a), TrainingContext.of(2, 1).withStopRule(h -> h.size() >= 3));
        assertEquals(Math.min(3, planned), r.epochs(), name);
        assertEquals(planned > 3, r.stoppedEarly(), name);
        for (double p : predictions((RatingModel) r.model())) {
            assertTrue(Double.isFinite(p), name + " predicts " + p + " after an early stop");
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void restoringTheBestEpochReturnsItsModel(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        TrainingContext ctx = TrainingContext.of(4, 2).withValidation(split(a).test())
                .withSelection(Selection.of("val_rmse", true));
        TrainingResult<?> r = a.fit(small(a), train(a), ctx);
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (EpochReport e : r.history()) {
            double v = e.figure("val_rmse");
            if (v < best) {
                best = v;
                bestEpoch = e.epoch();
            }
        }
        assertEquals(bestEpoch, r.modelEpoch(), name);
        assertEquals(best, RegressionMetrics.rmse((RatingModel) r.model(), split(a).test(), data(a).scale()), 1e-6, name);
    }

    /**
     * The evaluator predicts the test rows in blocks on its pool (models are thread-safe for
     * reading): over every (user, item) pair, more rows than one block, one and two threads give
     * the same metrics, probabilistic ones included.
     */
    @ParameterizedTest
    @MethodSource("algorithms")
    void evaluationDoesNotDependOnThreads(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        RatingModel m = (RatingModel) a.fit(small(a), train(a), TrainingContext.of(6, 1)).model();
        int n = 60 * 40;
        assertTrue(n > org.varec.eval.EvaluatorAccess.predictBlock(), "rows for more than one block");
        int[] users = new int[n];
        int[] items = new int[n];
        float[] values = new float[n];
        for (int r = 0; r < n; r++) {
            users[r] = r / 40;
            items[r] = r % 40;
            values[r] = a.networksOnly() ? r % 2 : 1 + r % 5;
        }
        org.varec.data.Interactions all = new org.varec.data.Interactions(60, 40, users, items, values, true);
        org.varec.eval.EvalOptions o = org.varec.eval.EvalOptions.defaults();
        Map<String, Double> one = org.varec.eval.Evaluator.evaluate(m, all, null, data(a).scale(), o, 1);
        Map<String, Double> two = org.varec.eval.Evaluator.evaluate(m, all, null, data(a).scale(), o, 2);
        assertEquals(one, two, name);
        assertEquals(m instanceof ProbabilisticModel && data(a).scale().min() < data(a).scale().max(),
                one.containsKey("nlpd"), name);
    }

    /**
     * A model that says its point predictions are its predictive means (so that the evaluator
     * computes one of the two) keeps its word, bit for bit, for trained users, an unknown user, an
     * unknown item and a folded-in user.
     */
    @ParameterizedTest
    @MethodSource("algorithms")
    void pointPredictionIsThePredictiveMeanWhereTheModelSaysSo(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        RatingModel m = (RatingModel) a.fit(small(a), train(a), TrainingContext.of(6, 1)).model();
        if (!(m instanceof ProbabilisticModel pm) || !pm.predictsPredictiveMean()) {
            return;
        }
        UserState folded = m.foldIn(new int[] {1, 2, 3}, foldInValues(a));
        for (int u = -1; u < 60; u += 7) {
            for (int i = -1; i < 41; i += 3) {
                assertEquals(Double.doubleToLongBits(pm.predictive(u, i).mean()),
                        Double.doubleToLongBits(m.predict(u, i)), name + " user " + u + " item " + i);
                assertEquals(Double.doubleToLongBits(pm.predictive(folded, i).mean()),
                        Double.doubleToLongBits(m.predict(folded, i)), name + " folded-in user, item " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void copyPredictsIdenticallyAndFoldsIn(String name) {
        Algorithm a = Algorithms.get(name);
        AlgorithmConfig c = small(a);
        RatingModel m = (RatingModel) a.fit(c, train(a), TrainingContext.of(6, 2)).model();
        RatingModel copy = (RatingModel) a.copy(m, c);
        assertEquals(0, java.util.Arrays.compare(predictions(m), predictions(copy)), name);
        UserState s = m.foldIn(new int[] {1, 2, 3}, foldInValues(a));
        assertNotNull(s);
        double[] scores = new double[40];
        m.scoreAll(s, scores);
        for (int i = 0; i < 40; i++) {
            assertTrue(Double.isFinite(m.predict(s, i)), name);
            assertEquals(m.predict(copy.foldIn(new int[] {1, 2, 3}, foldInValues(a)), i), m.predict(s, i), 1e-9);
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void parametersAreDeclaredOnceAndRoundTrip(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        // builds the config's ParamSpec (undeclared parameters, invalid defaults), which the registry leaves to first use
        AlgorithmConfig d = a.defaultConfig();
        assertEquals(d, a.parseConfig(Params.of(d.toMap())), name);
        assertEquals(d, a.storedConfig(d.toMap()), name);
        for (ParamDoc p : a.params()) {
            assertFalse(p.description().isBlank(), name + "." + p.name());
            assertTrue(p.name().matches("[a-z][a-z0-9_]*"), p.name());
            // one spelling per concept: the libFM names are aliases only
            assertFalse(List.of("dim", "learn_rate", "keep", "learningrate").contains(p.name()), name + "." + p.name());
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void stopRuleOnAValidationFigureWaitsForIt(String name) {
        Algorithm<?, ?> a = Algorithms.get(name);
        TrainingContext ctx = TrainingContext.of(4, 1).withValidation(split(a).test())
                .withStopRule(StopRule.noImprovement(Selection.of("val_rmse", false), 1, 0));
        TrainingResult<?> r = a.fit(small(a), train(a), ctx);
        assertTrue(r.epochs() >= 1, name);
    }
}
