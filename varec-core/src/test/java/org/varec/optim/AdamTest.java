package org.varec.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest {
    /** f(x) = sum_j c_j (x_j - a_j)^2 with very different curvatures. */
    @Test
    void convergesOnAnIllConditionedQuadratic() {
        double[] a = {1, -2, 3, 0.5};
        double[] c = {100, 1, 0.01, 10};
        double[] x = new double[4];
        double[] g = new double[4];
        Adam adam = Adam.of(4, 2, 0.05);
        for (int it = 0; it < 20_000; it++) {
            for (int j = 0; j < 4; j++) {
                g[j] = 2 * c[j] * (x[j] - a[j]);
            }
            adam.stepAll(x, g);
        }
        for (int j = 0; j < 4; j++) {
            assertEquals(a[j], x[j], 1e-3, "x" + j);
        }
    }

    @Test
    void lazyBlocksKeepTheirOwnStepCountAndMoments() {
        double[] x = new double[4];
        double[] g = {1, 1, 1, 1};
        Adam adam = Adam.of(4, 2, 0.1);
        adam.step(x, g, 0);
        adam.step(x, g, 0);
        adam.step(x, g, 1);
        assertEquals(2, adam.steps(0));
        assertEquals(1, adam.steps(1));
        // bias-corrected first step is -lr * sign(g) whatever the block's history
        assertEquals(-0.1, x[2], 1e-6);
        assertEquals(-0.2, x[0], 1e-6);
        float[] xf = new float[2];
        Adam af = Adam.of(2, 2, 0.1);
        af.stepAll(xf, new double[] {-3, 5});
        assertEquals(0.1f, xf[0], 1e-6);
        assertEquals(-0.1f, xf[1], 1e-6);
    }
}
