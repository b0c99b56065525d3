package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * The gathered-row kernel ({@link KernelBackend#gatherRows}) and the sparse input layer's block form
 * ({@link SparseInput#forwardBlocks}, {@link SparseInput#backwardBlocks}): the kernel gives the same
 * bits as the entry-by-entry {@code axpy} it replaces, for both backends; the factored block form
 * equals the layer over the expanded CSR to rounding, with the same bits on any thread count; and {@link KernelBackend#adam} against the scalar loop it replaced.
 */
class SparseInputBlocksTest {
    private static final KernelBackend VECTOR = Kernels.backend(true);
    private static final KernelBackend SCALAR = Kernels.backend(false);
    private static Parallel one;
    private static Parallel two;
    private static Parallel three;

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

    /** Widths around the vector length (8 or 16) and the 4-vector strip, and the VAE-BMF widths 10, 25, 50. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 10, 16, 25, 33, 50, 64, 65, 100, 130})
    void gatherRowsIsAxpyEntryByEntry(int n) {
        Rng rng = new Rng(n);
        for (int blk : new int[] {1, 3}) {
            int rows = 7 * blk;
            float[] w = Reference.gaussian(rng, rows * n, 1);
            float[] table = Reference.gaussian(rng, rows, 1);
            int[] idx = {4, 0, 6, 4, 2};
            float[] val = Reference.gaussian(rng, idx.length, 1);
            for (int mode = 0; mode < 3; mode++) {
                float[] tb = mode == 2 ? table : null;
                float[] vl = mode == 1 ? val : null;
                float scale = mode == 2 ? 0.37f : 1f;
                float[] init = Reference.gaussian(rng, n + 5, 1);
                float[] expect = init.clone();
                for (int p = 1; p < idx.length; p++) {
                    for (int f = 0; f < blk; f++) {
                        int i = idx[p] * blk + f;
                        float a = tb == null ? (vl == null ? 1f : vl[p]) : tb[i] * scale;
                        SCALAR.axpy(a, w, i * n, expect, 2, n);
                    }
                }
                for (KernelBackend k : new KernelBackend[] {VECTOR, SCALAR}) {
                    float[] y = init.clone();
                    k.gatherRows(w, n, idx, vl, 1, idx.length, blk, tb, scale, y, 2);
                    assertArrayEquals(expect, y, "n=" + n + " blk=" + blk + " mode=" + mode + " " + k);
                }
            }
        }
    }

    /** Rows of the layer's last weight row read past the array end under the lane mask only. */
    @Test
    void gatherRowsAtTheEndOfTheArrays() {
        int n = 50;
        Rng rng = new Rng(5);
        float[] w = Reference.gaussian(rng, 3 * n, 1);
        float[] y = new float[n];
        float[] ys = new float[n];
        int[] idx = {2, 2, 1};
        VECTOR.gatherRows(w, n, idx, null, 0, 3, 1, null, 1f, y, 0);
        SCALAR.gatherRows(w, n, idx, null, 0, 3, 1, null, 1f, ys, 0);
        assertArrayEquals(ys, y);
        assertEquals(2 * w[2 * n + 49] + w[n + 49], y[49], 1e-5f);
    }

    /** The block product: both backends give the same bits (two fma chains, even and odd rows), close to the plain sum. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 10, 16, 25, 33, 50, 64, 65, 100})
    void blockProductIsTheSameOnBothBackends(int n) {
        Rng rng = new Rng(n);
        for (int blk : new int[] {1, 2, 3, 10}) {
            int entities = 4;
            float[] w = Reference.gaussian(rng, entities * blk * n, 1);
            float[] table = Reference.gaussian(rng, entities * blk, 1);
            for (int e = 0; e < entities; e++) {
                float[] yv = Reference.gaussian(rng, n + 3, 1);
                float[] ys = yv.clone();
                VECTOR.blockProduct(w, n, e * blk, blk, table, yv, 2);
                SCALAR.blockProduct(w, n, e * blk, blk, table, ys, 2);
                assertArrayEquals(ys, yv, "n " + n + " blk " + blk);
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int f = 0; f < blk; f++) {
                        sum += (double) table[e * blk + f] * w[(e * blk + f) * n + j];
                    }
                    assertEquals(sum, ys[2 + j], 1e-5 * (1 + Math.abs(sum)));
                }
            }
        }
    }

    /**
     * The layer over block entries (factored: one block product per distinct entity) equals the layer
     * over the expanded CSR, forward and backward, to float rounding, touches the same rows (in
     * ascending order), and gives the same bits on any thread count; calls accumulate gradients.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void blocksEqualTheExpandedInput(long seed) {
        Rng rng = new Rng(seed);
        int entries = 13;
        int k = 1 + rng.nextInt(4);
        int out = 1 + rng.nextInt(60);
        int batch = 1 + rng.nextInt(9);
        float[] table = Reference.gaussian(rng, entries * k, 1);
        int[] off = new int[batch + 1];
        off[0] = 2; // the CSR need not start at 0
        for (int r = 0; r < batch; r++) {
            off[r + 1] = off[r] + rng.nextInt(6);
        }
        int[] idx = new int[off[batch]];
        for (int p = off[0]; p < off[batch]; p++) {
            idx[p] = rng.nextInt(entries);
        }
        float[] scale = new float[batch];
        for (int r = 0; r < batch; r++) {
            scale[r] = (float) (0.5 + rng.nextDouble());
        }
        // the expanded CSR: entry p becomes k entries idx[p] k + f with values table[idx[p] k + f] scale[r]
        int[] offE = new int[batch + 1];
        int[] idxE = new int[off[batch] * k];
        float[] valE = new float[idxE.length];
        for (int r = 0; r < batch; r++) {
            offE[r + 1] = offE[r] + (off[r + 1] - off[r]) * k;
            for (int p = off[r]; p < off[r + 1]; p++) {
                for (int f = 0; f < k; f++) {
                    int e = offE[r] + (p - off[r]) * k + f;
                    idxE[e] = idx[p] * k + f;
                    valE[e] = table[idx[p] * k + f] * scale[r];
                }
            }
        }
        float[] w0 = Reference.gaussian(rng, entries * k * out, 1);
        float[] b0 = Reference.gaussian(rng, out, 1);
        float[] dOut = Reference.gaussian(rng, batch * out, 1);
        SparseInput ref = layer(entries * k, out, w0, b0);
        float[] yRef = new float[batch * out];
        ref.forward(offE, idxE, valE, batch, yRef, one);
        ref.backward(offE, idxE, valE, dOut, batch, one);
        float[] yOne = null;
        float[] gOne = null;
        for (Parallel pool : new Parallel[] {one, two, three}) {
            SparseInput l = layer(entries * k, out, w0, b0);
            float[] y = new float[batch * out];
            l.forwardBlocks(off, idx, k, table, scale, batch, y, pool);
            assertClose(yRef, y, "forward, threads " + pool.threads());
            l.backwardBlocks(off, idx, k, table, scale, dOut, batch, pool);
            assertClose(ref.weights().grad(), l.weights().grad(), "backward, threads " + pool.threads());
            assertArrayEquals(ref.bias().grad(), l.bias().grad());
            assertEquals(ref.weights().numTouched(), l.weights().numTouched());
            ref.weights().sortTouched(); // the same rows, ascending
            for (int t = 0; t < l.weights().numTouched(); t++) {
                assertEquals(ref.weights().touchedRows()[t], l.weights().touchedRows()[t], "touched row " + t);
            }
            if (yOne == null) {
                yOne = y;
                gOne = l.weights().grad().clone();
            } else {
                assertArrayEquals(yOne, y, "threads " + pool.threads() + " against 1");
                assertArrayEquals(gOne, l.weights().grad(), "threads " + pool.threads() + " against 1");
            }
            // a second call adds its gradient to the first
            l.backwardBlocks(off, idx, k, table, scale, dOut, batch, pool);
            float[] twice = gOne.clone();
            for (int e = 0; e < twice.length; e++) {
                twice[e] *= 2;
            }
            assertClose(twice, l.weights().grad(), "accumulated, threads " + pool.threads());
            // and the plain layer on any thread count
            SparseInput p = layer(entries * k, out, w0, b0);
            p.backward(offE, idxE, valE, dOut, batch, pool);
            assertArrayEquals(ref.weights().grad(), p.weights().grad());
        }
    }

    private static void assertClose(float[] expect, float[] got, String what) {
        assertEquals(expect.length, got.length, what);
        for (int e = 0; e < expect.length; e++) {
            assertEquals(expect[e], got[e], 1e-5f * (1 + Math.abs(expect[e])), what + " [" + e + "]");
        }
    }

    private static SparseInput layer(int inputs, int out, float[] w, float[] b) {
        SparseInput l = new SparseInput("l", inputs, out);
        System.arraycopy(w, 0, l.weights().value(), 0, w.length);
        System.arraycopy(b, 0, l.bias().value(), 0, b.length);
        return l;
    }

    @Test
    void blocksMustDivideTheInputs() {
        SparseInput l = new SparseInput("l", 10, 3);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> l.forwardBlocks(new int[] {0, 0}, new int[0], 3, new float[0], null, 1, new float[3], one));
    }

    /** The rank-one Adam update ({@code adamRank1}) gives the bits of {@code adam} on the gradient written out by {@code axpy} into zeros, on both backends, for row widths around the vector length. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 25, 50, 64, 99})
    void adamRank1IsAdamOnTheWrittenOutGradient(int cols) {
        Rng rng = new Rng(cols);
        int rows = 3;
        int n = rows * cols + 5;
        float[] x = Reference.gaussian(rng, n, 1);
        float[] m = Reference.gaussian(rng, n, 0.1);
        float[] v = new float[n];
        for (int e = 0; e < n; e++) {
            v[e] = (float) rng.nextDouble();
        }
        float[] coef = Reference.gaussian(rng, rows + 2, 1);
        coef[1] = 0f; // a zero row: g = +0 everywhere
        float[] dir = Reference.gaussian(rng, cols + 4, 1);
        float step = (float) (0.001 / (1 - Math.pow(0.9, 3)));
        float inv = (float) (1 / (1 - Math.pow(0.999, 3)));
        float[] g = new float[n];
        for (int r = 0; r < rows; r++) {
            SCALAR.axpy(coef[1 + r], dir, 3, g, 2 + r * cols, cols);
        }
        for (float keep : new float[] {1f, 0.97f}) { // without and with decoupled weight decay
            float[] xr = x.clone();
            float[] mr = m.clone();
            float[] vr = v.clone();
            SCALAR.adam(xr, g, mr, vr, 2, 2 + rows * cols, 0.9f, 0.1f, 0.999f, 0.001f, step, inv, 1e-8f, keep, false);
            for (KernelBackend k : new KernelBackend[] {VECTOR, SCALAR}) {
                float[] xk = x.clone();
                float[] mk = m.clone();
                float[] vk = v.clone();
                k.adamRank1(xk, mk, vk, 2, rows, cols, coef, 1, dir, 3, 0.9f, 0.1f, 0.999f, 0.001f, step, inv, 1e-8f,
                        keep);
                assertArrayEquals(xr, xk, "x, cols " + cols + " " + k + " keep " + keep);
                assertArrayEquals(mr, mk, "m");
                assertArrayEquals(vr, vk, "v");
            }
        }
    }

    /** The vector Adam update gives the bits of the scalar loop ParamAdam had before, on row lengths around the vector length, and clears exactly its gradient range when asked */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 25, 50, 64, 99})
    void adamKernelIsTheScalarLoop(int len) {
        Rng rng = new Rng(len);
        float[] x = Reference.gaussian(rng, len + 3, 1);
        float[] g = Reference.gaussian(rng, len + 3, 1);
        float[] m = Reference.gaussian(rng, len + 3, 0.1);
        float[] v = new float[len + 3];
        for (int e = 0; e < v.length; e++) {
            v[e] = (float) rng.nextDouble();
        }
        float b1 = 0.9f;
        float b2 = 0.999f;
        float step = (float) (0.001 / (1 - Math.pow(0.9, 7)));
        float inv = (float) (1 / (1 - Math.pow(0.999, 7)));
        float eps = 1e-8f;
        for (float keep : new float[] {1f, 0.97f}) { // without and with decoupled weight decay
            float[] xr = x.clone();
            float[] mr = m.clone();
            float[] vr = v.clone();
            for (int e = 1; e < len + 1; e++) {
                float ge = g[e];
                float me = b1 * mr[e] + (1f - b1) * ge;
                float ve = b2 * vr[e] + (1f - b2) * ge * ge;
                mr[e] = me;
                vr[e] = ve;
                xr[e] = xr[e] * keep - step * me / ((float) Math.sqrt(ve * inv) + eps);
            }
            for (KernelBackend k : new KernelBackend[] {VECTOR, SCALAR}) {
                for (boolean clear : new boolean[] {false, true}) {
                    float[] xk = x.clone();
                    float[] mk = m.clone();
                    float[] vk = v.clone();
                    float[] gk = g.clone();
                    k.adam(xk, gk, mk, vk, 1, len + 1, b1, 1f - b1, b2, 1f - b2, step, inv, eps, keep, clear);
                    assertArrayEquals(xr, xk, "keep " + keep);
                    assertArrayEquals(mr, mk);
                    assertArrayEquals(vr, vk);
                    float[] gr = g.clone(); // cleared exactly in [1, len + 1)
                    if (clear) {
                        java.util.Arrays.fill(gr, 1, len + 1, 0f);
                    }
                    assertArrayEquals(gr, gk, "clear " + clear);
                }
            }
        }
    }
}
