package org.varec.model.vb;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.varec.data.RatingMatrix;
import org.varec.linalg.Cholesky;
import org.varec.linalg.OuterTable;
import org.varec.model.Trainer;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.StopRule;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Mean-field variational Bayes for matrix factorization with biases by coordinate ascent (CAVI),
 * "Matrix factorization in action", appendix eqs (3)-(5), extended with Gaussian posteriors of the
 * biases, ARD or learned Gaussian factor priors and empirical-Bayes hyper-parameters
 * (docs/vbmf.md).
 *
 * <p>One sweep: every user's {@code q(u) q(b_u)} given the items ({@link RowPosterior}, parallel
 * over fixed row blocks), then every item's given the users, then one pass over the ratings for
 * the sufficient statistics (expected squared errors, second moments, entropies), then the
 * closed-form updates of mu and of the hyper-parameters (lambda, factor priors, gamma_u, gamma_i;
 * each optional), then the ELBO. Every step maximises the ELBO exactly over its block, so the ELBO
 * never decreases (up to the float rounding of the stored posteriors). Blocks are fixed and partial
 * sums are added in block order: the result depends on the seed only, not on the thread count.
 *
 * <p>The shared loop ({@link org.varec.train.Training}) drives it: {@link #start} makes a run, one
 * epoch is one sweep, reporting {@code elbo}, {@code train_rmse} and {@code lambda}. The run ends
 * after {@code iterations} sweeps, when the caller's stop rule says so, or by the run's own
 * convergence rule {@code |dELBO| < tol |ELBO|} ({@link EpochTrainer#convergence}).
 */
public final class VbmfTrainer implements Trainer<VbmfModel> {
    static final int BLOCK = 128;
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private final VbmfConfig config;

    public VbmfTrainer(VbmfConfig config) {
        this.config = config;
    }

    public VbmfConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "vbmf";
    }

    /** Initialises the posteriors from {@code seed} ({@link #initialize}); the sweeps run on {@code pool}. */
    @Override
    public EpochTrainer<VbmfModel> start(TrainingData data, long seed, Parallel pool) {
        return new Run(data.ratings(), seed, pool);
    }

    /**
     * One CAVI run: an epoch is one sweep (users, items, statistics, hyper-parameters); it reports
     * the {@code elbo} (eq (E)), the {@code train_rmse} of the posterior-mean prediction and the
     * noise precision {@code lambda}. Its convergence rule is the ELBO's relative change.
     */
    private final class Run implements EpochTrainer<VbmfModel> {
        private final RatingMatrix m;
        private final State s;
        private final Parallel par;

        Run(RatingMatrix m, long seed, Parallel pool) {
            this.m = m;
            this.s = initialize(m, seed);
            this.par = pool;
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            updateUsers(par, m, s);
            updateItems(par, m, s);
            Stats st = updateHyper(stats(par, m, s), s);
            figures.put("elbo", elbo(st, s));
            figures.put("train_rmse", Math.sqrt(st.sse / Math.max(1, st.n)));
            figures.put("lambda", s.lambda);
        }

        /** The current posteriors (sharing the arrays: valid until the next sweep). */
        @Override
        public VbmfModel snapshot() {
            return s.model();
        }

        /**
         * Converged when {@code |elbo - previous elbo| < tol * |elbo|} between the last two sweeps
         * (never with {@code tol = 0}).
         */
        @Override
        public StopRule convergence() {
            double tol = config.tol();
            if (tol <= 0) {
                return StopRule.NEVER;
            }
            return history -> {
                int n = history.size();
                if (n < 2) {
                    return false;
                }
                double previous = history.get(n - 2).figure("elbo");
                double elbo = history.get(n - 1).figure("elbo");
                return Math.abs(elbo - previous) < tol * Math.abs(elbo);
            };
        }
    }

    /** The variational parameters and hyper-parameters during training (updated in place). */
    static final class State {
        final int k;
        final boolean full;
        final int kv; // floats of covariance per row: k (diagonal) or k*k (full)
        double mu;
        final float[] um;
        final float[] uv;
        final float[] ubm;
        final float[] ubv;
        final float[] vm;
        final float[] vv;
        final float[] vbm;
        final float[] vbv;
        final Prior priorU;
        final Prior priorV;
        /** The other side's table of second moments m m^T + S for each half-step where it pays. */
        final OuterTable table;
        double lambda;
        double gammaU;
        double gammaV;

        State(int k, boolean full, int nu, int ni, double mu) {
            this.k = k;
            this.full = full;
            this.kv = full ? k * k : k;
            this.mu = mu;
            this.table = new OuterTable(k);
            um = new float[nu * k];
            uv = new float[nu * kv];
            ubm = new float[nu];
            ubv = new float[nu];
            vm = new float[ni * k];
            vv = new float[ni * kv];
            vbm = new float[ni];
            vbv = new float[ni];
            priorU = new Prior(k);
            priorV = new Prior(k);
        }

        int numUsers() {
            return ubm.length;
        }

        int numItems() {
            return vbm.length;
        }

        /** The model of the current posteriors (sharing the arrays; the priors are copied). */
        VbmfModel model() {
            return new VbmfModel(k, full, mu, um, uv, ubm, ubv, vm, vv, vbm, vbv, lambda, priorU.copy(),
                    priorV.copy(), gammaU, gammaV);
        }
    }

    /** Means ~ N(0, init_stdev^2) from one stream of the seed (users, then items); variances init_stdev^2. */
    State initialize(RatingMatrix m, long seed) {
        int k = config.rank();
        State s = new State(k, config.fullCovariance(), m.numUsers(), m.numItems(), m.nnz() == 0 ? 0 : m.mean());
        SplittableRandom rnd = new SplittableRandom(seed);
        double sd = config.initStdev();
        for (int p = 0; p < s.um.length; p++) {
            s.um[p] = (float) (sd * org.varec.stats.Normal.boxMuller(rnd));
        }
        for (int p = 0; p < s.vm.length; p++) {
            s.vm[p] = (float) (sd * org.varec.stats.Normal.boxMuller(rnd));
        }
        float var = (float) (sd * sd);
        initVariances(s.uv, s.numUsers(), k, s.full, var);
        initVariances(s.vv, s.numItems(), k, s.full, var);
        Arrays.fill(s.ubv, var);
        Arrays.fill(s.vbv, var);
        initHyper(s);
        return s;
    }

    /** The config's starting hyper-parameters: isotropic ARD priors tau, noise lambda, bias precisions gamma. */
    void initHyper(State s) {
        double[] tau = new double[s.k];
        Arrays.fill(tau, config.tau());
        s.priorU.setArd(tau);
        s.priorV.setArd(tau);
        s.lambda = config.lambda();
        s.gammaU = config.gamma();
        s.gammaV = config.gamma();
    }

    private static void initVariances(float[] v, int rows, int k, boolean full, float var) {
        if (!full) {
            Arrays.fill(v, var);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int x = 0; x < k; x++) {
                v[r * k * k + x * k + x] = var;
            }
        }
    }


    /** CAVI update of every user's q(u) q(b_u) given the items (eq (V1)-(V4)). */
    static void updateUsers(Parallel par, RatingMatrix m, State s) {
        updateSide(par, m.userOffsets(), m.userItems(), m.userValues(), s, s.vm, s.vv, s.vbm, s.um, s.uv, s.ubm,
                s.ubv, s.priorU, s.gammaU);
    }

    /** CAVI update of every item's q(v) q(b_i) given the users. */
    static void updateItems(Parallel par, RatingMatrix m, State s) {
        updateSide(par, m.itemOffsets(), m.itemUsers(), m.itemValues(), s, s.um, s.uv, s.ubm, s.vm, s.vv, s.vbm,
                s.vbv, s.priorV, s.gammaV);
    }

    /** Updates rows {@code [from, to)} of one side only (used by the block-maximiser tests). */
    static void updateRows(RatingMatrix m, State s, boolean users, int from, int to) {
        RowPosterior rp = new RowPosterior(s.k, s.full);
        if (users) {
            updateRange(rp, null, m.userOffsets(), m.userItems(), m.userValues(), s, s.vm, s.vv, s.vbm, s.um, s.uv,
                    s.ubm, s.ubv, s.priorU, s.gammaU, from, to);
        } else {
            updateRange(rp, null, m.itemOffsets(), m.itemUsers(), m.itemValues(), s, s.um, s.uv, s.ubm, s.vm, s.vv,
                    s.vbm, s.vbv, s.priorV, s.gammaV, from, to);
        }
    }

    /**
     * Updates every row of one side in fixed blocks. Where the other side's table of second moments
     * {@code E[v v^T] = m m^T + S} fits the cache ({@link OuterTable#pays}, as in ALS), it is rebuilt
     * from the other side's posteriors and each row sums it (docs/vbmf.md, "Speed").
     */
    private static void updateSide(Parallel par, int[] off, int[] idx, float[] val, State s, float[] om, float[] ov,
                                   float[] ob, float[] tm, float[] tv, float[] tbm, float[] tbv, Prior prior,
                                   double gamma) {
        OuterTable table = OuterTable.pays(s.k, ob.length) ? s.table : null;
        if (table != null) {
            table.fill(om, ov, !s.full, ob.length, par);
        }
        par.forBlocks(tbm.length, BLOCK, (b, from, to) -> {
            RowPosterior rp = new RowPosterior(s.k, s.full);
            updateRange(rp, table, off, idx, val, s, om, ov, ob, tm, tv, tbm, tbv, prior, gamma, from, to);
        });
    }

    private static void updateRange(RowPosterior rp, OuterTable table, int[] off, int[] idx, float[] val, State s,
                                    float[] om, float[] ov, float[] ob, float[] tm, float[] tv, float[] tbm,
                                    float[] tbv, Prior prior, double gamma, int from, int to) {
        double lambda = s.lambda;
        for (int r = from; r < to; r++) {
            tbm[r] = (float) rp.update(om, table, ov, ob, idx, val, off[r], off[r + 1], s.mu, lambda, prior, gamma,
                    tm, r * s.k, tv, r * s.kv);
            tbv[r] = (float) (1.0 / (gamma + lambda * (off[r + 1] - off[r])));
        }
    }

    /**
     * Sufficient statistics of the ELBO and of the hyper-parameter updates, all from the stored
     * posteriors (so that the ELBO is a function of exactly what the model keeps).
     *
     * @param sse      sum of squared errors of the posterior-mean prediction (train RMSE)
     * @param esq      sum over ratings of E_q[(r - mu - b_u - b_i - u.v)^2]
     * @param sumE     sum of the residuals of the posterior-mean prediction
     * @param n        number of ratings
     * @param momU     sum over users of E[u u^T] = m m^T + S (k x k)
     * @param sumU     sum over users of E[u] (k)
     * @param logDetU  sum over users of log |S_u|
     * @param momV     same for items
     * @param sumV     same for items
     * @param logDetV  same for items
     * @param sqBU     sum over users of E[b_u^2]
     * @param logVarBU sum over users of log Var[b_u]
     * @param sqBV     sum over items of E[b_i^2]
     * @param logVarBV sum over items of log Var[b_i]
     */
    record Stats(double sse, double esq, double sumE, long n, double[] momU, double[] sumU, double logDetU, double[] momV,
                 double[] sumV, double logDetV, double sqBU, double logVarBU, double sqBV, double logVarBV,
                 int numUsers, int numItems) {
    }

    static Stats stats(Parallel par, RatingMatrix m, State s) {
        final int k = s.k;
        final int nu = s.numUsers();
        int blocks = Parallel.numBlocks(nu, BLOCK);
        double[][] part = new double[blocks][3];
        int[] off = m.userOffsets();
        int[] items = m.userItems();
        float[] vals = m.userValues();
        par.forBlocks(nu, BLOCK, (b, from, to) -> {
            double sse = 0;
            double esq = 0;
            double se = 0;
            // full mode: per user, the lower triangles of A = m m^T + S and of S, off-diagonal doubled, so
            // that Var[u.v] = <S_v, A_u> - ... costs one pass over a triangle per rating (see varFull)
            double[] au = s.full ? new double[k * k] : null;
            double[] su = s.full ? new double[k * k] : null;
            for (int u = from; u < to; u++) {
                int ub = u * k;
                double base = s.mu + s.ubm[u];
                double bvar = s.ubv[u];
                if (s.full) {
                    int cb = u * s.kv;
                    for (int x = 0; x < k; x++) {
                        for (int y = 0; y <= x; y++) {
                            double w = x == y ? 1 : 2;
                            double sxy = s.uv[cb + x * k + y];
                            su[x * k + y] = w * sxy;
                            au[x * k + y] = w * (sxy + (double) s.um[ub + x] * s.um[ub + y]);
                        }
                    }
                }
                for (int p = off[u]; p < off[u + 1]; p++) {
                    int i = items[p];
                    int ib = i * k;
                    double e = vals[p] - base - s.vbm[i];
                    for (int x = 0; x < k; x++) {
                        e -= (double) s.um[ub + x] * s.vm[ib + x];
                    }
                    sse += e * e;
                    se += e;
                    double var = s.full ? varFull(k, au, su, s.vm, ib, s.vv, i * s.kv)
                            : RowPosterior.varDot(k, false, s.um, ub, s.uv, u * k, s.vm, ib, s.vv, ib);
                    esq += e * e + bvar + s.vbv[i] + var;
                }
            }
            part[b][0] = sse;
            part[b][1] = esq;
            part[b][2] = se;
        });
        double sse = 0;
        double esq = 0;
        double se = 0;
        for (double[] p : part) {
            sse += p[0];
            esq += p[1];
            se += p[2];
        }
        double[] momU = new double[k * k];
        double[] sumU = new double[k];
        double[] momV = new double[k * k];
        double[] sumV = new double[k];
        double ldU = rowMoments(par, s, s.um, s.uv, nu, momU, sumU);
        double ldV = rowMoments(par, s, s.vm, s.vv, s.numItems(), momV, sumV);
        double[] bu = biasMoments(s.ubm, s.ubv);
        double[] bi = biasMoments(s.vbm, s.vbv);
        return new Stats(sse, esq, se, m.nnz(), momU, sumU, ldU, momV, sumV, ldV, bu[0], bu[1], bi[0], bi[1], nu,
                s.numItems());
    }

    /**
     * Var[u.v] = m_u^T S_v m_u + tr(S_u S_v) + m_v^T S_u m_v = <S_v, A_u> + m_v^T S_u m_v with
     * A_u = m_u m_u^T + S_u, over lower triangles with doubled off-diagonals ({@code au}, {@code su}).
     */
    private static double varFull(int k, double[] au, double[] su, float[] vm, int vo, float[] vv, int so) {
        double s = 0;
        for (int x = 0; x < k; x++) {
            double vx = vm[vo + x];
            int row = x * k;
            int srow = so + row;
            for (int y = 0; y <= x; y++) {
                s += vv[srow + y] * au[row + y] + su[row + y] * vx * vm[vo + y];
            }
        }
        return s;
    }

    /** {sum E[b^2], sum log Var[b]} over one side. */
    private static double[] biasMoments(float[] mean, float[] var) {
        double sq = 0;
        double lv = 0;
        for (int r = 0; r < mean.length; r++) {
            double m = mean[r];
            sq += m * m + var[r];
            lv += Math.log(var[r]);
        }
        return new double[] {sq, lv};
    }

    /**
     * Adds sum_r E[x_r x_r^T] into mom and sum_r E[x_r] into sum; returns sum_r log|S_r| (block
     * partials added in block order).
     */
    private static double rowMoments(Parallel par, State s, float[] mean, float[] cov, int rows, double[] mom,
                                     double[] sum) {
        final int k = s.k;
        final int kk = k * k;
        int blocks = Parallel.numBlocks(rows, BLOCK);
        double[][] part = new double[blocks][kk + k + 1];
        par.forBlocks(rows, BLOCK, (b, from, to) -> {
            double[] acc = part[b];
            double[] work = s.full ? new double[kk] : null;
            double ld = 0;
            for (int r = from; r < to; r++) {
                int mb = r * k;
                int cb = r * s.kv;
                for (int x = 0; x < k; x++) {
                    double mx = mean[mb + x];
                    acc[kk + x] += mx;
                    for (int y = 0; y <= x; y++) {
                        acc[x * k + y] += mx * mean[mb + y];
                    }
                }
                if (s.full) {
                    for (int x = 0; x < k; x++) {
                        for (int y = 0; y <= x; y++) {
                            acc[x * k + y] += cov[cb + x * k + y];
                        }
                    }
                    for (int p = 0; p < kk; p++) {
                        work[p] = cov[cb + p];
                    }
                    if (!Cholesky.factor(work, k)) {
                        throw new ArithmeticException("posterior covariance of row " + r + " is not positive definite");
                    }
                    for (int x = 0; x < k; x++) {
                        ld += 2 * Math.log(work[x * k + x]);
                    }
                } else {
                    for (int x = 0; x < k; x++) {
                        double v = cov[cb + x];
                        acc[x * k + x] += v;
                        ld += Math.log(v);
                    }
                }
            }
            acc[kk + k] = ld;
        });
        double ld = 0;
        for (double[] p : part) {
            for (int x = 0; x < k; x++) {
                for (int y = 0; y <= x; y++) {
                    mom[x * k + y] += p[x * k + y];
                }
                sum[x] += p[kk + x];
            }
            ld += p[kk + k];
        }
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < x; y++) {
                mom[y * k + x] = mom[x * k + y];
            }
        }
        return ld;
    }

    /**
     * Closed-form empirical-Bayes updates (docs/vbmf.md, eqs (H0)-(H4)), each the exact maximiser
     * of the ELBO over its hyper-parameters given the posteriors; skipped when fixed by the config.
     * Returns the statistics after the update of mu (the others do not change them).
     */
    Stats updateHyper(Stats st, State s) {
        if (config.learnMu() && st.n > 0) {
            // (H0) mu += mean residual: only the likelihood depends on mu; the statistics shift exactly
            double d = st.sumE / st.n;
            s.mu += d;
            st = new Stats(st.sse - st.sumE * d, st.esq - st.sumE * d, 0, st.n, st.momU, st.sumU, st.logDetU,
                    st.momV, st.sumV, st.logDetV, st.sqBU, st.logVarBU, st.sqBV, st.logVarBV, st.numUsers,
                    st.numItems);
        }
        if (config.learnLambda() && st.n > 0 && st.esq > 0) {
            s.lambda = st.n / st.esq;
        }
        if (config.learnTau()) {
            updatePrior(s.priorU, st.momU, st.sumU, st.numUsers);
            updatePrior(s.priorV, st.momV, st.sumV, st.numItems);
        }
        if (config.learnGamma()) {
            if (st.numUsers > 0) {
                s.gammaU = st.numUsers / st.sqBU;
            }
            if (st.numItems > 0) {
                s.gammaV = st.numItems / st.sqBV;
            }
        }
        return st;
    }

    /** ARD: tau_k = rows / sum E[u_k^2]; gaussian: m0 = mean E[u], P = (mean E[(u - m0)(u - m0)^T])^-1. */
    private void updatePrior(Prior p, double[] mom, double[] sum, int rows) {
        if (rows == 0) {
            return;
        }
        int k = p.k;
        if (!config.gaussianPrior()) {
            double[] tau = new double[k];
            for (int x = 0; x < k; x++) {
                tau[x] = rows / mom[x * k + x];
            }
            p.setArd(tau);
            return;
        }
        double[] m0 = new double[k];
        for (int x = 0; x < k; x++) {
            m0[x] = sum[x] / rows;
        }
        double[] c = new double[k * k];
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                c[x * k + y] = mom[x * k + y] / rows - m0[x] * m0[y];
            }
        }
        if (!Cholesky.factor(c, k)) {
            return; // numerically singular scatter: keep the previous prior
        }
        double[] prec = new double[k * k];
        double[] col = new double[k];
        for (int x = 0; x < k; x++) {
            Arrays.fill(col, 0);
            col[x] = 1;
            Cholesky.solveFactored(c, k, col);
            for (int y = 0; y < k; y++) {
                prec[y * k + x] = col[y];
            }
        }
        for (int x = 0; x < k; x++) { // symmetrise
            for (int y = 0; y < x; y++) {
                double a = 0.5 * (prec[x * k + y] + prec[y * k + x]);
                prec[x * k + y] = a;
                prec[y * k + x] = a;
            }
        }
        p.set(m0, prec);
    }

    /**
     * The full ELBO, eq (E): expected log likelihood with its variance terms, minus the KL of every
     * q factor against its prior (log-determinants and log-precision terms included).
     */
    static double elbo(Stats st, State s) {
        int k = s.k;
        double e = 0.5 * st.n * (Math.log(s.lambda) - LOG_2PI) - 0.5 * s.lambda * st.esq;
        e += priorTerm(s.priorU, st.momU, st.sumU, st.logDetU, st.numUsers, k);
        e += priorTerm(s.priorV, st.momV, st.sumV, st.logDetV, st.numItems, k);
        e += 0.5 * (st.numUsers * Math.log(s.gammaU) - s.gammaU * st.sqBU + st.logVarBU + st.numUsers);
        e += 0.5 * (st.numItems * Math.log(s.gammaV) - s.gammaV * st.sqBV + st.logVarBV + st.numItems);
        return e;
    }

    /**
     * -sum_r KL(q(x_r) || N(m0, P^-1)) = 1/2 [rows log|P| - tr(P C) + sum_r log|S_r| + rows K] with
     * C = sum_r E[(x_r - m0)(x_r - m0)^T] = mom - m0 sum^T - sum m0^T + rows m0 m0^T.
     */
    private static double priorTerm(Prior p, double[] mom, double[] sum, double logDet, int rows, int k) {
        double tr = 0;
        double[] m0 = p.mean;
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                double c = mom[x * k + y] - m0[x] * sum[y] - sum[x] * m0[y] + rows * m0[x] * m0[y];
                tr += p.prec[x * k + y] * c;
            }
        }
        return 0.5 * (rows * p.logDet() - tr + logDet + (double) rows * k);
    }

    /** The ELBO of a state, computed from scratch (tests). */
    static double elbo(Parallel par, RatingMatrix m, State s) {
        return elbo(stats(par, m, s), s);
    }
}
