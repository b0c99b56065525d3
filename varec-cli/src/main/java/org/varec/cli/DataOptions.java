package org.varec.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.data.io.Datasets;
import org.varec.data.io.ReadOptions;
import picocli.CommandLine.Option;

/** How to read rating files: shared by every command that reads data. */
final class DataOptions {
    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto (default: a MovieLens directory is recognised by its files, any other file is read as "
                    + "delimited), ml-100k, ml-1m, ml-10m, ml-csv (20M, 25M, latest), delimited (user item rating [timestamp]), "
                    + "libfm (eval only: libFM train and test files, FM algorithms), adjacency (a network as a square "
                    + "0/1 CSV matrix), edges (a network as 'i j' lines). "
                    + "See docs/data-formats.md.")
    String format;

    @Option(names = "--delimiter", paramLabel = "SEP",
            description = "Field delimiter of delimited files (default: detect tab, '::', ',', ';', spaces). Use 'tab' for a tab.")
    String delimiter;

    @Option(names = "--header", negatable = true, description = "First line is a header (default: detect).")
    Boolean header;

    @Option(names = "--scale", paramLabel = "MIN:MAX",
            description = "Declared rating range, e.g. 1:5; values outside are errors (default: the format's; none for generic files).")
    String scale;

    @Option(names = "--skip-bad-lines", description = "Skip malformed lines and report counts instead of stopping at the first.")
    boolean skipBadLines;

    @Option(names = "--duplicates", defaultValue = "last", paramLabel = "POLICY",
            description = "Repeated (user, item) pairs: last (default: keep the last in file order), first, mean, error.")
    String duplicates;

    @Option(names = "--implicit", paramLabel = "T",
            description = {"Implicit feedback: keep only ratings >= T, each as 1 (Liang et al. keep ML-20M ratings >= 4 as clicks),",
                    "for ranking models such as mult-vae likelihood=multinomial; ranking relevance then defaults to 0."})
    Double implicit;

    /** Whether the files are libFM design matrices rather than ratings. */
    boolean libFm() {
        return "libfm".equalsIgnoreCase(format);
    }

    @Option(names = "--user-features", paramLabel = "FILE",
            description = {"Side information for users from a delimited file with a header: id, then one categorical",
                    "column per feature group (cells may hold several values separated by '|'); replaces the dataset's own."})
    Path userFeatures;

    @Option(names = "--item-features", paramLabel = "FILE",
            description = "The same for items (e.g. item,genre,director,decade).")
    Path itemFeatures;

    /** Attaches the --user-features / --item-features tables to {@code d} (no-op without them). */
    Dataset withSideInformation(Dataset d, PrintStream err, boolean quiet) throws IOException {
        if (userFeatures == null && itemFeatures == null) {
            return d;
        }
        org.varec.data.FeatureTable u = null;
        org.varec.data.FeatureTable i = null;
        String delim = delimiter == null ? null : readOptions().delimiter();
        for (int side = 0; side < 2; side++) {
            Path f = side == 0 ? userFeatures : itemFeatures;
            if (f == null) {
                continue;
            }
            var r = org.varec.data.io.SideInformation.read(f, side == 0 ? d.users() : d.items(), delim);
            if (!quiet) {
                err.printf(java.util.Locale.ROOT, "side information %s: %,d rows, groups %s%s%n", f, r.rows(),
                        r.table().groupNames(), r.unknownIds() > 0 ? ", " + r.unknownIds() + " unknown ids skipped" : "");
            }
            if (side == 0) {
                u = r.table();
            } else {
                i = r.table();
            }
        }
        return d.withSideInformation(u, i);
    }

    ReadOptions readOptions() {
        String d = delimiter;
        if ("tab".equalsIgnoreCase(d) || "\\t".equals(d)) {
            d = "\t";
        }
        return new ReadOptions(format, d, header, scale == null ? null : RatingScale.parse(scale), skipBadLines,
                DuplicatePolicy.parse(duplicates), 0.5);
    }

    /** Reads {@code path} and attaches --user-features / --item-features. */
    Dataset read(Path path, PrintStream err, boolean quiet) throws IOException {
        return withSideInformation(readRatings(path, err, quiet), err, quiet);
    }

    /** Reads {@code path} as it is (no side-information files). */
    Dataset readRatings(Path path, PrintStream err, boolean quiet) throws IOException {
        if (libFm()) {
            throw new IllegalArgumentException("--format libfm is for 'varec eval --train F --test F' with FM algorithms "
                    + "(a libFM file holds a design matrix, not ratings by user and item)");
        }
        Dataset d = Datasets.read(path, readOptions());
        if (!quiet) {
            report(d, err);
        }
        if (implicit != null) {
            int before = d.numRatings();
            d = d.implicit(implicit);
            if (!quiet) {
                err.printf(java.util.Locale.ROOT, "implicit feedback: kept %,d of %,d ratings (>= %s) as clicks%n",
                        d.numRatings(), before, implicit);
            }
        }
        return d;
    }

    static void report(Dataset d, PrintStream err) {
        ReadReport r = d.report();
        if (d.isNetwork()) {
            err.printf(java.util.Locale.ROOT, "read network %s (%s): %,d vertices, %,d links, %,d vertex pairs in %.2fs%n",
                    d.name(), d.format(), d.numUsers(), d.graph().numEdges(), d.numRatings(), r.seconds());
            return;
        }
        err.printf(java.util.Locale.ROOT, "read %s (%s): %,d users, %,d items, %,d ratings in %.2fs%n",
                d.name(), d.format(), d.numUsers(), d.numItems(), d.numRatings(), r.seconds());
        if (r.detectedHeader() != null) { // a guess: shown, so that a data line taken for a header is seen
            err.println("header detected: " + org.varec.util.Text.quote(r.detectedHeader())
                    + " (--no-header if it is data)");
        }
        if (r.skippedLines() > 0) {
            err.printf(java.util.Locale.ROOT, "skipped %,d bad lines, e.g.:%n", r.skippedLines());
            r.skippedExamples().stream().limit(3).forEach(s -> err.println("  " + s));
        }
        if (r.duplicates() > 0) {
            err.printf(java.util.Locale.ROOT, "merged %,d duplicate (user, item) ratings%n", r.duplicates());
        }
    }
}
