package org.varec.model.sbm;

import org.varec.stats.SpecialFunctions;

/**
 * The discrete half of the DP stochastic block model's q (NNMF paper, eqs. 5-9): the group
 * probabilities eta_i of every vertex, the Beta posteriors q(V_c) = Beta(rho_c1, rho_c2) of the
 * sticks c < T (V_T = 1: the truncation), and the concentration alpha; with the graph's observed
 * pairs as CSR over both orientations. Given the expected log-likelihood matrices
 * {@code l1 = E[log sigmoid(s_ab)]} and {@code l0 = E[log(1 - sigmoid(s_ab))]} (T x T, symmetric,
 * estimated by the caller), the part of the ELBO that depends on these variables is
 * <pre>
 *   L = sum_{i<j observed} eta_i^T l_{x_ij} eta_j                       (expected log-likelihood)
 *     + sum_i sum_t eta_it E[log pi_t] - sum_i sum_t eta_it log eta_it   (E log p(Z | V) + H[q(Z)])
 *     + sum_{c<T} [log alpha + (alpha - 1) E[log(1 - V_c)]]             (E log p(V | alpha), eq. 6)
 *     - sum_{c<T} [(rho_c1 - 1) E[log V_c] + (rho_c2 - 1) E[log(1 - V_c)] - log B(rho_c1, rho_c2)]
 * </pre>
 * with {@code E[log V] = psi(rho1) - psi(rho1 + rho2)}, {@code E[log(1 - V)] = psi(rho2) -
 * psi(rho1 + rho2)} and {@code E[log pi_t] = E[log V_t] + sum_{l<t} E[log(1 - V_l)]} (eq. 5).
 * Every update here is a coordinate-ascent step on L (Blei and Jordan 2006), so L never decreases
 * under them with l1, l0 fixed:
 * <ul>
 * <li>eta_i by eq. (9), one vertex at a time (Gauss-Seidel: each vertex sees its partners' latest
 * eta), exact given the others;
 * <li>q(V) moves the share r of the way to its optimum {@code rho_c1 = 1 + sum_i eta_ic},
 * {@code rho_c2 = alpha + sum_i sum_{l>c} eta_il}: a natural-gradient step of size r (Hoffman et
 * al. 2013; r = 1 is the closed form); along that segment dL/dr = (1 - r) d^T F d >= 0 (F the Beta's
 * Fisher matrix, d the step in natural parameters), so any r in (0, 1] ascends;
 * <li>alpha by type-I maximum likelihood, the root of dL/dalpha: {@code alpha = -(T - 1) / sum_c
 * E[log(1 - V_c)]}.
 * </ul>
 * The Euclidean gradient of L in rho ({@link #stickGradient}) is checked against finite
 * differences in the tests; it vanishes at the closed form.
 */
final class SbmBlocks {
    final int n;
    final int t;
    final int[] off;
    final int[] nb;
    final float[] x;
    final double[] eta;
    final double[] rho1;
    final double[] rho2;
    double alpha;
    final double[] logPi;
    private final double[] a1;
    private final double[] a0;

    SbmBlocks(int n, int t, int[] off, int[] nb, float[] x, double[] eta, double alpha) {
        this.n = n;
        this.t = t;
        this.off = off;
        this.nb = nb;
        this.x = x;
        this.eta = eta;
        this.alpha = alpha;
        this.rho1 = new double[t - 1];
        this.rho2 = new double[t - 1];
        java.util.Arrays.fill(rho1, 1);
        java.util.Arrays.fill(rho2, alpha);
        this.logPi = new double[t];
        this.a1 = new double[t];
        this.a0 = new double[t];
        computeLogPi();
    }

    double elogV(int c) {
        return SpecialFunctions.digamma(rho1[c]) - SpecialFunctions.digamma(rho1[c] + rho2[c]);
    }

    double elog1mV(int c) {
        return SpecialFunctions.digamma(rho2[c]) - SpecialFunctions.digamma(rho1[c] + rho2[c]);
    }

    /** E[log pi_t] from q(V) (eq. 5 under q; the last group takes the rest of the stick). */
    void computeLogPi() {
        double rest = 0;
        for (int c = 0; c < t - 1; c++) {
            logPi[c] = elogV(c) + rest;
            rest += elog1mV(c);
        }
        logPi[t - 1] = rest;
    }

    /**
     * Eq. (9) for vertices {@code order[0..count)} in that order, each over all of its observed
     * pairs with the current eta of its partners.
     */
    void updateEta(int[] order, int count, double[] l1, double[] l0) {
        double[] e = new double[t];
        for (int k = 0; k < count; k++) {
            int v = order[k];
            partnerSums(v, false);
            SbmModel.assignmentUpdate(t, logPi, l1, l0, a1, a0, e);
            System.arraycopy(e, 0, eta, v * t, t);
        }
    }

    /** a1 (a0): sums of eta_j over v's linked (non-linked) observed partners j (only j > v if upper). */
    private void partnerSums(int v, boolean upper) {
        java.util.Arrays.fill(a1, 0);
        java.util.Arrays.fill(a0, 0);
        for (int p = off[v]; p < off[v + 1]; p++) {
            int j = nb[p];
            if (upper && j < v) {
                continue;
            }
            double[] a = x[p] != 0f ? a1 : a0;
            int base = j * t;
            for (int c = 0; c < t; c++) {
                a[c] += eta[base + c];
            }
        }
    }

    /** Group totals sum_i eta_ic. */
    double[] groupTotals() {
        double[] s = new double[t];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < t; c++) {
                s[c] += eta[i * t + c];
            }
        }
        return s;
    }

    /** Moves q(V) the share {@code rate} toward its coordinate optimum, then refreshes E[log pi]. */
    void updateSticks(double rate) {
        double[] total = groupTotals();
        double tail = 0;
        for (int c = t - 1; c >= 0; c--) {
            if (c < t - 1) {
                rho1[c] = (1 - rate) * rho1[c] + rate * (1 + total[c]);
                rho2[c] = (1 - rate) * rho2[c] + rate * (alpha + tail);
            }
            tail += total[c];
        }
        computeLogPi();
    }

    /** alpha = -(T - 1) / sum_c E[log(1 - V_c)], the maximiser of L in alpha. */
    void updateAlpha() {
        double s = 0;
        for (int c = 0; c < t - 1; c++) {
            s += elog1mV(c);
        }
        alpha = Math.min(1e6, Math.max(1e-6, -(t - 1) / s));
    }

    /** Number of groups holding at least one vertex under the MAP assignment. */
    int occupied() {
        boolean[] used = new boolean[t];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < t; c++) {
                if (eta[i * t + c] > eta[i * t + best]) {
                    best = c;
                }
            }
            if (!used[best]) {
                used[best] = true;
                count++;
            }
        }
        return count;
    }

    /** The expected log-likelihood of the observed pairs, sum over i < j of eta_i^T l_x eta_j. */
    double expectedLogLikelihood(double[] l1, double[] l0) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            partnerSums(i, true);
            int base = i * t;
            for (int a = 0; a < t; a++) {
                double e = eta[base + a];
                if (e == 0) {
                    continue;
                }
                double r = 0;
                for (int b = 0; b < t; b++) {
                    r += a1[b] * l1[a * t + b] + a0[b] * l0[a * t + b];
                }
                s += e * r;
            }
        }
        return s;
    }

    /** L of the class doc. */
    double objective(double[] l1, double[] l0) {
        double s = expectedLogLikelihood(l1, l0);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < t; c++) {
                double e = eta[i * t + c];
                if (e > 0) {
                    s += e * (logPi[c] - Math.log(e));
                }
            }
        }
        for (int c = 0; c < t - 1; c++) {
            double ev = elogV(c);
            double e1 = elog1mV(c);
            s += Math.log(alpha) + (alpha - 1) * e1;
            s -= (rho1[c] - 1) * ev + (rho2[c] - 1) * e1 - SpecialFunctions.logBeta(rho1[c], rho2[c]);
        }
        return s;
    }

    /**
     * dL/drho: {@code [dL/drho_c1, dL/drho_c2]} for c < T - 1, interleaved. With n_c = sum_i eta_ic
     * and m_c = sum_i sum_{l>c} eta_il, the rho-dependent part of L per stick is
     * {@code (1 + n_c - rho1) E[log V] + (alpha + m_c - rho2) E[log(1 - V)] + log B(rho1, rho2)}, so
     * {@code dL/drho1 = (1 + n_c - rho1) psi'(rho1) - (1 + n_c - rho1 + alpha + m_c - rho2) psi'(rho1 + rho2)}
     * and symmetrically for rho2.
     */
    double[] stickGradient() {
        double[] total = groupTotals();
        double[] g = new double[2 * (t - 1)];
        double tail = 0;
        double[] tails = new double[t];
        for (int c = t - 1; c >= 0; c--) {
            tails[c] = tail;
            tail += total[c];
        }
        for (int c = 0; c < t - 1; c++) {
            double u = 1 + total[c] - rho1[c];
            double w = alpha + tails[c] - rho2[c];
            double tsum = SpecialFunctions.trigamma(rho1[c] + rho2[c]);
            g[2 * c] = u * SpecialFunctions.trigamma(rho1[c]) - (u + w) * tsum;
            g[2 * c + 1] = w * SpecialFunctions.trigamma(rho2[c]) - (u + w) * tsum;
        }
        return g;
    }
}
