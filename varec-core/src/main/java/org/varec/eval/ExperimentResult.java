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
    public record DatasetInfo(String name, String path, int users, int items, long ratings) {
    }
}
