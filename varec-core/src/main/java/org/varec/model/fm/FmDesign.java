package org.varec.model.fm;

import org.varec.data.SparseDesign;

/**
 * A training design matrix as the FM trainers walk it: the rows (CSR, for predictions and
 * residuals) and the columns (CSC: for each feature the rows holding it, for the coordinate-wise
 * steps of ALS, Gibbs and variational Bayes), the feature groups, and for each group whether every
 * row holds at most one of its features. Such a group's parameters are conditionally independent of each other given the
 * rest (they touch disjoint rows), which is what lets ALS and the Gibbs sampler update them in
 * parallel exactly (one-hot user ids, one-hot item ids).
 */
public final class FmDesign {
    final int numRows;
    final int numFeatures;
    final double[] targets;
    final int[] rowOff;
    final int[] rowIdx;
    final float[] rowVal;
    final int[] colOff;
    final int[] colRow;
    final float[] colVal;
    final int numGroups;
    final int[] groupOf;
    /** Features of each group, ascending. */
    final int[][] groupFeatures;
    /** Whether no row holds two features of the group. */
    final boolean[] exclusive;
    /**
     * Per group, its features cut into exclusive classes (no row holds two features of a class):
     * the whole group for an exclusive group; for another (e.g. a libFM file read without a meta
     * file, where user and item one-hots share one group) a greedy colouring of the features by
     * co-occurrence, or null when that needs more than {@link #MAX_CLASSES} classes. A class can be
     * sampled in parallel exactly as an exclusive group is.
     */
    final int[][][] classes;
    static final int MAX_CLASSES = 16;
    final int maxRowLength;

    private FmDesign(SparseDesign d, int minFeatures) {
        numRows = d.numRows();
        numFeatures = Math.max(d.numFeatures(), minFeatures);
        // the long loops are static methods of their own (see transpose)
        targets = widen(d.targets(), numRows);
        rowOff = d.offsets();
        rowIdx = d.features();
        rowVal = d.values();
        int nnz = rowIdx.length;
        colOff = new int[numFeatures + 1];
        colRow = new int[nnz];
        colVal = new float[nnz];
        maxRowLength = transpose(numRows, numFeatures, rowOff, rowIdx, rowVal, colOff, colRow, colVal);
        int[] g = d.featureGroups();
        groupOf = new int[numFeatures];
        int ng = 1;
        if (g != null) {
            for (int j = 0; j < numFeatures; j++) {
                groupOf[j] = j < g.length ? g[j] : 0;
                ng = Math.max(ng, groupOf[j] + 1);
            }
        }
        numGroups = ng;
        int[] count = new int[ng];
        for (int j = 0; j < numFeatures; j++) {
            count[groupOf[j]]++;
        }
        groupFeatures = new int[ng][];
        for (int q = 0; q < ng; q++) {
            groupFeatures[q] = new int[count[q]];
        }
        java.util.Arrays.fill(count, 0);
        for (int j = 0; j < numFeatures; j++) {
            groupFeatures[groupOf[j]][count[groupOf[j]]++] = j;
        }
        exclusive = new boolean[ng];
        java.util.Arrays.fill(exclusive, true);
        markShared(numRows, rowOff, rowIdx, groupOf, exclusive);
        classes = new int[ng][][];
        for (int q = 0; q < ng; q++) {
            classes[q] = exclusive[q] ? new int[][] {groupFeatures[q]} : colour(groupFeatures[q]);
        }
    }

    private static double[] widen(float[] t, int n) {
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            out[r] = t[r];
        }
        return out;
    }

    /**
     * The column layout of the row layout {@code (rowOff, rowIdx, rowVal)}: fills {@code colOff}
     * (length numFeatures + 1), {@code colRow} and {@code colVal} (rows ascending within a column)
     * and returns the longest row's length. A static method of its own, as are the constructor's
     * other long loops, so that the JIT's on-stack compilation of a loop is small: a compilation of
     * the whole constructor cost C2 0.1 s, mostly after the loops had ended.
     */
    private static int transpose(int numRows, int numFeatures, int[] rowOff, int[] rowIdx, float[] rowVal, int[] colOff,
                                 int[] colRow, float[] colVal) {
        int nnz = rowIdx.length;
        for (int p = 0; p < nnz; p++) {
            colOff[rowIdx[p] + 1]++;
        }
        for (int j = 0; j < numFeatures; j++) {
            colOff[j + 1] += colOff[j];
        }
        int[] next = java.util.Arrays.copyOf(colOff, numFeatures);
        int maxLen = 0;
        for (int r = 0; r < numRows; r++) {
            maxLen = Math.max(maxLen, rowOff[r + 1] - rowOff[r]);
            for (int p = rowOff[r]; p < rowOff[r + 1]; p++) {
                int q = next[rowIdx[p]]++;
                colRow[q] = r;
                colVal[q] = rowVal[p];
            }
        }
        return maxLen;
    }

    /** Clears {@code exclusive[q]} for every group q some row holds two features of. */
    private static void markShared(int numRows, int[] rowOff, int[] rowIdx, int[] groupOf, boolean[] exclusive) {
        int[] seen = new int[exclusive.length];
        java.util.Arrays.fill(seen, -1);
        for (int r = 0; r < numRows; r++) {
            for (int p = rowOff[r]; p < rowOff[r + 1]; p++) {
                int q = groupOf[rowIdx[p]];
                if (seen[q] == r) {
                    exclusive[q] = false;
                }
                seen[q] = r;
            }
        }
    }

    /**
     * Greedy colouring of {@code feats} (ascending) by co-occurrence in rows: each feature takes the
     * smallest class none of its row-mates (of the same group, coloured before it) holds. Cost
     * sum over the features' rows of the row lengths. Null beyond {@link #MAX_CLASSES} classes.
     */
    private int[][] colour(int[] feats) {
        int[] colour = new int[numFeatures];
        java.util.Arrays.fill(colour, -1);
        int[] count = new int[MAX_CLASSES];
        long[] forbidden = new long[1];
        int used = 0;
        for (int j : feats) {
            forbidden[0] = 0;
            for (int p = colOff[j]; p < colOff[j + 1]; p++) {
                int r = colRow[p];
                for (int a = rowOff[r]; a < rowOff[r + 1]; a++) {
                    int c = colour[rowIdx[a]];
                    if (c >= 0 && groupOf[rowIdx[a]] == groupOf[j]) {
                        forbidden[0] |= 1L << c;
                    }
                }
            }
            int c = Long.numberOfTrailingZeros(~forbidden[0]);
            if (c >= MAX_CLASSES) {
                return null;
            }
            colour[j] = c;
            count[c]++;
            used = Math.max(used, c + 1);
        }
        int[][] out = new int[used][];
        for (int c = 0; c < used; c++) {
            out[c] = new int[count[c]];
        }
        java.util.Arrays.fill(count, 0);
        for (int j : feats) {
            out[colour[j]][count[colour[j]]++] = j;
        }
        return out;
    }

    /** The exclusive classes of group {@code g} (see {@link #classes}); null when it has too many. */
    public int numClasses(int g) {
        return classes[g] == null ? 0 : classes[g].length;
    }

    /** The design of {@code d}; {@code minFeatures} widens it (features no training row holds). */
    public static FmDesign of(SparseDesign d, int minFeatures) {
        return new FmDesign(d, minFeatures);
    }

    public int numRows() {
        return numRows;
    }

    public int numFeatures() {
        return numFeatures;
    }

    public int numGroups() {
        return numGroups;
    }

    public boolean exclusive(int group) {
        return exclusive[group];
    }
}
