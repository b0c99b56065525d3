package org.varec.model.als;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.testing.Synthetic;

class RidgeSolverTest {
    /** The row objective J(w, b) the solver minimises, written out directly. */
    private static double objective(double[] x, float[] v, float[] ob, int[] idx, float[] val, double off, double lambda,
                                    double tau, double gamma, float[] prior, int k, boolean bias) {
        double j = 0;
        for (int p = 0; p < idx.length; p++) {
            double e = val[p] - off - ob[idx[p]] - (bias ? x[k] : 0);
            for (int f = 0; f < k; f++) {
                e -= x[f] * v[idx[p] * k + f];
            }
            j += lambda / 2 * e * e;
        }
        for (int f = 0; f < k; f++) {
            double d = x[f] - (prior == null ? 0 : prior[f]);
            j += tau / 2 * d * d;
        }
        return j + (bias ? gamma / 2 * x[k] * x[k] : 0);
    }

    /**
     * Finite-difference check: at the solver's answer the central-difference gradient of J vanishes
     * and every coordinate step raises J (a minimum, found without the normal equations).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void solutionIsStationaryMinimumByFiniteDifferences(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = 1 + rnd.nextInt(6);
        boolean bias = rnd.nextBoolean();
        int rows = 12;
        int n = rnd.nextInt(10);
        float[] v = new float[rows * k];
        float[] ob = new float[rows];
        for (int p = 0; p < v.length; p++) {
            v[p] = (float) org.varec.stats.Normal.boxMuller(rnd);
        }
        for (int p = 0; p < rows; p++) {
            ob[p] = (float) (0.3 * org.varec.stats.Normal.boxMuller(rnd));
        }
        int[] idx = new int[n];
        float[] val = new float[n];
        for (int p = 0; p < n; p++) {
            idx[p] = rnd.nextInt(rows);
            val[p] = 1 + rnd.nextInt(5);
        }
        float[] prior = null;
        if (rnd.nextBoolean()) {
            prior = new float[k];
            for (int f = 0; f < k; f++) {
                prior[f] = (float) org.varec.stats.Normal.boxMuller(rnd);
            }
        }
        double lambda = 0.5 + rnd.nextDouble() * 2;
        double tau = 0.2 + rnd.nextDouble() * 3;
        double gamma = 0.1 + rnd.nextDouble() * 3;
        float[] out = new float[k];
        double b = new RidgeSolver(k, bias).solve(v, ob, idx, val, 0, n, 3.0, lambda, tau, gamma, prior, 0, out, 0);
        double[] x = new double[k + 1];
        for (int f = 0; f < k; f++) {
            x[f] = out[f];
        }
        x[k] = b;
        if (!bias) {
            assertEquals(0.0, b);
        }
        double j0 = objective(x, v, ob, idx, val, 3.0, lambda, tau, gamma, prior, k, bias);
        double h = 1e-3;
        for (int c = 0; c < (bias ? k + 1 : k); c++) {
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[c] += h;
            xm[c] -= h;
            double jp = objective(xp, v, ob, idx, val, 3.0, lambda, tau, gamma, prior, k, bias);
            double jm = objective(xm, v, ob, idx, val, 3.0, lambda, tau, gamma, prior, k, bias);
            assertEquals(0.0, (jp - jm) / (2 * h), 1e-4 * Math.max(1, Math.abs(j0)), "gradient coordinate " + c);
            assertTrue(jp > j0 && jm > j0, "not a minimum along coordinate " + c);
        }
    }

    /**
     * The squared error the solver derives from its normal equations is the row's residual sum at
     * its answer, written out directly (to the rounding of the stored floats), with and without a
     * bias and a prior mean, from no ratings to 300; and it is the one of the last solve.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void squaredErrorIsTheResidualAtTheSolution(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = 1 + rnd.nextInt(12);
        boolean bias = seed % 2 == 0;
        int rows = 40;
        float[] v = gaussians(rnd, rows * k, 0.5);
        float[] ob = gaussians(rnd, rows, 0.3);
        float[] prior = seed % 4 < 2 ? null : gaussians(rnd, k, 1);
        RidgeSolver solver = new RidgeSolver(k, bias);
        for (int n : new int[] {0, 1, 3, 300}) {
            int[] idx = new int[n];
            float[] val = new float[n];
            for (int p = 0; p < n; p++) {
                idx[p] = rnd.nextInt(rows);
                val[p] = 1 + rnd.nextInt(5);
            }
            float[] out = new float[k];
            double b = solver.solve(v, ob, idx, val, 0, n, 3.5, 1.3, 0.7, 0.4, prior, 0, out, 0);
            double direct = 0;
            for (int p = 0; p < n; p++) {
                double e = val[p] - 3.5 - ob[idx[p]] - b;
                for (int f = 0; f < k; f++) {
                    e -= (double) out[f] * v[idx[p] * k + f];
                }
                direct += e * e;
            }
            assertEquals(direct, solver.squaredError(), 1e-9 + 1e-5 * direct, "k=" + k + " n=" + n);
        }
    }

    /**
     * The solve from the other side's outer-product table gives the factor solve's answer to the
     * products' float rounding (relative 1e-6), and a squared error that is the row's residual at
     * its own answer, with and without a prior mean, from no ratings to 300; it refuses a solver
     * without a bias or of another rank.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void tableSolveIsTheFactorSolveToTheProductsRounding(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = 1 + rnd.nextInt(12);
        int rows = 50;
        float[] v = gaussians(rnd, rows * k, 0.5);
        float[] ob = gaussians(rnd, rows, 0.3);
        float[] prior = seed % 2 == 0 ? null : gaussians(rnd, k, 1);
        org.varec.linalg.OuterTable table = new org.varec.linalg.OuterTable(k);
        table.fill(v, rows, org.varec.util.Parallel.SERIAL);
        RidgeSolver exact = new RidgeSolver(k, true);
        RidgeSolver fromTable = new RidgeSolver(k, true);
        for (int n : new int[] {0, 1, 3, 7, 300}) {
            int[] idx = new int[n];
            float[] val = new float[n];
            for (int p = 0; p < n; p++) {
                idx[p] = rnd.nextInt(rows);
                val[p] = 1 + rnd.nextInt(5);
            }
            float[] a = new float[k];
            float[] b = new float[k];
            double ba = exact.solve(v, ob, idx, val, 0, n, 3.5, 1.3, 0.7, 0.4, prior, 0, a, 0);
            double bb = fromTable.solve(table, ob, idx, val, 0, n, 3.5, 1.3, 0.7, 0.4, prior, 0, b, 0);
            assertEquals(ba, bb, 1e-6 * (1 + Math.abs(ba)), "bias, n=" + n);
            for (int f = 0; f < k; f++) {
                assertEquals(a[f], b[f], 1e-5 * (1 + Math.abs(a[f])), "k=" + k + " n=" + n + " dim " + f);
            }
            double direct = 0;
            double sumT2 = 0;
            for (int p = 0; p < n; p++) {
                double t = val[p] - 3.5 - ob[idx[p]];
                double e = t - bb;
                for (int f = 0; f < k; f++) {
                    e -= (double) b[f] * v[idx[p] * k + f];
                }
                direct += e * e;
                sumT2 += t * t;
            }
            // the error comes from the rounded Gram matrix: theta^T dG theta, at most about 2^-24 of
            // the fitted values' squares, so it is exact to 1e-7 of sum t^2 (not of a tiny residual)
            assertEquals(direct, fromTable.squaredError(), 1e-9 + 1e-5 * direct + 1e-7 * sumT2, "k=" + k + " n=" + n);
        }
        assertThrows(IllegalArgumentException.class, () -> new RidgeSolver(k, false).solve(table, ob, new int[0],
                new float[0], 0, 0, 0, 1, 1, 1, null, 0, new float[k], 0));
        assertThrows(IllegalArgumentException.class, () -> new RidgeSolver(k + 1, true).solve(table, ob, new int[0],
                new float[0], 0, 0, 0, 1, 1, 1, null, 0, new float[k + 1], 0));
    }

    /** {@code n} draws of N(0, sd^2) from {@code rnd}, as floats. */
    private static float[] gaussians(SplittableRandom rnd, int n, double sd) {
        float[] a = new float[n];
        for (int p = 0; p < n; p++) {
            a[p] = (float) (sd * org.varec.stats.Normal.boxMuller(rnd));
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesBadRank(int rank) {
        assertThrows(IllegalArgumentException.class, () -> new RidgeSolver(rank, true));
    }
}
