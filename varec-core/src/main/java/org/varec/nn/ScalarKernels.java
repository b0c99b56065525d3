package org.varec.nn;

/**
 * The plain-Java {@link KernelBackend}, used when the JVM runs without the
 * {@code jdk.incubator.vector} module (the CLI launcher today) or when
 * {@code -Dvarec.nn.vector=false}. The matrix product is written in the same
 * "broadcast A(i,p), multiply-add along a row of B" order as the vector kernels, with
 * {@link Math#fma(float, float, float)}, so both give the same bits; the inner loops run along
 * contiguous rows so the JIT can vectorise them itself.
 *
 * <p>{@code Math.fma} compiles to one instruction on every x86-64 CPU since 2013 (Haswell,
 * Piledriver) and on every AArch64 CPU; on a CPU without FMA the JVM emulates it in software and
 * this fallback becomes very slow.
 */
final class ScalarKernels implements KernelBackend {
    @Override
    public void gemm(int rowFrom, int rowTo, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                     float[] b, int bOff, float[] c, int cOff, float[] bias, boolean accumulate) {
        for (int i = rowFrom; i < rowTo; i++) {
            int ci = cOff + i * n;
            if (!accumulate) {
                if (bias != null) {
                    System.arraycopy(bias, 0, c, ci, n);
                } else {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
            }
            int ap = aOff + i * aRowStride;
            int bp = bOff;
            for (int p = 0; p < k; p++, ap += aColStride, bp += n) {
                float av = a[ap];
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
                }
            }
        }
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
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s = Math.fma(x[xOff + j], y[yOff + j], s);
        }
        return s;
    }

    @Override
    public void activate(Activation f, float[] in, float[] out, int from, int to) {
        for (int e = from; e < to; e++) {
            out[e] = f.apply(in[e]);
        }
    }

    @Override
    public void activationBackward(Activation f, float[] in, float[] out, float[] dOut, float[] dIn, int from, int to) {
        for (int e = from; e < to; e++) {
            dIn[e] = f.backward(in[e], out[e], dOut[e]);
        }
    }
}
