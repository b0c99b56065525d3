package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.eval.FriedmanTest;
import org.varec.eval.Nemenyi;
import org.varec.report.CdDiagram;
import org.varec.report.Charts;
import org.varec.report.Comparison;
import org.varec.report.Report;
import org.varec.report.ResultTable;
import org.varec.train.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Friedman test, Nemenyi post-hoc test and CD diagram over result files (docs/studies.md). */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ranks models over blocks (datasets by default) with the Friedman test and the Nemenyi post-hoc",
                "test (Demsar 2006): mean ranks, statistics, p-values, critical difference; draws the CD diagram."})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Parameters(paramLabel = "RESULT", arity = "2..*", description = "Results of 'varec eval --json' or 'varec tune --json'.")
    List<Path> files;

    @Option(names = "--metric", defaultValue = "rmse", paramLabel = "NAME",
            description = "Metric to rank on (default: ${DEFAULT-VALUE}); lower is better for errors, higher for scores.")
    String metric;

    @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "A",
            description = "Significance level of the Nemenyi test (default: ${DEFAULT-VALUE}; the VAE-BMF paper uses 0.1).")
    double alpha;

    @Option(names = "--blocks", defaultValue = "dataset", split = ",", paramLabel = "FIELDS",
            description = "What a block is: a comma list of dataset (default), protocol, seed, split "
                    + "(split: every run of a result is a block).")
    List<String> blocks;

    @Option(names = "--out", paramLabel = "FILE", description = "CD diagram to write: FILE.png or FILE.svg.")
    Path out;

    @Option(names = "--width", defaultValue = "720", paramLabel = "PX", description = "Diagram width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the test as JSON; '-' for stdout.")
    String json;

    @Override
    public Integer call() throws Exception {
        boolean higher = Selection.higherIsBetter(metric);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
        }
        if (out != null) {
            Charts.format(out);
            org.varec.util.AtomicFiles.checkWritable(out);
            if (width < 300 || width > 10000) {
                throw new IllegalArgumentException("--width must be within 300..10000 pixels, got " + width);
            }
        }
        Comparison c = Comparison.of(ResultTable.readAll(files), Report.labels(files), metric, blocks);
        FriedmanTest f = FriedmanTest.of(c.models(), c.values(), higher);
        Nemenyi n = Nemenyi.of(f, alpha);
        int k = c.models().size();
        int nb = c.blocks().size();
        if (!"-".equals(json)) {
            var o = System.out;
            o.printf(Locale.ROOT, "%d models over %d blocks (%s) on %s (%s is better)%n", k, nb,
                    String.join("+", blocks), metric, higher ? "higher" : "lower");
            List<String> header = new ArrayList<>(List.of("model", "mean rank"));
            header.addAll(c.blocks());
            Integer[] order = byRank(f);
            List<List<String>> rows = new ArrayList<>();
            for (int m : order) {
                List<String> row = new ArrayList<>(List.of(c.models().get(m), String.format(Locale.ROOT, "%.3f", f.meanRanks()[m])));
                for (int b = 0; b < nb; b++) {
                    row.add(Console.num(c.values()[b][m]));
                }
                rows.add(row);
            }
            Console.table(o, header, rows);
            o.printf(Locale.ROOT, "Friedman chi2_F = %.3f (df %d), p = %.4g%n", f.chiSquare(), k - 1, f.chiSquareP());
            o.printf(Locale.ROOT, "Iman-Davenport F_F = %.3f (df %d, %d), p = %.4g%s%n", f.imanDavenport(), k - 1,
                    (k - 1) * (nb - 1), f.p(), f.p() < alpha ? ": the models differ at alpha " + alpha
                            : ": no significant difference at alpha " + alpha);
            o.printf(Locale.ROOT, "Nemenyi: q_%s = %.3f, CD = %.3f mean ranks%n", alpha, n.q(), n.cd());
            List<String> groups = new ArrayList<>();
            for (int[] g : n.groups()) {
                groups.add("{" + String.join(", ", Arrays.stream(g).mapToObj(c.models()::get).toList()) + "}");
            }
            o.println("not significantly different: " + (groups.isEmpty() ? "none (every pair differs)" : String.join(" ", groups)));
            if (nb < 5 || k > nb) {
                o.printf(Locale.ROOT, "note: %d blocks for %d models; the tests have little power with few blocks%n", nb, k);
            }
        }
        if (json != null) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("metric", metric);
            j.put("higher_is_better", higher);
            j.put("blocks_by", blocks);
            j.put("models", c.models());
            j.put("blocks", c.blocks());
            j.put("values", c.values());
            j.put("mean_ranks", f.meanRanks());
            j.put("chi_square", f.chiSquare());
            j.put("chi_square_p", f.chiSquareP());
            j.put("iman_davenport", f.imanDavenport());
            j.put("iman_davenport_df", List.of(k - 1, (k - 1) * (nb - 1)));
            j.put("p", f.p());
            j.put("alpha", alpha);
            j.put("q_alpha", n.q());
            j.put("critical_difference", n.cd());
            j.put("groups", n.groups().stream().map(g -> Arrays.stream(g).mapToObj(c.models()::get).toList()).toList());
            Json.write(j, json);
        }
        if (out != null) {
            String title = String.format(Locale.ROOT, "Mean ranks on %s over %d blocks (%s); Friedman test (Iman-Davenport) p = %.3g",
                    metric, nb, String.join("+", blocks), f.p());
            Charts.save(new CdDiagram(title, f, n, width), out);
            if (!root.quiet) {
                System.err.println("wrote " + out);
            }
        }
        return 0;
    }

    private static Integer[] byRank(FriedmanTest f) {
        Integer[] order = new Integer[f.models().size()];
        for (int m = 0; m < order.length; m++) {
            order[m] = m;
        }
        Arrays.sort(order, (a, b) -> Double.compare(f.meanRanks()[a], f.meanRanks()[b]));
        return order;
    }
}
