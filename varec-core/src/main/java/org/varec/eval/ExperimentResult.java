package org.varec.eval;

import java.util.List;
import java.util.Map;

/**
 * An experiment: one algorithm and config, evaluated under one protocol on one dataset. This is
 * the JSON written by {@code varec eval --json} (schema in docs/results-json.md).
 */
public record ExperimentResult(String varecVersion, String algorithm, Map<String, Object> config,
                               DatasetInfo dataset, String protocol, long seed, int threads, String startedAt,
                               List<RunResult> runs, Map<String, Summary> summary, Ranking ranking) {
    public ExperimentResult(String varecVersion, String algorithm, Map<String, Object> config, DatasetInfo dataset,
                            String protocol, long seed, int threads, String startedAt, List<RunResult> runs,
                            Map<String, Summary> summary) {
        this(varecVersion, algorithm, config, dataset, protocol, seed, threads, startedAt, runs, summary, null);
    }

    /**
     * What the ranking metrics ({@code ndcg@N}, {@code recall@N}, {@code precision@N}) were computed over.
     *
     * @param candidates {@code unrated} (every item the user did not rate in training) or {@code test}
     *                   (only the user's own test items, the VAE-BMF protocol)
     * @param minTest    with {@code test}: the fewest test ratings of a ranked user; null otherwise
     * @param relevance  a test rating above it is relevant
     */
    public record Ranking(String candidates, Integer minTest, double relevance) {
    }

    /** The dataset measured on. */
    /**
     * @param links for a network, its number of links (its users and items are its vertices and its
     *              ratings the vertex pairs); null for rating data
     */
    public record DatasetInfo(String name, String path, int users, int items, long ratings, Long links) {
        public DatasetInfo(String name, String path, int users, int items, long ratings) {
            this(name, path, users, items, ratings, null);
        }

        /** The description of {@code d} (its number of links when it is a network). */
        public static DatasetInfo of(org.varec.data.Dataset d) {
            return new DatasetInfo(d.name(), String.valueOf(d.source()), d.numUsers(), d.numItems(), d.numRatings(),
                    d.isNetwork() ? Long.valueOf(d.graph().numEdges()) : null);
        }
    }
}
