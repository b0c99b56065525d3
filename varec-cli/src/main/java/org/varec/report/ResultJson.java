package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.analysis.Calibration;
import org.varec.analysis.TrainingHistory;
import org.varec.train.EpochReport;

/**
 * What the report reads from a {@code varec eval --json} result (schema in docs/results-json.md),
 * as the types of {@link org.varec.analysis}: the calibration in its summary and the training
 * history of its first run.
 */
public final class ResultJson {
    private ResultJson() {
    }

    /** The coverage metrics of the result's summary (their means over the runs); empty when there are none. */
    public static Calibration calibration(JsonNode result) {
        Map<String, Double> means = new LinkedHashMap<>();
        result.path("summary").fields().forEachRemaining(e -> means.put(e.getKey(), e.getValue().path("mean").asDouble(Double.NaN)));
        return Calibration.of(means);
    }

    /** The history of the first run (split) of the result, labelled {@code label}; empty when the runs kept none. */
    public static TrainingHistory history(String label, JsonNode result) {
        List<EpochReport> out = new ArrayList<>();
        JsonNode runs = result.path("runs");
        if (runs.isArray() && !runs.isEmpty()) {
            for (JsonNode e : runs.get(0).path("history")) {
                Map<String, Double> figures = new LinkedHashMap<>();
                e.path("figures").fields().forEachRemaining(f -> figures.put(f.getKey(), f.getValue().asDouble()));
                out.add(new EpochReport(e.path("epoch").asInt(out.size() + 1), e.path("seconds").asDouble(), figures));
            }
        }
        return new TrainingHistory(label, result.path("algorithm").asText("?"), out);
    }
}
