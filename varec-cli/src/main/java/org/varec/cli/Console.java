package org.varec.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text rendering shared by the commands: aligned tables and number formatting. */
final class Console {
    private Console() {
    }

    /** Formats a metric value: 4 decimals, or scientific when tiny/huge. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Prints an aligned table: first column left-aligned, others right-aligned. */
    static void table(PrintStream out, List<String> header, List<List<String>> rows) {
        int cols = header.size();
        int[] w = new int[cols];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int c = 0; c < cols && c < r.size(); c++) {
                w[c] = Math.max(w[c], r.get(c).length());
            }
        }
        StringBuilder sep = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            sep.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        }
        printRow(out, header, w);
        out.println(sep);
        for (List<String> r : rows) {
            printRow(out, r, w);
        }
    }

    private static void printRow(PrintStream out, List<String> r, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < w.length; c++) {
            String v = c < r.size() ? r.get(c) : "";
            if (c > 0) {
                sb.append("  ");
            }
            if (c == 0) {
                sb.append(v).append(" ".repeat(w[c] - v.length()));
            } else {
                sb.append(" ".repeat(w[c] - v.length())).append(v);
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
