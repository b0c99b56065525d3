package org.varec.stats;

/**
 * The special functions of Beta and Dirichlet variational updates: log Gamma, digamma psi =
 * (log Gamma)' and trigamma psi' = (log Gamma)'', for positive arguments, each to about 1e-13
 * relative error (absolute near the roots of digamma). The argument is shifted above 10 with the
 * recurrences {@code Gamma(x + 1) = x Gamma(x)}, {@code psi(x) = psi(x + 1) - 1/x},
 * {@code psi'(x) = psi'(x + 1) + 1/x^2}, and the asymptotic (Stirling) series is summed there
 * (Abramowitz and Stegun 6.1.41, 6.3.18, 6.4.12).
 */
public final class SpecialFunctions {
    private static final double SHIFT = 10;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private SpecialFunctions() {
    }

    /** log Gamma(x), x > 0. */
    public static double logGamma(double x) {
        requirePositive(x);
        double product = 1; // x (x + 1) ... below SHIFT: at most ~1e7 for x < 10, exact enough
        while (x < SHIFT) {
            product *= x;
            x += 1;
        }
        double shift = Math.log(product);
        double z = 1 / (x * x);
        double series = (1.0 / 12 - z * (1.0 / 360 - z * (1.0 / 1260 - z * (1.0 / 1680 - z / 1188)))) / x;
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - shift;
    }

    /** log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b). */
    public static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** Digamma psi(x) = d log Gamma(x) / dx, x > 0. */
    public static double digamma(double x) {
        requirePositive(x);
        double shift = 0;
        while (x < SHIFT) {
            shift -= 1 / x;
            x += 1;
        }
        double z = 1 / (x * x);
        double series = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z / 132))));
        return Math.log(x) - 0.5 / x - series + shift;
    }

    /** Trigamma psi'(x) = d^2 log Gamma(x) / dx^2, x > 0. */
    public static double trigamma(double x) {
        requirePositive(x);
        double shift = 0;
        while (x < SHIFT) {
            shift += 1 / (x * x);
            x += 1;
        }
        double z = 1 / (x * x);
        double series = (1.0 / 6 - z * (1.0 / 30 - z * (1.0 / 42 - z * (1.0 / 30 - z * 5.0 / 66)))) / (x * x * x);
        return 1 / x + 0.5 * z + series + shift;
    }

    private static void requirePositive(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("argument must be positive and finite, got " + x);
        }
    }
}
