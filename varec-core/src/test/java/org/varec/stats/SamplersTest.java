package org.varec.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.varec.linalg.Cholesky;

/** Moment tests (seeded, tolerances of about 4-5 standard errors) for the samplers BPMF uses. */
class SamplersTest {
    @ParameterizedTest
    @CsvSource({"0.3, 2.0", "1.0, 1.0", "2.5, 0.5", "40, 3"})
    void gammaMeanAndVariance(double shape, double rate) {
        Rng rng = new Rng(11);
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double x = Gamma.sample(rng, shape, rate);
            assertTrue(x > 0);
            s += x;
            s2 += x * x;
        }
        double mean = s / n;
        double var = s2 / n - mean * mean;
        double tm = shape / rate;
        double tv = shape / (rate * rate);
        assertEquals(tm, mean, 5 * Math.sqrt(tv / n), "mean");
        // Var of the sample variance ~ (mu4 - sigma^4)/n; mu4 = 3 sigma^4 (1 + 2/shape) for a gamma
        double se = Math.sqrt((3 * tv * tv * (1 + 2 / shape) - tv * tv) / n);
        assertEquals(tv, var, 6 * se, "variance");
    }

    @Test
    void chiSquareMoments() {
        Rng rng = new Rng(3);
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double x = Gamma.chiSquare(rng, 5);
            s += x;
            s2 += x * x;
        }
        double mean = s / n;
        assertEquals(5, mean, 5 * Math.sqrt(10.0 / n));
        assertEquals(10, s2 / n - mean * mean, 0.2);
        assertThrows(IllegalArgumentException.class, () -> Gamma.sample(rng, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Gamma.sample(rng, 1, -1));
    }

    /** Bartlett draws: mean nu W and Var(X_ij) = nu (W_ij^2 + W_ii W_jj). */
    @Test
    void wishartMeanAndVariance() {
        int k = 3;
        double[] w = {2.0, 0.5, -0.3, 0.5, 1.0, 0.2, -0.3, 0.2, 0.7};
        double nu = 6.5;
        double[] l = w.clone();
        assertTrue(Cholesky.factor(l, k));
        Rng rng = new Rng(5);
        int n = 100_000;
        double[] s = new double[k * k];
        double[] s2 = new double[k * k];
        double[] x = new double[k * k];
        double[] work = new double[2 * k * k];
        for (int t = 0; t < n; t++) {
            Wishart.sample(rng, l, k, nu, x, work);
            for (int p = 0; p < k * k; p++) {
                s[p] += x[p];
                s2[p] += x[p] * x[p];
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int p = i * k + j;
                double mean = s[p] / n;
                double tv = nu * (w[p] * w[p] + w[i * k + i] * w[j * k + j]);
                assertEquals(nu * w[p], mean, 5 * Math.sqrt(tv / n), "mean " + i + "," + j);
                assertEquals(tv, s2[p] / n - mean * mean, 0.05 * tv, "variance " + i + "," + j);
            }
        }
    }

    /** Covariance form (mean + L z) and information form (P^-1 h + L^-T z) give the stated moments. */
    @Test
    void multivariateNormalMeanAndCovariance() {
        int k = 3;
        double[] cov = {1.5, 0.4, -0.2, 0.4, 0.8, 0.3, -0.2, 0.3, 1.1};
        double[] mean = {1, -2, 0.5};
        double[] l = cov.clone();
        assertTrue(Cholesky.factor(l, k));
        // precision form of the same Gaussian: P = cov^-1, h = P mean
        double[] prec = new double[k * k];
        MultivariateNormal.inverseFromFactor(l, k, prec, new double[k]);
        double[] h = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                h[i] += prec[i * k + j] * mean[j];
            }
        }
        double[] pl = prec.clone();
        assertTrue(Cholesky.factor(pl, k));
        for (int form = 0; form < 2; form++) {
            Rng rng = new Rng(17 + form);
            int n = 200_000;
            double[] s = new double[k];
            double[] ss = new double[k * k];
            double[] x = new double[k];
            double[] z = new double[k];
            for (int t = 0; t < n; t++) {
                if (form == 0) {
                    MultivariateNormal.sampleCovariance(rng, l, k, mean, x, z);
                } else {
                    System.arraycopy(h, 0, x, 0, k);
                    MultivariateNormal.samplePrecision(rng, pl, k, x);
                }
                for (int i = 0; i < k; i++) {
                    s[i] += x[i];
                    for (int j = 0; j < k; j++) {
                        ss[i * k + j] += x[i] * x[j];
                    }
                }
            }
            for (int i = 0; i < k; i++) {
                double mi = s[i] / n;
                assertEquals(mean[i], mi, 5 * Math.sqrt(cov[i * k + i] / n), "form " + form + " mean " + i);
                for (int j = 0; j < k; j++) {
                    double c = ss[i * k + j] / n - mi * (s[j] / n);
                    double se = Math.sqrt((cov[i * k + i] * cov[j * k + j] + cov[i * k + j] * cov[i * k + j]) / n);
                    assertEquals(cov[i * k + j], c, 5 * se, "form " + form + " cov " + i + "," + j);
                }
            }
        }
    }

    /**
     * Normal-Wishart posterior: with many rows from N(m, S), the drawn Lambda concentrates at S^-1
     * and mu at m (the posterior is consistent).
     */
    @Test
    void normalWishartPosteriorConcentrates() {
        int d = 2;
        double[] cov = {0.5, 0.2, 0.2, 0.4};
        double[] m = {1.0, -0.5};
        double[] l = cov.clone();
        assertTrue(Cholesky.factor(l, d));
        Rng rng = new Rng(2);
        int n = 20_000;
        double[] rows = new double[n * d];
        double[] x = new double[d];
        double[] z = new double[d];
        for (int r = 0; r < n; r++) {
            MultivariateNormal.sampleCovariance(rng, l, d, m, x, z);
            System.arraycopy(x, 0, rows, r * d, d);
        }
        double[] prec = new double[d * d];
        MultivariateNormal.inverseFromFactor(l, d, prec, new double[d]);
        NormalWishart nw = NormalWishart.standard(d, 2, d);
        double[] mu = new double[d];
        double[] lam = new double[d * d];
        for (int t = 0; t < 5; t++) {
            nw.sample(rng, rows, n, d, mu, lam);
            for (int i = 0; i < d; i++) {
                assertEquals(m[i], mu[i], 0.03);
                for (int j = 0; j < d; j++) {
                    assertEquals(prec[i * d + j], lam[i * d + j], 0.06 * Math.abs(prec[i * d + i]));
                }
            }
        }
    }
}
