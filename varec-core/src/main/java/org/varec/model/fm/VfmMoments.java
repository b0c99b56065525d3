package org.varec.model.fm;

/**
 * Mean and variance of the FM output {@code y(x)} when every parameter is an independent Gaussian
 * (a mean-field posterior), in O(k n) per row, alongside {@link FmKernel}. With
 * {@code m_j = x_j E[v_jf]}, {@code s_j = x_j^2 Var[v_jf]}, {@code M = sum m_j}, {@code Q = sum m_j^2}:
 * <pre>
 *   E[y]   = E[w0] + sum_j x_j E[w_j] + sum_f 1/2 (M^2 - Q)                       (FmKernel on the means)
 *   Var[y] = Var[w0] + sum_j x_j^2 Var[w_j]
 *          + sum_f [ sum_{j<l} ((m_j^2+s_j)(m_l^2+s_l) - m_j^2 m_l^2)                (each pair's variance)
 *                  + sum_j s_j ((M - m_j)^2 - (Q - m_j^2)) ]                         (pairs sharing feature j)
 * </pre>
 * the pair sums being taken as {@code 1/2 (A^2 - sum a^2)} with {@code a_j = m_j^2 + s_j}.
 */
public final class VfmMoments {
    private VfmMoments() {
    }

    /**
     * Writes {@code {E[y], Var[y]}} into {@code out} for a row whose parameters were gathered
     * per position p: means {@code mw[p]}, {@code mv[p*k+f]} and variances {@code sw[p]},
     * {@code sv[p*k+f]} (not standard deviations), values {@code x[p]}, p < n.
     */
    public static void moments(double m0, double s0, double[] mw, double[] sw, double[] mv, double[] sv, int k,
                               float[] x, int n, double[] out) {
        double mean = m0;
        double var = s0;
        for (int p = 0; p < n; p++) {
            double xp = x[p];
            mean += mw[p] * xp;
            var += sw[p] * xp * xp;
        }
        for (int f = 0; f < k; f++) {
            double sm = 0;
            double sq = 0;
            double sa = 0;
            double sa2 = 0;
            double sq2 = 0;
            for (int p = 0; p < n; p++) {
                double xp = x[p];
                double m = mv[p * k + f] * xp;
                double m2 = m * m;
                double a = m2 + sv[p * k + f] * xp * xp;
                sm += m;
                sq += m2;
                sa += a;
                sa2 += a * a;
                sq2 += m2 * m2;
            }
            mean += 0.5 * (sm * sm - sq);
            double pairs = 0.5 * (sa * sa - sa2) - 0.5 * (sq * sq - sq2);
            double shared = 0;
            for (int p = 0; p < n; p++) {
                double xp = x[p];
                double m = mv[p * k + f] * xp;
                double s = sv[p * k + f] * xp * xp;
                double r = sm - m;
                shared += s * (r * r - (sq - m * m));
            }
            var += pairs + shared;
        }
        out[0] = mean;
        out[1] = Math.max(0, var);
    }
}
