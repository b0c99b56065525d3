package org.varec.stats;

/**
 * The log-gamma and log-beta functions, for collapsed Beta-Bernoulli likelihoods (the block
 * models) and Dirichlet normalisers.
 */
public final class LogGamma {
    /** Lanczos coefficients of Numerical Recipes (3rd ed., {@code gammln}): g = 671/128, 14 terms. */
    private static final double[] COF = {57.1562356658629235, -59.5979603554754912, 14.1360979747417471,
            -0.491913816097620199, .339946499848118887e-4, .465236289270485756e-4, -.983744753048795646e-4,
            .158088703224912494e-3, -.210264441724104883e-3, .217439618115212643e-3, -.164318106536763890e-3,
            .844182239838527433e-4, -.261908384015814087e-4, .368991826595316234e-5};
    private static final double SQRT_2PI = 2.5066282746310005;

    private LogGamma() {
    }

    /**
     * {@code log Gamma(x)} for {@code x > 0}, to about 1e-15 relative (Lanczos approximation);
     * {@code NaN} for {@code x <= 0} or NaN, infinity for infinity.
     */
    public static double of(double x) {
        if (!(x > 0)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        double y = x;
        double tmp = x + 5.24218750000000000;
        tmp = (x + 0.5) * Math.log(tmp) - tmp;
        double ser = 0.999999999999997092;
        for (double c : COF) {
            ser += c / ++y;
        }
        return tmp + Math.log(SQRT_2PI * ser / x);
    }

    /** {@code log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b)} for positive a and b. */
    public static double logBeta(double a, double b) {
        return of(a) + of(b) - of(a + b);
    }
}
