package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.util.Parallel;

class GaussianArrayTest {
    private static final double H = 1e-5;

    /** A random q with sigmas from about 3e-4 (rho = -8) to 3. */
    static GaussianArray randomArray(SplittableRandom rnd, int rows, int cols, boolean sparse) {
        GaussianArray q = new GaussianArray("q" + rows + "x" + cols, rows, cols, sparse);
        for (int i = 0; i < q.size(); i++) {
            q.mean().value()[i] = (float) (2 * rnd.nextGaussian());
            q.rho().value()[i] = (float) (-8 + 11 * rnd.nextDouble());
        }
        return q;
    }

    @Test
    void softplusHelpersAreStableAndConsistent() {
        for (double x : new double[] {-800, -200, -40, -30.5, -29.5, -5, -1e-3, 0, 1e-3, 3, 25, 40, 800}) {
            double sp = GaussianArray.softplus(x);
            assertTrue(sp > 0 || x < -745, "softplus(" + x + ") = " + sp);
            assertTrue(Double.isFinite(sp));
            if (x > -700 && x < 700) {
                // the textbook forms where they do not overflow
                assertEquals(Math.log1p(Math.exp(x)), sp, 1e-15 * Math.max(1, sp));
                assertEquals(1 / (1 + Math.exp(-x)), GaussianArray.sigmoid(x), 1e-15);
                assertEquals(Math.log(sp), GaussianArray.logSoftplus(x), 1e-12 * Math.abs(Math.log(sp)));
                assertEquals(GaussianArray.sigmoid(x) / sp, GaussianArray.sigmoidOverSoftplus(x), 1e-12);
            }
            assertTrue(Double.isFinite(GaussianArray.logSoftplus(x)));
            assertTrue(Double.isFinite(GaussianArray.sigmoidOverSoftplus(x)));
            if (x > 0) {
                assertEquals(x, GaussianArray.inverseSoftplus(GaussianArray.softplus(x)), 1e-9 * Math.max(1, x));
            }
        }
        assertEquals(1.0, GaussianArray.sigmoidOverSoftplus(-800), 0);
        assertEquals(-800, GaussianArray.logSoftplus(-800), 0);
        for (double y : new double[] {1e-8, 1e-3, 0.05, 1, 19.9, 20.1, 50}) {
            assertEquals(y, GaussianArray.softplus(GaussianArray.inverseSoftplus(y)), 1e-12 * y);
        }
    }

    /**
     * With eps fixed, the chained gradients of L(w) = sum_i a_i w_i + c_i w_i^2 / 2 + sin(w_i), w =
     * mu + softplus(rho) eps, match central differences of L computed in double.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void chainedGradientsMatchFiniteDifferences(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 1 + rnd.nextInt(9);
        int cols = 1 + rnd.nextInt(7);
        GaussianArray q = randomArray(rnd, rows, cols, false);
        double[] a = new double[q.size()];
        double[] c = new double[q.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
            c[i] = rnd.nextDouble();
        }
        double scale = 0.5 + rnd.nextDouble();
        try (Parallel pool = new Parallel(1 + rnd.nextInt(3))) {
            q.draw(seed, 7, 0, pool);
            float[] w = q.sample().value();
            float[] g = q.sample().grad();
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (a[i] + c[i] * w[i] + Math.cos(w[i]));
            }
            q.accumulateGradients(scale, pool);
            for (float x : q.sample().grad()) {
                assertEquals(0f, x, "the sample's gradient is cleared");
            }
        }
        double[] mu = toDouble(q.mean().value());
        double[] rho = toDouble(q.rho().value());
        float[] eps = q.noise();
        for (int i = 0; i < q.size(); i++) {
            double wi = mu[i] + GaussianArray.softplus(rho[i]) * eps[i];
            assertEquals(wi, q.sample().value()[i], 1e-6 * Math.max(1, Math.abs(wi)), "sample = mu + sigma eps");
        }
        for (int i = 0; i < q.size(); i++) {
            int k = i;
            java.util.function.DoubleUnaryOperator lossOfMu = x -> {
                double wi = x + GaussianArray.softplus(rho[k]) * eps[k];
                return scale * (a[k] * wi + 0.5 * c[k] * wi * wi + Math.sin(wi));
            };
            java.util.function.DoubleUnaryOperator lossOfRho = x -> {
                double wi = mu[k] + GaussianArray.softplus(x) * eps[k];
                return scale * (a[k] * wi + 0.5 * c[k] * wi * wi + Math.sin(wi));
            };
            // the loss is a sum over entries, so entry k's own term is all that changes with mu_k, rho_k
            assertClose(centralDifference(lossOfMu, mu[k]), q.mean().grad()[k], "dmu " + k);
            assertClose(centralDifference(lossOfRho, rho[k]), q.rho().grad()[k], "drho " + k);
        }
    }

    /** The KL's gradients w.r.t. mu and rho (times a weight) against central differences of the closed form in double. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void klGradientsMatchFiniteDifferences(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 1 + rnd.nextInt(6);
        int cols = 1 + rnd.nextInt(6);
        GaussianArray q = randomArray(rnd, rows, cols, rnd.nextBoolean());
        double s2 = 0.05 + 3 * rnd.nextDouble();
        double weight = 0.1 + rnd.nextDouble();
        try (Parallel pool = new Parallel(2)) {
            q.addKlGradient(s2, weight, pool);
            double[] mu = toDouble(q.mean().value());
            double[] rho = toDouble(q.rho().value());
            assertEquals(klReference(mu, rho, s2), q.kl(s2, pool), 1e-9 * Math.max(1, Math.abs(q.kl(s2, pool))));
            for (int i = 0; i < q.size(); i++) {
                int k = i;
                double fdMu = centralDifference(x -> {
                    double[] m = mu.clone();
                    m[k] = x;
                    return weight * klReference(m, rho, s2);
                }, mu[k]);
                double fdRho = centralDifference(x -> {
                    double[] r = rho.clone();
                    r[k] = x;
                    return weight * klReference(mu, r, s2);
                }, rho[k]);
                assertClose(fdMu, q.mean().grad()[k], "dKL/dmu " + k);
                assertClose(fdRho, q.rho().grad()[k], "dKL/drho " + k);
            }
        }
    }

    /** The closed-form KL against a Monte Carlo average of log q(w) - log p(w) over the array's own samples. */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void klMatchesMonteCarlo(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 1 + rnd.nextInt(3);
        int cols = 1 + rnd.nextInt(3);
        GaussianArray q = new GaussianArray("mc", rows, cols, false);
        for (int i = 0; i < q.size(); i++) {
            q.mean().value()[i] = (float) rnd.nextGaussian();
            q.rho().value()[i] = (float) GaussianArray.inverseSoftplus(0.1 + 1.5 * rnd.nextDouble());
        }
        double s2 = 0.2 + 2 * rnd.nextDouble();
        q.setPriorVariance(s2);
        int draws = 100_000;
        float[] w = new float[q.size()];
        double sum = 0;
        double sumSq = 0;
        try (Parallel pool = new Parallel(1)) {
            for (int d = 0; d < draws; d++) {
                q.drawInto(seed, d, 0, w, pool);
                double logQ = 0;
                for (int i = 0; i < w.length; i++) {
                    double sigma = q.sigma(i);
                    double z = (w[i] - q.mean().value()[i]) / sigma;
                    logQ += -0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - 0.5 * z * z;
                }
                double x = logQ - GaussianArray.logPrior(w, s2);
                sum += x;
                sumSq += x * x;
            }
            double mc = sum / draws;
            double se = Math.sqrt((sumSq / draws - mc * mc) / draws);
            double kl = q.kl(pool);
            assertTrue(Math.abs(mc - kl) < 4.5 * se, "closed form " + kl + " vs Monte Carlo " + mc + " +- " + se);
        }
    }

    /** The type-II ML prior variance does not decrease the ELBO's prior term -KL, and is its maximum. */
    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34, 35})
    void priorVarianceUpdateIncreasesTheElbo(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        GaussianArray q = randomArray(rnd, 1 + rnd.nextInt(20), 1 + rnd.nextInt(5), false);
        double before = 0.01 + 10 * rnd.nextDouble();
        q.setPriorVariance(before);
        try (Parallel pool = new Parallel(2)) {
            double elboBefore = -q.kl(pool);
            double s2 = q.updatePriorVariance(pool);
            assertEquals(s2, q.priorVariance());
            double expected = 0;
            for (int i = 0; i < q.size(); i++) {
                double m = q.mean().value()[i];
                expected += m * m + q.sigma(i) * q.sigma(i);
            }
            assertEquals(expected / q.size(), s2, 1e-12 * s2);
            double elboAfter = -q.kl(pool);
            assertTrue(elboAfter >= elboBefore - 1e-12, elboBefore + " -> " + elboAfter);
            for (double f : new double[] {0.9, 0.99, 1.01, 1.1}) {
                assertTrue(-q.kl(s2 * f, pool) <= elboAfter + 1e-12, "s2 * " + f + " beats the update");
            }
        }
    }

    /**
     * With prior groups, the KL is the sum over groups of the scalar-prior KL of the group's columns,
     * its gradients (all rows and selected rows) match central differences of that sum, and the
     * type-II ML update gives each group the mean of mu^2 + sigma^2 over its entries.
     */
    @ParameterizedTest
    @ValueSource(longs = {51, 52, 53, 54})
    void priorGroupsActPerGroup(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 1 + rnd.nextInt(5);
        int width = 1 + rnd.nextInt(3);
        int groups = 1 + rnd.nextInt(4);
        int cols = width * groups;
        GaussianArray q = randomArray(rnd, rows, cols, rnd.nextBoolean());
        q.usePriorGroups(width);
        double[] s2 = new double[groups];
        for (int g = 0; g < groups; g++) {
            s2[g] = 0.05 + 3 * rnd.nextDouble();
            q.setGroupPriorVariance(g, s2[g]);
        }
        double weight = 0.1 + rnd.nextDouble();
        double[] mu = toDouble(q.mean().value());
        double[] rho = toDouble(q.rho().value());
        java.util.function.BiFunction<double[], double[], Double> reference = (m, r) -> {
            double kl = 0;
            for (int i = 0; i < m.length; i++) {
                double[] one = {m[i]};
                double[] oneRho = {r[i]};
                kl += klReference(one, oneRho, s2[(i % cols) / width]);
            }
            return kl;
        };
        try (Parallel pool = new Parallel(2)) {
            assertEquals(reference.apply(mu, rho), q.kl(pool), 1e-9 * Math.max(1, Math.abs(q.kl(pool))));
            double rowSum = 0;
            for (int r = 0; r < rows; r++) {
                rowSum += q.klRow(r);
            }
            assertEquals(q.kl(pool), rowSum, 1e-9 * Math.max(1, Math.abs(rowSum)));
            for (int pass = 0; pass < 2; pass++) {
                q.mean().zeroGrad();
                q.rho().zeroGrad();
                if (pass == 0) {
                    q.addKlGradient(weight, pool);
                } else {
                    int[] all = new int[rows];
                    for (int r = 0; r < rows; r++) {
                        all[r] = r;
                    }
                    q.addKlGradientRows(all, null, weight, rows, pool);
                }
                for (int i = 0; i < q.size(); i++) {
                    int k = i;
                    double fdMu = centralDifference(x -> {
                        double[] m = mu.clone();
                        m[k] = x;
                        return weight * reference.apply(m, rho);
                    }, mu[k]);
                    double fdRho = centralDifference(x -> {
                        double[] r = rho.clone();
                        r[k] = x;
                        return weight * reference.apply(mu, r);
                    }, rho[k]);
                    assertClose(fdMu, q.mean().grad()[k], "dKL/dmu " + k);
                    assertClose(fdRho, q.rho().grad()[k], "dKL/drho " + k);
                }
            }
            q.updatePriorVariance(pool);
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    for (int c = g * width; c < (g + 1) * width; c++) {
                        int i = r * cols + c;
                        sum += mu[i] * mu[i] + q.sigma(i) * q.sigma(i);
                    }
                }
                assertEquals(sum / (rows * width), q.priorVariance(g * width), 1e-12 * sum);
            }
        }
    }

    /** Rows drawn alone, in a subset or in a full draw agree; thread counts do not matter; seeds, steps and samples do. */
    @ParameterizedTest
    @ValueSource(longs = {41, 42})
    void noiseIsKeyedBySeedStepSampleAndRow(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 300 + rnd.nextInt(400); // more than one block of rows
        int cols = 1 + rnd.nextInt(4);
        GaussianArray a = randomArray(new SplittableRandom(seed), rows, cols, false);
        GaussianArray b = randomArray(new SplittableRandom(seed), rows, cols, true);
        try (Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            a.draw(seed, 5, 1, one);
            float[] full1 = a.sample().value().clone();
            float[] eps1 = a.noise().clone();
            a.draw(seed, 5, 1, three);
            assertArrayEquals(full1, a.sample().value());
            assertArrayEquals(eps1, a.noise());
            float[] into = new float[a.size()];
            a.drawInto(seed, 5, 1, into, three);
            assertArrayEquals(full1, into);
            float[] row = new float[cols];
            a.drawRowInto(seed, 5, 1, rows - 1, row, 0);
            assertArrayEquals(Arrays.copyOfRange(full1, (rows - 1) * cols, rows * cols), row);
            // b is a sparse array with a's name and q: the rows it draws for a batch are a's rows
            int[] ids = {rows - 1, 0, 17};
            b.drawRows(ids, ids.length, seed, 5, 1, three);
            for (int r : ids) {
                assertArrayEquals(Arrays.copyOfRange(full1, r * cols, (r + 1) * cols),
                        Arrays.copyOfRange(b.sample().value(), r * cols, (r + 1) * cols));
            }
            a.draw(seed, 6, 1, one);
            assertFalse(Arrays.equals(full1, a.sample().value()), "another step");
            a.draw(seed, 5, 0, one);
            assertFalse(Arrays.equals(full1, a.sample().value()), "another sample");
            a.draw(seed + 1, 5, 1, one);
            assertFalse(Arrays.equals(full1, a.sample().value()), "another seed");
            // eps is standard normal: a loose moment check over the whole array
            double s = 0;
            double ss = 0;
            for (float e : eps1) {
                s += e;
                ss += e * e;
            }
            int n = eps1.length;
            assertEquals(0, s / n, 5 / Math.sqrt(n));
            assertEquals(1, ss / n, 8 / Math.sqrt(n));
        }
    }

    /** A sparse table: only the rows a lookup touched get gradients, in mean and rho alike; the KL rows with their weights. */
    @Test
    void sparseRowsTouchOnlyTheUsedRows() {
        SplittableRandom rnd = new SplittableRandom(51);
        GaussianArray q = randomArray(rnd, 50, 3, true);
        int[] ids = {7, 31, 2};
        try (Parallel pool = new Parallel(2)) {
            q.drawRows(ids, ids.length, 1, 0, 0, pool);
            ParamArray s = q.sample();
            for (int r : ids) { // an "embedding lookup" with dL/dw = 1
                s.touch(r);
                for (int c = 0; c < 3; c++) {
                    s.grad()[r * 3 + c] += 1f;
                }
            }
            q.accumulateGradients(1, pool);
            assertEquals(0, s.numTouched());
            assertEquals(3, q.mean().numTouched());
            assertEquals(3, q.rho().numTouched());
            for (int r = 0; r < 50; r++) {
                boolean used = r == 7 || r == 31 || r == 2;
                for (int c = 0; c < 3; c++) {
                    int i = r * 3 + c;
                    if (used) {
                        assertEquals(1f, q.mean().grad()[i]);
                        assertEquals(q.noise()[i] * GaussianArray.sigmoid(q.rho().value()[i]), q.rho().grad()[i], 1e-6);
                    } else {
                        assertEquals(0f, q.mean().grad()[i]);
                        assertEquals(0f, q.rho().grad()[i]);
                    }
                }
            }
            q.mean().zeroGrad();
            q.rho().zeroGrad();
            q.setPriorVariance(0.7);
            int[] klRows = {4, 9};
            q.addKlGradientRows(klRows, new float[] {0.25f, 1f}, Double.NaN, 2, pool);
            GaussianArray dense = GaussianArray.dense("d", 50, 3);
            System.arraycopy(q.mean().value(), 0, dense.mean().value(), 0, q.size());
            System.arraycopy(q.rho().value(), 0, dense.rho().value(), 0, q.size());
            dense.addKlGradient(0.7, 1.0, pool);
            assertEquals(2, q.mean().numTouched());
            for (int i = 0; i < q.size(); i++) {
                int r = i / 3;
                double w = r == 4 ? 0.25 : r == 9 ? 1 : 0;
                assertEquals(w * dense.mean().grad()[i], q.mean().grad()[i], 1e-6);
                assertEquals(w * dense.rho().grad()[i], q.rho().grad()[i], 1e-6);
            }
        }
    }

    static double klReference(double[] mu, double[] rho, double s2) {
        double kl = 0;
        for (int i = 0; i < mu.length; i++) {
            double sigma = Math.log1p(Math.exp(rho[i]));
            kl += 0.5 * Math.log(s2) - Math.log(sigma) + (sigma * sigma + mu[i] * mu[i]) / (2 * s2) - 0.5;
        }
        return kl;
    }

    static double centralDifference(java.util.function.DoubleUnaryOperator f, double x) {
        return (f.applyAsDouble(x + H) - f.applyAsDouble(x - H)) / (2 * H);
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 2e-5 * Math.max(1, Math.abs(expected)), what);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    @Test
    void log1pUnitMatchesStrictMathWithinTwoUlps() {
        double worst = 0;
        for (int k = 0; k <= 200_000; k++) {
            // a dense grid over [0, 1] and a log grid down to 1e-300 (tiny e: sigma of rho near -690)
            for (double e : new double[] {k / 200_000.0, Math.pow(10, -300.0 * k / 200_000)}) {
                double exact = StrictMath.log1p(e);
                double ulps = exact == 0 ? Math.abs(GaussianArray.log1pUnit(e)) : Math.abs(GaussianArray.log1pUnit(e) - exact) / Math.ulp(exact);
                worst = Math.max(worst, ulps);
            }
        }
        assertTrue(worst <= 2, "log1pUnit is " + worst + " ulps from StrictMath.log1p");
    }
}
