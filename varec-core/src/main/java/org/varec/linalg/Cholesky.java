package org.varec.linalg;

/**
 * Solves small symmetric positive-definite systems {@code A x = b} (K x K, K up to a few hundred)
 * in place by Cholesky factorization {@code A = L L^T}. Row solvers of ALS, fold-in and the
 * Bayesian models call this once per row, so it allocates nothing: the caller owns the arrays.
 *
 * <p>Layout: {@code a} is row-major {@code k x k}; only the lower triangle ({@code a[i*k+j]},
 * {@code j <= i}) is read, and it is overwritten by {@code L}. Accumulation is in double.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Factors {@code a} (lower triangle) into {@code L} in place.
     *
     * @return false when {@code a} is not numerically positive definite (a pivot <= 0 or NaN);
     *         {@code a} is then partly overwritten
     */
    public static boolean factor(double[] a, int k) {
        for (int j = 0; j < k; j++) {
            int rj = j * k;
            double d = a[rj + j];
            for (int p = 0; p < j; p++) {
                double l = a[rj + p];
                d -= l * l;
            }
            if (!(d > 0)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            a[rj + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < k; i++) {
                int ri = i * k;
                double s = a[ri + j];
                for (int p = 0; p < j; p++) {
                    s -= a[ri + p] * a[rj + p];
                }
                a[ri + j] = s * inv;
            }
        }
        return true;
    }

    /** Solves {@code L L^T x = b} for a factor from {@link #factor}; {@code b} is overwritten by {@code x}. */
    public static void solveFactored(double[] l, int k, double[] b) {
        for (int i = 0; i < k; i++) { // L y = b
            int ri = i * k;
            double s = b[i];
            for (int p = 0; p < i; p++) {
                s -= l[ri + p] * b[p];
            }
            b[i] = s / l[ri + i];
        }
        for (int i = k - 1; i >= 0; i--) { // L^T x = y
            double s = b[i];
            for (int p = i + 1; p < k; p++) {
                s -= l[p * k + i] * b[p];
            }
            b[i] = s / l[i * k + i];
        }
    }

    /**
     * Factors and solves in place: {@code b} becomes {@code A^-1 b}, {@code a} becomes {@code L}.
     *
     * @throws ArithmeticException when {@code a} is not positive definite
     */
    public static void solve(double[] a, int k, double[] b) {
        if (!factor(a, k)) {
            throw new ArithmeticException("matrix is not positive definite (add regularization)");
        }
        solveFactored(a, k, b);
    }

    /**
     * Diagonal of {@code A^-1} from a factor {@code L} (for posterior variances), into {@code out};
     * {@code work} is a scratch array of length {@code k}. Costs O(k^3).
     */
    public static void inverseDiagonal(double[] l, int k, double[] out, double[] work) {
        for (int c = 0; c < k; c++) {
            java.util.Arrays.fill(work, 0, k, 0.0);
            work[c] = 1;
            solveFactored(l, k, work);
            out[c] = work[c];
        }
    }
}
