package org.varec.eval;

/**
 * A metric over repeated runs: mean, sample standard deviation (n - 1 in the denominator; 0 for
 * one run) and the number of runs.
 */
public record Summary(double mean, double std, int n) {
    public static Summary of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Summary(Double.NaN, Double.NaN, 0);
        }
        double m = 0;
        for (double v : values) {
            m += v;
        }
        m /= n;
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return new Summary(m, n > 1 ? Math.sqrt(s / (n - 1)) : 0, n);
    }
}
