package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One table from several {@code varec eval --json} results: a row per file (dataset, algorithm,
 * protocol), a column per metric with mean ± std over the runs, and the best value of each column
 * among rows of the same dataset and protocol marked (lowest for errors, NLPD and seconds; highest
 * for ACC, AUC, MAP and ranking metrics; closest to nominal for interval coverage). Shared by
 * {@code varec table} (Markdown, text) and {@code varec report} (HTML).
 */
public final class ResultTable {
    private final List<String> header;
    private final List<String> metrics;
    private final List<List<String>> keys;
    private final List<List<String>> cells;
    private final boolean[][] best;

    private ResultTable(List<String> header, List<String> metrics, List<List<String>> keys, List<List<String>> cells,
                        boolean[][] best) {
        this.header = header;
        this.metrics = metrics;
        this.keys = keys;
        this.cells = cells;
        this.best = best;
    }

    /** Reads a result file, failing with one clear line when it is not one. */
    public static JsonNode read(Path f) {
        JsonNode j;
        try {
            j = new ObjectMapper().readTree(f.toFile());
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(f + ": no such result file");
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(f + ": not a readable JSON result file ("
                    + String.valueOf(why).lines().findFirst().orElse("") + ")");
        }
        if (j == null || !j.has("summary") || !j.has("algorithm")) {
            throw new IllegalArgumentException(f + ": not a 'varec eval --json' result (no algorithm or summary)");
        }
        return j;
    }

    /** Reads every file with {@link #read(Path)}. */
    public static List<JsonNode> readAll(List<Path> files) {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : files) {
            out.add(read(f));
        }
        return out;
    }

    /**
     * The table of {@code results}; {@code metrics} chooses the columns in order, null or empty for
     * every metric found in the summaries, then {@code fit_seconds}.
     */
    public static ResultTable of(List<JsonNode> results, List<String> metrics) {
        List<String> cols = metrics;
        if (cols == null || cols.isEmpty()) {
            Set<String> found = new LinkedHashSet<>();
            for (JsonNode j : results) {
                j.get("summary").fieldNames().forEachRemaining(m -> {
                    if (!m.endsWith("_seconds")) {
                        found.add(m);
                    }
                });
            }
            found.add("fit_seconds");
            cols = new ArrayList<>(found);
        }
        int n = results.size();
        double[][] mean = new double[n][cols.size()];
        double[][] std = new double[n][cols.size()];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cols.size(); c++) {
                JsonNode s = results.get(r).get("summary").get(cols.get(c));
                mean[r][c] = s == null ? Double.NaN : s.get("mean").asDouble();
                std[r][c] = s == null ? Double.NaN : s.get("std").asDouble();
            }
        }
        // best per column among rows of the same dataset and protocol (comparable numbers only)
        String[] group = new String[n];
        for (int r = 0; r < n; r++) {
            group[r] = results.get(r).path("dataset").path("name").asText("?") + "|" + results.get(r).path("protocol").asText("?");
        }
        boolean[][] best = new boolean[n][cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            for (int r = 0; r < n; r++) {
                int peers = 0;
                boolean isBest = !Double.isNaN(mean[r][c]);
                for (int o = 0; o < n && isBest; o++) {
                    if (group[o].equals(group[r])) {
                        peers++;
                        isBest = badness(cols.get(c), mean[o][c]) >= badness(cols.get(c), mean[r][c]);
                    }
                }
                best[r][c] = isBest && peers > 1;
            }
        }
        List<String> header = new ArrayList<>(List.of("dataset", "algorithm", "protocol"));
        header.addAll(cols);
        List<List<String>> keys = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            JsonNode j = results.get(r);
            keys.add(List.of(j.path("dataset").path("name").asText("?"), j.get("algorithm").asText(),
                    j.path("protocol").asText("?")));
            List<String> row = new ArrayList<>();
            for (int c = 0; c < cols.size(); c++) {
                String cell;
                if (Double.isNaN(mean[r][c])) {
                    cell = "-";
                } else {
                    String fmt = cols.get(c).endsWith("_seconds") ? "%.3g" : "%.4f";
                    cell = String.format(Locale.ROOT, fmt, mean[r][c]);
                    if (std[r][c] > 0) {
                        cell += String.format(Locale.ROOT, " ± " + fmt, std[r][c]);
                    }
                }
                row.add(cell);
            }
            cells.add(row);
        }
        return new ResultTable(List.copyOf(header), List.copyOf(cols), keys, cells, best);
    }

    /** Column names: dataset, algorithm, protocol, then the metrics. */
    public List<String> header() {
        return header;
    }

    public List<String> metrics() {
        return metrics;
    }

    public int rows() {
        return cells.size();
    }

    /** Whether metric column {@code c} of row {@code r} is the best among its peers. */
    public boolean best(int r, int c) {
        return best[r][c];
    }

    /** Row {@code r}'s cells, the three key columns first; {@code bold} wraps the best values (e.g. in {@code **}). */
    public List<String> row(int r, java.util.function.UnaryOperator<String> bold) {
        List<String> row = new ArrayList<>(keys.get(r));
        for (int c = 0; c < metrics.size(); c++) {
            String cell = cells.get(r).get(c);
            row.add(best[r][c] ? bold.apply(cell) : cell);
        }
        return row;
    }

    /** The table in Markdown, best values in bold. */
    public List<String> markdown() {
        List<String> lines = new ArrayList<>();
        lines.add("| " + String.join(" | ", header) + " |");
        lines.add("|" + " --- |".repeat(header.size()));
        for (int r = 0; r < rows(); r++) {
            lines.add("| " + String.join(" | ", row(r, s -> "**" + s + "**")) + " |");
        }
        return lines;
    }

    /** Lower is better after this transform; NaN (missing) is never best. */
    public static double badness(String metric, double v) {
        if (Double.isNaN(v)) {
            return Double.POSITIVE_INFINITY;
        }
        String m = metric.toLowerCase(Locale.ROOT);
        if (m.startsWith("coverage_")) {
            try {
                return Math.abs(v - Integer.parseInt(m.substring("coverage_".length())) / 100.0);
            } catch (NumberFormatException e) {
                return Double.POSITIVE_INFINITY;
            }
        }
        if (m.equals("rmse") || m.equals("mae") || m.equals("nlpd") || m.endsWith("_seconds") || m.endsWith("_bytes")) {
            return v;
        }
        return -v; // acc, auc, map, precision@N, recall@N, ndcg@N
    }
}
