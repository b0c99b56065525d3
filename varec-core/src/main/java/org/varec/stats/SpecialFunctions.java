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

    // ------------------------------------------------------------------ incomplete gamma and beta

    private static final int MAX_TERMS = 10_000;
    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    /**
     * The regularized lower incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a), a > 0,
     * x >= 0: the series of Abramowitz and Stegun 6.5.29 for x < a + 1, else 1 - Q(a, x) with Q by
     * Legendre's continued fraction (6.5.31) in Lentz's form; about 1e-14 relative.
     */
    public static double regularizedGammaP(double a, double x) {
        return incompleteGamma(a, x, false);
    }

    /** The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), without the cancellation. */
    public static double regularizedGammaQ(double a, double x) {
        return incompleteGamma(a, x, true);
    }

    /** P(a, x), or Q(a, x) when {@code upper}: each method where it converges, the other as 1 minus it. */
    private static double incompleteGamma(double a, double x, boolean upper) {
        requirePositive(a);
        if (!(x >= 0)) {
            throw new IllegalArgumentException("x must be >= 0, got " + x);
        }
        double lower;
        if (x == 0 || Double.isInfinite(x)) {
            lower = x == 0 ? 0 : 1;
        } else if (x < a + 1) {
            lower = gammaSeries(a, x);
        } else {
            double q = gammaFraction(a, x);
            return upper ? q : 1 - q;
        }
        return upper ? 1 - lower : lower;
    }

    private static double gammaSeries(double a, double x) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < MAX_TERMS; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPS) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    private static double gammaFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_TERMS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < TINY ? TINY : d;
            c = b + an / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /**
     * The regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1: the continued
     * fraction of Abramowitz and Stegun 26.5.8 (modified Lentz), used directly for
     * x < (a + 1) / (a + b + 2) and through I_x(a, b) = 1 - I_{1-x}(b, a) otherwise; about 1e-13
     * (the accuracy of {@link #logBeta}).
     */
    public static double regularizedBeta(double x, double a, double b) {
        requirePositive(a);
        requirePositive(b);
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("x must be in [0, 1], got " + x);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
        return x < (a + 1) / (a + b + 2) ? front * betaFraction(x, a, b) / a
                : 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = Math.abs(d) < TINY ? TINY : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m < MAX_TERMS; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1 + even / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1 / d;
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1 + odd / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return h;
    }

    /** P(X > x) for X chi-square with {@code df} degrees of freedom: Q(df / 2, x / 2). */
    public static double chiSquareSurvival(double x, double df) {
        return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
    }

    /**
     * P(X > f) for X F-distributed with (d1, d2) degrees of freedom:
     * I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2) (Abramowitz and Stegun 26.6.2).
     */
    public static double fSurvival(double f, double d1, double d2) {
        return f <= 0 ? 1 : regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
    }
}
