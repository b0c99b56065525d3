package org.varec.model.vb;

import java.util.Arrays;
import org.varec.linalg.Cholesky;
import org.varec.linalg.Gram;
import org.varec.linalg.OuterTable;

/**
 * The CAVI update of one row (a user, say) of {@code vbmf} given the other side's posteriors: the
 * exact maximiser of the ELBO over that row's {@code q(u) q(b)} (docs/vbmf.md, eqs (V1)-(V4)).
 *
 * <p>With {@code z = [u; b]}, the row's expected log joint is a quadratic
 * {@code -1/2 z^T Lambda z + h^T z} with
 * <pre>
 *   Lambda = [ P + lambda sum_p E[v v^T]      lambda sum_p E[v] ]      h = [P m0; 0] + lambda sum_p t_p [E[v]; 1]
 *            [ lambda sum_p E[v]^T                 gamma + lambda n  ]      t_p = r_p - mu - E[b_(j_p)]
 * </pre>
 * where {@code E[v v^T] = m_v m_v^T + S_v} (S_v diagonal or full) and {@code N(m0, P^-1)} is the
 * prior of u ({@code P = diag(tau)}, {@code m0 = 0} under ARD). The means of u and b are solved
 * jointly, {@code [m_u; m_b] = Lambda^-1 h} (the ALS ridge system with the other side's variances
 * added to its Gram matrix); the covariance of u is {@code (Lambda_uu)^-1} (full) or its diagonal
 * projection {@code 1/[Lambda_uu]_kk} ("Matrix factorization in action", appendix); the variance of
 * b is {@code 1/(gamma + lambda n)}.
 *
 * <p>The system is divided by lambda before the Cholesky factorisation (as in the ALS
 * {@code RidgeSolver}). The leading K x K block of the (K+1) x (K+1) Cholesky factor is the
 * factor of {@code Lambda_uu}, so the full covariance costs one triangular inverse more.
 * An instance holds scratch arrays: not thread-safe, one per parallel block; no allocation per row (the targets array grows to the longest row once).
 */
final class RowPosterior {
    private final int k;
    private final int d;
    private final boolean full;
    private final double[] a;
    private final double[] rhs;
    private final double[] sumVar;
    private final double[] inv;

    RowPosterior(int k, boolean full) {
        this.k = k;
        this.d = k + 1;
        this.full = full;
        this.a = new double[d * d];
        this.rhs = new double[d];
        this.sumVar = new double[k];
        this.inv = full ? new double[k * k] : null;
        this.packed = new double[(int) OuterTable.stride(k)];
    }

    /** The packed accumulator of the table update. */
    private final double[] packed;

    /** The targets t_p of the row being updated, diagonal case (grown to the longest row). */
    private double[] targets = new double[64];

    /**
     * Updates one row whose ratings are {@code val[from..to)} on other-side rows {@code idx[from..to)}.
     *
     * @param om     other side's posterior means (k per row)
     * @param ov     other side's posterior variances (k per row) or covariances (k*k per row, full)
     * @param ob     other side's bias means
     * @param offset global mean mu
     * @param prior  this side's factor prior
     * @param outM   receives the mean at {@code outM[mOff .. mOff+k)}
     * @param outV   receives the variances ({@code k}) or covariance ({@code k*k}, row-major) at {@code vOff}
     * @return the bias mean (its variance is {@code 1/(gamma + lambda n)})
     */
    double update(float[] om, float[] ov, float[] ob, int[] idx, float[] val, int from, int to, double offset,
                  double lambda, Prior prior, double gamma, float[] outM, int mOff, float[] outV, int vOff) {
        return update(om, null, ov, ob, idx, val, from, to, offset, lambda, prior, gamma, outM, mOff, outV, vOff);
    }

    /**
     * {@link #update(float[], float[], float[], int[], float[], int, int, double, double, Prior, double, float[], int, float[], int)}
     * with the sums of {@code m m^T}, of the means and of {@code m t} taken from {@code table}, the
     * table of the other side's second moments {@code E[v v^T] = m m^T + S} (null: from {@code om}
     * and {@code ov} themselves; {@link OuterTable#fill(float[], float[], boolean, int,
     * org.varec.util.Parallel)}): the bits of the right-hand side, the Gram matrix up to the table's
     * float roundings ({@link OuterTable}).
     */
    double update(float[] om, OuterTable table, float[] ov, float[] ob, int[] idx, float[] val, int from, int to,
                  double offset, double lambda, Prior prior, double gamma, float[] outM, int mOff, float[] outV,
                  int vOff) {
        final int k = this.k;
        final int d = this.d;
        final double[] g = a;
        final double[] r = rhs;
        final double[] sv = sumVar;
        Arrays.fill(g, 0.0);
        Arrays.fill(r, 0.0);
        Arrays.fill(sv, 0.0);
        final int biasRow = k * d;
        final int kk = k * k;
        double sumT = 0;
        final boolean sumTable = table != null;
        if ((!full || sumTable) && targets.length < to - from) {
            targets = new double[Math.max(to - from, 2 * targets.length)];
        }
        final double[] ts = targets;
        for (int p = from; p < to; p++) {
            int j = idx[p];
            int base = j * k;
            double t = val[p] - offset - ob[j];
            if (sumTable) {
                ts[p - from] = t; // the table rows hold E[v v^T] = m m^T + S, the variances too
            } else if (full) {
                int vb = j * kk;
                for (int x = 0; x < k; x++) {
                    double vx = om[base + x];
                    r[x] += vx * t;
                    g[biasRow + x] += vx;
                    int row = x * d;
                    int srow = vb + x * k;
                    for (int y = 0; y <= x; y++) {
                        g[row + y] += vx * om[base + y] + ov[srow + y];
                    }
                }
            } else {
                ts[p - from] = t;
                for (int x = 0; x < k; x++) {
                    sv[x] += ov[base + x];
                }
            }
            sumT += t;
        }
        if (sumTable) {
            // sum_p E[v v^T], the bias row sum_p m_p and the right-hand side sum_p m_p t_p from the
            // table rows (the variances' sum sv stays 0)
            table.gram(packed, idx, from, to, ts, r, g);
        } else if (!full) {
            // the K x K block, the right-hand side sum_p m_p t_p and the bias row sum_p m_p in one pass
            // over the mean rows, four at a time (the same bits as one addOuter and one right-hand
            // side update per rating)
            Gram.addOuters(g, d, om, idx, from, to, k, ts, r, biasRow);
        }
        g[biasRow + k] = to - from + gamma / lambda;
        r[k] = sumT;
        final double[] pp = prior.prec;
        final double[] pm = prior.precMean;
        for (int x = 0; x < k; x++) {
            g[x * d + x] += sv[x];
            for (int y = 0; y <= x; y++) {
                g[x * d + y] += pp[x * k + y] / lambda;
            }
            r[x] += pm[x] / lambda;
        }
        if (!full) {
            // diagonal projection c_k = 1 / [Lambda_uu]_kk, Lambda_uu = lambda * (scaled Gram)
            for (int x = 0; x < k; x++) {
                outV[vOff + x] = (float) (1.0 / (lambda * g[x * d + x]));
            }
        }
        if (!Cholesky.factor(g, d)) {
            throw new ArithmeticException("row posterior precision is not positive definite");
        }
        Cholesky.solveFactored(g, d, r);
        for (int x = 0; x < k; x++) {
            outM[mOff + x] = (float) r[x];
        }
        if (full) {
            leadingInverse(g, outV, vOff, 1.0 / lambda);
        }
        return r[k];
    }

    /** out = scale * (L11 L11^T)^-1 for the leading k x k block L11 of the factor l (stride d). */
    private void leadingInverse(double[] l, float[] out, int off, double scale) {
        final int k = this.k;
        final int d = this.d;
        final double[] x = inv; // X = L11^-1, lower triangular, row-major k x k
        for (int c = 0; c < k; c++) {
            for (int i = c; i < k; i++) {
                double s = i == c ? 1.0 : 0.0;
                int ri = i * d;
                for (int p = c; p < i; p++) {
                    s -= l[ri + p] * x[p * k + c];
                }
                x[i * k + c] = s / l[ri + i];
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = i; p < k; p++) {
                    s += x[p * k + i] * x[p * k + j];
                }
                float v = (float) (s * scale);
                out[off + i * k + j] = v;
                out[off + j * k + i] = v;
            }
        }
    }

    /**
     * {@code Var[u.v]} for independent Gaussians with means {@code ma, mb} and covariances
     * {@code sa, sb} (diagonal: k variances; full: k x k): {@code ma^T Sb ma + mb^T Sa mb + tr(Sa Sb)}.
     */
    static double varDot(int k, boolean full, float[] ma, int ao, float[] sa, int sao, float[] mb, int bo,
                         float[] sb, int sbo) {
        double s = 0;
        if (full) {
            for (int x = 0; x < k; x++) {
                double ax = ma[ao + x];
                double bx = mb[bo + x];
                int ra = sao + x * k;
                int rb = sbo + x * k;
                double qa = 0;
                double qb = 0;
                double tr = 0;
                for (int y = 0; y < k; y++) {
                    double say = sa[ra + y];
                    double sby = sb[rb + y];
                    qa += sby * ma[ao + y];
                    qb += say * mb[bo + y];
                    tr += say * sby;
                }
                s += ax * qa + bx * qb + tr;
            }
        } else {
            for (int x = 0; x < k; x++) {
                double ax = ma[ao + x];
                double bx = mb[bo + x];
                double sax = sa[sao + x];
                double sbx = sb[sbo + x];
                s += ax * ax * sbx + bx * bx * sax + sax * sbx;
            }
        }
        return s;
    }
}
