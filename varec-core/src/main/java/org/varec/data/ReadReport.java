package org.varec.data;

import java.util.List;

/**
 * What a reader did: lines read, ratings kept, bad lines skipped (with the first few reasons, each
 * {@code file:line: reason}), duplicate pairs merged, and seconds spent.
 */
public record ReadReport(long lines, long ratings, long skippedLines, List<String> skippedExamples,
                         long duplicates, double seconds, String detectedHeader) {
    /** A report without a detected header line. */
    public ReadReport(long lines, long ratings, long skippedLines, List<String> skippedExamples, long duplicates,
                      double seconds) {
        this(lines, ratings, skippedLines, skippedExamples, duplicates, seconds, null);
    }

    public ReadReport {
        skippedExamples = List.copyOf(skippedExamples);
    }

    public static ReadReport empty() {
        return new ReadReport(0, 0, 0, List.of(), 0, 0);
    }
}
