package org.varec.model.vb;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.varec.data.RatingMatrix;
import org.varec.eval.RegressionMetrics;
import org.varec.linalg.Cholesky;
import org.varec.model.Trainer;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingRun;
import org.varec.util.Parallel;

/**
 * Mean-field variational Bayes for matrix factorization with biases by coordinate ascent (CAVI),
 * "Matrix factorization in action", appendix eqs (3)-(5), extended with Gaussian posteriors of the
 * biases, per-dimension ARD prior precisions and empirical-Bayes hyper-parameters (docs/vbmf.md).
 *
 * <p>One sweep: every user's {@code q(u) q(b_u)} given the items ({@link RowPosterior}, parallel
 * over fixed row blocks), then every item's given the users, then one pass over the ratings for
 * the sufficient statistics (expected squared errors, second moments, entropies), then the
 * closed-form hyper-parameter updates (lambda, tau_u, tau_v, gamma; each optional) and the ELBO.
 * Each of the four steps maximises the ELBO exactly over its block, so the ELBO never decreases
 * (up to the float rounding of the stored posteriors). Training stops after {@code iterations}
 * sweeps, when {@code |dELBO|/|ELBO| < tol}, or when the context's stop rule says so. Blocks are
 * fixed and partial sums are added in block order: the result depends on the seed only.
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
    public VbmfModel fit(TrainingData data, TrainingContext ctx) {
        RatingMatrix m = data.ratings();
        State s = initialize(m, ctx.seed());
        TrainingRun run = new TrainingRun("vbmf", config.iterations(), ctx);
        try (Parallel par = new Parallel(ctx.threads())) {
            double prev = Double.NaN;
            for (int it = 1; it <= config.iterations(); it++) {
                long t0 = System.nanoTime();
                updateUsers(par, m, s);
                updateItems(par, m, s);
                Stats st = stats(par, m, s);
                updateHyper(st, s);
                double elbo = elbo(st, s);
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochReport.Builder rep = EpochReport.builder(it);
                rep.put("elbo", elbo);
                rep.put("train_rmse", Math.sqrt(st.sse / Math.max(1, st.n)));
                if (ctx.validation() != null && ctx.validation().size() > 0) {
                    rep.put("val_rmse", RegressionMetrics.rmse(s.model(run), ctx.validation(), data.scale()));
                }
                rep.put("lambda", s.lambda);
                boolean stop = run.epoch(rep.build(seconds));
                boolean converged = config.tol() > 0 && !Double.isNaN(prev)
                        && Math.abs(elbo - prev) < config.tol() * Math.abs(elbo);
                prev = elbo;
                if (stop || converged) {
                    break;
                }
            }
        }
        run.finish();
        return s.model(run);
    }

    /** The variational parameters and hyper-parameters during training (updated in place). */
    static final class State {
        final int k;
        final boolean full;
        final int kv; // floats of covariance per row: k (diagonal) or k*k (full)
        final double mu;
        final float[] um;
        final float[] uv;
        final float[] ubm;
        final float[] ubv;
        final float[] vm;
        final float[] vv;
        final float[] vbm;
        final float[] vbv;
        final double[] tauU;
        final double[] tauV;
        double lambda;
        double gamma;

        State(int k, boolean full, int nu, int ni, double mu) {
            this.k = k;
            this.full = full;
            this.kv = full ? k * k : k;
            this.mu = mu;
            um = new float[nu * k];
            uv = new float[nu * kv];
            ubm = new float[nu];
            ubv = new float[nu];
            vm = new float[ni * k];
            vv = new float[ni * kv];
            vbm = new float[ni];
            vbv = new float[ni];
            tauU = new double[k];
            tauV = new double[k];
        }

        int numUsers() {
            return ubm.length;
        }

        int numItems() {
            return vbm.length;
        }

        VbmfModel model(TrainingRun run) {
            return new VbmfModel(k, full, mu, um, uv, ubm, ubv, vm, vv, vbm, vbv, lambda, tauU.clone(),
                    tauV.clone(), gamma, run == null ? java.util.List.of() : run.history());
        }
    }

    /** Means ~ N(0, init_stdev^2) from one stream of the seed (users, then items); variances init_stdev^2. */
    State initialize(RatingMatrix m, long seed) {
        int k = config.rank();
        State s = new State(k, config.fullCovariance(), m.numUsers(), m.numItems(), m.nnz() == 0 ? 0 : m.mean());
        SplittableRandom rnd = new SplittableRandom(seed);
        double sd = config.initStdev();
        for (int p = 0; p < s.um.length; p++) {
            s.um[p] = (float) (sd * gaussian(rnd));
        }
        for (int p = 0; p < s.vm.length; p++) {
            s.vm[p] = (float) (sd * gaussian(rnd));
        }
        float var = (float) (sd * sd);
        initVariances(s.uv, s.numUsers(), k, s.full, var);
        initVariances(s.vv, s.numItems(), k, s.full, var);
        Arrays.fill(s.ubv, var);
        Arrays.fill(s.vbv, var);
        Arrays.fill(s.tauU, config.tau());
        Arrays.fill(s.tauV, config.tau());
        s.lambda = config.lambda();
        s.gamma = config.gamma();
        return s;
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

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** CAVI update of every user's q(u) q(b_u) given the items (eq (V1)-(V4)). */
    static void updateUsers(Parallel par, RatingMatrix m, State s) {
        updateSide(par, m.userOffsets(), m.userItems(), m.userValues(), s, s.vm, s.vv, s.vbm, s.um, s.uv, s.ubm,
                s.ubv, s.tauU);
    }

    /** CAVI update of every item's q(v) q(b_i) given the users. */
    static void updateItems(Parallel par, RatingMatrix m, State s) {
        updateSide(par, m.itemOffsets(), m.itemUsers(), m.itemValues(), s, s.um, s.uv, s.ubm, s.vm, s.vv, s.vbm,
                s.vbv, s.tauV);
    }

    /** Updates rows {@code [from, to)} of one side only (used by the block-maximiser tests). */
    static void updateRows(RatingMatrix m, State s, boolean users, int from, int to) {
        RowPosterior rp = new RowPosterior(s.k, s.full);
        if (users) {
            updateRange(rp, m.userOffsets(), m.userItems(), m.userValues(), s, s.vm, s.vv, s.vbm, s.um, s.uv, s.ubm,
                    s.ubv, s.tauU, from, to);
        } else {
            updateRange(rp, m.itemOffsets(), m.itemUsers(), m.itemValues(), s, s.um, s.uv, s.ubm, s.vm, s.vv, s.vbm,
                    s.vbv, s.tauV, from, to);
        }
    }

    private static void updateSide(Parallel par, int[] off, int[] idx, float[] val, State s, float[] om, float[] ov,
                                   float[] ob, float[] tm, float[] tv, float[] tbm, float[] tbv, double[] tau) {
        par.forBlocks(tbm.length, BLOCK, (b, from, to) -> {
            RowPosterior rp = new RowPosterior(s.k, s.full);
            updateRange(rp, off, idx, val, s, om, ov, ob, tm, tv, tbm, tbv, tau, from, to);
        });
    }

    private static void updateRange(RowPosterior rp, int[] off, int[] idx, float[] val, State s, float[] om,
                                    float[] ov, float[] ob, float[] tm, float[] tv, float[] tbm, float[] tbv,
                                    double[] tau, int from, int to) {
        double lambda = s.lambda;
        double gamma = s.gamma;
        for (int r = from; r < to; r++) {
            tbm[r] = (float) rp.update(om, ov, ob, idx, val, off[r], off[r + 1], s.mu, lambda, tau, gamma, tm,
                    r * s.k, tv, r * s.kv);
            tbv[r] = (float) (1.0 / (gamma + lambda * (off[r + 1] - off[r])));
        }
    }

    /**
     * Sufficient statistics of the ELBO and of the hyper-parameter updates, all from the stored
     * posteriors (so that the ELBO is a function of exactly what the model keeps).
     *
     * @param sse    sum of squared errors of the posterior-mean prediction (train RMSE)
     * @param esq    sum over ratings of E_q[(r - mu - b_u - b_i - u.v)^2]
     * @param n      number of ratings
     * @param sqU    per dimension k: sum over users of E[u_k^2] = m_k^2 + S_kk
     * @param logDetU sum over users of log |S_u|
     * @param sqV    same for items
     * @param logDetV same for items
     * @param sqB    sum over users and items of E[b^2]
     * @param logVarB sum over users and items of log Var[b]
     */
    record Stats(double sse, double esq, long n, double[] sqU, double logDetU, double[] sqV, double logDetV,
                 double sqB, double logVarB, int numUsers, int numItems) {
    }

    static Stats stats(Parallel par, RatingMatrix m, State s) {
        final int k = s.k;
        final int nu = s.numUsers();
        int blocks = Parallel.numBlocks(nu, BLOCK);
        double[][] part = new double[blocks][2];
        int[] off = m.userOffsets();
        int[] items = m.userItems();
        float[] vals = m.userValues();
        par.forBlocks(nu, BLOCK, (b, from, to) -> {
            double sse = 0;
            double esq = 0;
            for (int u = from; u < to; u++) {
                int ub = u * k;
                double base = s.mu + s.ubm[u];
                double bvar = s.ubv[u];
                for (int p = off[u]; p < off[u + 1]; p++) {
                    int i = items[p];
                    int ib = i * k;
                    double e = vals[p] - base - s.vbm[i];
                    for (int x = 0; x < k; x++) {
                        e -= (double) s.um[ub + x] * s.vm[ib + x];
                    }
                    sse += e * e;
                    esq += e * e + bvar + s.vbv[i]
                            + RowPosterior.varDot(k, s.full, s.um, ub, s.uv, u * s.kv, s.vm, ib, s.vv, i * s.kv);
                }
            }
            part[b][0] = sse;
            part[b][1] = esq;
        });
        double sse = 0;
        double esq = 0;
        for (double[] p : part) {
            sse += p[0];
            esq += p[1];
        }
        double[] sqU = new double[k];
        double[] sqV = new double[k];
        double ldU = rowMoments(par, s, s.um, s.uv, nu, sqU);
        double ldV = rowMoments(par, s, s.vm, s.vv, s.numItems(), sqV);
        double sqB = 0;
        double lvB = 0;
        for (float[][] mv : new float[][][] {{s.ubm, s.ubv}, {s.vbm, s.vbv}}) {
            for (int r = 0; r < mv[0].length; r++) {
                double mean = mv[0][r];
                double var = mv[1][r];
                sqB += mean * mean + var;
                lvB += Math.log(var);
            }
        }
        return new Stats(sse, esq, m.nnz(), sqU, ldU, sqV, ldV, sqB, lvB, nu, s.numItems());
    }

    /** Adds sum_r E[x_rk^2] into sq and returns sum_r log|S_r| (block partials added in order). */
    private static double rowMoments(Parallel par, State s, float[] mean, float[] cov, int rows, double[] sq) {
        final int k = s.k;
        int blocks = Parallel.numBlocks(rows, BLOCK);
        double[][] part = new double[blocks][k + 1];
        par.forBlocks(rows, BLOCK, (b, from, to) -> {
            double[] acc = part[b];
            double[] work = s.full ? new double[k * k] : null;
            double ld = 0;
            for (int r = from; r < to; r++) {
                int mb = r * k;
                int cb = r * s.kv;
                if (s.full) {
                    for (int x = 0; x < k; x++) {
                        double mx = mean[mb + x];
                        acc[x] += mx * mx + cov[cb + x * k + x];
                    }
                    for (int p = 0; p < k * k; p++) {
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
                        double mx = mean[mb + x];
                        double v = cov[cb + x];
                        acc[x] += mx * mx + v;
                        ld += Math.log(v);
                    }
                }
            }
            acc[k] = ld;
        });
        double ld = 0;
        for (double[] p : part) {
            for (int x = 0; x < k; x++) {
                sq[x] += p[x];
            }
            ld += p[k];
        }
        return ld;
    }

    /**
     * Closed-form empirical-Bayes updates (eqs (H1)-(H3)), each the exact maximiser of the ELBO
     * over its hyper-parameter given the posteriors; skipped when fixed by the config.
     */
    void updateHyper(Stats st, State s) {
        if (config.learnLambda() && st.n > 0 && st.esq > 0) {
            s.lambda = st.n / st.esq;
        }
        if (config.learnTau()) {
            for (int x = 0; x < s.k; x++) {
                if (st.numUsers > 0) {
                    s.tauU[x] = st.numUsers / st.sqU[x];
                }
                if (st.numItems > 0) {
                    s.tauV[x] = st.numItems / st.sqV[x];
                }
            }
        }
        if (config.learnGamma() && st.numUsers + st.numItems > 0) {
            s.gamma = (st.numUsers + st.numItems) / st.sqB;
        }
    }

    /**
     * The full ELBO, eq (E): expected log likelihood with its variance terms, minus the KL of every
     * q factor against its prior (log-determinants and log-precision terms included).
     */
    static double elbo(Stats st, State s) {
        int k = s.k;
        double e = 0.5 * st.n * (Math.log(s.lambda) - LOG_2PI) - 0.5 * s.lambda * st.esq;
        // -KL(q(u) || N(0, diag(1/tau))) summed over rows: 1/2 [sum_k (log tau_k - tau_k E[u_k^2]) + log|S| + K]
        for (int x = 0; x < k; x++) {
            e += 0.5 * (st.numUsers * Math.log(s.tauU[x]) - s.tauU[x] * st.sqU[x]);
            e += 0.5 * (st.numItems * Math.log(s.tauV[x]) - s.tauV[x] * st.sqV[x]);
        }
        e += 0.5 * (st.logDetU + st.logDetV) + 0.5 * k * ((double) st.numUsers + st.numItems);
        int nb = st.numUsers + st.numItems;
        e += 0.5 * (nb * Math.log(s.gamma) - s.gamma * st.sqB + st.logVarB + nb);
        return e;
    }

    /** The ELBO of a state, computed from scratch (tests). */
    static double elbo(Parallel par, RatingMatrix m, State s) {
        return elbo(stats(par, m, s), s);
    }
}
