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
 * {@link Attention}'s backward pass against central differences of a double-precision reference
 * of eqs. (9)-(10) with the softmax normalisation and the [q, c] -> K linear map; empty sets; the
 * identity start.
 */
class AttentionTest {
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

    /**
     * The reference: {@code sum_r c_r . ([q_r, sum_j softmax(q_r Theta v_j) w_j v_j] W + b)}, the
     * value weights {@code w_j = vw[p]} (null: 1).
     */
    static double reference(double[] q, double[] theta, double[] w, double[] b, int[] off, int[] idx, double[] vw,
                            double[] table, double[] c, int batch, int k) {
        double loss = 0;
        for (int r = 0; r < batch; r++) {
            double[] x = new double[2 * k];
            for (int i = 0; i < k; i++) {
                x[i] = q[r * k + i];
            }
            int lo = off[r];
            int hi = off[r + 1];
            if (hi > lo) {
                double[] s = new double[hi - lo];
                double max = Double.NEGATIVE_INFINITY;
                for (int p = lo; p < hi; p++) {
                    double v = 0;
                    for (int i = 0; i < k; i++) {
                        for (int l = 0; l < k; l++) {
                            v += q[r * k + i] * theta[i * k + l] * table[idx[p] * k + l];
                        }
                    }
                    s[p - lo] = v;
                    max = Math.max(max, v);
                }
                double z = 0;
                for (double v : s) {
                    z += Math.exp(v - max);
                }
                for (int p = lo; p < hi; p++) {
                    double a = Math.exp(s[p - lo] - max) / z;
                    for (int l = 0; l < k; l++) {
                        x[k + l] += a * (vw == null ? 1 : vw[p]) * table[idx[p] * k + l];
                    }
                }
            }
            for (int o = 0; o < k; o++) {
                double y = b[o];
                for (int i = 0; i < 2 * k; i++) {
                    y += x[i] * w[i * k + o];
                }
                loss += c[r * k + o] * y;
            }
        }
        return loss;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void gradientsMatchFiniteDifferences(long seed) {
        check(seed, false);
    }

    /** Value weights (attention_ratings): {@code c = sum_j a_j w_j v_j}, gradients against the reference. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void weightedValuesMatchFiniteDifferences(long seed) {
        check(seed, true);
    }

    /** Random sets (row 0 empty), parameters, queries and (with {@code weighted}) value weights. */
    private static void check(long seed, boolean weighted) {
        Rng rng = new Rng(seed);
        int k = 1 + rng.nextInt(5);
        int batch = 1 + rng.nextInt(6);
        int rows = 3 + rng.nextInt(8);
        int[] off = new int[batch + 1];
        int[] idx = new int[batch * rows];
        for (int r = 0; r < batch; r++) {
            int len = r == 0 ? 0 : rng.nextInt(rows + 1); // row 0: an empty set
            for (int p = 0; p < len; p++) {
                idx[off[r] + p] = rng.nextInt(rows);
            }
            off[r + 1] = off[r] + len;
        }
        Attention att = new Attention("a", k);
        for (ParamArray p : att.params()) {
            System.arraycopy(Reference.gaussian(rng, p.size(), 0.7), 0, p.value(), 0, p.size());
        }
        float[] table = Reference.gaussian(rng, rows * k, 1);
        float[] vw = weighted ? Reference.gaussian(rng, Math.max(1, off[batch]), 1.5) : null;
        float[] q = Reference.gaussian(rng, batch * k, 1);
        float[] c = Reference.gaussian(rng, batch * k, 1);
        float[] y = new float[batch * k];
        float[] dq = new float[batch * k];
        att.forward(q, off, idx, vw, table, y, batch, pool);
        att.backward(q, off, idx, vw, table, c, dq, batch, pool);

        double[] qd = Reference.widen(q);
        double[] th = Reference.widen(att.theta().value());
        double[] wd = Reference.widen(att.weights().value());
        double[] bd = Reference.widen(att.bias().value());
        double[] td = Reference.widen(table);
        double[] cd = Reference.widen(c);
        double[] vd = vw == null ? null : Reference.widen(vw);
        assertEquals(reference(qd, th, wd, bd, off, idx, vd, td, cd, batch, k), Reference.dot(cd, y), 1e-4);
        Reference.assertGradient("dTheta", att.theta().grad(), Reference.numericGradient(th,
                t -> reference(qd, t, wd, bd, off, idx, vd, td, cd, batch, k), H), 1e-5, 1e-4);
        Reference.assertGradient("dW", att.weights().grad(), Reference.numericGradient(wd,
                t -> reference(qd, th, t, bd, off, idx, vd, td, cd, batch, k), H), 1e-5, 1e-4);
        Reference.assertGradient("db", att.bias().grad(), Reference.numericGradient(bd,
                t -> reference(qd, th, wd, t, off, idx, vd, td, cd, batch, k), H), 1e-5, 1e-4);
        Reference.assertGradient("dq", dq, Reference.numericGradient(qd,
                t -> reference(t, th, wd, bd, off, idx, vd, td, cd, batch, k), H), 1e-5, 1e-4);
        if (weighted) {
            // all-ones weights are the unweighted layer, bit for bit
            float[] ones = new float[vw.length];
            java.util.Arrays.fill(ones, 1f);
            float[] y1 = new float[batch * k];
            float[] y0 = new float[batch * k];
            att.forward(q, off, idx, ones, table, y1, batch, pool);
            att.forward(q, off, idx, table, y0, batch, pool);
            assertArrayEquals(y0, y1);
        }
    }

    @Test
    void startsAsTheIdentityAndWeightsAreASoftmax() {
        int k = 3;
        Attention att = new Attention("a", k);
        float[] q = {0.3f, -1f, 2f, 5f, 0f, -2f};
        float[] table = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        int[] off = {0, 2, 3};
        int[] idx = {0, 2, 1};
        float[] y = new float[6];
        att.forward(q, off, idx, table, y, 2, pool);
        assertArrayEquals(q, y);
        // with W = [0; I] the output is the attention vector c: Theta = 0 gives the plain mean
        java.util.Arrays.fill(att.weights().value(), 0f);
        for (int i = 0; i < k; i++) {
            att.weights().value()[(k + i) * k + i] = 1f;
        }
        att.forward(q, off, idx, table, y, 2, pool);
        assertArrayEquals(new float[] {0.5f, 0f, 0.5f, 0f, 1f, 0f}, y, 1e-7f);
    }
}
