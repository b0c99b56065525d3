package org.varec.metrics;

import java.util.Arrays;

/**
 * Agreement between two clusterings of the same objects (e.g. planted and recovered groups of a
 * block model). Labels are arbitrary ints: only which objects share a label matters, so
 * relabelling either clustering leaves every score unchanged.
 */
public final class Clustering {
    private Clustering() {
    }

    /**
     * The adjusted Rand index of Hubert and Arabie (1985): the Rand index corrected for chance,
     * <pre>
     *   ARI = (sum_ij C(n_ij, 2) - E) / (max - E),
     *   E   = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2),   max = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2
     * </pre>
     * over the contingency table {@code n_ij} (objects labelled i in {@code a} and j in {@code b})
     * with row sums {@code a_i} and column sums {@code b_j}. 1 for identical partitions, about 0
     * for independent ones (it can be negative). When the denominator is 0 (both clusterings put
     * everything in one cluster, or both make every object its own cluster) it is 1, as in
     * scikit-learn's {@code adjusted_rand_score}; fewer than 2 objects also give 1. O(n log n).
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static double adjustedRand(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("clusterings differ in length: " + a.length + " and " + b.length);
        }
        int n = a.length;
        if (n < 2) {
            return 1.0;
        }
        int[] da = dense(a);
        int[] db = dense(b);
        long[] pairs = new long[n];
        for (int k = 0; k < n; k++) {
            pairs[k] = ((long) da[k] << 32) | db[k];
        }
        Arrays.sort(pairs);
        double sumCells = 0;
        for (int k = 0; k < n; ) {
            int e = k;
            while (e < n && pairs[e] == pairs[k]) {
                e++;
            }
            sumCells += choose2(e - k);
            k = e;
        }
        double sumA = sumMargins(da);
        double sumB = sumMargins(db);
        double expected = sumA * sumB / choose2(n);
        double max = 0.5 * (sumA + sumB);
        if (max == expected) {
            return 1.0;
        }
        return (sumCells - expected) / (max - expected);
    }

    /** Labels renumbered 0, 1, ... in increasing order of the original labels. */
    private static int[] dense(int[] labels) {
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int k = 0; k < sorted.length; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                sorted[distinct++] = sorted[k];
            }
        }
        int[] out = new int[labels.length];
        for (int k = 0; k < labels.length; k++) {
            out[k] = Arrays.binarySearch(sorted, 0, distinct, labels[k]);
        }
        return out;
    }

    /** sum over clusters of C(size, 2), labels dense. */
    private static double sumMargins(int[] dense) {
        int max = 0;
        for (int x : dense) {
            max = Math.max(max, x);
        }
        long[] size = new long[max + 1];
        for (int x : dense) {
            size[x]++;
        }
        double s = 0;
        for (long c : size) {
            s += choose2(c);
        }
        return s;
    }

    private static double choose2(long m) {
        return m * (m - 1) / 2.0;
    }
}
