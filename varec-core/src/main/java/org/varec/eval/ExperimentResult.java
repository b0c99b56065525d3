package org.varec.eval;

import java.util.List;
import java.util.Map;

/**
 * An experiment: one algorithm and config, evaluated under one protocol on one dataset. This is
 * the JSON written by {@code varec eval --json} (schema in docs/results-json.md).
 */
public record ExperimentResult(String varecVersion, String algorithm, Map<String, Object> config,
                               DatasetInfo dataset, String protocol, long seed, int threads, String startedAt,
                               List<RunResult> runs, Map<String, Summary> summary) {
    /** The dataset measured on. */
    /**
     * @param links for a network, its number of links (its users and items are its vertices and its
     *              ratings the vertex pairs); null for rating data
     */
    public record DatasetInfo(String name, String path, int users, int items, long ratings, Long links) {
        public DatasetInfo(String name, String path, int users, int items, long ratings) {
            this(name, path, users, items, ratings, null);
        }
    }
}
