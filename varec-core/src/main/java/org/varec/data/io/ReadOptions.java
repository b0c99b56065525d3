package org.varec.data.io;

import org.varec.data.DuplicatePolicy;
import org.varec.data.RatingScale;

/**
 * How to read a dataset. Null fields mean "the format's default".
 *
 * @param format         reader name ({@code auto}, {@code ml-100k}, {@code ml-1m}, {@code ml-10m},
 *                       {@code ml-csv}, {@code delimited}, {@code libfm}, {@code edges})
 * @param delimiter      field delimiter for delimited files (null: detect tab, comma, {@code ::}, space)
 * @param header         whether the first line is a header (null: detect)
 * @param scale          declared rating range (null: the format's; unbounded for generic files)
 * @param skipBadLines   skip malformed lines and report counts instead of failing on the first
 * @param duplicates     policy for repeated (user, item) pairs
 * @param maxBadFraction with skipBadLines, give up when more than this fraction of the first
 *                       {@value #BAD_FRACTION_WINDOW} lines (or of all lines) is bad: a file of garbage fails fast
 */
public record ReadOptions(String format, String delimiter, Boolean header, RatingScale scale, boolean skipBadLines,
                          DuplicatePolicy duplicates, double maxBadFraction) {
    /** Lines after which the bad-line fraction is checked. */
    public static final int BAD_FRACTION_WINDOW = 1000;

    public ReadOptions {
        if (format == null || format.isBlank()) {
            format = "auto";
        }
        if (delimiter != null && delimiter.isEmpty()) {
            throw new IllegalArgumentException("the delimiter is empty: give one (',', 'tab', '::', ';') or leave "
                    + "--delimiter out to detect it");
        }
        if (duplicates == null) {
            duplicates = DuplicatePolicy.LAST;
        }
        if (!(maxBadFraction > 0 && maxBadFraction <= 1)) {
            throw new IllegalArgumentException("maxBadFraction must be in (0, 1], got " + maxBadFraction);
        }
    }

    public static ReadOptions defaults() {
        return new ReadOptions("auto", null, null, null, false, DuplicatePolicy.LAST, 0.5);
    }

    public ReadOptions withFormat(String f) {
        return new ReadOptions(f, delimiter, header, scale, skipBadLines, duplicates, maxBadFraction);
    }

    public ReadOptions withDelimiter(String d) {
        return new ReadOptions(format, d, header, scale, skipBadLines, duplicates, maxBadFraction);
    }

    public ReadOptions withHeader(Boolean h) {
        return new ReadOptions(format, delimiter, h, scale, skipBadLines, duplicates, maxBadFraction);
    }

    public ReadOptions withScale(RatingScale s) {
        return new ReadOptions(format, delimiter, header, s, skipBadLines, duplicates, maxBadFraction);
    }

    public ReadOptions withSkipBadLines(boolean skip) {
        return new ReadOptions(format, delimiter, header, scale, skip, duplicates, maxBadFraction);
    }

    public ReadOptions withDuplicates(DuplicatePolicy p) {
        return new ReadOptions(format, delimiter, header, scale, skipBadLines, p, maxBadFraction);
    }
}
