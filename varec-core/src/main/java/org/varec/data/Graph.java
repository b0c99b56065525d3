package org.varec.data;

import java.util.Arrays;

/**
 * An undirected simple graph over dense vertex indices, stored as symmetric CSR adjacency
 * (each edge appears in both endpoints' rows, rows ascending, no self-loops, no repeats).
 */
public final class Graph {
    private final IdIndex vertices;
    private final int[] offsets;
    private final int[] neighbours;

    private Graph(IdIndex vertices, int[] offsets, int[] neighbours) {
        this.vertices = vertices;
        this.offsets = offsets;
        this.neighbours = neighbours;
    }

    /**
     * Builds the graph from edge endpoints {@code (a[e], b[e])}; repeated edges (in either
     * direction) are kept once, self-loops are refused.
     */
    public static Graph of(IdIndex vertices, int[] a, int[] b) {
        int n = vertices.size();
        int m = a.length;
        long[] keys = new long[2 * m];
        for (int e = 0; e < m; e++) {
            if (a[e] == b[e]) {
                throw new IllegalArgumentException("self-loop on vertex " + vertices.externalId(a[e]));
            }
            keys[2 * e] = ((long) a[e] << 32) | b[e];
            keys[2 * e + 1] = ((long) b[e] << 32) | a[e];
        }
        Arrays.sort(keys);
        int[] offsets = new int[n + 1];
        int[] nb = new int[keys.length];
        int w = 0;
        for (int k = 0; k < keys.length; k++) {
            if (k > 0 && keys[k] == keys[k - 1]) {
                continue;
            }
            int from = (int) (keys[k] >>> 32);
            offsets[from + 1]++;
            nb[w++] = (int) keys[k];
        }
        for (int v = 0; v < n; v++) {
            offsets[v + 1] += offsets[v];
        }
        return new Graph(vertices, offsets, Arrays.copyOf(nb, w));
    }

    public IdIndex vertices() {
        return vertices;
    }

    public int numVertices() {
        return vertices.size();
    }

    /** Number of undirected edges. */
    public int numEdges() {
        return neighbours.length / 2;
    }

    public int degree(int v) {
        return offsets[v + 1] - offsets[v];
    }

    public int[] offsets() {
        return offsets;
    }

    public int[] neighbours() {
        return neighbours;
    }

    public boolean hasEdge(int u, int v) {
        return Arrays.binarySearch(neighbours, offsets[u], offsets[u + 1], v) >= 0;
    }
}
