package org.varec.linalg;

/**
 * Gram-matrix accumulation, the inner loop of every row solve and row draw (ALS ridge rows,
 * mean-field VB row posteriors, BPMF row conditionals): {@code G += sum_p w_p z_p z_p^T}.
 *
 * <p>Layout: {@code G} is row-major with row stride {@code stride} (>= the rows' length); only
 * the lower triangle ({@code G[x*stride + y]}, {@code y <= x}) is read or written, as
 * {@link Cholesky} expects. Precision: products and sums in double; float inputs are widened
 * exactly. Each element of {@code G} receives its additions in row order, so a caller that
 * accumulates rows one at a time gets the same bits whatever else it does in between.
 */
public final class Gram {
    private Gram() {
    }

    /**
     * Lower triangle of the leading {@code k x k} block of {@code G} += {@code v v^T} with
     * {@code v = row[off .. off+k)}.
     */
    public static void addOuter(double[] g, int stride, float[] row, int off, int k) {
        for (int x = 0; x < k; x++) {
            double vx = row[off + x];
            int gr = x * stride;
            for (int y = 0; y <= x; y++) {
                g[gr + y] += vx * row[off + y];
            }
        }
    }

    /**
     * {@link #addOuter} of the rows {@code factors[idx[p] k .. idx[p] k + k)} for {@code p} in
     * {@code [from, to)}, in that order, with the same bits: four rows per pass over {@code G},
     * each element receiving its four products as four additions in row order
     * ({@code ((g + a0 b0) + a1 b1) + ...}, Java's left-to-right order), so {@code G} is loaded and
     * stored once per four rows instead of once per row (the ALS and VB row solves' inner loop).
     */
    public static void addOuters(double[] g, int stride, float[] factors, int[] idx, int from, int to, int k) {
        addOuters(g, stride, factors, idx, from, to, k, null, null, -1);
    }

    /**
     * {@link #addOuters(double[], int, float[], int[], int, int, int)} and, in the same pass over
     * the rows (each row read once, while it is in cache), the right-hand side of the row's normal
     * equations {@code rhs[x] += v_p[x] t[p - from]} and, when {@code biasRow >= 0}, the bias row of
     * the augmented Gram {@code G[biasRow + x] += v_p[x]} (regressor {@code [v_p; 1]}; the corner
     * is the caller's). Every element receives its additions in row order, so the bits equal
     * those of separate row-by-row loops. A separate pass for the right-hand side was a fifth of
     * an ALS sweep on ML-1M at K = 10 (docs/als.md, "Speed").
     *
     * @param t   the targets, {@code t[p - from]} for row p, or null for none (then {@code rhs} is unused)
     * @param rhs the right-hand side, length >= k
     * @param biasRow offset of the bias row in {@code G}, or -1 for none
     */
    public static void addOuters(double[] g, int stride, float[] factors, int[] idx, int from, int to, int k,
                                 double[] t, double[] rhs, int biasRow) {
        int p = from;
        for (; p + 4 <= to; p += 4) {
            int b0 = idx[p] * k;
            int b1 = idx[p + 1] * k;
            int b2 = idx[p + 2] * k;
            int b3 = idx[p + 3] * k;
            if (t != null) {
                double t0 = t[p - from];
                double t1 = t[p - from + 1];
                double t2 = t[p - from + 2];
                double t3 = t[p - from + 3];
                for (int x = 0; x < k; x++) {
                    double v0 = factors[b0 + x];
                    double v1 = factors[b1 + x];
                    double v2 = factors[b2 + x];
                    double v3 = factors[b3 + x];
                    rhs[x] = rhs[x] + v0 * t0 + v1 * t1 + v2 * t2 + v3 * t3;
                    if (biasRow >= 0) {
                        g[biasRow + x] = g[biasRow + x] + v0 + v1 + v2 + v3;
                    }
                }
            }
            for (int x = 0; x < k; x++) {
                double v0 = factors[b0 + x];
                double v1 = factors[b1 + x];
                double v2 = factors[b2 + x];
                double v3 = factors[b3 + x];
                int gr = x * stride;
                for (int y = 0; y <= x; y++) {
                    g[gr + y] = g[gr + y] + v0 * factors[b0 + y] + v1 * factors[b1 + y] + v2 * factors[b2 + y]
                            + v3 * factors[b3 + y];
                }
            }
        }
        for (; p < to; p++) {
            int b = idx[p] * k;
            if (t != null) {
                double tp = t[p - from];
                for (int x = 0; x < k; x++) {
                    double vx = factors[b + x];
                    rhs[x] += vx * tp;
                    if (biasRow >= 0) {
                        g[biasRow + x] += vx;
                    }
                }
            }
            addOuter(g, stride, factors, b, k);
        }
    }

    /**
     * Lower triangle of {@code G} ({@code d x d}, stride {@code d}) +=
     * {@code sum_(q<n) w_q z_q z_q^T} with rows {@code z_q = z[q*d .. q*d+d)} stored contiguously.
     * Rows are taken eight (then four, then one) at a time so that each element of {@code G} is
     * loaded and stored once per eight rows: about twice as fast as one row at a time for
     * d = 10..50 (GramBenchmark), at the price of a summation order that differs from
     * {@link #addOuter} row by row in the last bits.
     *
     * @param w weights, or null for all 1
     */
    public static void addWeightedOuters(double[] g, int d, double[] z, double[] w, int n) {
        int q = 0;
        for (; q + 8 <= n; q += 8) {
            int o0 = q * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            int o4 = o3 + d;
            int o5 = o4 + d;
            int o6 = o5 + d;
            int o7 = o6 + d;
            for (int x = 0; x < d; x++) {
                double a0 = weight(w, q) * z[o0 + x];
                double a1 = weight(w, q + 1) * z[o1 + x];
                double a2 = weight(w, q + 2) * z[o2 + x];
                double a3 = weight(w, q + 3) * z[o3 + x];
                double a4 = weight(w, q + 4) * z[o4 + x];
                double a5 = weight(w, q + 5) * z[o5 + x];
                double a6 = weight(w, q + 6) * z[o6 + x];
                double a7 = weight(w, q + 7) * z[o7 + x];
                int row = x * d;
                for (int y = 0; y <= x; y++) {
                    g[row + y] += a0 * z[o0 + y] + a1 * z[o1 + y] + a2 * z[o2 + y] + a3 * z[o3 + y]
                            + a4 * z[o4 + y] + a5 * z[o5 + y] + a6 * z[o6 + y] + a7 * z[o7 + y];
                }
            }
        }
        for (; q + 4 <= n; q += 4) {
            int o0 = q * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            double w0 = weight(w, q);
            double w1 = weight(w, q + 1);
            double w2 = weight(w, q + 2);
            double w3 = weight(w, q + 3);
            for (int x = 0; x < d; x++) {
                double a0 = w0 * z[o0 + x];
                double a1 = w1 * z[o1 + x];
                double a2 = w2 * z[o2 + x];
                double a3 = w3 * z[o3 + x];
                int row = x * d;
                for (int y = 0; y <= x; y++) {
                    g[row + y] += a0 * z[o0 + y] + a1 * z[o1 + y] + a2 * z[o2 + y] + a3 * z[o3 + y];
                }
            }
        }
        for (; q < n; q++) {
            int o0 = q * d;
            double w0 = weight(w, q);
            for (int x = 0; x < d; x++) {
                double a0 = w0 * z[o0 + x];
                int row = x * d;
                for (int y = 0; y <= x; y++) {
                    g[row + y] += a0 * z[o0 + y];
                }
            }
        }
    }

    private static double weight(double[] w, int q) {
        return w == null ? 1.0 : w[q];
    }
}
