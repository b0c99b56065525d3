package org.varec.nn;

/**
 * A Gaussian observation model with a learned noise variance, for regression (ratings): y ~
 * N(mu, sigma^2), with {@code t = log sigma^2} an unconstrained trainable scalar
 * ({@link #logVariance()}, a 1 x 1 {@link ParamArray}; the log keeps sigma^2 positive). The loss
 * is the negative log likelihood summed over the batch,
 * <pre>
 *   L = sum_b [ 1/2 log(2 pi) + t/2 + (y_b - mu_b)^2 / (2 e^t) ]
 *   dL/dmu_b = (mu_b - y_b) / e^t
 *   dL/dt    = sum_b [ 1/2 - (y_b - mu_b)^2 / (2 e^t) ]
 * </pre>
 * (for fixed mu the minimum in t is the mean squared residual, e^t = (1/n) sum_b (y_b - mu_b)^2).
 * In an ELBO (Blundell et al. 2015, eq. 2) this is the data term -E_q[log p(y | w)], estimated
 * with the reparameterised sample(s) that produced mu. Precision: float inputs, sums in double.
 */
public final class GaussianLikelihood {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private final ParamArray logVariance;

    /** A likelihood with noise variance {@code variance} initially. */
    public GaussianLikelihood(String name, double variance) {
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException(name + ": noise variance must be positive and finite, got " + variance);
        }
        this.logVariance = ParamArray.dense(name + ".logVariance", 1, 1);
        logVariance.value()[0] = (float) Math.log(variance);
    }

    /** log sigma^2: trainable (leave it out of the optimiser for a known noise variance). */
    public ParamArray logVariance() {
        return logVariance;
    }

    /** The noise variance sigma^2 = e^t. */
    public double variance() {
        return Math.exp(logVariance.value()[0]);
    }

    public void setVariance(double variance) {
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("noise variance must be positive and finite, got " + variance);
        }
        logVariance.value()[0] = (float) Math.log(variance);
    }

    /**
     * {@code weight * L} over {@code y[0..n)}, {@code mu[0..n)}; writes {@code dMu[b] = weight *
     * dL/dmu_b} (overwriting) and adds {@code weight * dL/dt} into the log variance's gradient.
     * {@code weight} is e.g. 1/S for one of S samples.
     */
    public double lossAndGradient(float[] y, float[] mu, float[] dMu, int n, double weight) {
        double t = logVariance.value()[0];
        double precision = Math.exp(-t);
        double sq = 0;
        for (int b = 0; b < n; b++) {
            double r = (double) mu[b] - y[b];
            sq += r * r;
            dMu[b] = (float) (weight * r * precision);
        }
        logVariance.grad()[0] += (float) (weight * (0.5 * n - 0.5 * sq * precision));
        return weight * (n * (HALF_LOG_2PI + 0.5 * t) + 0.5 * sq * precision);
    }

    /** L over {@code y[0..n)}, {@code mu[0..n)}, without gradients (validation). */
    public double loss(float[] y, float[] mu, int n) {
        double t = logVariance.value()[0];
        double sq = 0;
        for (int b = 0; b < n; b++) {
            double r = (double) mu[b] - y[b];
            sq += r * r;
        }
        return n * (HALF_LOG_2PI + 0.5 * t) + 0.5 * sq * Math.exp(-t);
    }
}
