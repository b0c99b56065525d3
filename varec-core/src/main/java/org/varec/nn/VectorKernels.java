package org.varec.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK Vector API {@link KernelBackend} ({@link FloatVector#SPECIES_PREFERRED}: 16 floats with
 * AVX-512, 8 with AVX2). Loaded only when the {@code jdk.incubator.vector} module is in the boot
 * layer (see {@link Kernels}); nothing else may refer to this class.
 *
 * <p><b>Matrix product.</b> {@code C = init + A B} is computed by a register-blocked micro-kernel
 * that keeps a 4-row by 2-vector tile of C (8 accumulators) in registers while it runs along the
 * summation index p: per p it loads two vectors of row p of B, broadcasts four elements of A and
 * issues eight fused multiply-adds. Every lane of an accumulator is one element of C, so each
 * element is a chain of fmas in p order, the same bits as {@link ScalarKernels}. FMA rather than
 * multiply-then-add: it halves the arithmetic instructions of the inner loop (eight independent
 * chains keep it throughput-bound, not latency-bound), which measured 10-12% faster for the
 * 80-50-50 products at batch 1024 on the project's AMD EPYC (Zen 5, AVX-512: its separate add
 * pipes make multiply-then-add closer than half the speed), and it rounds once, which is what lets
 * the scalar fallback ({@link Math#fma}) give the same bits. Columns that do not fill a vector are handled with a lane mask (at n = 50 and 16 lanes the
 * masked tail costs a quarter of the arithmetic of a row, where a scalar tail would cost as much as
 * the rest of the row). The summation is cut into panels of {@link #K_PANEL} (partial sums go
 * through C, exactly) so that the panel of B a tile walks stays in cache for large k.
 *
 * <p><b>Activations</b> evaluate {@link FloatMath}'s polynomial exp, tanh and log1p lane by lane
 * with the same operations as the scalar code, so they give {@link Activation}'s bits. (Not the
 * Vector API's {@code EXP}, {@code TANH}, {@code LOG1P} operators: those give the JIT's vector
 * math library's results once compiled and {@code (float) Math.exp} per lane before, so results
 * would depend on JIT timing.)
 *
 * <p><b>Dot products</b> accumulate lane by lane and add the lanes in index order at the end (not
 * {@code reduceLanes}, whose order may differ between compiled and interpreted code), so they
 * depend on the vector width but are reproducible.
 */
final class VectorKernels implements KernelBackend {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);
    /** Summation-index panel: a 2-vector column strip of B over one panel is K_PANEL * 2 * L * 4 bytes (32 KiB at 16 lanes). */
    static final int K_PANEL = 256;

    static int lanes() {
        return L;
    }

    @Override
    public void gemm(int rowFrom, int rowTo, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                     float[] b, int bOff, float[] c, int cOff, float[] bias, boolean accumulate) {
        if (!accumulate) {
            // the chains start from the bias (or 0) stored in C, so every tile below just loads C
            for (int i = rowFrom; i < rowTo; i++) {
                int ci = cOff + i * n;
                if (bias != null) {
                    System.arraycopy(bias, 0, c, ci, n);
                } else {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
            }
        }
        if (n == 1) {
            // a single column (a one-output layer): one masked lane per vector would waste the rest,
            // so run the scalar four-chain tiles (the same fmas in the same order)
            int i = rowFrom;
            for (; i + 4 <= rowTo; i += 4) {
                ScalarKernels.tile4x1(i, 0, 0, k, 1, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
            }
            for (; i < rowTo; i++) {
                ScalarKernels.column(i, 0, 0, k, 1, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
            }
            return;
        }
        if (k == 1) {
            // an outer product (the input gradient of a one-output layer): one fma per element, row by row
            for (int i = rowFrom; i < rowTo; i++) {
                axpy(a[aOff + i * aRowStride], b, bOff, c, cOff + i * n, n);
            }
            return;
        }
        for (int p0 = 0; p0 < k; p0 += K_PANEL) {
            int p1 = Math.min(k, p0 + K_PANEL);
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                int i = rowFrom;
                for (; i + 4 <= rowTo; i += 4) {
                    tile4x2(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
                }
                for (; i < rowTo; i++) {
                    tile1x2(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
                }
            }
            if (j + L < n) {
                // one full vector and a partial one
                VectorMask<Float> m = S.indexInRange(j + L, n);
                int i = rowFrom;
                for (; i + 4 <= rowTo; i += 4) {
                    tile4x2m(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, m);
                }
                for (; i < rowTo; i++) {
                    tile1x1m(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, S.maskAll(true));
                    tile1x1m(i, j + L, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, m);
                }
            } else if (j < n) {
                // at most one vector's worth, full or partial
                VectorMask<Float> m = S.indexInRange(j, n);
                int i = rowFrom;
                for (; i + 4 <= rowTo; i += 4) {
                    tile4x1m(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, m);
                }
                for (; i < rowTo; i++) {
                    tile1x1m(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, m);
                }
            }
        }
    }

    // The tiles below keep every vector inside one method: a vector passed to or returned from a
    // call the JIT does not inline is boxed (an allocation per call), so there are no helpers.

    /** Rows i..i+3, columns j..j+2L: the main tile. */
    private static void tile4x2(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, float[] c, int cOff) {
        int c0 = cOff + i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        FloatVector x00 = FloatVector.fromArray(S, c, c0);
        FloatVector x01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector x10 = FloatVector.fromArray(S, c, c1);
        FloatVector x11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector x20 = FloatVector.fromArray(S, c, c2);
        FloatVector x21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector x30 = FloatVector.fromArray(S, c, c3);
        FloatVector x31 = FloatVector.fromArray(S, c, c3 + L);
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            x00 = a0.fma(b0, x00);
            x01 = a0.fma(b1, x01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + ars]);
            x10 = a1.fma(b0, x10);
            x11 = a1.fma(b1, x11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2 * ars]);
            x20 = a2.fma(b0, x20);
            x21 = a2.fma(b1, x21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3 * ars]);
            x30 = a3.fma(b0, x30);
            x31 = a3.fma(b1, x31);
        }
        x00.intoArray(c, c0);
        x01.intoArray(c, c0 + L);
        x10.intoArray(c, c1);
        x11.intoArray(c, c1 + L);
        x20.intoArray(c, c2);
        x21.intoArray(c, c2 + L);
        x30.intoArray(c, c3);
        x31.intoArray(c, c3 + L);
    }

    /** Rows i..i+3, columns j..j+L (full) and j+L.. under mask m. */
    private static void tile4x2m(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, float[] c, int cOff, VectorMask<Float> m) {
        int c0 = cOff + i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        FloatVector x00 = FloatVector.fromArray(S, c, c0);
        FloatVector x01 = FloatVector.fromArray(S, c, c0 + L, m);
        FloatVector x10 = FloatVector.fromArray(S, c, c1);
        FloatVector x11 = FloatVector.fromArray(S, c, c1 + L, m);
        FloatVector x20 = FloatVector.fromArray(S, c, c2);
        FloatVector x21 = FloatVector.fromArray(S, c, c2 + L, m);
        FloatVector x30 = FloatVector.fromArray(S, c, c3);
        FloatVector x31 = FloatVector.fromArray(S, c, c3 + L, m);
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L, m);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            x00 = a0.fma(b0, x00);
            x01 = a0.fma(b1, x01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + ars]);
            x10 = a1.fma(b0, x10);
            x11 = a1.fma(b1, x11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2 * ars]);
            x20 = a2.fma(b0, x20);
            x21 = a2.fma(b1, x21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3 * ars]);
            x30 = a3.fma(b0, x30);
            x31 = a3.fma(b1, x31);
        }
        x00.intoArray(c, c0);
        x01.intoArray(c, c0 + L, m);
        x10.intoArray(c, c1);
        x11.intoArray(c, c1 + L, m);
        x20.intoArray(c, c2);
        x21.intoArray(c, c2 + L, m);
        x30.intoArray(c, c3);
        x31.intoArray(c, c3 + L, m);
    }

    /** Rows i..i+3, one vector of columns from j under mask m (full or partial). */
    private static void tile4x1m(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, float[] c, int cOff, VectorMask<Float> m) {
        int c0 = cOff + i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        FloatVector x0 = FloatVector.fromArray(S, c, c0, m);
        FloatVector x1 = FloatVector.fromArray(S, c, c1, m);
        FloatVector x2 = FloatVector.fromArray(S, c, c2, m);
        FloatVector x3 = FloatVector.fromArray(S, c, c3, m);
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp, m);
            x0 = FloatVector.broadcast(S, a[ap]).fma(b0, x0);
            x1 = FloatVector.broadcast(S, a[ap + ars]).fma(b0, x1);
            x2 = FloatVector.broadcast(S, a[ap + 2 * ars]).fma(b0, x2);
            x3 = FloatVector.broadcast(S, a[ap + 3 * ars]).fma(b0, x3);
        }
        x0.intoArray(c, c0, m);
        x1.intoArray(c, c1, m);
        x2.intoArray(c, c2, m);
        x3.intoArray(c, c3, m);
    }

    /** One row, columns j..j+2L. */
    private static void tile1x2(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, float[] c, int cOff) {
        int c0 = cOff + i * n + j;
        FloatVector x0 = FloatVector.fromArray(S, c, c0);
        FloatVector x1 = FloatVector.fromArray(S, c, c0 + L);
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            x0 = av.fma(FloatVector.fromArray(S, b, bp), x0);
            x1 = av.fma(FloatVector.fromArray(S, b, bp + L), x1);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + L);
    }

    /** One row, one vector of columns from j under mask m. */
    private static void tile1x1m(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, float[] c, int cOff, VectorMask<Float> m) {
        int c0 = cOff + i * n + j;
        FloatVector x0 = FloatVector.fromArray(S, c, c0, m);
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            x0 = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp, m), x0);
        }
        x0.intoArray(c, c0, m);
    }

    @Override
    public void addColumnSums(float[] x, int rows, int cols, int colFrom, int colTo, float[] sums) {
        int j = colFrom;
        for (; j + L <= colTo; j += L) {
            FloatVector s = FloatVector.fromArray(S, sums, j);
            for (int r = 0, xr = j; r < rows; r++, xr += cols) {
                s = s.add(FloatVector.fromArray(S, x, xr));
            }
            s.intoArray(sums, j);
        }
        if (j < colTo) {
            VectorMask<Float> m = S.indexInRange(j, colTo);
            FloatVector s = FloatVector.fromArray(S, sums, j, m);
            for (int r = 0, xr = j; r < rows; r++, xr += cols) {
                s = s.add(FloatVector.fromArray(S, x, xr, m));
            }
            s.intoArray(sums, j, m);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        if (n > L && n % L != 0) {
            // the last L elements as one vector overlapping the one before, computed from the original
            // y before any store and stored last: the overlapped lanes get the value the main loop
            // stores there too (the same fma of the same inputs), so no scalar tail (at n = 25 and 16
            // lanes it was 9 of 25 elements) and no masked store (which checks its mask lane by lane).
            // x and y must not overlap (no caller passes overlapping ranges).
            int t = n - L;
            FloatVector tail = av.fma(FloatVector.fromArray(S, x, xOff + t), FloatVector.fromArray(S, y, yOff + t));
            for (int j = 0; j + L <= n; j += L) {
                av.fma(FloatVector.fromArray(S, x, xOff + j), FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
            }
            tail.intoArray(y, yOff + t);
            return;
        }
        int j = 0;
        for (; j + L <= n; j += L) {
            av.fma(FloatVector.fromArray(S, x, xOff + j), FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = Math.fma(alpha, x[xOff + j], y[yOff + j]);
        }
    }

    @Override
    public void gatherRows(float[] w, int n, int[] idx, float[] val, int from, int to, int blk, float[] table,
                           float scale, float[] y, int yOff) {
        // strips of up to four vectors of y (the last one under a lane mask) stay in registers while
        // the entries stream past; at n = 50 and 16 lanes one strip (three full vectors and two lanes)
        int j = 0;
        while (j < n) {
            int nv = Math.min(4, (n - j + L - 1) / L);
            if (nv == 4) {
                gather4(w, n, idx, val, from, to, blk, table, scale, y, yOff + j, j, S.indexInRange(j + 3 * L, n));
            } else if (nv >= 2) {
                gather2(w, n, idx, val, from, to, blk, table, scale, y, yOff + j, j, S.indexInRange(j + L, n));
            } else {
                gather1(w, n, idx, val, from, to, blk, table, scale, y, yOff + j, j, S.indexInRange(j, n));
            }
            j += (nv == 3 ? 2 : nv) * L;
        }
    }

    // Small methods on purpose: C1 could not compile a single four-mask version ("out of virtual
    // registers"), which left it running without the Vector API intrinsics for most of a first
    // VAE-BMF iteration (a minute instead of three seconds) until C2 took over.

    /** Columns j .. j + 4L of y (the last vector under mask m) through all the entries. */
    private static void gather4(float[] w, int n, int[] idx, float[] val, int from, int to, int blk, float[] table,
                                float scale, float[] y, int yo, int j, VectorMask<Float> m) {
        FloatVector y0 = FloatVector.fromArray(S, y, yo);
        FloatVector y1 = FloatVector.fromArray(S, y, yo + L);
        FloatVector y2 = FloatVector.fromArray(S, y, yo + 2 * L);
        FloatVector y3 = FloatVector.fromArray(S, y, yo + 3 * L, m);
        for (int p = from; p < to; p++) {
            int i0 = idx[p] * blk;
            for (int f = 0; f < blk; f++) {
                int i = i0 + f;
                FloatVector a = FloatVector.broadcast(S, table == null ? (val == null ? 1f : val[p]) : table[i] * scale);
                int wo = i * n + j;
                y0 = a.fma(FloatVector.fromArray(S, w, wo), y0);
                y1 = a.fma(FloatVector.fromArray(S, w, wo + L), y1);
                y2 = a.fma(FloatVector.fromArray(S, w, wo + 2 * L), y2);
                y3 = a.fma(FloatVector.fromArray(S, w, wo + 3 * L, m), y3);
            }
        }
        y0.intoArray(y, yo);
        y1.intoArray(y, yo + L);
        y2.intoArray(y, yo + 2 * L);
        y3.intoArray(y, yo + 3 * L, m);
    }

    /** Columns j .. j + 2L (the second vector under mask m). */
    private static void gather2(float[] w, int n, int[] idx, float[] val, int from, int to, int blk, float[] table,
                                float scale, float[] y, int yo, int j, VectorMask<Float> m) {
        FloatVector y0 = FloatVector.fromArray(S, y, yo);
        FloatVector y1 = FloatVector.fromArray(S, y, yo + L, m);
        for (int p = from; p < to; p++) {
            int i0 = idx[p] * blk;
            for (int f = 0; f < blk; f++) {
                int i = i0 + f;
                FloatVector a = FloatVector.broadcast(S, table == null ? (val == null ? 1f : val[p]) : table[i] * scale);
                int wo = i * n + j;
                y0 = a.fma(FloatVector.fromArray(S, w, wo), y0);
                y1 = a.fma(FloatVector.fromArray(S, w, wo + L, m), y1);
            }
        }
        y0.intoArray(y, yo);
        y1.intoArray(y, yo + L, m);
    }

    /** Columns j .. j + L under mask m. */
    private static void gather1(float[] w, int n, int[] idx, float[] val, int from, int to, int blk, float[] table,
                                float scale, float[] y, int yo, int j, VectorMask<Float> m) {
        FloatVector y0 = FloatVector.fromArray(S, y, yo, m);
        for (int p = from; p < to; p++) {
            int i0 = idx[p] * blk;
            for (int f = 0; f < blk; f++) {
                int i = i0 + f;
                FloatVector a = FloatVector.broadcast(S, table == null ? (val == null ? 1f : val[p]) : table[i] * scale);
                y0 = a.fma(FloatVector.fromArray(S, w, i * n + j, m), y0);
            }
        }
        y0.intoArray(y, yo, m);
    }

    @Override
    public void blockProduct(float[] w, int n, int i0, int blk, float[] table, float[] y, int yOff) {
        for (int j = 0; j < n; j += 2 * L) {
            blockStrip(w, n, i0, blk, table, y, yOff + j, j, S.indexInRange(j, n), S.indexInRange(j + L, n));
        }
    }

    /** Columns j .. j + 2L of a block product (lanes past n masked off), two chains per vector. */
    private static void blockStrip(float[] w, int n, int i0, int blk, float[] table, float[] y, int yo, int j,
                                   VectorMask<Float> m0, VectorMask<Float> m1) {
        FloatVector e0 = FloatVector.zero(S);
        FloatVector e1 = FloatVector.zero(S);
        FloatVector o0 = FloatVector.zero(S);
        FloatVector o1 = FloatVector.zero(S);
        int f = 0;
        for (; f + 1 < blk; f += 2) {
            int we = (i0 + f) * n + j;
            int wo = we + n;
            FloatVector ae = FloatVector.broadcast(S, table[i0 + f]);
            FloatVector ao = FloatVector.broadcast(S, table[i0 + f + 1]);
            e0 = ae.fma(FloatVector.fromArray(S, w, we, m0), e0);
            e1 = ae.fma(FloatVector.fromArray(S, w, we + L, m1), e1);
            o0 = ao.fma(FloatVector.fromArray(S, w, wo, m0), o0);
            o1 = ao.fma(FloatVector.fromArray(S, w, wo + L, m1), o1);
        }
        if (f < blk) {
            int we = (i0 + f) * n + j;
            FloatVector ae = FloatVector.broadcast(S, table[i0 + f]);
            e0 = ae.fma(FloatVector.fromArray(S, w, we, m0), e0);
            e1 = ae.fma(FloatVector.fromArray(S, w, we + L, m1), e1);
        }
        e0.add(o0).intoArray(y, yo, m0);
        e1.add(o1).intoArray(y, yo + L, m1);
    }

    @Override
    public void adam(float[] x, float[] g, float[] m, float[] v, int from, int to, float b1, float om1,
                     float b2, float om2, float stepSize, float invC2, float eps, float keep, boolean clear) {
        if (to - from < L) {
            ScalarKernels.adamLoop(x, g, m, v, from, to, b1, om1, b2, om2, stepSize, invC2, eps, keep, clear);
            return;
        }
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vom1 = FloatVector.broadcast(S, om1);
        FloatVector vb2 = FloatVector.broadcast(S, b2);
        FloatVector vom2 = FloatVector.broadcast(S, om2);
        FloatVector step = FloatVector.broadcast(S, stepSize);
        FloatVector inv = FloatVector.broadcast(S, invC2);
        FloatVector ve = FloatVector.broadcast(S, eps);
        FloatVector vk = FloatVector.broadcast(S, keep);
        // as axpy: the last L elements as one vector overlapping the previous one, read before any
        // store and updated last (each element's update reads only its own x, g, m, v)
        int t = to - L;
        FloatVector gt = FloatVector.fromArray(S, g, t);
        FloatVector mt = FloatVector.fromArray(S, m, t);
        FloatVector vt = FloatVector.fromArray(S, v, t);
        FloatVector xt = FloatVector.fromArray(S, x, t);
        for (int e = from; e + L <= to; e += L) {
            FloatVector ge = FloatVector.fromArray(S, g, e);
            if (clear) { // the overlapping last vector read its g above, before any of these stores
                ZERO.intoArray(g, e);
            }
            adamStore(ge, FloatVector.fromArray(S, m, e), FloatVector.fromArray(S, v, e), FloatVector.fromArray(S, x, e),
                    x, m, v, e, vb1, vom1, vb2, vom2, step, inv, ve, vk);
        }
        adamStore(gt, mt, vt, xt, x, m, v, t, vb1, vom1, vb2, vom2, step, inv, ve, vk);
        if (clear) {
            ZERO.intoArray(g, t);
        }
    }

    /**
     * One vector of Adam's update at {@code e}, from the gradient {@code ge} and the old {@code m},
     * {@code v}, {@code x} the caller loaded: the operations of {@link KernelBackend#adam} in their
     * order, stored. Shared by {@link #adam} and {@link #adamRank1}, so both give the same bits.
     */
    private static void adamStore(FloatVector ge, FloatVector m0, FloatVector v0, FloatVector x0, float[] x, float[] m,
                                  float[] v, int e, FloatVector vb1, FloatVector vom1, FloatVector vb2, FloatVector vom2,
                                  FloatVector step, FloatVector inv, FloatVector ve, FloatVector keep) {
        FloatVector me = vb1.mul(m0).add(vom1.mul(ge));
        FloatVector vv = vb2.mul(v0).add(vom2.mul(ge).mul(ge));
        me.intoArray(m, e);
        vv.intoArray(v, e);
        x0.mul(keep).sub(step.mul(me).div(vv.mul(inv).lanewise(VectorOperators.SQRT).add(ve))).intoArray(x, e);
    }

    @Override
    public void adamRank1(float[] x, float[] m, float[] v, int from, int rows, int cols, float[] coef, int cOff,
                          float[] dir, int dOff, float b1, float om1, float b2, float om2, float stepSize, float invC2,
                          float eps, float keep) {
        if (cols < L) {
            ScalarKernels.adamRank1Loop(x, m, v, from, rows, cols, coef, cOff, dir, dOff, b1, om1, b2, om2, stepSize,
                    invC2, eps, keep);
            return;
        }
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vom1 = FloatVector.broadcast(S, om1);
        FloatVector vb2 = FloatVector.broadcast(S, b2);
        FloatVector vom2 = FloatVector.broadcast(S, om2);
        FloatVector step = FloatVector.broadcast(S, stepSize);
        FloatVector inv = FloatVector.broadcast(S, invC2);
        FloatVector ve = FloatVector.broadcast(S, eps);
        FloatVector vk = FloatVector.broadcast(S, keep);
        int t = cols - L;
        for (int r = 0; r < rows; r++) {
            FloatVector c = FloatVector.broadcast(S, coef[cOff + r]);
            int e0 = from + r * cols;
            // as adam: the row's last L elements as one vector overlapping the one before, read
            // before any store and updated last
            FloatVector gt = c.fma(FloatVector.fromArray(S, dir, dOff + t), ZERO);
            FloatVector mt = FloatVector.fromArray(S, m, e0 + t);
            FloatVector vt = FloatVector.fromArray(S, v, e0 + t);
            FloatVector xt = FloatVector.fromArray(S, x, e0 + t);
            for (int j = 0; j + L <= cols; j += L) {
                int e = e0 + j;
                FloatVector ge = c.fma(FloatVector.fromArray(S, dir, dOff + j), ZERO);
                adamStore(ge, FloatVector.fromArray(S, m, e), FloatVector.fromArray(S, v, e),
                        FloatVector.fromArray(S, x, e), x, m, v, e, vb1, vom1, vb2, vom2, step, inv, ve, vk);
            }
            adamStore(gt, mt, vt, xt, x, m, v, e0 + t, vb1, vom1, vb2, vom2, step, inv, ve, vk);
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < L) {
            // no full vector: the lane sum below would add L zeros to 0 (the same bits as skipping it)
            float r = 0f;
            for (int j = 0; j < n; j++) {
                r = Math.fma(x[xOff + j], y[yOff + j], r);
            }
            return r;
        }
        FloatVector s = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= n; j += L) {
            s = FloatVector.fromArray(S, x, xOff + j).fma(FloatVector.fromArray(S, y, yOff + j), s);
        }
        float r = 0f;
        for (int l = 0; l < L; l++) {
            r += s.lane(l);
        }
        for (; j < n; j++) {
            r = Math.fma(x[xOff + j], y[yOff + j], r);
        }
        return r;
    }

    @Override
    public void activate(Activation f, float[] in, float[] out, int from, int to) {
        int e = from;
        switch (f) {
            case IDENTITY -> {
                if (in != out) {
                    System.arraycopy(in, from, out, from, to - from);
                }
                return;
            }
            case SIGMOID -> {
                for (; e + L <= to; e += L) {
                    sigmoid(FloatVector.fromArray(S, in, e)).intoArray(out, e);
                }
            }
            case TANH -> {
                for (; e + L <= to; e += L) {
                    tanh(FloatVector.fromArray(S, in, e)).intoArray(out, e);
                }
            }
            case RELU -> {
                for (; e + L <= to; e += L) {
                    FloatVector.fromArray(S, in, e).max(0f).intoArray(out, e);
                }
            }
            case SOFTPLUS -> {
                for (; e + L <= to; e += L) {
                    FloatVector x = FloatVector.fromArray(S, in, e);
                    x.max(0f).add(log1pUnit(exp(x.abs().neg()))).intoArray(out, e);
                }
            }
        }
        for (; e < to; e++) {
            out[e] = f.apply(in[e]);
        }
    }

    /** {@link FloatMath#sigmoid}, lane by lane. */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector t = exp(x.abs().neg());
        FloatVector s = FloatVector.broadcast(S, 1f).div(t.add(1f));
        return t.mul(s).blend(s, x.compare(VectorOperators.GE, 0f));
    }

    private static final int ROUND_BITS = Float.floatToRawIntBits(FloatMath.ROUND);

    /** {@link FloatMath#exp}, lane by lane: the same operations on the clamped argument, then inf and 0 out of range. */
    private static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(FloatMath.MIN_LOG).min(FloatMath.MAX_LOG);
        FloatVector shifted = xc.mul(FloatMath.LOG2E).add(FloatMath.ROUND);
        FloatVector n = shifted.sub(FloatMath.ROUND);
        IntVector ni = shifted.reinterpretAsInts().sub(ROUND_BITS);
        FloatVector negN = n.neg();
        FloatVector r = negN.fma(FloatVector.broadcast(S, FloatMath.LN2_HI), xc);
        r = negN.fma(FloatVector.broadcast(S, FloatMath.LN2_LO), r);
        FloatVector p = r.fma(FloatMath.P0, FloatMath.P1);
        p = p.fma(r, FloatVector.broadcast(S, FloatMath.P2));
        p = p.fma(r, FloatVector.broadcast(S, FloatMath.P3));
        p = p.fma(r, FloatVector.broadcast(S, FloatMath.P4));
        p = p.fma(r, FloatVector.broadcast(S, FloatMath.P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale)
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, FloatMath.MAX_LOG))
                .blend(0f, x.compare(VectorOperators.LT, FloatMath.MIN_LOG));
    }

    /** {@link FloatMath#tanh}, lane by lane: both branches, then the one each lane's |x| selects. */
    private static FloatVector tanh(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector s = x.mul(x);
        FloatVector p = s.fma(FloatMath.T0, FloatMath.T1);
        p = p.fma(s, FloatVector.broadcast(S, FloatMath.T2));
        p = p.fma(s, FloatVector.broadcast(S, FloatMath.T3));
        p = p.fma(s, FloatVector.broadcast(S, FloatMath.T4));
        FloatVector small = p.mul(s).fma(x, x);
        FloatVector r = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(z.add(z)).add(1f)));
        FloatVector large = r.blend(r.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, z.compare(VectorOperators.LT, FloatMath.TANH_SMALL));
    }

    /** {@link FloatMath#log1pUnit}, lane by lane (t in [0, 1]). */
    private static FloatVector log1pUnit(FloatVector t) {
        FloatVector u = t.add(1f);
        VectorMask<Float> high = u.compare(VectorOperators.GT, FloatMath.SQRT2);
        FloatVector f = u.sub(1f).blend(u.mul(0.5f).sub(1f), high);
        FloatVector e = FloatVector.zero(S).blend(1f, high);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(FloatMath.L0, FloatMath.L1);
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L2));
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L3));
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L4));
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L5));
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L6));
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L7));
        p = p.fma(f, FloatVector.broadcast(S, FloatMath.L8));
        FloatVector y = p.mul(f).mul(z);
        y = e.fma(FloatVector.broadcast(S, FloatMath.LN2_LO), y);
        y = z.fma(FloatVector.broadcast(S, -0.5f), y);
        FloatVector log = e.fma(FloatVector.broadcast(S, FloatMath.LN2_HI), f.add(y));
        return log.mul(t.div(u.sub(1f))).blend(t, u.compare(VectorOperators.EQ, 1f));
    }

    @Override
    public void activationBackward(Activation f, float[] in, float[] out, float[] dOut, float[] dIn, int from, int to) {
        int e = from;
        switch (f) {
            case IDENTITY -> {
                if (dOut != dIn) {
                    System.arraycopy(dOut, from, dIn, from, to - from);
                }
                return;
            }
            case SIGMOID -> {
                for (; e + L <= to; e += L) {
                    FloatVector y = FloatVector.fromArray(S, out, e);
                    FloatVector.fromArray(S, dOut, e).mul(y.mul(y.neg().add(1f))).intoArray(dIn, e);
                }
            }
            case TANH -> {
                for (; e + L <= to; e += L) {
                    FloatVector y = FloatVector.fromArray(S, out, e);
                    FloatVector.fromArray(S, dOut, e).mul(y.mul(y).neg().add(1f)).intoArray(dIn, e);
                }
            }
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; e + L <= to; e += L) {
                    FloatVector x = FloatVector.fromArray(S, in, e);
                    zero.blend(FloatVector.fromArray(S, dOut, e), x.compare(VectorOperators.GT, 0f)).intoArray(dIn, e);
                }
            }
            case SOFTPLUS -> {
                for (; e + L <= to; e += L) {
                    FloatVector x = FloatVector.fromArray(S, in, e);
                    FloatVector.fromArray(S, dOut, e).mul(sigmoid(x)).intoArray(dIn, e);
                }
            }
        }
        for (; e < to; e++) {
            dIn[e] = f.backward(in[e], out[e], dOut[e]);
        }
    }
}
