package org.varec.data.split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.io.DataFormatException;

/**
 * The predefined MovieLens 100K splits, specs {@code folds:u1..u5}, {@code folds:u3} (any one or
 * any range of {@code u1}..{@code u5}), {@code folds:ua} and {@code folds:ub}. Split {@code uN} is
 * read from {@code uN.base} (train) and {@code uN.test} (test) in the dataset's source directory
 * (or beside the source file), lines {@code user TAB item TAB rating TAB timestamp}. The seed is
 * ignored.
 *
 * <p>The files are checked against the dataset: every user and item id must be in the dataset's
 * indices and every (user, item) pair must be one of its ratings (the fold's rating value is used),
 * no pair may repeat, train and test must be disjoint and together hold all of the dataset's
 * ratings. A violation is a {@link DataFormatException} naming file and line.
 *
 * @param names the folds, in order, each one of u1..u5, ua, ub
 */
public record PredefinedFolds(List<String> names) implements Protocol {
    /** All predefined fold names. */
    public static final List<String> ALL = List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub");

    public PredefinedFolds {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no predefined folds named");
        }
        for (String n : names) {
            if (!ALL.contains(n)) {
                throw new IllegalArgumentException("unknown predefined fold '" + n + "'; the MovieLens 100K folds are "
                        + String.join(", ", ALL));
            }
        }
    }

    @Override
    public String spec() {
        if (names.size() > 1 && isURange()) {
            return "folds:" + names.get(0) + ".." + names.get(names.size() - 1);
        }
        return "folds:" + String.join(",", names);
    }

    private boolean isURange() {
        int prev = -1;
        for (String n : names) {
            if (!n.matches("u[1-5]")) {
                return false;
            }
            int d = n.charAt(1) - '0';
            if (prev >= 0 && d != prev + 1) {
                return false;
            }
            prev = d;
        }
        return true;
    }

    /** Reads the folds' files (eagerly: they are small and reading may fail). {@code seed} is unused. */
    @Override
    public List<Split> splits(Dataset dataset, long seed) throws IOException {
        Path dir = directory(dataset);
        Interactions all = Splits.sortedByUserItem(dataset.ratings());
        int[] rowStart = all.userStarts();
        List<Split> out = new ArrayList<>(names.size());
        for (String name : names) {
            Path base = dir.resolve(name + ".base");
            Path test = dir.resolve(name + ".test");
            for (Path p : List.of(base, test)) {
                if (!Files.isRegularFile(p)) {
                    throw new DataFormatException(p, "predefined fold file not found; folds:" + name
                            + " needs " + name + ".base and " + name + ".test beside the dataset: these folds exist"
                            + " only for MovieLens 100K (ml-100k)");
                }
            }
            Interactions tr = read(base, dataset, all, rowStart);
            Interactions te = read(test, dataset, all, rowStart);
            int shared = Splits.countShared(tr, te);
            if (shared > 0) {
                throw new DataFormatException(test, shared + " ratings are also in " + base.getFileName()
                        + "; train and test of a split must be disjoint");
            }
            if ((long) tr.size() + te.size() != all.size()) {
                throw new DataFormatException(test, base.getFileName() + " and " + test.getFileName() + " hold "
                        + (tr.size() + te.size()) + " ratings but dataset " + dataset.name() + " has " + all.size()
                        + "; a predefined fold must cover the whole dataset (was it read with filters?)");
            }
            out.add(new Split(name, tr, null, te));
        }
        return List.copyOf(out);
    }

    private static Path directory(Dataset dataset) {
        Path source = dataset.source();
        if (source == null) {
            throw new IllegalArgumentException("predefined folds are read beside the dataset's files, but dataset "
                    + dataset.name() + " has no source path; these folds exist only for MovieLens 100K (ml-100k)");
        }
        return Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
    }

    /** The first three whitespace-separated fields of {@code line}, or null when it has fewer. */
    private static String[] fields(String line) {
        String[] f = new String[3];
        int n = 0;
        int i = 0;
        int len = line.length();
        while (n < 3) {
            while (i < len && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i == len) {
                return null;
            }
            int start = i;
            while (i < len && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            f[n++] = line.substring(start, i);
        }
        return f;
    }

    private static Interactions read(Path file, Dataset dataset, Interactions all, int[] rowStart) throws IOException {
        InteractionsBuilder b = new InteractionsBuilder();
        int[] allItems = all.items();
        try (org.varec.data.io.TextLines in = org.varec.data.io.TextLines.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                long lineNo = in.lineNumber();
                if (line.isBlank()) {
                    continue;
                }
                String[] f = fields(line);
                if (f == null) {
                    throw new DataFormatException(file, lineNo, "expected 'user item rating timestamp', got '" + line + "'");
                }
                int u = dataset.users().indexOf(f[0]);
                if (u < 0) {
                    throw new DataFormatException(file, lineNo, "user '" + f[0] + "' is not in dataset " + dataset.name());
                }
                int i = dataset.items().indexOf(f[1]);
                if (i < 0) {
                    throw new DataFormatException(file, lineNo, "item '" + f[1] + "' is not in dataset " + dataset.name());
                }
                float v;
                try {
                    v = Float.parseFloat(f[2]);
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, lineNo, "rating '" + f[2] + "' is not a number");
                }
                if (!Float.isFinite(v) || !dataset.scale().contains(v)) {
                    throw new DataFormatException(file, lineNo, "rating " + f[2] + " is outside the dataset's scale "
                            + dataset.scale());
                }
                if (java.util.Arrays.binarySearch(allItems, rowStart[u], rowStart[u + 1], i) < 0) {
                    throw new DataFormatException(file, lineNo, "user '" + f[0] + "' has no rating of item '" + f[1]
                            + "' in dataset " + dataset.name());
                }
                b.add(u, i, v);
            }
        }
        try {
            return b.build(dataset.numUsers(), dataset.numItems(), DuplicatePolicy.ERROR).interactions();
        } catch (InteractionsBuilder.DuplicateRatingException e) {
            throw new DataFormatException(file, "user '" + dataset.users().externalId(e.user()) + "' rates item '"
                    + dataset.items().externalId(e.item()) + "' more than once");
        }
    }
}
