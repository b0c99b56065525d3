package org.varec.data.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.varec.data.Graph;
import org.varec.data.IdIndex;

/**
 * Network data for the stochastic block model: edge lists ({@code i j} per line, whitespace,
 * tab or comma separated, an optional third weight column ignored, {@code #}/{@code %} comments)
 * and dense 0/1 adjacency matrices (one CSV row per vertex, as the NIPS co-authorship file).
 * Edges are undirected; repeats collapse; a self-loop is a bad line.
 */
public final class EdgeLists {
    private EdgeLists() {
    }

    public static Graph read(Path file) throws IOException {
        return read(file, ReadOptions.defaults());
    }

    /** Reads an edge list; vertices are indexed in order of first appearance. */
    public static Graph read(Path file, ReadOptions options) throws IOException {
        BadLines bad = new BadLines(file, options);
        IdIndex vertices = new IdIndex();
        int[] a = new int[256];
        int[] b = new int[256];
        int m = 0;
        try (LineSource src = LineSource.open(file)) {
            Fields fields = null;
            while (src.next()) {
                byte[] buf = src.bytes();
                if (src.blank() || buf[src.start()] == '#' || buf[src.start()] == '%') {
                    continue;
                }
                if (fields == null) {
                    String d = options.delimiter() != null ? options.delimiter()
                            : RatingLines.detectDelimiter(buf, src.start(), src.end());
                    fields = new Fields(d, 3);
                }
                bad.countLine();
                int n = fields.split(buf, src.start(), src.end());
                if (n < 2 || n > 3) {
                    bad.bad(src.lineNumber(), "expected 'i j' (and an optional weight), got " + n + " fields in '"
                            + src.text(80) + "'");
                    continue;
                }
                if (fields.start(0) == fields.end(0) || fields.start(1) == fields.end(1)) {
                    bad.bad(src.lineNumber(), "empty vertex id");
                    continue;
                }
                if (n == 3 && Double.isNaN(Fields.parseNumber(buf, fields.start(2), fields.end(2)))) {
                    bad.bad(src.lineNumber(), "weight '" + Fields.text(buf, fields.start(2), fields.end(2))
                            + "' is not a number");
                    continue;
                }
                String i = Fields.text(buf, fields.start(0), fields.end(0));
                String j = Fields.text(buf, fields.start(1), fields.end(1));
                if (i.equals(j)) {
                    bad.bad(src.lineNumber(), "self-loop on vertex " + i);
                    continue;
                }
                if (m == a.length) {
                    a = Arrays.copyOf(a, 2 * m);
                    b = Arrays.copyOf(b, 2 * m);
                }
                a[m] = vertices.add(i);
                b[m] = vertices.add(j);
                m++;
            }
            bad.finish();
        }
        if (m == 0) {
            throw new DataFormatException(file, "no edges: the file is empty");
        }
        return Graph.of(vertices, Arrays.copyOf(a, m), Arrays.copyOf(b, m));
    }

    /**
     * Reads a square, symmetric 0/1 adjacency matrix with a zero diagonal (comma, tab or space
     * separated, no header); vertex {@code k} has id {@code "k"} (0-based row number), so isolated
     * vertices are kept.
     */
    public static Graph readAdjacency(Path file) throws IOException {
        List<String> lines = TextFiles.lines(file);
        int n = lines.size();
        if (n == 0) {
            throw new DataFormatException(file, "no rows: the file is empty");
        }
        boolean[][] adj = new boolean[n][];
        for (int r = 0; r < n; r++) {
            String[] f = lines.get(r).trim().split("[,\\s]+");
            if (f.length != n) {
                throw new DataFormatException(file, r + 1, "expected " + n + " values (a square matrix), got " + f.length);
            }
            adj[r] = new boolean[n];
            for (int c = 0; c < n; c++) {
                switch (f[c]) {
                    case "0" -> { }
                    case "1" -> adj[r][c] = true;
                    default -> throw new DataFormatException(file, r + 1, "value " + (c + 1) + " is '" + f[c]
                            + "', expected 0 or 1");
                }
            }
            if (adj[r][r]) {
                throw new DataFormatException(file, r + 1, "self-loop on the diagonal");
            }
        }
        IdIndex vertices = new IdIndex();
        for (int v = 0; v < n; v++) {
            vertices.addNumeric(v);
        }
        int[] a = new int[16];
        int[] b = new int[16];
        int m = 0;
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                if (adj[r][c] != adj[c][r]) {
                    throw new DataFormatException(file, r + 1, "not symmetric: entry (" + r + ", " + c + ") differs from ("
                            + c + ", " + r + ")");
                }
                if (adj[r][c]) {
                    if (m == a.length) {
                        a = Arrays.copyOf(a, 2 * m);
                        b = Arrays.copyOf(b, 2 * m);
                    }
                    a[m] = r;
                    b[m] = c;
                    m++;
                }
            }
        }
        return Graph.of(vertices, Arrays.copyOf(a, m), Arrays.copyOf(b, m));
    }
}
