package org.varec.model.vb;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The pieces of {@link VbmfTrainer}'s sweep that a distributed trainer (varec-spark) needs, so that
 * it runs core's own code instead of a copy: the row update ({@link RowPosterior}, eqs (V1)-(V4)) on
 * the executors, and on the driver the hyper-parameter updates (H0)-(H4) and the ELBO (E) from
 * statistics summed over the cluster.
 *
 * <p>A sweep: users' rows from the items' ({@link Rows#update}), items' rows from the users', with
 * each block adding its share of the statistics ({@link Rows#addRowMoments}, {@link Rows#addRating});
 * the driver sums the blocks' {@link #statsLength} doubles and calls {@link #finishSweep}, which
 * updates the hyper-parameters exactly as {@link VbmfTrainer#updateHyper} and returns the ELBO.
 *
 * <p>Diagonal ({@code K} variances per row) or full covariances ({@code K x K} row-major per row, as
 * core stores them; a distributed trainer may ship only the upper triangle, {@link #pack}/{@link #unpack}).
 */
public final class VbmfDistributed {
    private final VbmfTrainer trainer;
    private final VbmfTrainer.State s;

    /** Starts from the config's initial hyper-parameters and offset {@code mu} (the training mean). */
    public VbmfDistributed(VbmfConfig config, double mu) {
        this.trainer = new VbmfTrainer(config);
        this.s = new VbmfTrainer.State(config.rank(), config.fullCovariance(), 0, 0, mu);
        trainer.initHyper(s);
    }

    /** The hyper-parameter state of a trained model (offset, noise and prior precisions), e.g. to re-export an import. */
    public static VbmfDistributed of(VbmfModel m, VbmfConfig config) {
        if (m.rank() != config.rank() || m.fullCovariance() != config.fullCovariance()) {
            throw new IllegalArgumentException("model (rank " + m.rank() + ", full " + m.fullCovariance()
                    + ") does not match its config (rank " + config.rank() + ", full " + config.fullCovariance() + ")");
        }
        VbmfDistributed d = new VbmfDistributed(config, m.globalMean());
        d.s.lambda = m.lambda();
        d.s.gammaU = m.gammaUsers();
        d.s.gammaV = m.gammaItems();
        d.s.priorU.set(m.priorU().mean, m.priorU().prec);
        d.s.priorV.set(m.priorV().mean, m.priorV().prec);
        return d;
    }

    /** Floats of covariance per row as core stores it: {@code k} (diagonal) or {@code k*k} (full). */
    public static int covLength(int k, boolean full) {
        return full ? k * k : k;
    }

    /** Floats of covariance per row message: {@code k} (diagonal) or the upper triangle {@code k(k+1)/2} (full). */
    public static int packedLength(int k, boolean full) {
        return full ? k * (k + 1) / 2 : k;
    }

    /** Copies a row's covariance ({@link #covLength} floats) as its message form ({@link #packedLength}: upper triangle, row by row). */
    public static void pack(int k, boolean full, float[] cov, int co, float[] out, int oo) {
        if (!full) {
            System.arraycopy(cov, co, out, oo, k);
            return;
        }
        int p = oo;
        for (int x = 0; x < k; x++) {
            for (int y = x; y < k; y++) {
                out[p++] = cov[co + x * k + y];
            }
        }
    }

    /** The inverse of {@link #pack}: the full symmetric matrix from its upper triangle. */
    public static void unpack(int k, boolean full, float[] packed, int po, float[] cov, int co) {
        if (!full) {
            System.arraycopy(packed, po, cov, co, k);
            return;
        }
        int p = po;
        for (int x = 0; x < k; x++) {
            for (int y = x; y < k; y++) {
                float v = packed[p++];
                cov[co + x * k + y] = v;
                cov[co + y * k + x] = v;
            }
        }
    }

    /** The hyper-parameters of the next sweep, small and serializable (shipped to the executors). */
    public record Hyper(int k, boolean full, double mu, double lambda, double gammaU, double gammaV, double[] precU,
                        double[] meanU, double[] precV, double[] meanV) implements Serializable {
    }

    public Hyper hyper() {
        return new Hyper(s.k, s.full, s.mu, s.lambda, s.gammaU, s.gammaV, s.priorU.prec.clone(), s.priorU.mean.clone(),
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
     * A model of the final posteriors (arrays taken, not copied; rows in the caller's dense order;
     * covariances {@link #covLength} floats per row), with the current hyper-parameters.
     */
    public VbmfModel model(float[] um, float[] uv, float[] ubm, float[] ubv, float[] vm, float[] vv, float[] vbm,
                           float[] vbv) {
        return new VbmfModel(s.k, s.full, s.mu, um, uv, ubm, ubv, vm, vv, vbm, vbv, s.lambda, s.priorU.copy(),
                s.priorV.copy(), s.gammaU, s.gammaV);
    }

    /**
     * {@code Var[u.v]} of two independent rows with diagonal covariances (means {@code ma}, {@code mb},
     * variances {@code sa}, {@code sb} at the given offsets): the predictive variance's factor term.
     */
    public static double varDot(int k, float[] ma, int ao, float[] sa, int sao, float[] mb, int bo, float[] sb, int sbo) {
        return RowPosterior.varDot(k, false, ma, ao, sa, sao, mb, bo, sb, sbo);
    }

    /** {@link #varDot} with diagonal or full ({@code k x k} row-major) covariances. */
    public static double varDot(int k, boolean full, float[] ma, int ao, float[] sa, int sao, float[] mb, int bo,
                                float[] sb, int sbo) {
        return RowPosterior.varDot(k, full, ma, ao, sa, sao, mb, bo, sb, sbo);
    }

    /** Executor-side row updates and statistics for one block (not thread-safe; one per block). */
    public static final class Rows {
        private final Hyper h;
        private final RowPosterior rp;
        private final Prior priorU;
        private final Prior priorV;
        private double[] work;

        public Rows(Hyper h) {
            this.h = h;
            this.rp = new RowPosterior(h.k(), h.full());
            this.priorU = new Prior(h.k());
            this.priorU.set(h.meanU(), h.precU());
            this.priorV = new Prior(h.k());
            this.priorV.set(h.meanV(), h.precV());
        }

        /**
         * CAVI update of one row (eqs (V1)-(V4)) from the other side's means {@code om}, variances
         * {@code ov} ({@link #covLength} per row) and bias means {@code ob}: writes mean and covariance
         * ({@link #covLength} floats), returns the bias mean (its variance is {@link #biasVariance}).
         * With no ratings ({@code from == to}) this is the prior's row, core's row of an unknown id.
         */
        public double update(boolean user, float[] om, float[] ov, float[] ob, int[] idx, float[] val, int from, int to,
                             float[] outM, int mOff, float[] outV, int vOff) {
            return rp.update(om, ov, ob, idx, val, from, to, h.mu(), h.lambda(), user ? priorU : priorV,
                    user ? h.gammaU() : h.gammaV(), outM, mOff, outV, vOff);
        }

        public double biasVariance(boolean user, int ratings) {
            return 1.0 / ((user ? h.gammaU() : h.gammaV()) + h.lambda() * ratings);
        }

        /**
         * Adds one row's E[x x^T] (lower triangle), E[x], log|S| and E[b^2], log Var[b] to its side's slots
         * (covariance {@code v} at {@code vo}, {@link #covLength} floats; as core's {@code rowMoments}).
         */
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
                if (!h.full()) {
                    st[o + x * k + x] += v[vo + x];
                    st[o + k * k + k] += Math.log(v[vo + x]);
                }
            }
            if (h.full()) {
                if (work == null) {
                    work = new double[k * k];
                }
                for (int x = 0; x < k; x++) {
                    for (int y = 0; y <= x; y++) {
                        st[o + x * k + y] += v[vo + x * k + y];
                    }
                }
                for (int p = 0; p < k * k; p++) {
                    work[p] = v[vo + p];
                }
                if (!org.varec.linalg.Cholesky.factor(work, k)) {
                    throw new ArithmeticException("posterior covariance of a row is not positive definite");
                }
                for (int x = 0; x < k; x++) {
                    st[o + k * k + k] += 2 * Math.log(work[x * k + x]);
                }
            }
            st[o + k * k + k + 1] += bm * bm + bv;
            st[o + k * k + k + 2] += Math.log(bv);
        }

        /**
         * Adds one rating's terms: squared error of the means, E_q[(r - prediction)^2] and the residual
         * (user means at {@code am[ao..]}, covariance at {@code av[avo..]}, bias mean and variance; the
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
            st[1] += e * e + abv + bbv + RowPosterior.varDot(k, h.full(), am, ao, av, avo, bm, bo, bv, bvo);
            st[2] += e;
            st[3] += 1;
        }
    }
}
