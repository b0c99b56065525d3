package org.varec.model.fm;

import org.varec.data.SparseDesign;
import org.varec.stats.Rng;

/**
 * The variational FM objective L_B of one mini-batch and its gradient (see docs/vfm.md and
 * {@link VfmTrainer}). Parameters live in two double arrays:
 * <ul>
 * <li>{@code P}, one block of {@code B = 2(d+1)} per feature k: {@code [mu_w, rho_w, mu_v[0..d), rho_v[0..d)]}
 *     with standard deviations {@code sigma = softplus(rho)};</li>
 * <li>{@code glob}: {@code [mu_0, rho_0, log alpha]} then one block of B per group g:
 *     {@code [nu_w, ell_w, nu_v[0..d), ell_v[0..d)]}, prior {@code N(nu, 1/lambda)} with {@code lambda = exp(ell)}.</li>
 * </ul>
 * Use: {@link #collect} a batch (builds its rows and the set F(B) of present features), {@link #drawNoise},
 * then {@link #evaluate} returns L_B and leaves the gradient of the loss {@code -L_B} in {@link #gP}
 * (present features only) and {@link #gGlob}. Not thread-safe.
 */
final class VfmEngine {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    /** Rows of the data the engine fits. */
    interface Rows {
        int size();

        /** Features of row r into idx/val, returns the count. */
        int row(int r, int[] idx, float[] val);

        float y(int r);
    }

    /** The rows of a design matrix, its targets as y. */
    static Rows rows(SparseDesign design) {
        int[] off = design.offsets();
        int[] features = design.features();
        float[] values = design.values();
        float[] targets = design.targets();
        return new Rows() {
            @Override
            public int size() {
                return targets.length;
            }

            @Override
            public int row(int r, int[] idx, float[] val) {
                int len = off[r + 1] - off[r];
                System.arraycopy(features, off[r], idx, 0, len);
                System.arraycopy(values, off[r], val, 0, len);
                return len;
            }

            @Override
            public float y(int r) {
                return targets[r];
            }
        };
    }

    final int d;
    final int bs;
    final int numFeatures;
    final int numGroups;
    final int samples;
    final boolean classification;
    final int[] group;
    final double[] P;
    final double[] glob;
    final Rows rows;
    /** N: rows in the full data (the likelihood is scaled by N / |B|). */
    final int total;
    /** N_k (rows containing feature k); null when KL is not rescaled. */
    final int[] nk;
    /** K_g: features of group g with N_k > 0. */
    final int[] kg;
    /** When >= 0, only this feature's KL counts, with weight 1 (fold-in); else the per-group rescaled KL. */
    int klOnly = -1;

    final double[] gP;
    final double[] gGlob;
    final int[] present;
    int nPresent;
    final int[] cntB;
    final double[] epsW;
    final double[] epsV;
    final double[] eps0;
    // batch rows
    int nb;
    int[] bOff;
    int[] bIdx;
    float[] bVal;
    float[] bY;
    final int maxRow;
    // per-row scratch
    private final double[] ws;
    private final double[] vs;
    private final double[] qf;
    private final double[] sumAlpha;

    VfmEngine(int d, int numFeatures, int[] group, int numGroups, int samples, boolean classification, Rows rows,
              int total, int maxRow) {
        this.d = d;
        this.bs = 2 * (d + 1);
        this.numFeatures = numFeatures;
        this.numGroups = numGroups;
        this.samples = samples;
        this.classification = classification;
        this.group = group;
        this.rows = rows;
        this.total = total;
        this.maxRow = maxRow;
        this.P = new double[numFeatures * bs];
        this.glob = new double[3 + numGroups * bs];
        this.gP = new double[numFeatures * bs];
        this.gGlob = new double[glob.length];
        this.present = new int[numFeatures];
        this.cntB = new int[numFeatures];
        this.epsW = new double[samples * numFeatures];
        this.epsV = new double[samples * numFeatures * d];
        this.eps0 = new double[samples];
        this.nk = new int[numFeatures];
        this.kg = new int[numGroups];
        this.ws = new double[maxRow];
        this.vs = new double[maxRow * Math.max(d, 1)];
        this.qf = new double[Math.max(d, 1)];
        this.sumAlpha = new double[numGroups];
        this.bOff = new int[1];
        this.bIdx = new int[0];
        this.bVal = new float[0];
        this.bY = new float[0];
    }

    /** Counts N_k and K_g over all rows. */
    void countFeatures() {
        int[] idx = new int[maxRow];
        float[] val = new float[maxRow];
        java.util.Arrays.fill(nk, 0);
        for (int r = 0; r < rows.size(); r++) {
            int n = rows.row(r, idx, val);
            for (int p = 0; p < n; p++) {
                if (val[p] != 0) {
                    nk[idx[p]]++;
                }
            }
        }
        java.util.Arrays.fill(kg, 0);
        for (int k = 0; k < numFeatures; k++) {
            if (nk[k] > 0) {
                kg[group[k]]++;
            }
        }
    }

    static double softplus(double x) {
        return x > 30 ? x : x < -30 ? Math.exp(x) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** softplus^-1(s) for s > 0. */
    static double softplusInv(double s) {
        return s > 30 ? s : Math.log(Math.expm1(s));
    }

    /** Builds the rows of batch {@code order[from..to)} and the present features F(B) with their counts N_k^B. */
    void collect(int[] order, int from, int to) {
        for (int i = 0; i < nPresent; i++) {
            cntB[present[i]] = 0;
        }
        nPresent = 0;
        nb = to - from;
        if (bOff.length < nb + 1) {
            bOff = new int[nb + 1];
            bY = new float[nb];
        }
        int need = nb * maxRow;
        if (bIdx.length < need) {
            bIdx = new int[need];
            bVal = new float[need];
        }
        int[] idx = new int[maxRow];
        float[] val = new float[maxRow];
        int at = 0;
        for (int b = 0; b < nb; b++) {
            int r = order[from + b];
            int n = rows.row(r, idx, val);
            bOff[b] = at;
            for (int p = 0; p < n; p++) {
                int k = idx[p];
                bIdx[at] = k;
                bVal[at++] = val[p];
                if (val[p] != 0 && cntB[k]++ == 0) {
                    present[nPresent++] = k;
                }
            }
            bY[b] = rows.y(r);
        }
        bOff[nb] = at;
    }

    /** Draws epsilon ~ N(0, 1) for w0 and the present features, S times, in a fixed order. */
    void drawNoise(Rng rng) {
        for (int s = 0; s < samples; s++) {
            eps0[s] = rng.nextGaussian();
            for (int i = 0; i < nPresent; i++) {
                int k = present[i];
                epsW[s * numFeatures + k] = rng.nextGaussian();
                int base = (s * numFeatures + k) * d;
                for (int f = 0; f < d; f++) {
                    epsV[base + f] = rng.nextGaussian();
                }
            }
        }
    }

    /** Sets all the drawn noise to zero (the objective at the means; for tests and deterministic fold-in checks). */
    void zeroNoise() {
        java.util.Arrays.fill(eps0, 0);
        java.util.Arrays.fill(epsW, 0);
        java.util.Arrays.fill(epsV, 0);
    }

    /**
     * L_B of the collected batch with the drawn noise; the gradient of {@code -L_B} goes to
     * {@link #gP} (blocks of present features) and {@link #gGlob}.
     */
    double evaluate() {
        for (int i = 0; i < nPresent; i++) {
            int o = present[i] * bs;
            java.util.Arrays.fill(gP, o, o + bs, 0);
        }
        java.util.Arrays.fill(gGlob, 0);
        double rho0 = glob[1];
        double sig0 = softplus(rho0);
        double dsig0 = sigmoid(rho0);
        double logAlpha = glob[2];
        double alpha = Math.exp(logAlpha);
        double scale = (double) total / ((double) nb * samples);
        double ll = 0;
        for (int s = 0; s < samples; s++) {
            double w0 = glob[0] + eps0[s] * sig0;
            double g0 = 0;
            for (int b = 0; b < nb; b++) {
                int from = bOff[b];
                int n = bOff[b + 1] - from;
                double y = w0;
                for (int p = 0; p < n; p++) {
                    int k = bIdx[from + p];
                    int o = k * bs;
                    double w = P[o] + epsW[s * numFeatures + k] * softplus(P[o + 1]);
                    ws[p] = w;
                    y += w * bVal[from + p];
                }
                for (int f = 0; f < d; f++) {
                    double q = 0;
                    double sq = 0;
                    for (int p = 0; p < n; p++) {
                        int k = bIdx[from + p];
                        int o = k * bs;
                        double v = P[o + 2 + f] + epsV[(s * numFeatures + k) * d + f] * softplus(P[o + 2 + d + f]);
                        vs[p * d + f] = v;
                        double t = v * bVal[from + p];
                        q += t;
                        sq += t * t;
                    }
                    qf[f] = q;
                    y += 0.5 * (q * q - sq);
                }
                double target = bY[b];
                double gy;
                if (classification) {
                    // log p = t y - softplus(y)
                    ll += target * y - softplus(y);
                    gy = target - sigmoid(y);
                } else {
                    double e = target - y;
                    ll += 0.5 * logAlpha - 0.5 * LOG_2PI - 0.5 * alpha * e * e;
                    gy = alpha * e;
                    gGlob[2] += scale * (0.5 - 0.5 * alpha * e * e);
                }
                gy *= scale;
                g0 += gy;
                for (int p = 0; p < n; p++) {
                    int k = bIdx[from + p];
                    int o = k * bs;
                    double x = bVal[from + p];
                    double gw = gy * x;
                    gP[o] += gw;
                    gP[o + 1] += gw * epsW[s * numFeatures + k] * sigmoid(P[o + 1]);
                    int eo = (s * numFeatures + k) * d;
                    for (int f = 0; f < d; f++) {
                        double gv = gy * x * (qf[f] - vs[p * d + f] * x);
                        gP[o + 2 + f] += gv;
                        gP[o + 2 + d + f] += gv * epsV[eo + f] * sigmoid(P[o + 2 + d + f]);
                    }
                }
            }
            gGlob[0] += g0;
            gGlob[1] += g0 * eps0[s] * dsig0;
        }
        double value = scale * ll;

        // KL of w0 against its fixed N(0, 1) prior, weight 1
        double mu0 = glob[0];
        value -= 0.5 * (sig0 * sig0 + mu0 * mu0 - 1 - 2 * Math.log(sig0));
        gGlob[0] -= mu0;
        gGlob[1] -= (sig0 - 1 / sig0) * dsig0;

        // per-group rescaled KL of the present features
        if (klOnly < 0) {
            java.util.Arrays.fill(sumAlpha, 0);
            for (int i = 0; i < nPresent; i++) {
                int k = present[i];
                sumAlpha[group[k]] += (double) cntB[k] / nk[k];
            }
        }
        for (int i = 0; i < nPresent; i++) {
            int k = present[i];
            double omega;
            if (klOnly >= 0) {
                if (k != klOnly) {
                    continue;
                }
                omega = 1;
            } else {
                int g = group[k];
                omega = kg[g] / sumAlpha[g] * ((double) cntB[k] / nk[k]);
            }
            value -= omega * klBlock(k * bs, 3 + group[k] * bs, omega);
        }
        // loss = -L
        for (int i = 0; i < nPresent; i++) {
            int o = present[i] * bs;
            for (int j = o; j < o + bs; j++) {
                gP[j] = -gP[j];
            }
        }
        for (int j = 0; j < gGlob.length; j++) {
            gGlob[j] = -gGlob[j];
        }
        return value;
    }

    /**
     * KL(q || p) of one feature block at {@code o} in P against the prior block at {@code po} in
     * glob, and adds {@code -omega * dKL} to the ascent gradients (gP, gGlob) of both.
     */
    private double klBlock(int o, int po, double omega) {
        double kl = 0;
        for (int j = 0; j <= d; j++) {
            int mi = j == 0 ? o : o + 1 + j;            // mu_w, then mu_v[f] at o + 2 + f
            int ri = j == 0 ? o + 1 : o + 1 + d + j;    // rho_w, then rho_v[f] at o + 2 + d + f
            int ni = j == 0 ? po : po + 1 + j;
            int li = j == 0 ? po + 1 : po + 1 + d + j;
            double mu = P[mi];
            double rho = P[ri];
            double sig = softplus(rho);
            double nu = glob[ni];
            double ell = glob[li];
            double lam = Math.exp(ell);
            double dm = mu - nu;
            kl += 0.5 * (lam * sig * sig + lam * dm * dm - 1 - ell - 2 * Math.log(sig));
            gP[mi] -= omega * lam * dm;
            gP[ri] -= omega * (lam * sig - 1 / sig) * sigmoid(rho);
            gGlob[ni] += omega * lam * dm;
            gGlob[li] -= omega * 0.5 * (lam * sig * sig + lam * dm * dm - 1);
        }
        return kl;
    }
}
