package org.varec.data;

import java.nio.file.Path;

/**
 * Networks as rating data, so that every protocol, metric and rating model applies to link
 * prediction unchanged. A graph of {@code N} vertices becomes a {@link Dataset} whose users and
 * items are both the vertices (one shared {@link IdIndex}) and whose "ratings" are all
 * {@code N(N-1)/2} unordered pairs {@code (i, j)}, {@code i < j}: value 1 for a link, 0 for a
 * non-link, on the scale 0..1. A protocol such as {@code holdout:0.9x5} then holds out a share of
 * the pairs, links and non-links alike, as link-prediction studies do.
 *
 * <p>Training sees each training pair in both orientations ({@link #mirror}), so that a held-out
 * pair is hidden in both directions and a rating model (svd, biasmf) fits the symmetric 0/1
 * matrix; test and validation pairs stay upper-triangular ({@code user < item}) and are scored
 * once each.
 *
 * <p>Worked example: a triangle-free path {@code 0 - 1 - 2} gives the pairs (0,1)=1, (0,2)=0,
 * (1,2)=1; holding out (0,2) trains on (0,1), (1,0), (1,2), (2,1), all with value 1.
 */
public final class Networks {
    /**
     * All-pairs link prediction is quadratic in the vertices; above this many pairs (about 10,000
     * vertices) it needs negative sampling, which varec does not do.
     */
    public static final long MAX_PAIRS = 50_000_000L;

    private Networks() {
    }

    /**
     * The dataset of all unordered pairs of {@code graph}'s vertices, sorted by first then second
     * vertex.
     *
     * @throws IllegalArgumentException for fewer than 3 vertices or more than {@link #MAX_PAIRS} pairs
     */
    public static Dataset dataset(Graph graph, String name, String format, Path source, ReadReport report) {
        int n = graph.numVertices();
        long pairs = (long) n * (n - 1) / 2;
        if (n < 3) {
            throw new IllegalArgumentException(source + ": a network needs at least 3 vertices, got " + n);
        }
        if (pairs > MAX_PAIRS) {
            throw new IllegalArgumentException(source + ": " + n + " vertices make " + pairs + " vertex pairs; "
                    + "all-pairs link prediction stops at " + MAX_PAIRS + " (negative sampling is not supported)");
        }
        int m = (int) pairs;
        int[] u = new int[m];
        int[] v = new int[m];
        float[] x = new float[m];
        int[] off = graph.offsets();
        int[] nb = graph.neighbours();
        int k = 0;
        for (int i = 0; i < n; i++) {
            int p = off[i];
            while (p < off[i + 1] && nb[p] <= i) {
                p++;
            }
            for (int j = i + 1; j < n; j++) {
                u[k] = i;
                v[k] = j;
                if (p < off[i + 1] && nb[p] == j) {
                    x[k] = 1f;
                    p++;
                }
                k++;
            }
        }
        Interactions all = new Interactions(n, n, u, v, x, true);
        return new Dataset(name, format, source, graph.vertices(), graph.vertices(), all, new RatingScale(0, 1),
                null, null, null, report, graph);
    }

    /**
     * {@code pairs} in both orientations: every {@code (i, j, x)} also as {@code (j, i, x)}, sorted
     * by user then item. Pairs must be over distinct vertices and each unordered pair at most once.
     */
    public static Interactions mirror(Interactions pairs) {
        int m = pairs.size();
        int n = pairs.numUsers();
        if (pairs.numItems() != n) {
            throw new IllegalArgumentException("network pairs need one vertex index, got " + n + "x" + pairs.numItems());
        }
        int[] a = pairs.users();
        int[] b = pairs.items();
        float[] x = pairs.values();
        int[] count = new int[n + 1];
        for (int k = 0; k < m; k++) {
            if (a[k] == b[k]) {
                throw new IllegalArgumentException("self-pair on vertex " + a[k]);
            }
            count[a[k] + 1]++;
            count[b[k] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        int[] fill = java.util.Arrays.copyOf(count, n);
        int[] cols = new int[2 * m];
        float[] vals = new float[2 * m];
        for (int k = 0; k < m; k++) {
            int p = fill[a[k]]++;
            cols[p] = b[k];
            vals[p] = x[k];
            p = fill[b[k]]++;
            cols[p] = a[k];
            vals[p] = x[k];
        }
        int[] rows = new int[2 * m];
        for (int i = 0; i < n; i++) {
            sortRow(cols, vals, count[i], count[i + 1]);
            java.util.Arrays.fill(rows, count[i], count[i + 1], i);
        }
        return new Interactions(n, n, rows, cols, vals, true);
    }

    /**
     * What a vertex must not be recommended: its links (pairs valued 1, both orientations) and
     * itself, sorted by user then item.
     */
    public static Interactions linksAndSelf(Interactions pairs) {
        int n = pairs.numUsers();
        float[] v = pairs.values();
        int links = 0;
        for (float x : v) {
            if (x != 0f) {
                links++;
            }
        }
        int[] a = new int[links + n];
        int[] b = new int[links + n];
        int w = 0;
        for (int k = 0; k < v.length; k++) {
            if (v[k] != 0f) {
                a[w] = pairs.users()[k];
                b[w] = pairs.items()[k];
                w++;
            }
        }
        Interactions m = mirror(new Interactions(n, n, java.util.Arrays.copyOf(a, links),
                java.util.Arrays.copyOf(b, links), new float[links], false));
        int[] rows = new int[m.size() + n];
        int[] cols = new int[m.size() + n];
        int r = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            boolean self = false;
            while (q < m.size() && m.users()[q] == i) {
                if (!self && m.items()[q] > i) {
                    rows[r] = i;
                    cols[r++] = i;
                    self = true;
                }
                rows[r] = i;
                cols[r++] = m.items()[q++];
            }
            if (!self) {
                rows[r] = i;
                cols[r++] = i;
            }
        }
        float[] ones = new float[r];
        java.util.Arrays.fill(ones, 1f);
        return new Interactions(n, n, rows, cols, ones, true);
    }

    /** Insertion-sorts row segment {@code [from, to)} by column (rows are short and mostly ordered). */
    private static void sortRow(int[] cols, float[] vals, int from, int to) {
        for (int p = from + 1; p < to; p++) {
            int c = cols[p];
            float v = vals[p];
            int q = p - 1;
            while (q >= from && cols[q] > c) {
                cols[q + 1] = cols[q];
                vals[q + 1] = vals[q];
                q--;
            }
            cols[q + 1] = c;
            vals[q + 1] = v;
        }
    }
}
