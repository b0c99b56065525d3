package org.varec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One table from several {@code varec eval --json} files: a row per (dataset, algorithm,
 * protocol), a column per metric with mean ± std over the runs; in Markdown the best value of
 * each column among rows of the same dataset and protocol is bold (lowest for errors, NLPD and seconds; highest for ACC, AUC, MAP and ranking
 * metrics; closest to nominal for interval coverage).
 */
@Command(name = "table", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Puts the results of several 'varec eval --json' files in one table (Markdown or text),",
                "best value of each metric in bold."})
final class TableCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result files written by 'varec eval --json'.")
    List<Path> files;

    @Option(names = "--metrics", split = ",", paramLabel = "M",
            description = "Metrics to show, in order (default: every metric found, then fit_seconds).")
    List<String> metrics;

    @Option(names = "--format", defaultValue = "markdown", paramLabel = "F",
            description = "markdown (default) or text.")
    String format;

    @Override
    public Integer call() throws IOException {
        ObjectMapper om = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        for (Path f : files) {
            JsonNode j;
            try {
                j = om.readTree(f.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(f + ": not a readable JSON result file (" + e.getMessage() + ")");
            }
            if (j == null || !j.has("summary") || !j.has("algorithm")) {
                throw new IllegalArgumentException(f + ": not a 'varec eval --json' result (no algorithm or summary)");
            }
            results.add(j);
        }
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
        boolean md = !format.equalsIgnoreCase("text");
        if (!md && !format.equalsIgnoreCase("text")) {
            throw new IllegalArgumentException("--format must be markdown or text, got '" + format + "'");
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
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            JsonNode j = results.get(r);
            List<String> row = new ArrayList<>(List.of(j.path("dataset").path("name").asText("?"),
                    j.get("algorithm").asText(), j.path("protocol").asText("?")));
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
                    if (md && best[r][c]) {
                        cell = "**" + cell + "**";
                    }
                }
                row.add(cell);
            }
            rows.add(row);
        }
        if (md) {
            System.out.println("| " + String.join(" | ", header) + " |");
            System.out.println("|" + " --- |".repeat(header.size()));
            for (List<String> row : rows) {
                System.out.println("| " + String.join(" | ", row) + " |");
            }
        } else {
            Console.table(System.out, header, rows);
        }
        return 0;
    }

    /** Lower is better after this transform; NaN (missing) is never best. */
    static double badness(String metric, double v) {
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
