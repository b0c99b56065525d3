package org.varec.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TruncatedNormalTest {
    private static double phi(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** Mean and variance of N(0,1) | x > a against the closed forms (inverse Mills ratio). */
    @Test
    void momentsMatchClosedForm() {
        Rng rng = new Rng(11);
        for (double a : new double[] {-2, -0.5, 0, 0.3, 1.5, 4}) {
            int n = 200_000;
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double x = TruncatedNormal.standardAbove(rng, a);
                assertTrue(x > a);
                s += x;
                s2 += x * x;
            }
            double lambda = phi(a) / (1 - Normal.cdf(a));
            double mean = lambda;
            double var = 1 + a * lambda - lambda * lambda;
            assertEquals(mean, s / n, 4 * Math.sqrt(var / n) + 1e-4, "mean above " + a);
            assertEquals(var, s2 / n - (s / n) * (s / n), 0.02 * var + 1e-3, "variance above " + a);
        }
    }

    @Test
    void shiftedAndBelow() {
        Rng rng = new Rng(3);
        double s = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double x = TruncatedNormal.below(rng, 2, 3, 1);
            assertTrue(x < 1);
            s += x;
        }
        // N(2, 9) | x < 1: mean = 2 - 3 phi(a) / Phi(a), a = (1 - 2) / 3
        double a = -1.0 / 3;
        double mean = 2 - 3 * phi(a) / Normal.cdf(a);
        assertEquals(mean, s / n, 0.03);
    }
}
