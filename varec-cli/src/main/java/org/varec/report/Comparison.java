package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models x blocks table of a metric that {@link org.varec.eval.FriedmanTest} ranks, from
 * {@code eval}/{@code tune} result files. A model is a result's algorithm; a block is the
 * combination of the result fields named in {@code blocks}: {@code dataset} (its name; the
 * default, as Demsar and the VAE-BMF paper compare over datasets), {@code protocol}, {@code seed},
 * and {@code split} (each run of a result is then its own block, valued by that run's metric;
 * otherwise a block's value is the result's mean over its runs). Every model needs exactly one
 * value in every block: a missing or a second one is an error naming the files.
 *
 * @param models model names, in order of first appearance
 * @param blocks block names, in order of first appearance
 * @param values {@code values[block][model]}
 */
public record Comparison(List<String> models, List<String> blocks, double[][] values) {
    public static final List<String> FIELDS = List.of("dataset", "protocol", "seed", "split");

    /**
     * @param labels a label per result (file names), for the errors
     * @param by     the fields that make a block, a subset of {@link #FIELDS}
     */
    public static Comparison of(List<JsonNode> results, List<String> labels, String metric, List<String> by) {
        if (by.isEmpty()) {
            throw new IllegalArgumentException("--blocks needs at least one of " + FIELDS);
        }
        for (String f : by) {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("--blocks: unknown field '" + f + "'; use a comma list of " + FIELDS);
            }
        }
        Map<String, Map<String, Double>> table = new LinkedHashMap<>(); // block -> model -> value
        Map<String, String> source = new LinkedHashMap<>(); // block|model -> label
        List<String> models = new ArrayList<>();
        for (int r = 0; r < results.size(); r++) {
            JsonNode j = results.get(r);
            String model = j.get("algorithm").asText();
            if (!models.contains(model)) {
                models.add(model);
            }
            List<String[]> entries = new ArrayList<>(); // (block, value)
            if (by.contains("split")) {
                for (JsonNode run : j.path("runs")) {
                    JsonNode v = run.path("metrics").get(metric);
                    entries.add(new String[] {key(j, by, run.path("split").asText("?")), v == null ? null : v.asText()});
                }
            } else {
                JsonNode s = j.path("summary").get(metric);
                entries.add(new String[] {key(j, by, null), s == null ? null : s.path("mean").asText()});
            }
            for (String[] e : entries) {
                if (e[1] == null) {
                    throw new IllegalArgumentException(labels.get(r) + ": has no metric " + metric);
                }
                double v = Double.parseDouble(e[1]);
                if (Double.isNaN(v)) {
                    throw new IllegalArgumentException(labels.get(r) + ": " + metric + " is undefined (NaN) in block "
                            + e[0] + "; it cannot be ranked");
                }
                String was = source.put(e[0] + "|" + model, labels.get(r));
                if (was != null) {
                    throw new IllegalArgumentException(labels.get(r) + " and " + was + ": two values of " + model
                            + " in block '" + e[0] + "'; make blocks finer (--blocks " + String.join(",", by)
                            + ",protocol/seed/split) or leave one file out");
                }
                table.computeIfAbsent(e[0], k -> new LinkedHashMap<>()).put(model, v);
            }
        }
        List<String> blocks = new ArrayList<>(table.keySet());
        double[][] values = new double[blocks.size()][models.size()];
        for (int b = 0; b < blocks.size(); b++) {
            Map<String, Double> row = table.get(blocks.get(b));
            for (int m = 0; m < models.size(); m++) {
                Double v = row.get(models.get(m));
                if (v == null) {
                    throw new IllegalArgumentException("no result of " + models.get(m) + " in block '" + blocks.get(b)
                            + "': every model needs a value in every block (" + blocks.size() + " blocks: " + blocks + ")");
                }
                values[b][m] = v;
            }
        }
        return new Comparison(List.copyOf(models), List.copyOf(blocks), values);
    }

    private static String key(JsonNode j, List<String> by, String split) {
        List<String> parts = new ArrayList<>();
        for (String f : by) {
            parts.add(switch (f) {
                case "dataset" -> j.path("dataset").path("name").asText("?");
                case "protocol" -> j.path("protocol").asText("?");
                case "seed" -> "seed " + j.path("seed").asText("?");
                default -> split;
            });
        }
        return String.join(" ", parts);
    }
}
