package org.varec.model.vb;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The pieces of {@link VbmfTrainer}'s sweep that a distributed trainer (varec-spark) needs, so that
 * it runs core's own code instead of a copy: the row update ({@link RowPosterior}, eqs (V1)-(V4)) on
 * the executors, and on the driver the hyper-parameter updates (H0)-(H4) and the ELBO (E) from
 * statistics summed over the cluster. Diagonal covariances only (K variances per row).
 *
 * <p>A sweep: users' rows from the items' ({@link Rows#update}), items' rows from the users', with
 * each block adding its share of the statistics ({@link Rows#addRowMoments}, {@link Rows#addRating});
 * the driver sums the blocks' {@link #statsLength} doubles and calls {@link #finishSweep}, which
 * updates the hyper-parameters exactly as {@link VbmfTrainer#updateHyper} and returns the ELBO.
 */
public final class VbmfDistributed {
    private final VbmfTrainer trainer;
    private final VbmfTrainer.State s;

    /** Starts from the config's initial hyper-parameters and offset {@code mu} (the training mean). */
    public VbmfDistributed(VbmfConfig config, double mu) {
        if (config.fullCovariance()) {
            throw new IllegalArgumentException("covariance=full is not distributed yet; use covariance=diagonal");
        }
        this.trainer = new VbmfTrainer(config);
        this.s = new VbmfTrainer.State(config.rank(), false, 0, 0, mu);
        trainer.initHyper(s);
    }

    /** The hyper-parameters of the next sweep, small and serializable (shipped to the executors). */
    public record Hyper(int k, double mu, double lambda, double gammaU, double gammaV, double[] precU,
                        double[] meanU, double[] precV, double[] meanV) implements Serializable {
    }

    public Hyper hyper() {
        return new Hyper(s.k, s.mu, s.lambda, s.gammaU, s.gammaV, s.priorU.prec.clone(), s.priorU.mean.clone(),
                s.priorV.prec.clone(), s.priorV.mean.clone());
    }

    /** Doubles of one block's statistics: sse, esq, sumE, n, then per side mom (k*k), sum (k), logDet, sqB, logVarB. */
    public static int statsLength(int k) {
        return 4 + 2 * (k * k + k + 3);
    }

    /**
     * Applies (H0)-(H4) from the cluster-wide statistics (summed {@link Rows} partials) and returns
     * the ELBO after them, as core's sweep reports it.
     */
    public double finishSweep(double[] st, int numUsers, int numItems) {
        int k = s.k;
        int kk = k * k;
        int o = 4;
        double[] momU = Arrays.copyOfRange(st, o, o + kk);
        double[] sumU = Arrays.copyOfRange(st, o + kk, o + kk + k);
        double ldU = st[o + kk + k];
        double sqBU = st[o + kk + k + 1];
        double lvBU = st[o + kk + k + 2];
        o += kk + k + 3;
        double[] momV = Arrays.copyOfRange(st, o, o + kk);
        double[] sumV = Arrays.copyOfRange(st, o + kk, o + kk + k);
        double ldV = st[o + kk + k];
        double sqBV = st[o + kk + k + 1];
        double lvBV = st[o + kk + k + 2];
        symmetrise(momU, k);
        symmetrise(momV, k);
        VbmfTrainer.Stats stats = new VbmfTrainer.Stats(st[0], st[1], st[2], (long) st[3], momU, sumU, ldU, momV, sumV,
                ldV, sqBU, lvBU, sqBV, lvBV, numUsers, numItems);
        lastRmse = Math.sqrt(stats.sse() / Math.max(1, stats.n()));
        return VbmfTrainer.elbo(trainer.updateHyper(stats, s), s);
    }

    private double lastRmse;

    /** Train RMSE of the posterior means at the last {@link #finishSweep} (before its mu update). */
    public double lastTrainRmse() {
        return lastRmse;
    }

    private static void symmetrise(double[] m, int k) {
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < x; y++) {
                m[y * k + x] = m[x * k + y];
            }
        }
    }

    /**
     * A model of the final posteriors (arrays taken, not copied; rows in the caller's dense order),
     * with the current hyper-parameters.
     */
    public VbmfModel model(float[] um, float[] uv, float[] ubm, float[] ubv, float[] vm, float[] vv, float[] vbm,
                           float[] vbv) {
        return new VbmfModel(s.k, false, s.mu, um, uv, ubm, ubv, vm, vv, vbm, vbv, s.lambda, s.priorU.copy(),
                s.priorV.copy(), s.gammaU, s.gammaV);
    }

    /**
     * {@code Var[u.v]} of two independent rows with diagonal covariances (means {@code ma}, {@code mb},
     * variances {@code sa}, {@code sb} at the given offsets): the predictive variance's factor term.
     */
    public static double varDot(int k, float[] ma, int ao, float[] sa, int sao, float[] mb, int bo, float[] sb, int sbo) {
        return RowPosterior.varDot(k, false, ma, ao, sa, sao, mb, bo, sb, sbo);
    }

    /** Executor-side row updates and statistics for one block (not thread-safe; one per block). */
    public static final class Rows {
        private final Hyper h;
        private final RowPosterior rp;
        private final Prior priorU;
        private final Prior priorV;

        public Rows(Hyper h) {
            this.h = h;
            this.rp = new RowPosterior(h.k(), false);
            this.priorU = new Prior(h.k());
            this.priorU.set(h.meanU(), h.precU());
            this.priorV = new Prior(h.k());
            this.priorV.set(h.meanV(), h.precV());
        }

        /**
         * CAVI update of one row (eqs (V1)-(V4)) from the other side's means {@code om}, variances
         * {@code ov} and bias means {@code ob}: writes mean and variances, returns the bias mean (its
         * variance is {@link #biasVariance}).
         */
        public double update(boolean user, float[] om, float[] ov, float[] ob, int[] idx, float[] val, int from, int to,
                             float[] outM, int mOff, float[] outV, int vOff) {
            return rp.update(om, ov, ob, idx, val, from, to, h.mu(), h.lambda(), user ? priorU : priorV,
                    user ? h.gammaU() : h.gammaV(), outM, mOff, outV, vOff);
        }

        public double biasVariance(boolean user, int ratings) {
            return 1.0 / ((user ? h.gammaU() : h.gammaV()) + h.lambda() * ratings);
        }

        /** Adds one row's E[x x^T] (lower triangle), E[x], log|S| and E[b^2], log Var[b] to its side's slots. */
        public void addRowMoments(boolean user, double[] st, float[] m, int mo, float[] v, int vo, double bm,
                                  double bv) {
            int k = h.k();
            int o = 4 + (user ? 0 : k * k + k + 3);
            for (int x = 0; x < k; x++) {
                double mx = m[mo + x];
                st[o + k * k + x] += mx;
                for (int y = 0; y <= x; y++) {
                    st[o + x * k + y] += mx * m[mo + y];
                }
                st[o + x * k + x] += v[vo + x];
                st[o + k * k + k] += Math.log(v[vo + x]);
            }
            st[o + k * k + k + 1] += bm * bm + bv;
            st[o + k * k + k + 2] += Math.log(bv);
        }

        /**
         * Adds one rating's terms: squared error of the means, E_q[(r - prediction)^2] and the residual
         * (user means at {@code am[ao..]}, variances at {@code av[avo..]}, bias mean and variance; the
         * same for the item, {@code b}; as {@link VbmfTrainer#stats}).
         */
        public void addRating(double[] st, float r, float[] am, int ao, float[] av, int avo, double abm, double abv,
                              float[] bm, int bo, float[] bv, int bvo, double bbm, double bbv) {
            int k = h.k();
            double e = r - h.mu() - abm - bbm;
            for (int x = 0; x < k; x++) {
                e -= (double) am[ao + x] * bm[bo + x];
            }
            st[0] += e * e;
            st[1] += e * e + abv + bbv + RowPosterior.varDot(k, false, am, ao, av, avo, bm, bo, bv, bvo);
            st[2] += e;
            st[3] += 1;
        }
    }
}
