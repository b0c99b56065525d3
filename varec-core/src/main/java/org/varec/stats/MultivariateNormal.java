package org.varec.stats;

/**
 * Multivariate normal variates from a Cholesky factor, and the triangular solves they need.
 * Factors are lower triangular, row-major {@code k x k} (as {@link org.varec.linalg.Cholesky}
 * produces them; the upper part is ignored). Nothing here allocates.
 */
public final class MultivariateNormal {
    private MultivariateNormal() {
    }

    /**
     * Draws from {@code N(mean, L L^T)} (covariance factor): {@code out = mean + L z}, z standard normal.
     * {@code mean} may be null (zero) and may be the same array as {@code out}.
     */
    public static void sampleCovariance(Rng rng, double[] covFactor, int k, double[] mean, double[] out,
                                        double[] z) {
        for (int i = 0; i < k; i++) {
            z[i] = rng.nextGaussian();
        }
        for (int i = k - 1; i >= 0; i--) { // from the bottom so out may alias mean
            double s = 0;
            int ri = i * k;
            for (int p = 0; p <= i; p++) {
                s += covFactor[ri + p] * z[p];
            }
            out[i] = (mean == null ? 0 : mean[i]) + s;
        }
    }

    /**
     * Draws from the Gaussian in information form {@code N(P^-1 h, P^-1)} given the Cholesky
     * factor L of the precision {@code P = L L^T}: {@code x = L^-T (L^-1 h + z)}, i.e. the mean
     * {@code P^-1 h} plus {@code L^-T z}, whose covariance is {@code L^-T L^-1 = P^-1}.
     * {@code h} is overwritten by the draw.
     */
    public static void samplePrecision(Rng rng, double[] precFactor, int k, double[] h) {
        forward(precFactor, k, h);
        for (int i = 0; i < k; i++) {
            h[i] += rng.nextGaussian();
        }
        backward(precFactor, k, h);
    }

    /** Solves {@code L y = b} in place (b becomes y). */
    public static void forward(double[] l, int k, double[] b) {
        for (int i = 0; i < k; i++) {
            int ri = i * k;
            double s = b[i];
            for (int p = 0; p < i; p++) {
                s -= l[ri + p] * b[p];
            }
            b[i] = s / l[ri + i];
        }
    }

    /** Solves {@code L^T x = y} in place (y becomes x). */
    public static void backward(double[] l, int k, double[] y) {
        for (int i = k - 1; i >= 0; i--) {
            double s = y[i];
            for (int p = i + 1; p < k; p++) {
                s -= l[p * k + i] * y[p];
            }
            y[i] = s / l[i * k + i];
        }
    }

    /**
     * The inverse of {@code L L^T} (full symmetric matrix) into {@code out}; {@code col} is a
     * scratch of length k. O(k^3).
     */
    public static void inverseFromFactor(double[] l, int k, double[] out, double[] col) {
        for (int c = 0; c < k; c++) {
            java.util.Arrays.fill(col, 0, k, 0.0);
            col[c] = 1;
            forward(l, k, col);
            backward(l, k, col);
            for (int r = 0; r < k; r++) {
                out[r * k + c] = col[r];
            }
        }
        for (int r = 0; r < k; r++) { // symmetrize rounding
            for (int c = 0; c < r; c++) {
                double m = 0.5 * (out[r * k + c] + out[c * k + r]);
                out[r * k + c] = m;
                out[c * k + r] = m;
            }
        }
    }
}
