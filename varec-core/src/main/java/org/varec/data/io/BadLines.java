package org.varec.data.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bad-line bookkeeping shared by the readers. Without {@code skip}, the first bad line is a
 * {@link DataFormatException}. With it, bad lines are counted (keeping the first few messages)
 * until more than {@code maxFraction} of the first {@link ReadOptions#BAD_FRACTION_WINDOW} lines,
 * or of the whole file, are bad: then the file is refused, since it is not the format it was
 * read as.
 */
final class BadLines {
    static final int EXAMPLES = 5;

    private final Path file;
    private final boolean skip;
    private final double maxFraction;
    private final List<String> examples = new ArrayList<>();
    private long bad;
    private long seen;

    BadLines(Path file, ReadOptions options) {
        this.file = file;
        this.skip = options.skipBadLines();
        this.maxFraction = options.maxBadFraction();
    }

    /** Counts one data line (good or bad) toward the fraction; checks it after the window. */
    void countLine() {
        seen++;
        if (seen == ReadOptions.BAD_FRACTION_WINDOW) {
            check("of the first " + seen);
        }
    }

    /** Reports a bad line: throws, or records it when skipping. */
    void bad(long line, String reason) {
        DataFormatException e = new DataFormatException(file, line, reason);
        if (!skip) {
            throw e;
        }
        bad++;
        if (examples.size() < EXAMPLES) {
            examples.add(e.getMessage());
        }
    }

    /** Final check over the whole file. */
    void finish() {
        if (seen > 0) {
            check("of all " + seen);
        }
    }

    private void check(String scope) {
        if (bad > maxFraction * seen) {
            throw new DataFormatException(file, bad + " " + scope + " lines are malformed (first: " + examples.get(0)
                    + "); is this the right file and --format?");
        }
    }

    long count() {
        return bad;
    }

    List<String> examples() {
        return examples;
    }
}
