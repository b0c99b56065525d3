package org.varec.eval;

import java.util.List;

/**
 * What to measure besides RMSE and MAE.
 *
 * @param topN               list lengths N for Precision@N, Recall@N and NDCG@N (empty: no ranking metrics)
 * @param relevanceThreshold a test rating is relevant for ranking when it is greater than this (default 3)
 * @param classifyThreshold  when not null, also ACC, AUC and MAP of the predictions against the binary
 *                           labels {@code rating >= threshold}; for ACC a prediction above
 *                           {@code threshold - 0.5} counts as positive (AUC and MAP need no cut)
 * @param clamp              clamp point predictions into the rating scale before RMSE/MAE (default true)
 */
public record EvalOptions(List<Integer> topN, double relevanceThreshold, Double classifyThreshold, boolean clamp) {
    public EvalOptions {
        topN = List.copyOf(topN);
        for (int n : topN) {
            if (n < 1) {
                throw new IllegalArgumentException("top-N lengths must be >= 1, got " + n);
            }
        }
    }

    public static EvalOptions defaults() {
        return new EvalOptions(List.of(), 3.0, null, true);
    }
}
