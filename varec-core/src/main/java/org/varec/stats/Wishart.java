package org.varec.stats;

import java.util.Arrays;

/**
 * Wishart variates by the Bartlett decomposition: for a scale matrix {@code W = L L^T} (L lower
 * triangular) and {@code nu > k - 1} degrees of freedom, {@code L A A^T L^T ~ Wishart(W, nu)},
 * where A is lower triangular with {@code A_ii = sqrt(chi2(nu - i))} (i = 0..k-1) and standard
 * normal entries below the diagonal. Mean {@code nu W}; {@code Var(X_ij) = nu (W_ij^2 + W_ii W_jj)}.
 *
 * <p>Matrices are row-major {@code k x k} double arrays; nothing is allocated when the caller passes
 * the scratch array.
 */
public final class Wishart {
    private Wishart() {
    }

    /**
     * Draws {@code out ~ Wishart(L L^T, nu)} (full symmetric matrix written).
     *
     * @param scaleFactor lower-triangular Cholesky factor L of the scale matrix (upper part ignored)
     * @param work        scratch of length {@code >= 2 k k}
     */
    public static void sample(Rng rng, double[] scaleFactor, int k, double nu, double[] out, double[] work) {
        if (!(nu > k - 1)) {
            throw new IllegalArgumentException("Wishart needs nu > k - 1, got nu " + nu + " for k " + k);
        }
        double[] a = work; // A in work[0 .. k*k)
        Arrays.fill(a, 0, k * k, 0.0);
        for (int i = 0; i < k; i++) {
            a[i * k + i] = StrictMath.sqrt(Gamma.chiSquare(rng, nu - i));
            for (int j = 0; j < i; j++) {
                a[i * k + j] = rng.nextGaussian();
            }
        }
        // B = L A (lower triangular) into work[k*k .. 2k*k)
        int bo = k * k;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = j; p <= i; p++) {
                    s += scaleFactor[i * k + p] * a[p * k + j];
                }
                work[bo + i * k + j] = s;
            }
            for (int j = i + 1; j < k; j++) {
                work[bo + i * k + j] = 0;
            }
        }
        // out = B B^T
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p <= j; p++) {
                    s += work[bo + i * k + p] * work[bo + j * k + p];
                }
                out[i * k + j] = s;
                out[j * k + i] = s;
            }
        }
    }
}
