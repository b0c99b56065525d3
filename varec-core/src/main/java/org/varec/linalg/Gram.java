package org.varec.linalg;

import org.varec.util.Cpu;

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
            if (k <= BLOCKED_MAX_K) {
                addFourBlocked(g, stride, factors, b0, b1, b2, b3, k);
            } else {
                addFourRows(g, stride, factors, b0, b1, b2, b3, 0, k);
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
     * Largest K for {@link #addFourBlocked}; above it the row-at-a-time loop, whose long inner loop
     * C2 vectorizes, is as fast or faster. The blocked pass needs about 22 floating-point registers:
     * with AVX-512 (32 registers) it is 1.6x faster at K = 8 and 16, 1.4x at 10 and 20, 1.1x at 32
     * and slower from 40; with AVX2 only (16 registers, {@code -XX:UseAVX=2} on the same machine) it
     * is level at K = 8-16 (-3% to +8%) and 15-45% slower from 20 (docs/als.md, "Speed"). Hence 32
     * where the JIT has the wide register file ({@link Cpu#wideRegisterFile}), else 16. Either
     * kernel gives the same bits, so results do not depend on the machine.
     */
    static final int BLOCKED_MAX_K = Cpu.wideRegisterFile() ? 32 : 16;

    /**
     * The four rating rows at {@code b0..b3} added to rows {@code [x0, k)} of G's lower triangle,
     * one row of G at a time: {@code G[x][y] = G[x][y] + v0[x] v0[y] + ... + v3[x] v3[y]}.
     */
    static void addFourRows(double[] g, int stride, float[] factors, int b0, int b1, int b2, int b3, int x0,
                            int k) {
        for (int x = x0; x < k; x++) {
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

    /**
     * {@link #addFourRows} from row 0 with the same bits (every element still takes its four
     * products in row order), four rows of G per pass: the 16 values {@code v_p[x..x+3]} stay in
     * registers and each {@code v_p[y]} loaded serves four elements, so a pass makes 8 loads and
     * 4 stores of G per 16 products where one row at a time makes 5 and 1 per 4; then two rows,
     * then one, for the K mod 4 left. The diagonal 4 x 4 triangle is written out.
     */
    static void addFourBlocked(double[] g, int stride, float[] f, int b0, int b1, int b2, int b3, int k) {
        int x = 0;
        for (; x + 3 < k; x += 4) {
            double a0 = f[b0 + x];
            double a1 = f[b1 + x];
            double a2 = f[b2 + x];
            double a3 = f[b3 + x];
            double c0 = f[b0 + x + 1];
            double c1 = f[b1 + x + 1];
            double c2 = f[b2 + x + 1];
            double c3 = f[b3 + x + 1];
            double d0 = f[b0 + x + 2];
            double d1 = f[b1 + x + 2];
            double d2 = f[b2 + x + 2];
            double d3 = f[b3 + x + 2];
            double e0 = f[b0 + x + 3];
            double e1 = f[b1 + x + 3];
            double e2 = f[b2 + x + 3];
            double e3 = f[b3 + x + 3];
            int r0 = x * stride;
            int r1 = r0 + stride;
            int r2 = r1 + stride;
            int r3 = r2 + stride;
            for (int y = 0; y < x; y++) {
                double f0 = f[b0 + y];
                double f1 = f[b1 + y];
                double f2 = f[b2 + y];
                double f3 = f[b3 + y];
                g[r0 + y] = g[r0 + y] + a0 * f0 + a1 * f1 + a2 * f2 + a3 * f3;
                g[r1 + y] = g[r1 + y] + c0 * f0 + c1 * f1 + c2 * f2 + c3 * f3;
                g[r2 + y] = g[r2 + y] + d0 * f0 + d1 * f1 + d2 * f2 + d3 * f3;
                g[r3 + y] = g[r3 + y] + e0 * f0 + e1 * f1 + e2 * f2 + e3 * f3;
            }
            g[r0 + x] = g[r0 + x] + a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
            g[r1 + x] = g[r1 + x] + c0 * a0 + c1 * a1 + c2 * a2 + c3 * a3;
            g[r1 + x + 1] = g[r1 + x + 1] + c0 * c0 + c1 * c1 + c2 * c2 + c3 * c3;
            g[r2 + x] = g[r2 + x] + d0 * a0 + d1 * a1 + d2 * a2 + d3 * a3;
            g[r2 + x + 1] = g[r2 + x + 1] + d0 * c0 + d1 * c1 + d2 * c2 + d3 * c3;
            g[r2 + x + 2] = g[r2 + x + 2] + d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
            g[r3 + x] = g[r3 + x] + e0 * a0 + e1 * a1 + e2 * a2 + e3 * a3;
            g[r3 + x + 1] = g[r3 + x + 1] + e0 * c0 + e1 * c1 + e2 * c2 + e3 * c3;
            g[r3 + x + 2] = g[r3 + x + 2] + e0 * d0 + e1 * d1 + e2 * d2 + e3 * d3;
            g[r3 + x + 3] = g[r3 + x + 3] + e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
        }
        if (x + 1 < k) {
            double a0 = f[b0 + x];
            double a1 = f[b1 + x];
            double a2 = f[b2 + x];
            double a3 = f[b3 + x];
            double c0 = f[b0 + x + 1];
            double c1 = f[b1 + x + 1];
            double c2 = f[b2 + x + 1];
            double c3 = f[b3 + x + 1];
            int r0 = x * stride;
            int r1 = r0 + stride;
            for (int y = 0; y <= x; y++) {
                double f0 = f[b0 + y];
                double f1 = f[b1 + y];
                double f2 = f[b2 + y];
                double f3 = f[b3 + y];
                g[r0 + y] = g[r0 + y] + a0 * f0 + a1 * f1 + a2 * f2 + a3 * f3;
                g[r1 + y] = g[r1 + y] + c0 * f0 + c1 * f1 + c2 * f2 + c3 * f3;
            }
            g[r1 + x + 1] = g[r1 + x + 1] + c0 * c0 + c1 * c1 + c2 * c2 + c3 * c3;
            x += 2;
        }
        addFourRows(g, stride, f, b0, b1, b2, b3, x, k);
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
        addWeightedOuters(g, d, z, w, n, null, null);
    }

    /**
     * {@link #addWeightedOuters(double[], int, double[], double[], int)} and, in the same pass,
     * {@code h += sum_q t_q z_q} (the right-hand side of a row's normal equations, BPMF's row
     * conditional), each element of {@code h} receiving its additions in row order
     * ({@code ((h + z_0 t_0) + z_1 t_1) + ...}): the bits of a separate row-by-row loop, without its
     * load and store of {@code h} per row (that loop was 16% of a bpmf fit's samples on ML-1M, K = 20).
     *
     * @param t the rows' targets (already weighted where the caller weights them), or null for none
     * @param h the right-hand side, length >= d (unused when {@code t} is null)
     */
    public static void addWeightedOuters(double[] g, int d, double[] z, double[] w, int n, double[] t, double[] h) {
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
            if (t != null) {
                double t0 = t[q];
                double t1 = t[q + 1];
                double t2 = t[q + 2];
                double t3 = t[q + 3];
                double t4 = t[q + 4];
                double t5 = t[q + 5];
                double t6 = t[q + 6];
                double t7 = t[q + 7];
                for (int x = 0; x < d; x++) {
                    h[x] = h[x] + z[o0 + x] * t0 + z[o1 + x] * t1 + z[o2 + x] * t2 + z[o3 + x] * t3
                            + z[o4 + x] * t4 + z[o5 + x] * t5 + z[o6 + x] * t6 + z[o7 + x] * t7;
                }
            }
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
            if (t != null) {
                double t0 = t[q];
                double t1 = t[q + 1];
                double t2 = t[q + 2];
                double t3 = t[q + 3];
                for (int x = 0; x < d; x++) {
                    h[x] = h[x] + z[o0 + x] * t0 + z[o1 + x] * t1 + z[o2 + x] * t2 + z[o3 + x] * t3;
                }
            }
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
            if (t != null) {
                double t0 = t[q];
                for (int x = 0; x < d; x++) {
                    h[x] += z[o0 + x] * t0;
                }
            }
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
