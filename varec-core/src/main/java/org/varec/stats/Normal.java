package org.varec.stats;

/** The standard normal distribution: density, log density and quantile. */
public final class Normal {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private Normal() {
    }

    /**
     * One standard normal draw by the Box-Muller transform of two uniforms of {@code rnd} (the
     * cosine half only). The initial factors of ALS and vbmf come from it, so it stays exactly
     * this formula: models of a given seed depend on its bits. Samplers that need many draws use
     * {@link Rng#nextGaussian()}.
     */
    public static double boxMuller(java.util.SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** log N(x | mean, variance). */
    public static double logPdf(double x, double mean, double variance) {
        double d = x - mean;
        return -LOG_SQRT_2PI - 0.5 * Math.log(variance) - d * d / (2 * variance);
    }

    /**
     * The quantile function Phi^-1(p), by Acklam's rational approximation (relative error below
     * 1.2e-9 over (0, 1)): ample for interval levels.
     */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1): " + p);
        }
        return acklam(p);
    }

    /** The cumulative distribution Phi(x) (absolute error below 1e-7, see {@link #erfc}). */
    public static double cdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static double acklam(double p) {
        final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                6.680131188771972e+01, -1.328068155288572e+01};
        final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                3.754408661907416e+00};
        double lo = 0.02425;
        if (p < lo) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - lo) {
            return -acklam(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    /**
     * Complementary error function, by the Chebyshev-fitted approximation of Numerical Recipes
     * (erfcc), fractional error below 1.2e-7.
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }
}
