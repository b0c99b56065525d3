package org.varec.model.bpmf;

import java.util.Arrays;
import org.varec.linalg.Cholesky;
import org.varec.linalg.Gram;
import org.varec.linalg.OuterTable;
import org.varec.stats.MultivariateNormal;
import org.varec.stats.Rng;

/**
 * One Gibbs draw of a row (a user, say) of BPMF given the other side: the Gaussian conditional of
 * the augmented row {@code w = [u; b_u]} (dimension {@code d = K + 1}) given the rated items'
 * rows {@code [v_j; b_j]}, the row prior {@code N(m, Lambda^-1)} and the noise precision alpha:
 * <pre>
 *   z_p = [v_(j_p); 1],   t_p = r_p - mu - b_(j_p)
 *   P = Lambda + alpha sum_p z_p z_p^T,   h = Lambda m + alpha sum_p z_p t_p
 *   w ~ N(P^-1 h, P^-1)
 * </pre>
 * It is the ALS row solve ({@link org.varec.model.als.RidgeSolver}: the same Gram accumulation
 * and Cholesky) with a dense prior precision instead of a ridge, plus one triangular solve for
 * the noise: with {@code P = L L^T}, {@code w = L^-T (L^-1 h + z)}, z standard normal.
 *
 * <p>The Gram matrix (lower triangle, double) is accumulated eight ratings at a time from rows
 * gathered into a contiguous scratch block, so every entry of the Gram matrix is loaded and stored
 * once per eight ratings. An optional per-rating precision multiplier (heteroscedastic noise)
 * scales each rating's contribution. An instance holds all scratch and is <b>not</b> thread-safe:
 * one per thread or parallel block. It allocates nothing per call. Public so that other Gibbs
 * samplers (e.g. an FM sampler) can share it.
 */
public final class RowSampler {
    private static final int CHUNK = 64;
    private final int k;
    private final int d;
    private final double[] g;
    private final double[] h;
    private final double[] z;
    private final double[] t;
    private final double[] w;

    /** @param rank K; rows and draws have dimension K + 1 (factors, then the bias) */
    public RowSampler(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        this.k = rank;
        this.d = rank + 1;
        this.g = new double[d * d];
        this.h = new double[d];
        this.z = new double[CHUNK * d];
        this.t = new double[CHUNK];
        this.w = new double[CHUNK];
        this.packed = new double[(int) OuterTable.stride(rank)];
    }

    /**
     * Draws the row whose ratings are {@code val[from..to)} on other-side rows {@code idx[from..to)}.
     *
     * @param other     other side's augmented rows, stride d: K factors then the bias
     * @param priorPrec Lambda, d x d row-major (lower triangle read)
     * @param priorLin  Lambda m (length d)
     * @param out       receives the draw at {@code out[outOff .. outOff + d)}
     */
    public void sample(double[] other, int[] idx, float[] val, int from, int to, double mu, double alpha,
                       double[] priorPrec, double[] priorLin, Rng rng, double[] out, int outOff) {
        sample(other, null, idx, val, from, to, mu, alpha, priorPrec, priorLin, rng, out, outOff);
    }

    /**
     * As above with a per-rating precision multiplier: rating p on other-side row j has noise
     * precision {@code alpha * weight[j]} ({@code weight} null: 1), i.e. {@code P = Lambda + alpha
     * sum_p w_p z_p z_p^T}, {@code h = Lambda m + alpha sum_p w_p z_p t_p}.
     */
    public void sample(double[] other, double[] weight, int[] idx, float[] val, int from, int to, double mu,
                       double alpha, double[] priorPrec, double[] priorLin, Rng rng, double[] out, int outOff) {
        accumulate(other, weight, idx, val, from, to, mu);
        finish(alpha, priorPrec, priorLin, rng);
        System.arraycopy(h, 0, out, outOff, d);
    }

    /** As {@link #sample}, but reads the rows the ratings refer to in order ({@code other} row p for rating p). */
    public void sampleDense(double[] other, double[] weight, float[] val, int n, double mu, double alpha,
                            double[] priorPrec, double[] priorLin, Rng rng, double[] out, int outOff) {
        accumulate(other, weight, null, val, 0, n, mu);
        finish(alpha, priorPrec, priorLin, rng);
        System.arraycopy(h, 0, out, outOff, d);
    }

    /**
     * {@link #sample(double[], double[], int[], float[], int, int, double, double, double[], double[], Rng, double[], int)}
     * with {@code sum_p w_p z_p z_p^T} and {@code sum_p w_p z_p t_p} taken from {@code table}, the
     * outer-product table of the other side's rows {@code other} and the same {@code weight}
     * ({@link OuterTable#fill(double[], int, double[], int, org.varec.util.Parallel)}): the same
     * conditional up to the table's float rounding of each entry (relative 2^-24), so a different
     * chain than the exact kernel's.
     */
    public void sample(OuterTable table, double[] other, double[] weight, int[] idx, float[] val, int from, int to,
                       double mu, double alpha, double[] priorPrec, double[] priorLin, Rng rng, double[] out,
                       int outOff) {
        if (table.rank() != k) {
            throw new IllegalArgumentException("an outer-product table of rank " + table.rank() + " for rows of rank " + k);
        }
        int n = to - from;
        if (targets.length < n) {
            targets = new double[Math.max(n, 2 * targets.length)];
        }
        final double[] ts = targets;
        double sumT = 0;
        for (int p = from; p < to; p++) {
            int j = idx[p];
            double tp = val[p] - mu - other[j * d + k];
            ts[p - from] = tp; // the table rows carry the weights
            sumT += weight == null ? tp : tp * weight[j];
        }
        Arrays.fill(h, 0.0);
        table.gram(packed, idx, from, to, ts, h, g);
        h[k] = sumT;
        finish(alpha, priorPrec, priorLin, rng);
        System.arraycopy(h, 0, out, outOff, d);
    }

    /** The packed accumulator of the table draw, and its targets (grown to the longest row). */
    private final double[] packed;
    private double[] targets = new double[64];

    /** The Cholesky factor L of the last draw's conditional precision P = L L^T (scratch; for tests). */
    double[] lastFactor() {
        return g;
    }

    private void accumulate(double[] other, double[] weight, int[] idx, float[] val, int from, int to,
                            double mu) {
        final int k = this.k;
        final int d = this.d;
        final double[] g = this.g;
        final double[] h = this.h;
        final double[] z = this.z;
        final double[] t = this.t;
        final double[] w = this.w;
        Arrays.fill(g, 0.0);
        Arrays.fill(h, 0.0);
        for (int p0 = from; p0 < to; p0 += CHUNK) {
            int n = Math.min(CHUNK, to - p0);
            for (int q = 0; q < n; q++) {
                int j = idx == null ? p0 + q : idx[p0 + q];
                int base = j * d;
                int zo = q * d;
                System.arraycopy(other, base, z, zo, k);
                z[zo + k] = 1.0;
                double wq = weight == null ? 1.0 : weight[j];
                w[q] = wq;
                t[q] = (val[p0 + q] - mu - other[base + k]) * wq;
            }
            // G += sum_q w_q z_q z_q^T and h += sum_q t_q z_q in one pass over the chunk's rows
            Gram.addWeightedOuters(g, d, z, w, n, t, h);
        }
    }

    private void finish(double alpha, double[] priorPrec, double[] priorLin, Rng rng) {
        final int d = this.d;
        for (int x = 0; x < d; x++) {
            int row = x * d;
            for (int y = 0; y <= x; y++) {
                g[row + y] = alpha * g[row + y] + priorPrec[row + y];
            }
            h[x] = alpha * h[x] + priorLin[x];
        }
        if (!Cholesky.factor(g, d)) {
            throw new ArithmeticException("BPMF row conditional precision is not positive definite");
        }
        MultivariateNormal.samplePrecision(rng, g, d, h);
    }
}
