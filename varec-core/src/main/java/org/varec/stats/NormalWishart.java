package org.varec.stats;

import org.varec.linalg.Cholesky;

/**
 * Posterior draws of a Normal-Wishart prior over the mean and precision of Gaussian rows
 * (Salakhutdinov and Mnih 2008, eq (14)): with {@code x_1..x_N ~ N(mu, Lambda^-1)} and
 * {@code p(mu, Lambda) = N(mu | mu0, (beta0 Lambda)^-1) W(Lambda | W0, nu0)}, the conditional is
 * Normal-Wishart with
 * <pre>
 *   beta* = beta0 + N,  nu* = nu0 + N,  mu* = (beta0 mu0 + N xbar) / (beta0 + N)
 *   W*^-1 = W0^-1 + N S + beta0 N / (beta0 + N) (mu0 - xbar)(mu0 - xbar)^T
 * </pre>
 * where {@code xbar} is the row mean and {@code S = (1/N) sum (x - xbar)(x - xbar)^T}. A draw is
 * {@code Lambda ~ W(W*, nu*)}, then {@code mu ~ N(mu*, (beta* Lambda)^-1)}.
 *
 * <p>An instance holds the scratch for dimension d (not thread-safe); the draw is sequential and
 * deterministic (O(N d^2 + d^3)).
 */
public final class NormalWishart {
    private final int d;
    private final double[] w0Inv;
    private final double[] mu0;
    private final double beta0;
    private final double nu0;
    private final double[] mean;
    private final double[] m;
    private final double[] w;
    private final double[] work;
    private final double[] col;

    /**
     * @param d     dimension
     * @param w0Inv inverse of the Wishart scale W0 (d x d, row-major); copied
     * @param mu0   prior mean (length d); copied
     * @param beta0 prior strength of the mean ({@code > 0})
     * @param nu0   Wishart degrees of freedom ({@code > d - 1})
     */
    public NormalWishart(int d, double[] w0Inv, double[] mu0, double beta0, double nu0) {
        if (!(beta0 > 0) || !(nu0 > d - 1)) {
            throw new IllegalArgumentException("Normal-Wishart needs beta0 > 0 and nu0 > d - 1, got beta0 " + beta0
                    + ", nu0 " + nu0 + ", d " + d);
        }
        this.d = d;
        this.w0Inv = w0Inv.clone();
        this.mu0 = mu0.clone();
        this.beta0 = beta0;
        this.nu0 = nu0;
        this.mean = new double[d];
        this.m = new double[d * d];
        this.w = new double[d * d];
        this.work = new double[2 * d * d];
        this.col = new double[d];
    }

    /** The paper's choice: W0 = I, mu0 = 0. */
    public static NormalWishart standard(int d, double beta0, double nu0) {
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        return new NormalWishart(d, eye, new double[d], beta0, nu0);
    }

    public int dimension() {
        return d;
    }

    /**
     * Draws (mu, Lambda) given the rows {@code x_r = rows[r*stride .. r*stride+d)}, r in [0, n).
     *
     * @param muOut     receives mu (length d)
     * @param lambdaOut receives Lambda (d x d, full symmetric)
     */
    public void sample(Rng rng, double[] rows, int n, int stride, double[] muOut, double[] lambdaOut) {
        java.util.Arrays.fill(mean, 0.0);
        for (int r = 0; r < n; r++) {
            int o = r * stride;
            for (int i = 0; i < d; i++) {
                mean[i] += rows[o + i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= Math.max(n, 1);
        }
        // M = W0^-1 + sum (x - xbar)(x - xbar)^T + beta0 N/(beta0+N) (mu0 - xbar)(mu0 - xbar)^T (lower triangle)
        java.util.Arrays.fill(m, 0.0);
        for (int r = 0; r < n; r++) {
            int o = r * stride;
            for (int i = 0; i < d; i++) {
                double ci = rows[o + i] - mean[i];
                int ri = i * d;
                for (int j = 0; j <= i; j++) {
                    m[ri + j] += ci * (rows[o + j] - mean[j]);
                }
            }
        }
        double c = beta0 * n / (beta0 + n);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                m[i * d + j] += w0Inv[i * d + j] + c * (mu0[i] - mean[i]) * (mu0[j] - mean[j]);
            }
        }
        if (!Cholesky.factor(m, d)) {
            throw new ArithmeticException("Normal-Wishart posterior scale is not positive definite");
        }
        MultivariateNormal.inverseFromFactor(m, d, w, col); // W*
        if (!Cholesky.factor(w, d)) {
            throw new ArithmeticException("Normal-Wishart posterior scale is not positive definite");
        }
        Wishart.sample(rng, w, d, nu0 + n, lambdaOut, work);
        // mu ~ N(mu*, (beta* Lambda)^-1)
        double betaStar = beta0 + n;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                m[i * d + j] = betaStar * lambdaOut[i * d + j];
            }
        }
        if (!Cholesky.factor(m, d)) {
            throw new ArithmeticException("sampled Wishart precision is not positive definite");
        }
        for (int i = 0; i < d; i++) {
            muOut[i] = (beta0 * mu0[i] + n * mean[i]) / betaStar;
        }
        // mu* + L^-T z: backward solve of z, added
        for (int i = 0; i < d; i++) {
            col[i] = rng.nextGaussian();
        }
        MultivariateNormal.backward(m, d, col);
        for (int i = 0; i < d; i++) {
            muOut[i] += col[i];
        }
    }
}
