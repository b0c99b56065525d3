package org.varec.model.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varec.stats.Rng;

/** The Vector API SGD pass against the scalar reference step, for widths around the vector length. */
class SgdPassTest {
    @Test
    void theVectorPassIsInUseUnderTests() {
        assertTrue(SgdPass.vectorized(), "surefire adds jdk.incubator.vector; the vector pass should be chosen");
    }

    /**
     * Same start, same triples: after a pass the two implementations agree to float rounding (the
     * dot products sum in different orders, the updates are the same operations), and so do the
     * returned squared-error sums.
     */
    @ParameterizedTest
    @CsvSource({"1, 1", "3, 2", "7, 3", "8, 4", "10, 5", "15, 6", "16, 7", "17, 8", "33, 9", "100, 10"})
    void vectorPassMatchesScalarSteps(int k, long seed) {
        int users = 30;
        int items = 20;
        int n = 400;
        Rng rng = new Rng(seed);
        int[] tr = new int[3 * n];
        for (int t = 0; t < n; t++) {
            tr[3 * t] = rng.nextInt(users);
            tr[3 * t + 1] = rng.nextInt(items);
            tr[3 * t + 2] = Float.floatToRawIntBits(1 + rng.nextInt(5));
        }
        float[] p = gaussian(users * k, rng, 0.3);
        float[] q = gaussian(items * k, rng, 0.3);
        float[] bu = gaussian(users, rng, 0.1);
        float[] bi = gaussian(items, rng, 0.1);
        float[] p2 = p.clone();
        float[] q2 = q.clone();
        float[] bu2 = bu.clone();
        float[] bi2 = bi.clone();
        double a = SgdPass.CHOSEN.run(tr, 0, n, p, q, bu, bi, k, 3.5f, 0.02f, 0.05f, 0.01f);
        double b = SgdPass.SCALAR.run(tr, 0, n, p2, q2, bu2, bi2, k, 3.5f, 0.02f, 0.05f, 0.01f);
        assertEquals(b, a, 1e-4 * b);
        assertClose(p2, p);
        assertClose(q2, q);
        assertClose(bu2, bu);
        assertClose(bi2, bi);
    }

    /** The pass returns the squared errors each taken before its own step. */
    @Test
    void returnsTheErrorsBeforeEachStep() {
        int k = 10;
        float[] p = new float[k];
        float[] q = new float[k];
        java.util.Arrays.fill(p, 0.5f);
        java.util.Arrays.fill(q, 0.2f);
        int[] tr = {0, 0, Float.floatToRawIntBits(4f)};
        double sse = SgdPass.CHOSEN.run(tr, 0, 1, p, q, new float[1], new float[1], k, 3f, 0.01f, 0f, 0f);
        double e = 4 - (3 + 10 * 0.5 * 0.2);
        assertEquals(e * e, sse, 1e-6);
    }

    /** Each implementation is deterministic: the same pass twice gives the same bits. */
    @ParameterizedTest
    @CsvSource({"10", "16", "100"})
    void deterministic(int k) {
        Rng rng = new Rng(k);
        int[] tr = new int[3 * 200];
        for (int t = 0; t < 200; t++) {
            tr[3 * t] = rng.nextInt(10);
            tr[3 * t + 1] = rng.nextInt(10);
            tr[3 * t + 2] = Float.floatToRawIntBits(rng.nextInt(5) + 1);
        }
        float[] p = gaussian(10 * k, rng, 0.2);
        float[] q = gaussian(10 * k, rng, 0.2);
        float[] p2 = p.clone();
        float[] q2 = q.clone();
        SgdPass.CHOSEN.run(tr, 0, 200, p, q, new float[10], new float[10], k, 3f, 0.01f, 0.02f, 0.01f);
        SgdPass.CHOSEN.run(tr, 0, 200, p2, q2, new float[10], new float[10], k, 3f, 0.01f, 0.02f, 0.01f);
        assertArrayEquals(p, p2);
        assertArrayEquals(q, q2);
    }

    /** The trainer takes the vector pass only for runs long enough to repay its JIT warm-up. */
    @Test
    void longRunsTakeTheVectorPassShortOnesTheScalar() {
        var pf = org.varec.testing.PlantedFactors.generate(3, 100, 80, 2, 1.0, 0.3, 0.3);
        var m = org.varec.data.RatingMatrix.of(pf.train());
        BiasMfConfig shortRun = new BiasMfConfig(10, 0.01, 0.02, 0.01, 20, 0.01, 1);
        assertEquals(SgdPass.SCALAR, new BiasMfTrainer.State(m, shortRun, 1, 1).pass);
        int epochs = (int) Math.ceil(BiasMfTrainer.VECTOR_WORK / ((double) m.nnz() * 100));
        BiasMfConfig longRun = new BiasMfConfig(100, 0.01, 0.02, 0.01, epochs, 0.01, 1);
        assertEquals(SgdPass.CHOSEN, new BiasMfTrainer.State(m, longRun, 1, 1).pass);
        assertEquals(SgdPass.SCALAR, new BiasMfTrainer.State(m, new BiasMfConfig(100, 0.01, 0.02, 0.01, epochs - 1, 0.01, 1),
                1, 1).pass);
    }

    private static void assertClose(float[] expected, float[] actual) {
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-4 * (1 + Math.abs(expected[j])), "element " + j);
        }
    }

    private static float[] gaussian(int n, Rng rng, double sd) {
        float[] a = new float[n];
        for (int j = 0; j < n; j++) {
            a[j] = (float) (sd * rng.nextGaussian());
        }
        return a;
    }
}
