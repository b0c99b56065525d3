package org.varec.nn;

/**
 * The plain-Java {@link KernelBackend}, used when the JVM runs without the
 * {@code jdk.incubator.vector} module (the CLI launcher today) or when
 * {@code -Dvarec.nn.vector=false}. Every element of the matrix product is the same chain of
 * {@link Math#fma(float, float, float)} in summation order as in the vector kernels, so both give
 * the same bits; the product keeps 4 x 4 blocks of C in registers (a scalar analogue of the
 * vector tiles).
 *
 * <p>{@code Math.fma} compiles to one instruction on every x86-64 CPU since 2013 (Haswell,
 * Piledriver) and on every AArch64 CPU; on a CPU without FMA the JVM emulates it in software and
 * this fallback becomes very slow.
 */
final class ScalarKernels implements KernelBackend {
    /** Summation-index panel, as in the vector kernels: the 4-column strip of B a tile walks stays in cache. */
    static final int K_PANEL = 256;

    @Override
    public void gemm(int rowFrom, int rowTo, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                     float[] b, int bOff, float[] c, int cOff, float[] bias, boolean accumulate) {
        if (!accumulate) {
            for (int i = rowFrom; i < rowTo; i++) {
                int ci = cOff + i * n;
                if (bias != null) {
                    System.arraycopy(bias, 0, c, ci, n);
                } else {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
            }
        }
        for (int p0 = 0; p0 < k; p0 += K_PANEL) {
            int p1 = Math.min(k, p0 + K_PANEL);
            int i = rowFrom;
            for (; i + 4 <= rowTo; i += 4) {
                int j = 0;
                for (; j + 4 <= n; j += 4) {
                    tile4x4(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
                }
                for (; j < n; j++) {
                    tile4x1(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
                }
            }
            for (; i < rowTo; i++) {
                for (int j = 0; j < n; j++) {
                    column(i, j, p0, p1, n, a, aOff, aRowStride, aColStride, b, bOff, c, cOff);
                }
            }
        }
    }

    /**
     * A 4 x 4 block of C in sixteen scalar accumulators: per step four loads of A, four of B and
     * sixteen fmas, so the loop is bound by arithmetic rather than by loads and stores of C.
     */
    private static void tile4x4(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, float[] c, int cOff) {
        int c0 = cOff + i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        float x00 = c[c0];
        float x01 = c[c0 + 1];
        float x02 = c[c0 + 2];
        float x03 = c[c0 + 3];
        float x10 = c[c1];
        float x11 = c[c1 + 1];
        float x12 = c[c1 + 2];
        float x13 = c[c1 + 3];
        float x20 = c[c2];
        float x21 = c[c2 + 1];
        float x22 = c[c2 + 2];
        float x23 = c[c2 + 3];
        float x30 = c[c3];
        float x31 = c[c3 + 1];
        float x32 = c[c3 + 2];
        float x33 = c[c3 + 3];
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            float b0 = b[bp];
            float b1 = b[bp + 1];
            float b2 = b[bp + 2];
            float b3 = b[bp + 3];
            float a0 = a[ap];
            x00 = Math.fma(a0, b0, x00);
            x01 = Math.fma(a0, b1, x01);
            x02 = Math.fma(a0, b2, x02);
            x03 = Math.fma(a0, b3, x03);
            float a1 = a[ap + ars];
            x10 = Math.fma(a1, b0, x10);
            x11 = Math.fma(a1, b1, x11);
            x12 = Math.fma(a1, b2, x12);
            x13 = Math.fma(a1, b3, x13);
            float a2 = a[ap + 2 * ars];
            x20 = Math.fma(a2, b0, x20);
            x21 = Math.fma(a2, b1, x21);
            x22 = Math.fma(a2, b2, x22);
            x23 = Math.fma(a2, b3, x23);
            float a3 = a[ap + 3 * ars];
            x30 = Math.fma(a3, b0, x30);
            x31 = Math.fma(a3, b1, x31);
            x32 = Math.fma(a3, b2, x32);
            x33 = Math.fma(a3, b3, x33);
        }
        c[c0] = x00;
        c[c0 + 1] = x01;
        c[c0 + 2] = x02;
        c[c0 + 3] = x03;
        c[c1] = x10;
        c[c1 + 1] = x11;
        c[c1 + 2] = x12;
        c[c1 + 3] = x13;
        c[c2] = x20;
        c[c2 + 1] = x21;
        c[c2 + 2] = x22;
        c[c2 + 3] = x23;
        c[c3] = x30;
        c[c3 + 1] = x31;
        c[c3 + 2] = x32;
        c[c3 + 3] = x33;
    }

    /** Four rows of one column of C: four independent fma chains (a single-output layer is all this). */
    static void tile4x1(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                        float[] b, int bOff, float[] c, int cOff) {
        int c0 = cOff + i * n + j;
        float x0 = c[c0];
        float x1 = c[c0 + n];
        float x2 = c[c0 + 2 * n];
        float x3 = c[c0 + 3 * n];
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            float bv = b[bp];
            x0 = Math.fma(a[ap], bv, x0);
            x1 = Math.fma(a[ap + ars], bv, x1);
            x2 = Math.fma(a[ap + 2 * ars], bv, x2);
            x3 = Math.fma(a[ap + 3 * ars], bv, x3);
        }
        c[c0] = x0;
        c[c0 + n] = x1;
        c[c0 + 2 * n] = x2;
        c[c0 + 3 * n] = x3;
    }

    /** One element of C over the panel. */
    static void column(int i, int j, int p0, int p1, int n, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, float[] c, int cOff) {
        int ci = cOff + i * n + j;
        float x = c[ci];
        int ap = aOff + i * ars + p0 * acs;
        int bp = bOff + p0 * n + j;
        for (int p = p0; p < p1; p++, ap += acs, bp += n) {
            x = Math.fma(a[ap], b[bp], x);
        }
        c[ci] = x;
    }

    @Override
    public void addColumnSums(float[] x, int rows, int cols, int colFrom, int colTo, float[] sums) {
        for (int r = 0; r < rows; r++) {
            int xr = r * cols;
            for (int j = colFrom; j < colTo; j++) {
                sums[j] += x[xr + j];
            }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = Math.fma(alpha, x[xOff + j], y[yOff + j]);
        }
    }

    @Override
    public void gatherRows(float[] w, int n, int[] idx, float[] val, int from, int to, int blk, float[] table,
                           float scale, float[] y, int yOff) {
        for (int p = from; p < to; p++) {
            int i0 = idx[p] * blk;
            for (int f = 0; f < blk; f++) {
                int i = i0 + f;
                float a = table == null ? (val == null ? 1f : val[p]) : table[i] * scale;
                axpy(a, w, i * n, y, yOff, n);
            }
        }
    }

    @Override
    public void blockProduct(float[] w, int n, int i0, int blk, float[] table, float[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            float even = 0f;
            float odd = 0f;
            for (int f = 0; f < blk; f++) {
                float a = table[i0 + f];
                float x = w[(i0 + f) * n + j];
                if ((f & 1) == 0) {
                    even = Math.fma(a, x, even);
                } else {
                    odd = Math.fma(a, x, odd);
                }
            }
            y[yOff + j] = even + odd;
        }
    }

    @Override
    public void adam(float[] x, float[] g, float[] m, float[] v, int from, int to, float b1, float om1, float b2,
                     float om2, float stepSize, float invC2, float eps, float keep, boolean clear) {
        adamLoop(x, g, m, v, from, to, b1, om1, b2, om2, stepSize, invC2, eps, keep, clear);
    }

    @Override
    public void adamRank1(float[] x, float[] m, float[] v, int from, int rows, int cols, float[] coef, int cOff,
                          float[] dir, int dOff, float b1, float om1, float b2, float om2, float stepSize, float invC2,
                          float eps, float keep) {
        adamRank1Loop(x, m, v, from, rows, cols, coef, cOff, dir, dOff, b1, om1, b2, om2, stepSize, invC2, eps, keep);
    }

    /** {@link #adamRank1} one element at a time (also the vector kernel's short rows). */
    static void adamRank1Loop(float[] x, float[] m, float[] v, int from, int rows, int cols, float[] coef, int cOff,
                              float[] dir, int dOff, float b1, float om1, float b2, float om2, float stepSize,
                              float invC2, float eps, float keep) {
        for (int r = 0; r < rows; r++) {
            float c = coef[cOff + r];
            int e0 = from + r * cols;
            for (int j = 0; j < cols; j++) {
                adamElement(x, m, v, e0 + j, Math.fma(c, dir[dOff + j], 0f), b1, om1, b2, om2, stepSize, invC2, eps,
                        keep);
            }
        }
    }

    /** Adam's update of element {@code e} along gradient {@code ge}: the operations of {@link KernelBackend#adam} in their order. */
    private static void adamElement(float[] x, float[] m, float[] v, int e, float ge, float b1, float om1, float b2,
                                    float om2, float stepSize, float invC2, float eps, float keep) {
        float me = b1 * m[e] + om1 * ge;
        float ve = b2 * v[e] + om2 * ge * ge;
        m[e] = me;
        v[e] = ve;
        x[e] = x[e] * keep - stepSize * me / ((float) Math.sqrt(ve * invC2) + eps);
    }

    /** The Adam update of elements {@code from .. to}, one at a time (also the vector kernel's short rows). */
    static void adamLoop(float[] x, float[] g, float[] m, float[] v, int from, int to, float b1, float om1, float b2,
                         float om2, float stepSize, float invC2, float eps, float keep, boolean clear) {
        for (int e = from; e < to; e++) {
            float ge = g[e];
            if (clear) {
                g[e] = 0f;
            }
            adamElement(x, m, v, e, ge, b1, om1, b2, om2, stepSize, invC2, eps, keep);
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s = Math.fma(x[xOff + j], y[yOff + j], s);
        }
        return s;
    }

    @Override
    public void activate(Activation f, float[] in, float[] out, int from, int to) {
        // one loop per function, so that the loop body is the function alone
        switch (f) {
            case IDENTITY -> {
                if (in != out) {
                    System.arraycopy(in, from, out, from, to - from);
                }
            }
            case SIGMOID -> {
                for (int e = from; e < to; e++) {
                    out[e] = FloatMath.sigmoid(in[e]);
                }
            }
            case TANH -> {
                for (int e = from; e < to; e++) {
                    out[e] = FloatMath.tanh(in[e]);
                }
            }
            case RELU -> {
                for (int e = from; e < to; e++) {
                    out[e] = Math.max(in[e], 0f);
                }
            }
            case SOFTPLUS -> {
                for (int e = from; e < to; e++) {
                    out[e] = FloatMath.softplus(in[e]);
                }
            }
        }
    }

    @Override
    public void activationBackward(Activation f, float[] in, float[] out, float[] dOut, float[] dIn, int from, int to) {
        for (int e = from; e < to; e++) {
            dIn[e] = f.backward(in[e], out[e], dOut[e]);
        }
    }
}
