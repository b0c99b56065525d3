package org.varec.model.fm;

import org.varec.stats.Rng;

/**
 * Mean-field Gaussian posterior of a regression FM with closed-form coordinate updates (variational
 * Bayes FM, Saha et al. 2017), shared by {@link VbfmTrainer} (batch sweeps) and
 * {@link OvbfmTrainer} (stochastic natural-gradient steps).
 *
 * <p>The ELBO is
 * <pre>
 *   ELBO = sum_i [ 1/2 log alpha - 1/2 log 2 pi - alpha/2 F_i ] - KL(q(w0) || N(0, 1)) - sum_k KL(q(theta_k) || p_g(k)),
 *   F_i  = E_q[(y_i - y(x_i))^2] = (y_i - E[y(x_i)])^2 + Var_q[y(x_i)]      ({@link VfmMoments})
 * </pre>
 * The FM is linear in each single parameter theta (w_k or v_kf) with everything else fixed, so F_i
 * is {@code a_i (m^2 + s^2) - 2 b_i m + c_i} in theta's posterior mean m and variance s^2. The
 * coefficients come exactly from three evaluations of F_i (at (m, s^2) = (0, 0), (0, 1), (1, 0)),
 * and the ELBO's maximiser over q(theta) with prior N(nu, 1/lambda) is
 * <pre>
 *   1/s^2 = lambda + alpha sum_i a_i        m = s^2 (lambda nu + alpha sum_i b_i).
 * </pre>
 * Group priors (empirical Bayes: nu_g = mean of the group's m, lambda_g = K_g / sum (s^2 + (m - nu_g)^2))
 * and the noise precision (alpha = N / sum_i F_i) are exact maximisers too, so a sweep never lowers
 * the ELBO. Features that never occur in training keep q = their group prior (KL 0).
 *
 * <p>It works on the rows and columns of an {@link FmDesign} (the rows holding each feature are the
 * design's columns), on ratings or on any design matrix.
 */
final class VbfmState {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    final int d;
    final FmDesign design;
    final double[] y;
    final int n;
    final int K;
    final int G;
    double m0;
    double s0;
    final double[] mw;
    final double[] sw;
    final double[] mv;
    final double[] sv;
    final double[] nu;   // G x (d+1)
    final double[] lam;  // G x (d+1)
    double alpha;
    /** feature -> rows containing it (CSR: the design's columns), and how many. */
    final int[] fOff;
    final int[] fRows;
    final int[] nk;

    // scratch
    private final float[] val;
    private final double[] gmw;
    private final double[] gsw;
    private final double[] gmv;
    private final double[] gsv;
    private final double[] out = new double[2];

    /**
     * The initial posterior: seen features' embedding means ~ N(0, init_stdev^2) from the seed's
     * stream 1, variances min(init_stdev^2, 0.01) (linear weights 0.01), unseen features at N(0, 1);
     * w0 at the target mean with variance 1e-4, alpha = 1 / the target variance.
     *
     * @param numGroups feature groups (at least 1 + the design's largest group id)
     */
    VbfmState(int d, FmDesign design, int numGroups, double initStdev, long seed) {
        this.d = d;
        this.design = design;
        this.y = design.targets;
        this.n = design.numRows;
        this.K = design.numFeatures;
        this.G = numGroups;
        this.mw = new double[K];
        this.sw = new double[K];
        this.mv = new double[K * d];
        this.sv = new double[K * d];
        this.nu = new double[G * (d + 1)];
        this.lam = new double[G * (d + 1)];
        java.util.Arrays.fill(lam, 1.0);
        int m = Math.max(1, design.maxRowLength);
        val = new float[m];
        gmw = new double[m];
        gsw = new double[m];
        gmv = new double[m * Math.max(d, 1)];
        gsv = new double[m * Math.max(d, 1)];
        fOff = design.colOff;
        fRows = design.colRow;
        nk = new int[K];
        for (int k = 0; k < K; k++) {
            nk[k] = fOff[k + 1] - fOff[k];
        }
        Rng rng = Rng.stream(seed, 1);
        double s2 = Math.min(initStdev * initStdev, 0.01);
        for (int k = 0; k < K; k++) {
            sw[k] = nk[k] > 0 ? 0.01 : 1.0;
            for (int f = 0; f < d; f++) {
                mv[k * d + f] = nk[k] > 0 ? initStdev * rng.nextGaussian() : 0;
                sv[k * d + f] = nk[k] > 0 ? s2 : 1.0;
            }
        }
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= Math.max(1, n);
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        var /= Math.max(1, n);
        m0 = mean;
        s0 = 1e-4;
        alpha = 1 / Math.max(var, 1e-6);
    }

    /** F_r with coordinate c of feature k (c = 0: w, c = 1 + f: v_f; k = -1: w0) set to (m, s2). */
    double residual(int r, int k, int c, double m, double s2) {
        int from = design.rowOff[r];
        int len = design.rowOff[r + 1] - from;
        for (int p = 0; p < len; p++) {
            int j = design.rowIdx[from + p];
            val[p] = design.rowVal[from + p];
            gmw[p] = mw[j];
            gsw[p] = sw[j];
            for (int f = 0; f < d; f++) {
                gmv[p * d + f] = mv[j * d + f];
                gsv[p * d + f] = sv[j * d + f];
            }
            if (j == k) {
                if (c == 0) {
                    gmw[p] = m;
                    gsw[p] = s2;
                } else {
                    gmv[p * d + c - 1] = m;
                    gsv[p * d + c - 1] = s2;
                }
            }
        }
        double a0 = k == -1 ? m : m0;
        double b0 = k == -1 ? s2 : s0;
        VfmMoments.moments(a0, b0, gmw, gsw, gmv, gsv, d, val, len, out);
        double e = y[r] - out[0];
        return e * e + out[1];
    }

    /** F_r at the current posterior. */
    double residual(int r) {
        return residual(r, Integer.MIN_VALUE, 0, 0, 0);
    }

    /**
     * Sums a and b of coordinate (k, c) over {@code rowList[from..to)} into {@code ab}
     * (k = -1: w0 over those rows).
     */
    void coefficients(int k, int c, int[] rowList, int from, int to, double[] ab) {
        double a = 0;
        double b = 0;
        for (int t = from; t < to; t++) {
            int r = rowList[t];
            double f00 = residual(r, k, c, 0, 0);
            double f01 = residual(r, k, c, 0, 1);
            double f10 = residual(r, k, c, 1, 0);
            double ai = f01 - f00;
            a += ai;
            b += 0.5 * (ai + f00 - f10);
        }
        ab[0] = a;
        ab[1] = b;
    }

    /** Prior (nu, lambda) index of coordinate c of feature k. */
    int prior(int k, int c) {
        return design.groupOf[k] * (d + 1) + c;
    }

    double mean(int k, int c) {
        return c == 0 ? mw[k] : mv[k * d + c - 1];
    }

    double var(int k, int c) {
        return c == 0 ? sw[k] : sv[k * d + c - 1];
    }

    void set(int k, int c, double m, double s2) {
        if (c == 0) {
            mw[k] = m;
            sw[k] = s2;
        } else {
            mv[k * d + c - 1] = m;
            sv[k * d + c - 1] = s2;
        }
    }

    /** The exact coordinate maximiser of every coordinate of feature k (batch VB). */
    void updateFeature(int k, double[] ab) {
        for (int c = 0; c <= d; c++) {
            updateCoordinate(k, c, ab);
        }
    }

    /** The exact maximiser of the ELBO over q of coordinate c of feature k, all else fixed. */
    void updateCoordinate(int k, int c, double[] ab) {
        coefficients(k, c, fRows, fOff[k], fOff[k + 1], ab);
        int pi = prior(k, c);
        double prec = lam[pi] + alpha * ab[0];
        set(k, c, (lam[pi] * nu[pi] + alpha * ab[1]) / prec, 1 / prec);
    }

    /** The exact maximiser for q(w0) with prior N(0, 1). */
    void updateW0(double[] ab) {
        double a = 0;
        double b = 0;
        for (int r = 0; r < n; r++) {
            double f00 = residual(r, -1, 0, 0, 0);
            double f10 = residual(r, -1, 0, 1, 0);
            double f01 = residual(r, -1, 0, 0, 1);
            double ai = f01 - f00;
            a += ai;
            b += 0.5 * (ai + f00 - f10);
        }
        double prec = 1 + alpha * a;
        m0 = alpha * b / prec;
        s0 = 1 / prec;
    }

    /** Empirical-Bayes group priors over the features seen in training; unseen features are reset to their prior. */
    void updatePriors() {
        int c1 = d + 1;
        double[] sum = new double[G * c1];
        int[] cnt = new int[G];
        for (int k = 0; k < K; k++) {
            if (nk[k] == 0) {
                continue;
            }
            int g = design.groupOf[k];
            cnt[g]++;
            for (int c = 0; c <= d; c++) {
                sum[g * c1 + c] += mean(k, c);
            }
        }
        for (int g = 0; g < G; g++) {
            if (cnt[g] == 0) {
                continue;
            }
            for (int c = 0; c <= d; c++) {
                nu[g * c1 + c] = sum[g * c1 + c] / cnt[g];
            }
        }
        double[] ss = new double[G * c1];
        for (int k = 0; k < K; k++) {
            if (nk[k] == 0) {
                continue;
            }
            int g = design.groupOf[k];
            for (int c = 0; c <= d; c++) {
                double dm = mean(k, c) - nu[g * c1 + c];
                ss[g * c1 + c] += var(k, c) + dm * dm;
            }
        }
        for (int g = 0; g < G; g++) {
            if (cnt[g] == 0) {
                continue;
            }
            for (int c = 0; c <= d; c++) {
                lam[g * c1 + c] = cnt[g] / ss[g * c1 + c];
            }
        }
        for (int k = 0; k < K; k++) {
            if (nk[k] == 0) {
                for (int c = 0; c <= d; c++) {
                    int pi = prior(k, c);
                    set(k, c, nu[pi], 1 / lam[pi]);
                }
            }
        }
    }

    /** alpha = N / sum_i F_i; returns sum_i F_i (before the update). */
    double updateAlpha() {
        double s = 0;
        for (int r = 0; r < n; r++) {
            s += residual(r);
        }
        alpha = n / s;
        return s;
    }

    /** The ELBO at the current posterior (total, not per rating). */
    double elbo() {
        double s = 0;
        for (int r = 0; r < n; r++) {
            s += residual(r);
        }
        double e = n * (0.5 * Math.log(alpha) - 0.5 * LOG_2PI) - 0.5 * alpha * s;
        e -= 0.5 * (s0 + m0 * m0 - 1 - Math.log(s0));
        for (int k = 0; k < K; k++) {
            for (int c = 0; c <= d; c++) {
                int pi = prior(k, c);
                double dm = mean(k, c) - nu[pi];
                double v = var(k, c);
                e -= 0.5 * (lam[pi] * (v + dm * dm) - 1 - Math.log(lam[pi]) - Math.log(v));
            }
        }
        return e;
    }

    /** RMSE of the posterior-mean FM on the training rows. */
    double trainRmse() {
        double s = 0;
        for (int r = 0; r < n; r++) {
            int from = design.rowOff[r];
            int len = design.rowOff[r + 1] - from;
            for (int p = 0; p < len; p++) {
                int j = design.rowIdx[from + p];
                val[p] = design.rowVal[from + p];
                gmw[p] = mw[j];
                gsw[p] = 0;
                for (int f = 0; f < d; f++) {
                    gmv[p * d + f] = mv[j * d + f];
                    gsv[p * d + f] = 0;
                }
            }
            VfmMoments.moments(m0, 0, gmw, gsw, gmv, gsv, d, val, len, out);
            double e = y[r] - out[0];
            s += e * e;
        }
        return Math.sqrt(s / Math.max(1, n));
    }

    /** The posterior as it stands, in fresh float arrays (regression). */
    VfmPosterior posterior() {
        float[] fmw = new float[K];
        float[] fsw = new float[K];
        float[] fmv = new float[K * d];
        float[] fsv = new float[K * d];
        for (int k = 0; k < K; k++) {
            fmw[k] = (float) mw[k];
            fsw[k] = (float) sw[k];
        }
        for (int j = 0; j < K * d; j++) {
            fmv[j] = (float) mv[j];
            fsv[j] = (float) sv[j];
        }
        return new VfmPosterior(false, d, m0, s0, fmw, fsw, fmv, fsv, alpha, nu.clone(), lam.clone());
    }
}
