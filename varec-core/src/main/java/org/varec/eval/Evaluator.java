package org.varec.eval;

import org.varec.analysis.Calibration;
import org.varec.metrics.ClassificationMetrics;
import org.varec.metrics.RankingMetrics;
import org.varec.metrics.RegressionMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.util.Parallel;

/**
 * Measures one trained model on one test set. Always RMSE and MAE (point predictions clamped to
 * the scale unless disabled). For a {@link ProbabilisticModel} also the mean negative log
 * predictive density under a Gaussian with the predictive mean and variance ({@code nlpd}) and the
 * empirical coverage of the 50/90/95% central intervals ({@code coverage_50} ...), both on the
 * unclamped predictive distribution. Optionally binary metrics and ranking metrics. On implicit
 * feedback (a scale with one value, {@link org.varec.data.Dataset#implicit}) only the ranking
 * metrics: every rating is 1, so errors and intervals would measure nothing. For networks
 * ({@link EvalOptions#links()}) the predictions are link probabilities: RMSE against 0/1, ACC, AUC,
 * MAP and the mean Bernoulli log-likelihood {@code loglik}.
 */
public final class Evaluator {
    /** Central-interval levels reported for probabilistic models. */
    static final double[] LEVELS = {0.50, 0.90, 0.95};
    /**
     * Link probabilities are clipped to [eps, 1 - eps] for the log-likelihood, so that a point
     * predictor clamped to exactly 0 or 1 (svd, biasmf) gets a finite (and poor) score.
     */
    static final double LINK_EPSILON = 1e-4;
    /** Test rows per block of the parallel prediction loop. */
    static final int PREDICT_BLOCK = 2048;

    private Evaluator() {
    }

    /**
     * @param train   the training ratings (left out of ranked lists); may be null when no ranking metric is asked
     * @param threads worker threads for the predictions and ranking metrics (results do not depend on it)
     */
    public static Map<String, Double> evaluate(RatingModel model, Interactions test, Interactions train,
                                               RatingScale scale, EvalOptions options, int threads) {
        return evaluate(model, test, train, null, scale, options, threads);
    }

    /**
     * As {@link #evaluate(RatingModel, Interactions, Interactions, RatingScale, EvalOptions, int)}, for
     * test users the model was not trained on when {@code foldIn} is given (held-out users,
     * {@link org.varec.data.split.HeldOutUsers}): each test user is first folded in from their
     * {@code foldIn} ratings ({@link RatingModel#foldIn}: no retraining), every prediction for them
     * comes from that state, and their ranked lists leave the fold-in items out.
     */
    public static Map<String, Double> evaluate(RatingModel model, Interactions test, Interactions train,
                                               Interactions foldIn, RatingScale scale, EvalOptions options, int threads) {
        Map<String, Double> out = new LinkedHashMap<>();
        int n = test.size();
        int[] users = test.users();
        int[] items = test.items();
        float[] actual = test.values();
        UserState[] folded = foldIn == null ? null : foldInUsers(model, foldIn);
        double[] pred = new double[n];
        double[] raw = new double[n]; // unclamped: clamping would tie every prediction above the top star
        // implicit feedback (every rating is 1, Dataset#implicit): nothing to regress, only rankings mean anything
        boolean implicit = scale != null && scale.min() == scale.max() && !options.links();
        ProbabilisticModel pm = model instanceof ProbabilisticModel p && !options.links() && !implicit ? p : null;
        double[] mean = pm != null ? new double[n] : null;
        double[] variance = pm != null ? new double[n] : null;
        boolean oneCall = pm != null && pm.predictsPredictiveMean(); // the point prediction is the mean
        // the rows' predictions in fixed blocks on the pool (models are thread-safe for reading, and each
        // row's prediction is its own: the metrics, summed below in row order, do not depend on threads)
        try (Parallel pool = new Parallel(threads)) {
            pool.forBlocks(n, PREDICT_BLOCK, (b, from, to) -> {
                for (int k = from; k < to; k++) {
                    Predictive q = null;
                    if (pm != null) {
                        q = folded == null ? pm.predictive(users[k], items[k])
                                : pm.predictive(state(model, folded, users[k]), items[k]);
                        mean[k] = q.mean();
                        variance[k] = q.variance();
                    }
                    double p = q != null && oneCall ? q.mean()
                            : folded == null ? model.predict(users[k], items[k])
                            : model.predict(state(model, folded, users[k]), items[k]);
                    raw[k] = p;
                    pred[k] = options.clamp() ? scale.clamp(p) : p;
                }
            });
        }
        if (!implicit) {
            out.put("rmse", RegressionMetrics.rmse(actual, pred));
            out.put("mae", RegressionMetrics.mae(actual, pred));
        }

        if (options.links()) {
            out.put("loglik", ClassificationMetrics.logLikelihood(actual, pred, LINK_EPSILON));
        }

        if (pm != null) {
            double nlpd = 0;
            for (int k = 0; k < n; k++) {
                nlpd -= org.varec.stats.Normal.logPdf(actual[k], mean[k], Math.max(variance[k], 1e-12));
            }
            out.put("nlpd", nlpd / n);
            putCoverage(out, actual, mean, variance);
        }

        if (options.classifyThreshold() != null) {
            double t = options.classifyThreshold();
            float[] labels = new float[n];
            for (int k = 0; k < n; k++) {
                labels[k] = actual[k] >= t ? 1f : 0f;
            }
            // a prediction counts as positive above the midpoint between the last negative and the first
            // positive star (T - 0.5): rating predictions sit between stars, unlike probabilities
            out.put("acc", ClassificationMetrics.accuracy(labels, pred, t - 0.5));
            out.put("auc", ClassificationMetrics.auc(labels, pred));
            out.put("map", ClassificationMetrics.averagePrecision(labels, pred));
        }

        if (!options.topN().isEmpty() && options.candidates() == EvalOptions.Candidates.TEST) {
            int[] ns = options.topN().stream().mapToInt(Integer::intValue).toArray();
            putRanking(out, RankingMetrics.evaluateOwnItems(users, items, raw, actual, options.relevanceThreshold(),
                    options.rankMinTest(), ns));
        } else if (!options.topN().isEmpty()) {
            if (train == null) {
                throw new IllegalArgumentException("ranking metrics need the training ratings to leave out");
            }
            int[] ns = options.topN().stream().mapToInt(Integer::intValue).toArray();
            // held-out users have no training ratings: what their lists leave out is what they gave the model
            Interactions known = folded == null ? train : foldIn;
            putRanking(out, RankingMetrics.evaluate((u, scores) -> model.scoreAll(
                    folded == null ? model.user(u) : state(model, folded, u), scores),
                    known, RankingMetrics.relevant(test, options.relevanceThreshold()), ns, threads));
        }
        return out;
    }

    /** Every user of {@code foldIn} (sorted by user) folded in from their rows; null for the others. */
    static UserState[] foldInUsers(RatingModel model, Interactions foldIn) {
        UserState[] states = new UserState[foldIn.numUsers()];
        int[] start = foldIn.userStarts();
        for (int u = 0; u < states.length; u++) {
            if (start[u + 1] > start[u]) {
                states[u] = model.foldIn(java.util.Arrays.copyOfRange(foldIn.items(), start[u], start[u + 1]),
                        java.util.Arrays.copyOfRange(foldIn.values(), start[u], start[u + 1]));
            }
        }
        return states;
    }

    /** A held-out user's folded-in state, or the model's own state when they gave nothing to fold in. */
    private static UserState state(RatingModel model, UserState[] folded, int u) {
        UserState s = u < folded.length ? folded[u] : null;
        return s != null ? s : model.user(u);
    }

    private static void putRanking(Map<String, Double> out, RankingMetrics.Summary s) {
        for (RankingMetrics.AtN a : s.atN()) {
            out.put("precision@" + a.n(), a.precision());
            out.put("recall@" + a.n(), a.recall());
            out.put("ndcg@" + a.n(), a.ndcg());
        }
    }

    /** {@code coverage_50}, {@code coverage_90}, {@code coverage_95} of the unclamped predictive distributions ({@link Calibration}). */
    static void putCoverage(Map<String, Double> out, float[] actual, double[] mean, double[] variance) {
        Calibration c = Calibration.measure(actual, mean, variance, LEVELS);
        for (int l = 0; l < LEVELS.length; l++) {
            out.put(Calibration.metricName(LEVELS[l]), c.empirical()[l]);
        }
    }
}
