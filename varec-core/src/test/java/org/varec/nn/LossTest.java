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

/** Losses against their textbook double-precision definitions and central finite differences. */
class LossTest {
    private static Parallel pool;

    @BeforeAll
    static void open() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    /** The definitions, straightforwardly, in double (the multinomial by log of a plain softmax). */
    static double reference(Loss loss, double[] y, float[] t, float[] w, int batch, int cols) {
        double s = 0;
        for (int r = 0; r < batch; r++) {
            double norm = 0;
            if (loss == Loss.MULTINOMIAL) {
                for (int j = 0; j < cols; j++) {
                    norm += Math.exp(y[r * cols + j]);
                }
            }
            for (int j = 0; j < cols; j++) {
                int e = r * cols + j;
                double we = w == null ? 1 : w[e];
                s += we * switch (loss) {
                    case SQUARED_ERROR -> 0.5 * (y[e] - t[e]) * (y[e] - t[e]);
                    case LOGISTIC -> -(t[e] * Math.log(1 / (1 + Math.exp(-y[e]))) + (1 - t[e]) * Math.log(1 - 1 / (1 + Math.exp(-y[e]))));
                    case MULTINOMIAL -> -t[e] * Math.log(Math.exp(y[e]) / norm);
                };
            }
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void valueAndGradient(long seed) {
        for (Loss loss : Loss.values()) {
            Rng rng = new Rng(seed * 7 + loss.ordinal());
            int batch = 1 + rng.nextInt(6);
            int cols = 1 + rng.nextInt(30);
            float[] y = Reference.gaussian(rng, batch * cols, 2);
            float[] t = new float[y.length];
            for (int e = 0; e < t.length; e++) {
                t[e] = switch (loss) {
                    case SQUARED_ERROR -> (float) (3 * rng.nextGaussian());
                    case LOGISTIC -> rng.nextDouble() < 0.3 ? rng.nextFloat() : (rng.nextBoolean() ? 1f : 0f);
                    case MULTINOMIAL -> rng.nextInt(3);
                };
            }
            float[] w = null;
            if (seed % 2 == 0) {
                w = new float[y.length];
                for (int e = 0; e < w.length; e++) {
                    w[e] = rng.nextDouble() < 0.3 ? 0f : rng.nextFloat() * 2; // a mask with weights
                }
            }
            float[] d = new float[y.length];
            double value = loss.evaluate(y, t, w, d, batch, cols, pool);
            double[] yd = Reference.widen(y);
            float[] ww = w;
            double ref = reference(loss, yd, t, ww, batch, cols);
            assertEquals(ref, value, 1e-9 * (1 + Math.abs(ref)), loss + " value");
            Reference.assertGradient(loss + " dOut", d,
                    Reference.numericGradient(yd, yy -> reference(loss, yy, t, ww, batch, cols), 1e-6), 1e-6, 1e-5);
        }
    }

    /** No overflow or cancellation at large logits. */
    @Test
    void stableAtLargeLogits() {
        float[] y = {200f, -200f, 0f};
        float[] d = new float[3];
        assertEquals(200 + 0 + Math.log(2), Loss.LOGISTIC.evaluate(y, new float[] {0, 0, 0}, null, d, 1, 3, pool), 1e-9);
        assertArrayEquals(new float[] {1f, 0f, 0.5f}, d);
        double v = Loss.MULTINOMIAL.evaluate(new float[] {1000f, 0f, -1000f}, new float[] {0, 1, 0}, null, d, 1, 3, pool);
        assertEquals(1000, v, 1e-9);
        assertArrayEquals(new float[] {1f, -1f, 0f}, d);
    }

    @Test
    void sumDoesNotDependOnThreads() {
        Rng rng = new Rng(4);
        int batch = 3000;
        int cols = 17;
        float[] y = Reference.gaussian(rng, batch * cols, 1);
        float[] t = Reference.gaussian(rng, batch * cols, 1);
        float[] d1 = new float[y.length];
        float[] d3 = new float[y.length];
        double v1 = Loss.SQUARED_ERROR.evaluate(y, t, null, d1, batch, cols, new Parallel(1));
        try (Parallel three = new Parallel(3)) {
            assertEquals(v1, Loss.SQUARED_ERROR.evaluate(y, t, null, d3, batch, cols, three));
        }
        assertArrayEquals(d1, d3);
    }
}
