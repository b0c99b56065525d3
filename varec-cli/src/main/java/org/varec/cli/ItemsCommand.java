package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.io.ModelFile;
import org.varec.model.BlockModel;
import org.varec.model.FactorModel;
import org.varec.model.TrainedModel;
import org.varec.recommend.ItemFactors;
import org.varec.recommend.Recommendation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "items", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Items as a factor model sees them: the most and least polarizing (largest and smallest",
                "item-vector norm, \"Matrix Factorization in Action\" 5.2) and the items most similar to one (cosine);",
                "or the groups of a block model (irm): each group's size and members and the link probabilities",
                "between groups."})
final class ItemsCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file of a factor model (als, biasmf, svd...), or of a block model for --groups.")
    Path modelFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--polarizing", description = "Items with the largest ||v_item||.")
        boolean polarizing;

        @Option(names = "--least-polarizing", description = "Items with the smallest ||v_item||.")
        boolean least;

        @Option(names = "--similar", paramLabel = "ITEM", description = "Items most similar to ITEM (external id) by cosine.")
        String similar;

        @Option(names = "--groups", description = "The MAP groups of a block model (irm): size and members of each "
                + "(largest first), and the group-to-group link probabilities (-n does not apply).")
        boolean groups;
    }

    @Option(names = {"-n", "--count"}, defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--min-ratings", defaultValue = "50", paramLabel = "M",
            description = "Polarizing lists consider items with at least M training ratings (default: ${DEFAULT-VALUE}).")
    int minRatings;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + n);
        }
        TrainedModel m = ModelFile.load(modelFile);
        if (what.groups) {
            return groups(m);
        }
        if (!(m.model() instanceof FactorModel fm)) {
            throw new IllegalArgumentException("model " + modelFile + " (" + m.algorithm()
                    + ") has no item vectors; train a factor model such as als, biasmf or svd");
        }
        int[] counts = m.seen() == null ? new int[fm.numItems()] : ItemFactors.counts(m.seen(), fm.numItems());
        List<Recommendation> list;
        String title;
        String scoreName;
        if (what.similar != null) {
            int i = m.items().indexOf(what.similar);
            if (i < 0) {
                throw new IllegalArgumentException("--similar: item '" + what.similar + "' is not known to the model");
            }
            list = ItemFactors.similar(fm, i, n);
            title = "Items most similar to " + what.similar + " " + describe(m, i);
            scoreName = "cosine";
        } else {
            if (m.seen() == null) {
                throw new IllegalArgumentException("the model file has no training counts; polarizing lists need them");
            }
            list = ItemFactors.polarizing(fm, counts, minRatings, n, what.polarizing);
            if (list.isEmpty()) { // an empty table with exit 0 would look like an answer
                int most = java.util.Arrays.stream(counts).max().orElse(0);
                throw new IllegalArgumentException("no item has >= " + minRatings + " training ratings (the most rated has "
                        + most + "); lower --min-ratings");
            }
            title = (what.polarizing ? "Most" : "Least") + " polarizing items (||v_item||, items with >= " + minRatings
                    + " ratings)";
            scoreName = "norm";
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int rank = 1;
        for (Recommendation r : list) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", rank++);
            row.put("item", m.items().externalId(r.item()));
            row.put("title", m.catalog() == null ? null : m.catalog().title(r.item()));
            row.put("genres", m.catalog() == null ? null : m.catalog().genres(r.item()));
            row.put("ratings", counts[r.item()]);
            row.put(scoreName, r.score());
            rows.add(row);
        }
        if (json) {
            Json.print(rows);
            return 0;
        }
        System.out.println(title + " (" + m.algorithm() + "):");
        List<List<String>> table = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            table.add(List.of(row.get("rank").toString(), row.get("item").toString(),
                    row.get("title") == null ? "" : row.get("title").toString(),
                    row.get("genres") == null ? "" : row.get("genres").toString(),
                    row.get("ratings").toString(),
                    String.format(Locale.ROOT, "%.3f", (Double) row.get(scoreName))));
        }
        Console.table(System.out, List.of("rank", "item", "title", "genres", "ratings", scoreName), table);
        return 0;
    }

    private static String describe(TrainedModel m, int i) {
        String t = m.catalog() == null ? null : m.catalog().title(i);
        return t == null ? "" : "(" + t + ")";
    }

    /** {@code --groups}: the groups of a block model with their members and the block link probabilities. */
    private int groups(TrainedModel m) {
        if (!(m.model() instanceof BlockModel bm)) {
            throw new IllegalArgumentException("model " + modelFile + " (" + m.algorithm() + ") is not a block model: "
                    + "its vertices have no groups; train one such as irm on a network");
        }
        int k = bm.numGroups();
        int[] group = bm.groups();
        List<List<String>> members = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            members.add(new ArrayList<>());
        }
        for (int v = 0; v < group.length; v++) {
            members.get(group[v]).add(m.users().externalId(v));
        }
        double[][] p = bm.blockProbabilities();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("group", g);
                row.put("size", members.get(g).size());
                row.put("members", members.get(g));
                rows.add(row);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("algorithm", m.algorithm());
            out.put("groups", rows);
            out.put("block_probabilities", p);
            Json.print(out);
            return 0;
        }
        System.out.println(k + " groups of " + m.algorithm() + " (MAP groups, largest first):");
        // members left-aligned (Console.table right-aligns every column but the first)
        int gw = Math.max(5, Integer.toString(k - 1).length());
        System.out.println(String.format(Locale.ROOT, "%-" + gw + "s  %5s  %s", "group", "size", "members"));
        System.out.println("-".repeat(gw) + "  -----  -------");
        for (int g = 0; g < k; g++) {
            System.out.println(String.format(Locale.ROOT, "%-" + gw + "d  %5d  %s", g, members.get(g).size(),
                    String.join(" ", members.get(g))));
        }
        System.out.println();
        System.out.println("Link probabilities between groups (row group to column group):");
        List<String> header = new ArrayList<>(List.of("group"));
        for (int h = 0; h < p[0].length; h++) {
            header.add(Integer.toString(h));
        }
        List<List<String>> matrix = new ArrayList<>();
        for (int g = 0; g < p.length; g++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(g)));
            for (double x : p[g]) {
                row.add(String.format(Locale.ROOT, "%.3f", x));
            }
            matrix.add(row);
        }
        Console.table(System.out, header, matrix);
        return 0;
    }
}
