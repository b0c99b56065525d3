package org.varec.model.nnmf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NnmfInputsTest {
    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        return a;
    }

    /** The layout of eq. (2), and the gradients of L = c . x against central finite differences (double). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void rowAndGradientsMatchTheDefinition(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = rnd.nextInt(4);
        int p = 1 + rnd.nextInt(6);
        int s = rnd.nextInt(3);
        NnmfInputs in = new NnmfInputs(k, p, s);
        float[] u = random(rnd, k + 2);
        float[] v = random(rnd, k + 1);
        float[] up = random(rnd, p + 3);
        float[] vp = random(rnd, p);
        float[] side = random(rnd, s + 1);
        float[] x = new float[in.width() + 2];
        in.row(u, 2, v, 1, up, 3, vp, 0, side, 1, x, 2);
        for (int j = 0; j < k; j++) {
            assertEquals(u[2 + j], x[2 + j]);
            assertEquals(v[1 + j], x[2 + k + j]);
        }
        for (int j = 0; j < p; j++) {
            assertEquals(up[3 + j] * vp[j], x[2 + 2 * k + j]);
        }
        for (int j = 0; j < s; j++) {
            assertEquals(side[1 + j], x[2 + 2 * k + p + j]);
        }
        float[] c = random(rnd, in.width());
        float[] du = new float[u.length];
        float[] dv = new float[v.length];
        float[] dup = new float[up.length];
        float[] dvp = new float[vp.length];
        in.addGradients(c, 0, up, 3, vp, 0, du, 2, dv, 1, dup, 3, dvp, 0);
        double h = 1e-3;
        float[][] arrays = {u, v, up, vp};
        float[][] grads = {du, dv, dup, dvp};
        for (int a = 0; a < 4; a++) {
            for (int j = 0; j < arrays[a].length; j++) {
                float old = arrays[a][j];
                arrays[a][j] = (float) (old + h);
                double plus = objective(in, c, u, v, up, vp, side);
                arrays[a][j] = (float) (old - h);
                double minus = objective(in, c, u, v, up, vp, side);
                arrays[a][j] = old;
                assertEquals((plus - minus) / (2 * h), grads[a][j], 1e-3, "array " + a + " entry " + j);
            }
        }
    }

    private static double objective(NnmfInputs in, float[] c, float[] u, float[] v, float[] up, float[] vp,
                                    float[] side) {
        float[] x = new float[in.width()];
        in.row(u, 2, v, 1, up, 3, vp, 0, side, 1, x, 0);
        double l = 0;
        for (int j = 0; j < x.length; j++) {
            l += (double) c[j] * x[j];
        }
        return l;
    }
}
