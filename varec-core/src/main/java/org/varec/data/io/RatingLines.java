package org.varec.data.io;

import java.io.IOException;
import java.nio.file.Path;
import org.varec.data.IdIndex;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingScale;

/**
 * Reads {@code user item rating [timestamp]} lines into an {@link InteractionsBuilder}, mapping
 * ids through the given indices. Every MovieLens ratings file and every generic triples file goes
 * through here.
 *
 * <p>Blank lines and lines starting with {@code #} or {@code %} are skipped. The delimiter is the
 * option's, else the format's, else detected on the first data line ({@code ::}, tab, comma,
 * semicolon, else whitespace). The header is the option's, else the format's, else detected: a
 * first line none of whose user, item and rating fields is a number is a header (so a first data
 * line with a bad rating, {@code 1,1,NaN} or {@code 7,42,}, is reported as bad, not dropped); a
 * detected header is reported ({@link Result#detectedHeader}) so that a wrong guess is visible. A bad line (field count, empty id,
 * rating not a finite number or outside {@code scale}) goes to {@link BadLines}.
 */
final class RatingLines {
    /** What one file held. */
    record Result(long lines, long ratings, long skipped, java.util.List<String> skippedExamples, boolean header,
                  String delimiter, String detectedHeader) {
    }

    private RatingLines() {
    }

    static Result read(Path file, ReadOptions options, String formatDelimiter, Boolean formatHeader, RatingScale scale,
                       IdIndex users, IdIndex items, InteractionsBuilder out) throws IOException {
        String delimiter = options.delimiter() != null ? options.delimiter() : formatDelimiter;
        Boolean header = options.header() != null ? options.header() : formatHeader;
        BadLines bad = new BadLines(file, options);
        boolean sawHeader = false;
        String detected = null;
        try (LineSource src = LineSource.open(file)) {
            Lines lines = null;
            while (lines == null && src.next()) { // up to the first data line: delimiter and header
                if (comment(src)) {
                    continue;
                }
                byte[] b = src.bytes();
                int s = src.start();
                int e = src.end();
                if (delimiter == null) {
                    delimiter = detectDelimiter(b, s, e);
                }
                lines = new Lines(new Fields(delimiter, 4), delimiter, scale, users, items, out, bad);
                boolean isHeader;
                if (header != null) {
                    isHeader = header;
                } else {
                    Fields fields = lines.fields;
                    int n = fields.split(b, s, e);
                    isHeader = n >= 3 && !number(b, fields.start(0), fields.end(0))
                            && !number(b, fields.start(1), fields.end(1))
                            && fields.end(2) > fields.start(2) && !number(b, fields.start(2), fields.end(2));
                    if (isHeader) {
                        detected = src.text(80);
                    }
                }
                if (isHeader) {
                    sawHeader = true;
                } else {
                    lines.line(src);
                }
            }
            // The loop over the data lines stays this small, and the work of a line in its own
            // method, so that the JIT compiles that method once, early, and cheaply: with the line's
            // work inlined here, C2 compiled this method a second time when the test file was read
            // (0.3 s of the compiler's time, spent while the first epochs of training waited for it).
            while (lines != null && src.next()) {
                if (!comment(src)) {
                    lines.line(src);
                }
            }
            bad.finish();
            return new Result(src.lineNumber(), lines == null ? 0 : lines.ratings, bad.count(), bad.examples(), sawHeader,
                    delimiter, detected);
        }
    }

    /** Whether the current line is blank or a comment ({@code #} or {@code %} first). */
    private static boolean comment(LineSource src) {
        if (src.blank()) {
            return true;
        }
        byte c = src.bytes()[src.start()];
        return c == '#' || c == '%';
    }

    /** The data lines of one file: each one checked, its ids mapped and its rating added. */
    private static final class Lines {
        final Fields fields;
        final String delimiter;
        final RatingScale scale;
        final IdIndex users;
        final IdIndex items;
        final InteractionsBuilder out;
        final BadLines bad;
        long ratings;

        Lines(Fields fields, String delimiter, RatingScale scale, IdIndex users, IdIndex items, InteractionsBuilder out,
              BadLines bad) {
            this.fields = fields;
            this.delimiter = delimiter;
            this.scale = scale;
            this.users = users;
            this.items = items;
            this.out = out;
            this.bad = bad;
        }

        /** One data line (not blank, not a comment): added, or reported as bad. */
        void line(LineSource src) {
            byte[] b = src.bytes();
            bad.countLine();
            int n = fields.split(b, src.start(), src.end());
            if (n < 3 || n > 4) {
                bad.bad(src.lineNumber(), "expected 3 or 4 fields (user item rating [timestamp]) separated by "
                        + describe(delimiter) + ", got " + n + " in '" + src.text(80) + "'");
                return;
            }
            if (fields.end(0) == fields.start(0) || fields.end(1) == fields.start(1)) {
                bad.bad(src.lineNumber(), "empty " + (fields.end(0) == fields.start(0) ? "user" : "item") + " id in '"
                        + src.text(80) + "'");
                return;
            }
            double r = Fields.parseNumber(b, fields.start(2), fields.end(2));
            if (Double.isNaN(r)) {
                bad.bad(src.lineNumber(), "rating '" + Fields.text(b, fields.start(2), fields.end(2))
                        + "' is not a finite number");
                return;
            }
            if (!scale.contains(r)) {
                bad.bad(src.lineNumber(), "rating " + Fields.text(b, fields.start(2), fields.end(2))
                        + " is outside the rating scale " + scale + " (set another with --scale MIN:MAX)");
                return;
            }
            int u;
            int i;
            try {
                u = users.add(b, fields.start(0), fields.end(0));
                i = items.add(b, fields.start(1), fields.end(1));
            } catch (IllegalArgumentException tooLong) { // an id a model file cannot hold
                bad.bad(src.lineNumber(), tooLong.getMessage());
                return;
            }
            out.add(u, i, (float) r);
            ratings++;
        }
    }

    /** Whether a field reads as a number (NaN and infinities included: "NaN" is no column name). */
    private static boolean number(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        String t = Fields.text(b, from, to).strip();
        if (t.equalsIgnoreCase("nan") || t.matches("(?i)[+-]?inf(inity)?")) {
            return true;
        }
        return !Double.isNaN(Fields.parseNumber(b, from, to));
    }

    /** The delimiter a data line most plausibly uses: {@code ::}, tab, comma, semicolon, else whitespace (null). */
    static String detectDelimiter(byte[] b, int s, int e) {
        boolean tab = false;
        boolean comma = false;
        boolean semi = false;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == ':' && i + 1 < e && b[i + 1] == ':') {
                return "::";
            }
            tab |= c == '\t';
            comma |= c == ',';
            semi |= c == ';';
        }
        return tab ? "\t" : comma ? "," : semi ? ";" : null;
    }

    static String describe(String delimiter) {
        if (delimiter == null) {
            return "whitespace";
        }
        return switch (delimiter) {
            case "\t" -> "tabs";
            case "," -> "commas";
            case ";" -> "semicolons";
            default -> "'" + delimiter + "'";
        };
    }
}
