package org.varec.elicit;

/**
 * A figure over repeats: mean and the 95% confidence interval of the mean from Student's t with
 * n - 1 degrees of freedom ({@code mean +- t s / sqrt(n)}; a single repeat gives a zero-width
 * interval), plus the values themselves.
 */
public record Interval(double mean, double lo, double hi, double[] values) {
    /** t_{0.975, df} for df = 1..30. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom (Cornish-Fisher beyond 30). */
    public static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df must be >= 1");
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959964;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }

    public static Interval of(double[] xs) {
        int n = xs.length;
        double m = 0;
        for (double x : xs) {
            m += x;
        }
        m /= n;
        if (n < 2) {
            return new Interval(m, m, m, xs.clone());
        }
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        double half = t975(n - 1) * Math.sqrt(s / (n - 1) / n);
        return new Interval(m, m - half, m + half, xs.clone());
    }

    /** Whether the interval lies entirely above zero (for paired differences). */
    public boolean aboveZero() {
        return lo > 0;
    }
}
