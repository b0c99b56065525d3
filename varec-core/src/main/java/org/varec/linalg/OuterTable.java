package org.varec.linalg;

import java.util.Arrays;
import org.varec.util.Parallel;

/**
 * A table of the outer products {@code z_j z_j^T} of one side's rows, {@code z_j = [v_j; 1]}, made
 * once per half-step of ALS, vbmf (the posterior means) and bpmf (the samples, each row times its
 * noise multiplier), so that each row solve or draw of the other side sums table rows instead of
 * multiplying factor rows: {@code G = sum_p z_(j_p) z_(j_p)^T} becomes a sum of contiguous rows,
 * which C2 vectorizes (a float table read into a double accumulator: arrays of two types, which the
 * compiler knows cannot overlap), where the products of {@link Gram#addOuters} stay scalar.
 *
 * <p><b>Layout.</b> Row {@code j} is {@code stride = d (d + 1) / 2} floats at {@code j * stride}, with
 * {@code d = k + 1}: the packed lower triangle of {@code z_j z_j^T}, row by row, element
 * {@code (x, y)}, {@code y <= x}, at {@code x (x + 1) / 2 + y}. So its first {@code k (k + 1) / 2}
 * floats are the products {@code v_x v_y}, and its last row is {@code v_0 .. v_(k-1), 1} (the bias row
 * of the augmented Gram matrix, and the vector itself for the right-hand side). A worked example,
 * {@code k = 2}, {@code v = (a, b)}: the row is {@code [a a, b a, b b, a, b, 1]}.
 *
 * <p><b>Precision.</b> Each product {@code v_x v_y} is a float multiplication (the exact product
 * rounded once to float, relative error at most 2^-24); the rated rows are added in pairs summed in
 * float, then in double in row order ({@link #accumulate}). The right-hand side is exact as in
 * {@link Gram#addOuters}, so it has its bits; the Gram matrix differs from the exact one by those
 * roundings (relative 1e-7 on ML-1M's Gram matrices, far below what the ridge solve can resolve).
 * The result does not depend on threads or on the machine.
 *
 * <p><b>When it pays</b> ({@link #pays}): the table is {@code rows x stride} floats, read once per
 * rating, so it must stay in the cache: at most {@value #MAX_BYTES} bytes. On ML-1M at K = 10 the
 * user table is 1.6 MB and the item table 1 MB; a sweep's Gram sums took 12.8 / 17.2 ms against
 * 22.8 ms with {@link Gram#addOuters} (users / items, one thread; docs/als.md, "Speed").
 */
public final class OuterTable {
    /** Largest table {@link #pays} accepts, in bytes. */
    public static final long MAX_BYTES = 16L << 20;

    private final int k;
    private final int d;
    private final int stride;
    private float[] data = new float[0];
    private int rows;

    /** An empty table for rows of {@code k} factors. */
    public OuterTable(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
        this.d = k + 1;
        this.stride = d * (d + 1) / 2;
    }

    /** Floats per table row, {@code (k + 1)(k + 2) / 2}. */
    public static long stride(int k) {
        return (long) (k + 1) * (k + 2) / 2;
    }

    /** Whether a table of {@code rows} rows of {@code k} factors fits {@value #MAX_BYTES} bytes. */
    public static boolean pays(int k, int rows) {
        return 4 * stride(k) * rows <= MAX_BYTES;
    }

    public int rank() {
        return k;
    }

    /** Floats per row. */
    public int stride() {
        return stride;
    }

    /** The rows of the last {@link #fill}. */
    public int rows() {
        return rows;
    }

    /**
     * Rebuilds the table from the first {@code rows} rows of {@code factors} (row-major, {@code k}
     * floats per row), in blocks of rows on {@code pool} (each row written by one block).
     */
    public void fill(float[] factors, int rows, Parallel pool) {
        final float[] t = reserve(rows);
        pool.forBlocks(rows, FILL_BLOCK, (b, from, to) -> {
            for (int j = from; j < to; j++) {
                int v = j * k;
                int o = j * stride;
                for (int x = 0; x < k; x++) {
                    float vx = factors[v + x];
                    for (int y = 0; y <= x; y++) {
                        t[o++] = vx * factors[v + y];
                    }
                }
                for (int y = 0; y < k; y++) {
                    t[o++] = factors[v + y];
                }
                t[o] = 1f;
            }
        });
    }

    /**
     * {@link #fill(float[], int, Parallel)} with each row's second moment instead of its outer
     * product: the K x K block is {@code E[v v^T] = v v^T + S} (vbmf's posteriors), each entry
     * {@code v_x v_y + S_xy} in float; the last row is {@code v} and 1 as before. {@code S} is
     * {@code cov[j k^2 ..]} row-major, or with {@code diagonal} the variances {@code cov[j k ..]}.
     */
    public void fill(float[] means, float[] cov, boolean diagonal, int rows, Parallel pool) {
        final float[] t = reserve(rows);
        final int kc = diagonal ? k : k * k;
        pool.forBlocks(rows, FILL_BLOCK, (b, from, to) -> {
            for (int j = from; j < to; j++) {
                int v = j * k;
                int c = j * kc;
                int o = j * stride;
                for (int x = 0; x < k; x++) {
                    float vx = means[v + x];
                    for (int y = 0; y < x; y++) {
                        t[o++] = vx * means[v + y] + (diagonal ? 0f : cov[c + x * k + y]);
                    }
                    t[o++] = vx * vx + cov[diagonal ? c + x : c + x * k + x];
                }
                for (int y = 0; y < k; y++) {
                    t[o++] = means[v + y];
                }
                t[o] = 1f;
            }
        });
    }

    /**
     * {@link #fill(float[], int, Parallel)} from double rows, each row's entries scaled by its
     * weight: row {@code j}'s {@code k} values at {@code values[j * rowStride ..]} (BPMF's augmented
     * samples, {@code rowStride = k + 1}) and weight {@code weight[j]} (null: 1), so the table row is
     * {@code w_j z_j z_j^T} (BPMF's per-row noise precision multiplier); each entry computed in
     * double and rounded to float.
     */
    public void fill(double[] values, int rowStride, double[] weight, int rows, Parallel pool) {
        final float[] t = reserve(rows);
        pool.forBlocks(rows, FILL_BLOCK, (b, from, to) -> {
            for (int j = from; j < to; j++) {
                int v = j * rowStride;
                int o = j * stride;
                double wj = weight == null ? 1.0 : weight[j];
                for (int x = 0; x < k; x++) {
                    double wx = wj * values[v + x];
                    for (int y = 0; y <= x; y++) {
                        t[o++] = (float) (wx * values[v + y]);
                    }
                }
                for (int y = 0; y < k; y++) {
                    t[o++] = (float) (wj * values[v + y]);
                }
                t[o] = (float) wj;
            }
        });
    }

    /**
     * The array for {@code rows} rows (grown when needed), which the table now has, and one more
     * row of zeros after them, which {@link #accumulate} reads in place of missing rows.
     */
    private float[] reserve(int rows) {
        long need = (long) stride * (rows + 1L);
        if (need > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an outer-product table of " + rows + " rows of rank " + k
                    + " does not fit one array");
        }
        if (data.length < need) {
            data = new float[(int) need];
        } else {
            Arrays.fill(data, rows * stride, (int) need, 0f);
        }
        this.rows = rows;
        return data;
    }

    /** Rows per block of {@link #fill}. */
    private static final int FILL_BLOCK = 512;

    /**
     * {@code acc} (packed, {@link #stride} doubles) {@code +=} the table rows {@code idx[from .. to)}
     * and, when {@code t} is not null, {@code rhs[x] += v_(idx[p]) x * t[p - from]} for {@code x < k}
     * (the right-hand side; {@code rhs[k]}, the sum of the targets, is the caller's). The rows are
     * taken in pairs, each pair summed in float and then added to the double accumulator in row
     * order ({@code (a + (r0 + r1)) + (r2 + r3) ...}; an odd last row alone), four rows per pass over
     * {@code acc}: half the conversions to double, 15-25% faster than adding every row in double,
     * and an error per pair of at most 2^-24 of its larger row, the order of each entry's own
     * rounding. The last pass reads the zero row after the table where fewer than four rows are
     * left (adding zeros leaves the sums' bits as they are), so the method is one loop body where it
     * was three (four, two and one rows): less for C2 to compile while the first sweeps wait for it
     * (an ML-1M ALS fit 0.70 to 0.64 s, docs/benchmarks.md). The right-hand side is summed in double
     * in row order: the bits of {@link Gram#addOuters}'s.
     */
    public void accumulate(double[] acc, int[] idx, int from, int to, double[] t, double[] rhs) {
        final float[] tab = data;
        final int s = stride;
        final int last = s - d;
        final int zero = rows * s; // the zero row after the table's rows (reserve)
        for (int p = from; p < to; p += 4) {
            // the last pass of a row count that is not a multiple of four reads the zero row with a
            // zero target where rows are missing: the same sums (x + 0 is x), one loop body to compile
            int left = to - p;
            int o0 = idx[p] * s;
            int o1 = left > 1 ? idx[p + 1] * s : zero;
            int o2 = left > 2 ? idx[p + 2] * s : zero;
            int o3 = left > 3 ? idx[p + 3] * s : zero;
            for (int q = 0; q < s; q++) {
                acc[q] = acc[q] + (double) (tab[o0 + q] + tab[o1 + q]) + (double) (tab[o2 + q] + tab[o3 + q]);
            }
            if (t != null) {
                int b = p - from;
                double t0 = t[b];
                double t1 = left > 1 ? t[b + 1] : 0.0;
                double t2 = left > 2 ? t[b + 2] : 0.0;
                double t3 = left > 3 ? t[b + 3] : 0.0;
                o0 += last;
                o1 += last;
                o2 += last;
                o3 += last;
                for (int x = 0; x < k; x++) {
                    rhs[x] = rhs[x] + tab[o0 + x] * t0 + tab[o1 + x] * t1 + tab[o2 + x] * t2 + tab[o3 + x] * t3;
                }
            }
        }
    }

    /**
     * The Gram matrix of the rated rows {@code idx[from .. to)} into the lower triangle of the
     * row-major {@code d x d} matrix {@code g}, and their right-hand side added to {@code rhs}
     * ({@link #accumulate}, then {@link #unpack}). {@code scratch} is the caller's packed
     * accumulator, at least {@link #stride} doubles, overwritten (one per thread).
     */
    public void gram(double[] scratch, int[] idx, int from, int to, double[] t, double[] rhs, double[] g) {
        Arrays.fill(scratch, 0, stride, 0.0);
        accumulate(scratch, idx, from, to, t, rhs);
        unpack(scratch, g);
    }

    /**
     * Copies a packed accumulator into the lower triangle of the row-major {@code d x d} matrix
     * {@code g} (stride {@code d = k + 1}), as {@link Cholesky} reads it.
     */
    public void unpack(double[] acc, double[] g) {
        int q = 0;
        for (int x = 0; x < d; x++) {
            System.arraycopy(acc, q, g, x * d, x + 1);
            q += x + 1;
        }
    }
}
