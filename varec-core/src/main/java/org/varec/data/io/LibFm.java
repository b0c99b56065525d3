package org.varec.data.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.varec.data.SparseDesign;

/**
 * libFM's text format, so that users can bring their libFM files and compare with libFM on
 * identical input. Each line is {@code target id:value id:value ...} separated by whitespace,
 * ids non-negative integers; the {@code -meta} group file has one line per feature holding its
 * group number. Bad lines go through the same rules as every reader ({@code file:line: reason},
 * {@code --skip-bad-lines}, fail fast on garbage).
 */
public final class LibFm {
    private LibFm() {
    }

    public static SparseDesign read(Path file) throws IOException {
        return read(file, ReadOptions.defaults());
    }

    public static SparseDesign read(Path file, ReadOptions options) throws IOException {
        BadLines bad = new BadLines(file, options);
        Rows rows = new Rows(bad);
        try (LineSource src = LineSource.open(file)) {
            // the work of a line is a method of its own, compiled once and early by the JIT; inlined
            // in this loop, it made C2 compile this method again for the test file (0.2 s of the
            // compiler's time, spent while training waited for its own compilations)
            while (src.next()) {
                if (!src.blank()) {
                    rows.line(src);
                }
            }
            bad.finish();
        }
        if (rows.rows == 0) {
            throw new DataFormatException(file, "no rows: the file is empty");
        }
        return rows.design();
    }

    /** The rows read so far, in growing arrays. */
    private static final class Rows {
        final BadLines bad;
        final Fields fields = new Fields(null, 1 << 15);
        float[] targets = new float[1024];
        int[] offsets = new int[1025];
        int[] features = new int[4096];
        float[] values = new float[4096];
        int rows;
        int nnz;
        int maxFeature = -1;

        Rows(BadLines bad) {
            this.bad = bad;
        }

        /** One non-blank line: a row added, or the line reported as bad. */
        void line(LineSource src) {
            bad.countLine();
            byte[] b = src.bytes();
            int n = fields.split(b, src.start(), src.end());
            if (n > 1 << 15) {
                bad.bad(src.lineNumber(), "more than " + (1 << 15) + " features on one line");
                return;
            }
            double t = Fields.parseNumber(b, fields.start(0), fields.end(0));
            if (Double.isNaN(t)) {
                bad.bad(src.lineNumber(), "target '" + Fields.text(b, fields.start(0), fields.end(0))
                        + "' is not a finite number");
                return;
            }
            if (nnz + n > features.length) {
                int cap = Math.max(features.length * 2, nnz + n);
                features = Arrays.copyOf(features, cap);
                values = Arrays.copyOf(values, cap);
            }
            int at = nnz;
            for (int f = 1; f < n; f++) {
                int s = fields.start(f);
                int e = fields.end(f);
                int colon = -1;
                for (int i = s; i < e; i++) {
                    if (b[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon < 0) {
                    bad.bad(src.lineNumber(), "expected id:value, got '" + Fields.text(b, s, e) + "'");
                    return;
                }
                int id = Fields.parseIndex(b, s, colon);
                if (id < 0) {
                    String text = Fields.text(b, s, colon);
                    bad.bad(src.lineNumber(), text.matches("[0-9]{10,}")
                            ? "feature id " + text + " is too large: at most 999,999,999 (ids index the model's "
                                    + "arrays; number the features from 0)"
                            : "feature id '" + text + "' is not a non-negative integer");
                    return;
                }
                double v = Fields.parseNumber(b, colon + 1, e);
                if (Double.isNaN(v)) {
                    bad.bad(src.lineNumber(), "value '" + Fields.text(b, colon + 1, e) + "' of feature " + id
                            + " is not a finite number");
                    return;
                }
                features[at] = id;
                values[at] = (float) v;
                at++;
                maxFeature = Math.max(maxFeature, id);
            }
            if (rows == targets.length) {
                targets = Arrays.copyOf(targets, rows * 2);
                offsets = Arrays.copyOf(offsets, rows * 2 + 1);
            }
            targets[rows] = (float) t;
            nnz = at;
            offsets[++rows] = nnz;
        }

        SparseDesign design() {
            return new SparseDesign(Arrays.copyOf(targets, rows), Arrays.copyOf(offsets, rows + 1),
                    Arrays.copyOf(features, nnz), Arrays.copyOf(values, nnz), maxFeature + 1, null);
        }
    }

    /** Reads a libFM {@code -meta} file: line {@code f} (0-based) holds the group of feature {@code f}. */
    public static int[] readGroups(Path file, int numFeatures) throws IOException {
        List<String> lines = TextFiles.lines(file);
        if (lines.size() < numFeatures) {
            throw new DataFormatException(file, "has groups for " + lines.size() + " features, the data has " + numFeatures);
        }
        int[] groups = new int[lines.size()];
        for (int k = 0; k < groups.length; k++) {
            try {
                groups[k] = Integer.parseInt(lines.get(k).trim());
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, k + 1, "group '" + lines.get(k) + "' is not an integer");
            }
            if (groups[k] < 0) {
                throw new DataFormatException(file, k + 1, "group " + groups[k] + " is negative");
            }
        }
        return groups;
    }

    /** Writes {@code d} in libFM's text format, atomically (a temp file renamed into place). */
    public static void write(SparseDesign d, Path file) throws IOException {
        org.varec.util.AtomicFiles.write(file, raw -> {
            Writer w = new java.io.OutputStreamWriter(raw, StandardCharsets.US_ASCII);
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < d.numRows(); r++) {
                sb.setLength(0);
                sb.append(num(d.targets()[r]));
                for (int p = d.offsets()[r]; p < d.offsets()[r + 1]; p++) {
                    sb.append(' ').append(d.features()[p]).append(':').append(num(d.values()[p]));
                }
                sb.append('\n');
                w.append(sb);
            }
            w.flush();
        });
    }

    private static String num(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Float.toString(v);
    }
}
