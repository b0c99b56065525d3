package org.varec.cli;

import org.varec.analysis.DatasetOverview;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.split.Protocol;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect, split, synthesise and fetch datasets.",
        subcommands = {DataCommand.Info.class, DataCommand.SplitCmd.class, SynthCommand.class, FetchCommand.class,
                ElicitationDataCommand.class})
final class DataCommand implements Runnable {
    @ParentCommand
    VarecCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Counts, sparsity, rating distribution and side information of a dataset.")
    static final class Info implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Option(names = "--data", required = true, paramLabel = "PATH")
        Path data;

        @Mixin
        DataOptions dataOptions;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Dataset d = dataOptions.read(data, System.err, parent.root.quiet || json);
            Map<String, Object> info = describe(d);
            if (json) {
                Json.print(info);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, Object> e : info.entrySet()) {
                if (e.getValue() == null || e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>) {
                    continue;
                }
                rows.add(List.of(e.getKey(), e.getValue() instanceof Double v ? Console.num(v) : String.valueOf(e.getValue())));
            }
            Console.table(System.out, List.of("property", "value"), rows);
            System.out.println();
            System.out.println("rating histogram:");
            @SuppressWarnings("unchecked")
            Map<String, Long> hist = (Map<String, Long>) info.get("rating_histogram");
            long max = hist.values().stream().mapToLong(Long::longValue).max().orElse(1);
            hist.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %6s %10d %s%n", k, v,
                    "#".repeat((int) Math.round(40.0 * v / max))));
            for (String side : List.of("item_features", "user_features")) {
                if (info.get(side) != null) {
                    System.out.println(side.replace('_', ' ') + ": " + info.get(side));
                }
            }
            return 0;
        }

        static Map<String, Object> describe(Dataset d) {
            Map<String, Object> m = new LinkedHashMap<>();
            Interactions r = d.ratings();
            long t0 = System.nanoTime();
            RatingMatrix x = RatingMatrix.of(r);
            double matrixSeconds = (System.nanoTime() - t0) / 1e9;
            m.put("name", d.name());
            m.put("format", d.format());
            m.put("source", String.valueOf(d.source()));
            m.put("users", d.numUsers());
            m.put("items", d.numItems());
            m.put("ratings", d.numRatings());
            DatasetOverview o = DatasetOverview.of(d);
            m.put("users_with_ratings", o.usersWithRatings());
            m.put("items_with_ratings", o.itemsWithRatings());
            m.put("density", o.density());
            m.put("scale", d.scale().toString());
            m.put("rating_mean", o.mean());
            m.put("rating_sd", o.sd());
            m.put("ratings_per_user_median", o.medianPerUser());
            m.put("ratings_per_user_max", o.maxPerUser());
            m.put("ratings_per_item_median", o.medianPerItem());
            m.put("ratings_per_item_max", o.maxPerItem());
            m.put("duplicates_merged", d.report().duplicates());
            m.put("bad_lines_skipped", d.report().skippedLines());
            m.put("read_seconds", d.report().seconds());
            m.put("matrix_seconds", matrixSeconds);
            // CSR and CSC (8 bytes each per rating) plus the COO user column; the COO item and value
            // columns are shared with the CSR arrays when the ratings are sorted by user (as read)
            long ratingBytes = x.bytes() + 4L * r.size()
                    + (x.userItems() == r.items() ? 0 : 4L * r.size()) + (x.userValues() == r.values() ? 0 : 4L * r.size());
            m.put("rating_bytes", ratingBytes);
            m.put("bytes_per_rating", r.size() == 0 ? 0.0 : (double) ratingBytes / r.size());
            Runtime rt = Runtime.getRuntime();
            System.gc();
            m.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0));
            m.put("heap_max_mb", rt.maxMemory() / (1024.0 * 1024.0));
            java.lang.ref.Reference.reachabilityFence(x); // the matrix counts in heap_used_mb
            TreeMap<Float, Long> hist = new TreeMap<>();
            for (float v : r.values()) {
                hist.merge(v, 1L, Long::sum);
            }
            Map<String, Long> h = new LinkedHashMap<>();
            hist.forEach((k, v) -> h.put(k == Math.rint(k) ? Integer.toString((int) (float) k) : Float.toString(k), v));
            m.put("rating_histogram", h);
            m.put("item_features", d.itemFeatures() == null ? null : groups(d.itemFeatures()));
            m.put("user_features", d.userFeatures() == null ? null : groups(d.userFeatures()));
            return m;
        }

        private static Map<String, Integer> groups(org.varec.data.FeatureTable t) {
            Map<String, Integer> g = new LinkedHashMap<>();
            for (int f = 0; f < t.numFeatures(); f++) {
                g.merge(t.groupNames().get(t.groupOf(f)), 1, Integer::sum);
            }
            return g;
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write the splits of a protocol as tab-separated files (user, item, rating) with external ids.")
    static final class SplitCmd implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Option(names = "--data", required = true, paramLabel = "PATH")
        Path data;

        @Mixin
        DataOptions dataOptions;

        @Option(names = "--protocol", required = true, paramLabel = "SPEC", description = "e.g. holdout:0.9x5 (see docs/protocols.md).")
        String protocol;

        @Option(names = "--seed", defaultValue = "42")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write split-N/{train,validation,test}.tsv into (and foldin.tsv for held-out users).")
        Path out;

        @Option(names = "--libfm", paramLabel = "SIDE", arity = "0..1", fallbackValue = "none",
                description = "Also write each part in libFM's format (train.libfm, ...) with groups.meta (libFM's -meta) "
                        + "and features.txt (one feature name a line), the FM rows of 'varec eval --algo fm-* --set side=SIDE': "
                        + "none (ids only, the default), user, item or both.")
        String libfm;

        @Option(names = "--force", description = "Write into a non-empty --out directory: first remove the split files "
                + "varec wrote there (split-N/ with train/validation/test .tsv/.libfm, groups.meta, features.txt); "
                + "other files are left alone.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            // before reading: a split written over an older one would mix the two runs' files
            prepareOut(out, force);
            org.varec.util.AtomicFiles.checkWritable(out.resolve("split-1").resolve("train.tsv"));
            Dataset d = dataOptions.read(data, System.err, parent.root.quiet);
            Protocol p = Protocols.parse(protocol);
            List<Split> splits = p.splits(d, seed);
            org.varec.data.FmLayout layout = libfm == null ? null : libFmLayout(d, org.varec.model.fm.FmSide.parse(libfm));
            for (int s = 0; s < splits.size(); s++) {
                Split sp = splits.get(s);
                Path dir = out.resolve("split-" + (s + 1));
                Files.createDirectories(dir);
                write(d, sp.train(), dir.resolve("train.tsv"));
                if (sp.validation() != null) {
                    write(d, sp.validation(), dir.resolve("validation.tsv"));
                }
                write(d, sp.test(), dir.resolve("test.tsv"));
                if (sp.foldIn() != null) { // held-out users: what each test user gives the model at test time
                    write(d, sp.foldIn(), dir.resolve("foldin.tsv"));
                }
                if (layout != null) {
                    org.varec.data.io.LibFm.write(layout.design(sp.train()), dir.resolve("train.libfm"));
                    if (sp.validation() != null) {
                        org.varec.data.io.LibFm.write(layout.design(sp.validation()), dir.resolve("validation.libfm"));
                    }
                    org.varec.data.io.LibFm.write(layout.design(sp.test()), dir.resolve("test.libfm"));
                    writeLines(dir.resolve("groups.meta"), java.util.Arrays.stream(layout.featureGroups())
                            .mapToObj(Integer::toString).toList());
                    writeLines(dir.resolve("features.txt"), featureNames(d, layout));
                }
                System.out.printf(Locale.ROOT, "%s: %s train %,d, %svalidation %s, test %,d%s%n", dir, sp.name(),
                        sp.train().size(), "", sp.validation() == null ? "-" : String.format(Locale.ROOT, "%,d",
                                sp.validation().size()), sp.test().size(),
                        sp.foldIn() == null ? "" : String.format(Locale.ROOT, ", fold-in %,d", sp.foldIn().size()));
            }
            return 0;
        }

        /** The files {@code data split} writes into a split-N directory. */
        private static final java.util.Set<String> SPLIT_FILES = java.util.Set.of("train.tsv", "validation.tsv", "foldin.tsv",
                "test.tsv", "train.libfm", "validation.libfm", "test.libfm", "groups.meta", "features.txt");

        /**
         * Refuses a non-empty output directory unless {@code force}; with it, removes what an
         * earlier {@code data split} wrote (its split-N directories and their files) and nothing else.
         */
        static void prepareOut(Path out, boolean force) throws IOException {
            if (!Files.exists(out)) {
                return;
            }
            if (!Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is not a directory");
            }
            List<Path> entries;
            try (var s = Files.list(out)) {
                entries = s.sorted().toList();
            }
            if (entries.isEmpty()) {
                return;
            }
            if (!force) {
                throw new IllegalArgumentException("--out " + out + " is not empty (" + entries.size() + " entr"
                        + (entries.size() == 1 ? "y" : "ies") + ", e.g. " + org.varec.util.Text.quote(entries.get(0).getFileName().toString())
                        + "): a new split would mix with what is there; use an empty directory, or --force to "
                        + "replace the splits varec wrote there");
            }
            for (Path e : entries) {
                if (!e.getFileName().toString().matches("split-[0-9]+") || !Files.isDirectory(e,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (var s = Files.list(e)) {
                    for (Path f : s.toList()) {
                        if (SPLIT_FILES.contains(f.getFileName().toString())
                                && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.delete(f);
                        }
                    }
                }
                try (var s = Files.list(e)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(e);
                    }
                }
            }
        }

        /** The FM layout of the dataset with the side tables {@code side} asks for (as the FM trainers build it). */
        static org.varec.data.FmLayout libFmLayout(Dataset d, org.varec.model.fm.FmSide side) {
            var uf = side == org.varec.model.fm.FmSide.USER || side == org.varec.model.fm.FmSide.BOTH ? d.userFeatures() : null;
            var itf = side == org.varec.model.fm.FmSide.ITEM || side == org.varec.model.fm.FmSide.BOTH ? d.itemFeatures() : null;
            return org.varec.model.fm.FmModel.layout(d.numUsers(), d.numItems(), uf, itf);
        }

        /** Feature f's name: {@code user=ID}, {@code item=ID}, then {@code user:age=25}, {@code item:genre=Comedy}... */
        static List<String> featureNames(Dataset d, org.varec.data.FmLayout layout) {
            List<String> names = new java.util.ArrayList<>(layout.numFeatures());
            for (int u = 0; u < layout.numUsers(); u++) {
                names.add("user=" + d.users().externalId(u));
            }
            for (int i = 0; i < layout.numItems(); i++) {
                names.add("item=" + d.items().externalId(i));
            }
            int base = names.size();
            for (int f = base; f < layout.numFeatures(); f++) {
                names.add(null);
            }
            // side features follow in the layout's order: user table, then item table (see FmLayout)
            int f = base;
            if (layout.numGroups() > 2) {
                var uf = layout.groupNames().stream().anyMatch(g -> g.startsWith("user:")) ? d.userFeatures() : null;
                var itf = layout.groupNames().stream().anyMatch(g -> g.startsWith("item:")) ? d.itemFeatures() : null;
                if (uf != null) {
                    for (int q = 0; q < uf.numFeatures(); q++) {
                        names.set(f++, "user:" + uf.featureName(q));
                    }
                }
                if (itf != null) {
                    for (int q = 0; q < itf.numFeatures(); q++) {
                        names.set(f++, "item:" + itf.featureName(q));
                    }
                }
            }
            return names;
        }

        private static void writeLines(Path file, List<String> lines) throws IOException {
            org.varec.util.AtomicFiles.write(file, out -> {
                var w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (String line : lines) {
                    w.write(line);
                    w.write('\n');
                }
                w.flush();
            });
        }

        private static void write(Dataset d, Interactions r, Path file) throws IOException {
            org.varec.util.AtomicFiles.write(file, out -> {
                var w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (int k = 0; k < r.size(); k++) {
                    float v = r.values()[k];
                    w.write(d.users().externalId(r.users()[k]));
                    w.write('\t');
                    w.write(d.items().externalId(r.items()[k]));
                    w.write('\t');
                    w.write(v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v));
                    w.write('\n');
                }
                w.flush();
            });
        }
    }
}
