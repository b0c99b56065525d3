package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

class KernelsTest {
    private static Parallel one;
    private static Parallel two;
    private static Parallel three;
    private static final KernelBackend VECTOR = Kernels.backend(true);
    private static final KernelBackend SCALAR = Kernels.backend(false);

    @BeforeAll
    static void pools() {
        one = new Parallel(1);
        two = new Parallel(2);
        three = new Parallel(3);
    }

    @AfterAll
    static void close() {
        one.close();
        two.close();
        three.close();
    }

    @Test
    void testsRunTheVectorApiImplementation() {
        // surefire adds the incubator module: the default backend must be the Vector API one
        assertTrue(Kernels.vectorized());
        assertTrue(VECTOR instanceof VectorKernels);
        assertTrue(SCALAR instanceof ScalarKernels);
    }

    /** The four layer kernels on one shape: every backend and thread count gives the same bits, close to double. */
    private static void checkLayerKernels(int batch, int in, int out, long seed) {
        Rng rng = new Rng(seed);
        float[] x = Reference.gaussian(rng, batch * in, 1);
        float[] w = Reference.gaussian(rng, in * out, 1);
        float[] b = Reference.gaussian(rng, out, 1);
        float[] dy = Reference.gaussian(rng, batch * out, 1);
        float[] dw0 = Reference.gaussian(rng, in * out, 1);
        float[] db0 = Reference.gaussian(rng, out, 1);
        String shape = batch + "x" + in + "->" + out;

        float[][] results = null;
        for (KernelBackend k : new KernelBackend[] {VECTOR, SCALAR}) {
            for (Parallel pool : new Parallel[] {one, two, three}) {
                float[] y = new float[batch * out];
                Kernels.affine(k, x, w, b, y, batch, in, out, pool);
                float[] dw = dw0.clone();
                Kernels.addWeightGradient(k, x, dy, dw, batch, in, out, pool);
                float[] db = db0.clone();
                Kernels.addBiasGradient(k, dy, db, batch, out, pool);
                float[] dx = new float[batch * in];
                Kernels.inputGradient(k, dy, w, new float[in * out], dx, batch, in, out, pool);
                float[][] r = {y, dw, db, dx};
                if (results == null) {
                    results = r;
                } else {
                    for (int q = 0; q < 4; q++) {
                        assertArrayEquals(results[q], r[q], shape + " kernel " + q + " " + k.getClass().getSimpleName()
                                + " threads " + pool.threads());
                    }
                }
            }
        }
        // against double precision: relative to the sum of the magnitudes of the terms
        double[] xd = Reference.widen(x);
        double[] wd = Reference.widen(w);
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                double mag = Math.abs(b[o]);
                for (int i = 0; i < in; i++) {
                    s += xd[r * in + i] * wd[i * out + o];
                    mag += Math.abs(xd[r * in + i] * wd[i * out + o]);
                }
                assertEquals(s, results[0][r * out + o], 1e-6 * (1 + mag), shape + " y");
            }
        }
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                double s = dw0[i * out + o];
                double mag = Math.abs(s);
                for (int r = 0; r < batch; r++) {
                    s += xd[r * in + i] * dy[r * out + o];
                    mag += Math.abs(xd[r * in + i] * dy[r * out + o]);
                }
                assertEquals(s, results[1][i * out + o], 1e-6 * (1 + mag), shape + " dW");
            }
        }
        for (int o = 0; o < out; o++) {
            double s = db0[o];
            double mag = Math.abs(s);
            for (int r = 0; r < batch; r++) {
                s += dy[r * out + o];
                mag += Math.abs(dy[r * out + o]);
            }
            assertEquals(s, results[2][o], 1e-6 * (1 + mag), shape + " db");
        }
        for (int r = 0; r < batch; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                double mag = 0;
                for (int o = 0; o < out; o++) {
                    s += dy[r * out + o] * wd[i * out + o];
                    mag += Math.abs(dy[r * out + o] * wd[i * out + o]);
                }
                assertEquals(s, results[3][r * in + i], 1e-6 * (1 + mag), shape + " dX");
            }
        }
    }

    /** Random shapes, including batches that are not multiples of the 4-row tile or the 64-row block. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void layerKernelsAgreeAcrossBackendsAndThreads(long seed) {
        Rng rng = new Rng(seed);
        checkLayerKernels(1 + rng.nextInt(150), 1 + rng.nextInt(70), 1 + rng.nextInt(70), seed);
    }

    /** Every column tail case of 16- and 8-lane vectors, and the single-output special cases. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 50, 63, 64, 65, 80})
    void columnTails(int n) {
        checkLayerKernels(67, n, n, 100 + n);
        checkLayerKernels(5, 13, n, 200 + n);
        checkLayerKernels(70, n, 1, 300 + n);
    }

    /** Sums longer than one panel of the summation index continue exactly through C. */
    @Test
    void longSumsCrossPanels() {
        int k = 2 * VectorKernels.K_PANEL + 37;
        checkLayerKernels(9, k, 50, 7);
        checkLayerKernels(2 * VectorKernels.K_PANEL + 5, 20, 33, 8);
    }

    @Test
    void emptySumsGiveTheInit() {
        float[] b = {1, 2, 3};
        float[] y = new float[6];
        Arrays.fill(y, 9f);
        for (KernelBackend k : new KernelBackend[] {VECTOR, SCALAR}) {
            k.gemm(0, 2, 3, 0, new float[0], 0, 0, 1, new float[0], 0, y, 0, b, false);
            assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, y);
            k.gemm(0, 2, 3, 0, new float[0], 0, 0, 1, new float[0], 0, y, 0, null, false);
            assertArrayEquals(new float[6], y);
        }
    }

    /** Same bits from both backends (forward and backward, in place too), within a few ulps of the double definitions. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationsAgreeAcrossBackendsAndWithDouble(Activation f) {
        Rng rng = new Rng(f.ordinal() + 1);
        int n = 3000 + 13;
        float[] x = Reference.gaussian(rng, n, 4);
        float[] special = {0f, -0f, 80f, -80f, 1e-30f, -1e-30f, 0.625f, -0.625f, 0.6249f, 88.5f, -88.5f, 200f, -200f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-5f, -1e-5f, 17f, -17f};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int e = special.length; e < 1000; e++) {
            x[e] = (float) ((rng.nextDouble() - 0.5) * 200);
        }
        float[] dOut = Reference.gaussian(rng, n, 1);
        float[] yv = new float[n];
        float[] ys = new float[n];
        VECTOR.activate(f, x, yv, 0, n);
        SCALAR.activate(f, x, ys, 0, n);
        assertArrayEquals(ys, yv, f + " forward");
        for (int e = 0; e < n; e++) {
            double ref = Reference.activation(f, x[e]);
            if (Double.isNaN(ref)) {
                assertTrue(Float.isNaN(ys[e]), f + " at NaN");
                continue;
            }
            // 3 ulps of the result, or 2^-126 absolute (exp flushes results below 2^-126 to 0)
            assertEquals(ref, ys[e], 3 * Math.ulp((float) ref) + Float.MIN_NORMAL, f + " at " + x[e]);
        }
        float[] dv = new float[n];
        float[] ds = new float[n];
        VECTOR.activationBackward(f, x, ys, dOut, dv, 0, n);
        SCALAR.activationBackward(f, x, ys, dOut, ds, 0, n);
        assertArrayEquals(ds, dv, f + " backward");
        float[] inPlace = dOut.clone();
        VECTOR.activationBackward(f, x, ys, inPlace, inPlace, 0, n);
        assertArrayEquals(dv, inPlace);
    }

    @Test
    void dotAndAxpy() {
        Rng rng = new Rng(5);
        for (int n : new int[] {0, 1, 10, 15, 16, 17, 25, 50, 100}) {
            float[] x = Reference.gaussian(rng, n + 3, 1);
            float[] y = Reference.gaussian(rng, n + 5, 1);
            double ref = 0;
            double mag = 0;
            for (int j = 0; j < n; j++) {
                ref += (double) x[3 + j] * y[5 + j];
                mag += Math.abs((double) x[3 + j] * y[5 + j]);
            }
            assertEquals(ref, VECTOR.dot(x, 3, y, 5, n), 1e-6 * (1 + mag));
            assertEquals(ref, SCALAR.dot(x, 3, y, 5, n), 1e-6 * (1 + mag));
            float[] yv = y.clone();
            float[] ys = y.clone();
            VECTOR.axpy(0.37f, x, 3, yv, 5, n);
            SCALAR.axpy(0.37f, x, 3, ys, 5, n);
            assertArrayEquals(ys, yv);
            for (int j = 0; j < 5; j++) {
                assertEquals(y[j], yv[j]);
            }
            for (int j = 0; j < n; j++) {
                assertEquals(Math.fma(0.37f, x[3 + j], y[5 + j]), yv[5 + j]);
            }
        }
    }

    @Test
    void transpose() {
        float[] src = {1, 2, 3, 4, 5, 6};
        float[] dst = new float[6];
        Kernels.transpose(src, 2, 3, dst);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, dst);
    }

    @Test
    void weightRowBlocksDependOnTheRowsOnly() {
        assertEquals(4, Kernels.weightRowBlock(1));
        assertEquals(8, Kernels.weightRowBlock(50));
        assertEquals(12, Kernels.weightRowBlock(80));
        assertEquals(0, Kernels.weightRowBlock(600) % 4);
    }
}
