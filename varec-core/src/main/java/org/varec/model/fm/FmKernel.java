package org.varec.model.fm;

/**
 * The factorization machine's prediction in O(k n) (Rendle 2010, eq. 5), shared by every FM
 * trainer and model: for a sparse row {@code x} with {@code n} non-zeros ({@code idx[0..n)},
 * {@code val[0..n)}),
 * <pre>
 *   y(x) = w0 + sum_j w_j x_j + 1/2 sum_f [ (sum_j v_jf x_j)^2 - sum_j v_jf^2 x_j^2 ]
 * </pre>
 * with {@code V} row-major ({@code v[j * k + f]}). Accumulation is in double.
 */
public final class FmKernel {
    private FmKernel() {
    }

    /** {@code y(x)}; {@code sums} (length >= k) receives {@code q_f = sum_j v_jf x_j}, which gradients and Gibbs steps reuse. */
    public static double predict(double w0, float[] w, float[] v, int k, int[] idx, float[] val, int n, double[] sums) {
        double y = w0;
        for (int p = 0; p < n; p++) {
            y += (double) w[idx[p]] * val[p];
        }
        double pair = 0;
        for (int f = 0; f < k; f++) {
            double s = 0;
            double sq = 0;
            for (int p = 0; p < n; p++) {
                double t = (double) v[idx[p] * k + f] * val[p];
                s += t;
                sq += t * t;
            }
            sums[f] = s;
            pair += s * s - sq;
        }
        return y + 0.5 * pair;
    }
}
