package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * {@link SparseOutput}: the outputs read at a few columns per row, and all of them, against a
 * double-precision reference, and their backward passes against central finite differences of it
 * (loss {@code sum c * y}); {@link Dropout}'s keep rate and scale.
 */
class SparseOutputTest {
    private static final double H = 1e-6;
    private static Parallel pool;

    @BeforeAll
    static void open() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    /** A random CSR pattern: each row picks each column with probability 0.4 (at least one). */
    private static int[][] pattern(Rng rng, int batch, int outputs) {
        int[] off = new int[batch + 1];
        int[] idx = new int[batch * outputs];
        int q = 0;
        for (int r = 0; r < batch; r++) {
            off[r] = q;
            for (int j = 0; j < outputs; j++) {
                if (rng.nextDouble() < 0.4 || (j == outputs - 1 && q == off[r])) {
                    idx[q++] = j;
                }
            }
        }
        off[batch] = q;
        return new int[][] {off, java.util.Arrays.copyOf(idx, q)};
    }

    /** y[p] = b[j] + h[r] . W[j] in double. */
    private static double[] reference(int[] off, int[] idx, double[] h, double[] w, double[] b, int batch, int in) {
        double[] y = new double[off[batch]];
        for (int r = 0; r < batch; r++) {
            for (int p = off[r]; p < off[r + 1]; p++) {
                int j = idx[p];
                double s = b[j];
                for (int k = 0; k < in; k++) {
                    s += h[r * in + k] * w[j * in + k];
                }
                y[p] = s;
            }
        }
        return y;
    }

    /** The outputs against the reference and the three gradients against finite differences of {@code sum c * y}. */
    private static void check(SparseOutput layer, int[] off, int[] idx, float[] h, float[] c, float[] y, float[] dh,
                              int batch, int in) {
        double[] hd = Reference.widen(h);
        double[] wd = Reference.widen(layer.weights().value());
        double[] bd = Reference.widen(layer.bias().value());
        double[] expected = reference(off, idx, hd, wd, bd, batch, in);
        for (int p = 0; p < y.length; p++) {
            assertEquals(expected[p], y[p], 1e-5 * (1 + Math.abs(expected[p])));
        }
        Reference.assertGradient("dW", layer.weights().grad(),
                Reference.numericGradient(wd, w -> Reference.dot(reference(off, idx, hd, w, bd, batch, in), c), H), 1e-5, 1e-4);
        Reference.assertGradient("db", layer.bias().grad(),
                Reference.numericGradient(bd, b -> Reference.dot(reference(off, idx, hd, wd, b, batch, in), c), H), 1e-5, 1e-4);
        Reference.assertGradient("dh", dh,
                Reference.numericGradient(hd, hh -> Reference.dot(reference(off, idx, hh, wd, bd, batch, in), c), H), 1e-5, 1e-4);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void sparseOutputsAndGradients(long seed) {
        Rng rng = new Rng(seed);
        int batch = 1 + rng.nextInt(6);
        int in = 1 + rng.nextInt(20);
        int outputs = 1 + rng.nextInt(30);
        int[][] pat = pattern(rng, batch, outputs);
        int[] off = pat[0];
        int[] idx = pat[1];
        SparseOutput layer = new SparseOutput("o", in, outputs);
        System.arraycopy(Reference.gaussian(rng, outputs * in, 0.5), 0, layer.weights().value(), 0, outputs * in);
        System.arraycopy(Reference.gaussian(rng, outputs, 0.5), 0, layer.bias().value(), 0, outputs);
        float[] h = Reference.gaussian(rng, batch * in, 1);
        float[] c = Reference.gaussian(rng, idx.length, 1);
        float[] y = new float[idx.length];
        float[] dh = new float[batch * in];
        layer.forward(off, idx, h, batch, y, pool);
        layer.backward(off, idx, h, c, dh, batch, pool);

        check(layer, off, idx, h, c, y, dh, batch, in);
        // only the rows the batch read were touched
        boolean[] read = new boolean[outputs];
        for (int j : idx) {
            read[j] = true;
        }
        for (int k = 0; k < layer.weights().numTouched(); k++) {
            assertTrue(read[layer.weights().touchedRow(k)]);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void allOutputsAndGradients(long seed) {
        Rng rng = new Rng(seed);
        int batch = 1 + rng.nextInt(6);
        int in = 1 + rng.nextInt(20);
        int outputs = 1 + rng.nextInt(30);
        int[] off = new int[batch + 1];
        int[] idx = new int[batch * outputs];
        for (int r = 0; r <= batch; r++) {
            off[r] = r * outputs;
        }
        for (int p = 0; p < idx.length; p++) {
            idx[p] = p % outputs;
        }
        SparseOutput layer = new SparseOutput("o", in, outputs);
        System.arraycopy(Reference.gaussian(rng, outputs * in, 0.5), 0, layer.weights().value(), 0, outputs * in);
        System.arraycopy(Reference.gaussian(rng, outputs, 0.5), 0, layer.bias().value(), 0, outputs);
        float[] h = Reference.gaussian(rng, batch * in, 1);
        float[] c = Reference.gaussian(rng, batch * outputs, 1);
        float[] y = new float[batch * outputs];
        float[] dh = new float[batch * in];
        layer.forwardAll(h, batch, y, new float[in * outputs], pool);
        layer.backwardAll(h, c, dh, batch, pool);
        check(layer, off, idx, h, c, y, dh, batch, in);
    }

    @Test
    void dropoutKeepsTheExpectedShareAndScales() {
        int n = 100_000;
        float[] in = new float[n];
        java.util.Arrays.fill(in, 2f);
        float[] out = new float[n];
        int kept = Dropout.apply(0.25f, in, out, 0, n, new Rng(3));
        assertEquals(0.75, kept / (double) n, 0.01);
        double sum = 0;
        for (float v : out) {
            assertTrue(v == 0f || Math.abs(v - 2f / 0.75f) < 1e-6);
            sum += v;
        }
        assertEquals(2.0, sum / n, 0.03); // the expected input is unchanged
        float[] copy = new float[n];
        assertEquals(n, Dropout.apply(0f, in, copy, 0, n, new Rng(3)));
        assertEquals(2f, copy[n - 1]);
        assertThrows(IllegalArgumentException.class, () -> Dropout.apply(1f, in, out, 0, 1, new Rng(1)));
    }
}
