package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    /**
     * The sample that {@link Json#prepare} writes in the background has every field, nested record
     * and map of the result {@code eval --json} writes, so the serializers it builds are the ones the
     * real write needs (the schema of docs/results-json.md, field for field).
     */
    @Test
    void preparedSampleHasEveryFieldOfAResult() throws Exception {
        JsonNode sample = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(EvalCommand.sampleResult()));
        assertEquals(List.of("varec_version", "algorithm", "config", "dataset", "protocol", "seed", "threads",
                "started_at", "runs", "summary", "ranking"), names(sample));
        assertEquals(List.of("name", "path", "users", "items", "ratings", "links"), names(sample.get("dataset")));
        JsonNode run = sample.get("runs").get(0);
        assertEquals(List.of("split", "train_ratings", "test_ratings", "metrics", "fit_seconds", "predict_seconds",
                "peak_heap_bytes", "history", "model_epoch", "stopped_early"), names(run));
        assertEquals(List.of("epoch", "seconds", "figures"), names(run.get("history").get(0)));
        assertEquals(List.of("mean", "std", "n"), names(sample.get("summary").get("rmse")));
        assertEquals(List.of("candidates", "min_test", "relevance"), names(sample.get("ranking")));
        Json.prepare(EvalCommand.sampleResult()); // returns at once; a failure would be the real write's
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
