package org.varec.eval;

import java.util.List;
import org.varec.model.Task;

/**
 * What to measure besides RMSE and MAE.
 *
 * @param topN               list lengths N for Precision@N, Recall@N and NDCG@N (empty: no ranking metrics)
 * @param relevanceThreshold a test rating is relevant for ranking when it is greater than this (default 3)
 * @param classifyThreshold  when not null, also ACC, AUC and MAP of the predictions against the binary
 *                           labels {@code rating >= threshold}; for ACC a prediction above
 *                           {@code threshold - 0.5} counts as positive (AUC and MAP need no cut)
 * @param clamp              clamp point predictions into the rating scale before RMSE/MAE (default true)
 * @param links              the targets are 0/1 links of a network and predictions link probabilities:
 *                           also the mean Bernoulli log-likelihood of the test pairs ({@code loglik}), and
 *                           no Gaussian NLPD or interval coverage (meaningless for 0/1 targets)
 * @param candidates         which items a user's ranked list holds ({@link Candidates}; default
 *                           {@link Candidates#UNRATED})
 * @param rankMinTest        with {@link Candidates#TEST}: users with fewer test ratings are not ranked
 *                           (the VAE-BMF paper: at least 2); ignored otherwise
 */
public record EvalOptions(List<Integer> topN, double relevanceThreshold, Double classifyThreshold, boolean clamp,
                          boolean links, Candidates candidates, int rankMinTest) {
    /** The candidate items of ranking metrics. */
    public enum Candidates {
        /** Every item the user did not rate in training (Liang et al.'s held-out-user protocol, varec's default). */
        UNRATED,
        /**
         * Only the user's own test items (the VAE-BMF paper, section 4.2): how well the model orders
         * what the user did rate; {@link org.varec.metrics.RankingMetrics#evaluateOwnItems}.
         */
        TEST;

        /** {@code unrated} or {@code test}, as the CLI and the JSON spell them. */
        public String spec() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Candidates parse(String s) {
            for (Candidates c : values()) {
                if (c.spec().equalsIgnoreCase(s.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("rank candidates must be unrated or test, got '" + s + "'");
        }
    }

    public EvalOptions(List<Integer> topN, double relevanceThreshold, Double classifyThreshold, boolean clamp) {
        this(topN, relevanceThreshold, classifyThreshold, clamp, false);
    }

    public EvalOptions(List<Integer> topN, double relevanceThreshold, Double classifyThreshold, boolean clamp,
                       boolean links) {
        this(topN, relevanceThreshold, classifyThreshold, clamp, links, Candidates.UNRATED, 1);
    }

    /** These options with ranking over {@code candidates}, users with fewer than {@code minTest} test ratings left out. */
    public EvalOptions withRanking(Candidates c, int minTest) {
        return new EvalOptions(topN, relevanceThreshold, classifyThreshold, clamp, links, c, minTest);
    }

    /** These options with these top-N cut-offs. */
    public EvalOptions withTopN(List<Integer> n) {
        return new EvalOptions(n, relevanceThreshold, classifyThreshold, clamp, links, candidates, rankMinTest);
    }

    /**
     * What the ranking metrics of a result mean (written to result JSON as {@code ranking}); null
     * without ranking metrics.
     */
    public ExperimentResult.Ranking ranking() {
        return topN.isEmpty() ? null : new ExperimentResult.Ranking(candidates.spec(),
                candidates == Candidates.TEST ? rankMinTest : null, relevanceThreshold);
    }

    public EvalOptions {
        if (candidates == null) {
            candidates = Candidates.UNRATED;
        }
        if (rankMinTest < 1) {
            throw new IllegalArgumentException("the minimum number of test ratings of a ranked user must be >= 1, got "
                    + rankMinTest);
        }
        if (!Double.isFinite(relevanceThreshold)) {
            throw new IllegalArgumentException("the relevance threshold must be a finite rating, got " + relevanceThreshold);
        }
        if (classifyThreshold != null && !Double.isFinite(classifyThreshold)) {
            throw new IllegalArgumentException("the classify threshold must be a finite rating, got " + classifyThreshold);
        }
        topN = List.copyOf(topN);
        for (int n : topN) {
            if (n < 1) {
                throw new IllegalArgumentException("top-N lengths must be >= 1, got " + n);
            }
        }
    }

    /**
     * Options for a task: for {@link Task#CLASSIFICATION} (0/1 targets, models predicting the
     * probability of 1) ACC, AUC and MAP of the targets themselves, a probability above 0.5
     * counting as class 1; for regression ACC, AUC and MAP only when {@code classifyThreshold} is
     * given (ratings {@code >= threshold} are class 1).
     */
    public static EvalOptions forTask(Task task, List<Integer> topN, double relevanceThreshold,
                                      Double classifyThreshold, boolean clamp) {
        if (task == Task.CLASSIFICATION) {
            if (classifyThreshold != null) {
                throw new IllegalArgumentException("a classify threshold is for regression models; classification "
                        + "reports ACC, AUC and MAP anyway");
            }
            return new EvalOptions(topN, relevanceThreshold, 1.0, clamp);
        }
        return new EvalOptions(topN, relevanceThreshold, classifyThreshold, clamp);
    }

    /**
     * The options for link prediction on a network: ACC, AUC and MAP of the links (a probability
     * above 0.5 counting as a link), the log-likelihood, and predictions clamped to [0, 1].
     */
    public EvalOptions forLinks() {
        return new EvalOptions(topN, relevanceThreshold, 1.0, true, true, candidates, rankMinTest);
    }

    public static EvalOptions defaults() {
        return new EvalOptions(List.of(), 3.0, null, true);
    }

    /**
     * Refuses thresholds that leave a metric undefined on ratings within {@code scale} (the data's range): with no rating
     * above the relevance threshold there is nothing to rank, and with every label one class ACC is
     * trivially 1 and AUC undefined ({@code --classify 99} printed ACC 1.0000).
     */
    public void requireWithin(org.varec.data.RatingScale scale) {
        if (links || scale == null) {
            return;
        }
        if (!topN.isEmpty() && relevanceThreshold >= scale.max()) {
            throw new IllegalArgumentException("relevance threshold " + relevanceThreshold + " leaves no relevant rating "
                    + "(relevant means rating > threshold; the ratings range over " + scale + ")");
        }
        if (classifyThreshold != null
                && (classifyThreshold > scale.max() || classifyThreshold <= scale.min())) {
            throw new IllegalArgumentException("classify threshold " + classifyThreshold + " puts every rating ("
                    + scale + ") in one class (class 1 is rating >= threshold): ACC, AUC and MAP are undefined");
        }
    }
}
