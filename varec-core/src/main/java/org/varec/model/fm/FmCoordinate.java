package org.varec.model.fm;

import org.varec.stats.Gamma;
import org.varec.stats.Normal;
import org.varec.stats.Rng;
import org.varec.stats.TruncatedNormal;
import org.varec.data.SparseDesign;
import org.varec.util.Parallel;

/**
 * The coordinate-wise engine shared by fm-als and fm-mcmc (Rendle 2012, "Factorization machines
 * with libFM", sections 4.2 and 4.3). The model is linear in each single parameter theta:
 * {@code y(x_i) = g_i + theta h_i(theta-free)}, with
 * <pre>
 *   h_i = 1 (w0),   h_i = x_ij (w_j),   h_i = x_ij (q_if - v_jf x_ij) (v_jf),  q_if = sum_l v_lf x_il
 * </pre>
 * so with the residuals {@code e_i = t_i - y(x_i)} cached, the conditional of theta given
 * everything else is Gaussian with
 * <pre>
 *   precision = alpha sum_i h_i^2 + lambda,   mean = (alpha sum_i (e_i + theta h_i) h_i + mu lambda) / precision
 * </pre>
 * over the rows holding the feature only (O(k N_z) per sweep). ALS takes the mean (alpha = 1, mu = 0,
 * lambda = the regularization: the exact minimiser of {@code sum e^2 + lambda theta^2} in theta, so the
 * objective never increases); Gibbs draws from it. After each change e_i and q_if are updated.
 * The sweep is factor by factor: q_.f is recomputed for factor f, then every v_.f is updated.
 *
 * <p>Gibbs extras: the noise precision alpha ~ Gamma((a0 + N) / 2, (b0 + sum e^2) / 2) (regression;
 * classification fixes alpha = 1); per group g the hyper-parameters of w (and of each factor column
 * of V) with Normal-Gamma hyperpriors (a0 = b0 = 1, gamma0 = 1, mu0 = 0 as libFM):
 * <pre>
 *   lambda_g ~ Gamma((a0 + n_g + 1) / 2, (b0 + gamma0 (mu_g - mu0)^2 + sum_{j in g} (theta_j - mu_g)^2) / 2)
 *   mu_g     ~ N((sum_{j in g} theta_j + gamma0 mu0) / (n_g + gamma0), 1 / ((n_g + gamma0) lambda_g))
 * </pre>
 * and for probit classification the latent targets t_i ~ N(y_i, 1) truncated to t_i > 0 for
 * class 1 and t_i < 0 for class 0.
 *
 * <p>Parallelism (exact): the parameters of an exclusive group (no row holds two of its features,
 * e.g. one-hot user ids) touch disjoint rows, so given the rest they are conditionally
 * independent (Gibbs) and their coordinate minimisations separable (ALS): they are updated
 * in fixed blocks of features on several threads. A non-exclusive group (genres; or user and item
 * one-hots sharing the one group of a libFM file read without a meta file) is cut into exclusive
 * classes by a greedy colouring of its features ({@link FmDesign#classes}), sampled class after
 * class, each class in parallel blocks; a group needing more than 16 classes is updated in blocks one
 * after the other. A long column (a side feature such as gender or a frequent
 * genre holding tens of thousands of rows) is walked in fixed chunks whose partial sums are added
 * in chunk order, on several threads. Latent targets and q are per row, in fixed row blocks. Every
 * block draws from its own stream {@code Rng.stream} of (seed, iteration, phase, group, block), so
 * the samples do not depend on the thread count at all.
 */
final class FmCoordinate {
    static final double A0 = 1;
    static final double B0 = 1;
    static final double GAMMA0 = 1;
    static final double MU0 = 0;
    private static final int FEATURE_BLOCK = 512;
    /**
     * Below this many rows the trainers run the engine on the calling thread whatever the pool
     * ({@link #pool}): a sweep makes about (1 + k)(1 + groups) parallel calls, each worth under a
     * millisecond of work on ML-100K's 90,000 rows, where waking a worker and waiting for it costs
     * as much as it saves (ML-100K, d = 8: 2 threads 1.66 s against 1 thread 1.58 s; ML-1M's 800,000
     * rows: 5.95 against 8.76 s). The samples do not depend on the thread count, so this changes
     * speed only.
     */
    static final int MIN_PARALLEL_ROWS = 250_000;
    private static final int ROW_BLOCK = 16384;
    /** Column entries per chunk of a long column. */
    static final int CHUNK = 8192;
    /** Columns longer than this (side features covering many rows) are walked in chunks, on several threads. */
    static final int LONG_COLUMN = 4 * CHUNK;

    final FmDesign d;
    final int k;
    final boolean gibbs;
    final boolean probit;
    final FmParams p;
    /**
     * Residual e_r = t_r - y_r at {@code eq[2r]} and the current factor's q_r at {@code eq[2r + 1]}:
     * interleaved so a column walk (item ids: random rows) touches one cache line per row.
     */
    final double[] eq;
    final double[] t;
    double alpha = 1;
    /** Tests only: keep alpha and the group hyper-parameters at their current values (Gibbs). */
    boolean fixedHyper;
    final double[] muW;
    final double[] lamW;
    /** Per group and factor: index g * k + f. */
    final double[] muV;
    final double[] lamV;
    private final double[] reg;
    private final long seed;
    private final Rng main;
    private final Parallel par;

    /**
     * @param reg ALS: r0, r1, r2; Gibbs: r0 only (the fixed prior precision of w0)
     */
    FmCoordinate(FmDesign d, int k, double initStdev, boolean gibbs, boolean probit, double[] reg, long seed,
                 Parallel par) {
        this.d = d;
        this.k = k;
        this.gibbs = gibbs;
        this.probit = probit;
        this.reg = reg.clone();
        this.seed = seed;
        this.par = par;
        this.main = Rng.stream(seed, 0x3a1bL);
        this.p = FmParams.init(d.numFeatures, k, initStdev, Rng.stream(seed, 0x1a17L));
        int n = d.numRows;
        eq = new double[2 * n];
        t = new double[n];
        muW = new double[d.numGroups];
        lamW = new double[d.numGroups];
        muV = new double[d.numGroups * Math.max(1, k)];
        lamV = new double[d.numGroups * Math.max(1, k)];
        java.util.Arrays.fill(lamW, 1);
        java.util.Arrays.fill(lamV, 1);
        int[] idx = new int[Math.max(1, d.maxRowLength)];
        float[] val = new float[idx.length];
        double[] sums = new double[Math.max(1, k)];
        for (int r = 0; r < n; r++) {
            int len = d.rowOff[r + 1] - d.rowOff[r];
            System.arraycopy(d.rowIdx, d.rowOff[r], idx, 0, len);
            System.arraycopy(d.rowVal, d.rowOff[r], val, 0, len);
            double y = p.predict(idx, val, len, sums);
            t[r] = probit ? 0 : d.targets[r];
            eq[2 * r] = t[r] - y;
        }
    }

    /** {@code pool}, or a one-thread pool when the design has fewer than {@link #MIN_PARALLEL_ROWS} rows. */
    static Parallel pool(SparseDesign design, Parallel pool) {
        return pool.orSerialBelow(design.numRows(), MIN_PARALLEL_ROWS);
    }

    /** One sweep over every parameter (and, for Gibbs, the hyper-parameters and latent targets). */
    void sweep(int iter) {
        if (gibbs && probit) {
            sampleLatent(iter);
        } else if (gibbs && !fixedHyper) {
            alpha = Gamma.sample(main, (A0 + d.numRows) / 2, (B0 + sse()) / 2);
        }
        updateW0();
        if (gibbs && !fixedHyper) {
            for (int g = 0; g < d.numGroups; g++) {
                double[] mh = hyper(p.w, 1, 0, d.groupFeatures[g], muW[g]);
                muW[g] = mh[0];
                lamW[g] = mh[1];
            }
        }
        for (int g = 0; g < d.numGroups; g++) {
            updateGroup(iter, -1, g);
        }
        for (int f = 0; f < k; f++) {
            computeQ(f);
            if (gibbs && !fixedHyper) {
                for (int g = 0; g < d.numGroups; g++) {
                    double[] mh = hyper(p.v, k, f, d.groupFeatures[g], muV[g * k + f]);
                    muV[g * k + f] = mh[0];
                    lamV[g * k + f] = mh[1];
                }
            }
            for (int g = 0; g < d.numGroups; g++) {
                updateGroup(iter, f, g);
            }
        }
    }

    private void sampleLatent(int iter) {
        long s = Rng.deriveSeed(Rng.deriveSeed(seed, iter), 0x1a7e);
        par.forBlocks(d.numRows, ROW_BLOCK, (b, from, to) -> {
            Rng rng = Rng.stream(s, b);
            for (int r = from; r < to; r++) {
                double y = t[r] - eq[2 * r];
                double z = d.targets[r] > 0.5 ? TruncatedNormal.above(rng, y, 1, 0) : TruncatedNormal.below(rng, y, 1, 0);
                t[r] = z;
                eq[2 * r] = z - y;
            }
        });
    }

    private void updateW0() {
        int n = d.numRows;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += eq[2 * r];
        }
        double lam = reg[0];
        double prec = alpha * n + lam;
        if (prec <= 0) {
            return;
        }
        double mean = alpha * (sum + p.w0 * n) / prec;
        double nw = gibbs ? mean + main.nextGaussian() / Math.sqrt(prec) : mean;
        double delta = nw - p.w0;
        p.w0 = nw;
        for (int r = 0; r < n; r++) {
            eq[2 * r] -= delta;
        }
    }

    /** (mu, lambda) of one group's parameters {@code a[j * stride + off]}. */
    private double[] hyper(float[] a, int stride, int off, int[] feats, double mu) {
        int n = feats.length;
        double ss = 0;
        for (int j : feats) {
            double x = a[j * stride + off] - mu;
            ss += x * x;
        }
        double lam = Gamma.sample(main, (A0 + n + 1) / 2, (B0 + GAMMA0 * (mu - MU0) * (mu - MU0) + ss) / 2);
        double sum = 0;
        for (int j : feats) {
            sum += a[j * stride + off];
        }
        double m = (sum + GAMMA0 * MU0) / (n + GAMMA0);
        double nm = m + main.nextGaussian() / Math.sqrt((n + GAMMA0) * lam);
        return new double[] {nm, lam};
    }

    private void computeQ(int f) {
        par.forBlocks(d.numRows, ROW_BLOCK, (b, from, to) -> {
            float[] v = p.v;
            int[] off = d.rowOff;
            int[] idx = d.rowIdx;
            float[] val = d.rowVal;
            for (int r = from; r < to; r++) {
                double s = 0;
                for (int a = off[r]; a < off[r + 1]; a++) {
                    s += (double) v[idx[a] * k + f] * val[a];
                }
                eq[2 * r + 1] = s;
            }
        });
    }

    /** Updates w (f = -1) or v_.f of the features of group g. */
    private void updateGroup(int iter, int f, int g) {
        int[] feats = d.groupFeatures[g];
        double mu;
        double lam;
        if (gibbs) {
            mu = f < 0 ? muW[g] : muV[g * k + f];
            lam = f < 0 ? lamW[g] : lamV[g * k + f];
        } else {
            mu = 0;
            lam = f < 0 ? reg[1] : reg[2];
        }
        long s = Rng.deriveSeed(Rng.deriveSeed(Rng.deriveSeed(seed, iter), f + 2L), g);
        int[][] classes = d.classes[g];
        if (classes == null) { // a group whose features co-occur too much to colour: one block after another
            runBlocks(feats, f, mu, lam, s, false, false);
            return;
        }
        // exclusive classes (the whole group when it is exclusive): the features of a class touch
        // disjoint rows, so they are sampled (or solved) in parallel blocks, the classes in order
        for (int c = 0; c < classes.length; c++) {
            long sc = d.exclusive[g] ? s : Rng.deriveSeed(s, 0xc1a55L + c);
            runBlocks(classes[c], f, mu, lam, sc, true, true);
        }
    }

    /** Updates the features {@code feats} in fixed blocks, on the pool when {@code parallel}. */
    private void runBlocks(int[] feats, int f, double mu, double lam, long s, boolean parallel, boolean exclusive) {
        // features run on the pool's threads: their long columns must not fork again
        boolean forked = parallel && par.threads() > 1 && Parallel.numBlocks(feats.length, FEATURE_BLOCK) > 1;
        Parallel.BlockTask task = (b, from, to) -> {
            Rng rng = gibbs ? Rng.stream(s, b) : null;
            for (int a = from; a < to; a++) {
                int j = feats[a];
                if (d.colOff[j + 1] - d.colOff[j] > LONG_COLUMN) {
                    updateLong(j, f, mu, lam, rng, !forked);
                } else if (f < 0) {
                    updateW(j, mu, lam, rng);
                } else {
                    updateV(j, f, mu, lam, rng);
                }
            }
        };
        if (parallel && exclusive) {
            par.forBlocks(feats.length, FEATURE_BLOCK, task);
        } else {
            int blocks = Parallel.numBlocks(feats.length, FEATURE_BLOCK);
            for (int b = 0; b < blocks; b++) {
                task.run(b, b * FEATURE_BLOCK, Math.min(feats.length, (b + 1) * FEATURE_BLOCK));
            }
        }
    }

    /**
     * {@link #updateW} / {@link #updateV} for a long column: sum h^2 and sum e h are accumulated per
     * fixed chunk of {@link #CHUNK} entries and the chunk sums added in chunk order, so the result is
     * the same whether the chunks run on one thread or several ({@code fork}).
     */
    private void updateLong(int j, int f, double mu, double lam, Rng rng, boolean fork) {
        int from = d.colOff[j];
        int len = d.colOff[j + 1] - from;
        int[] rows = d.colRow;
        float[] xs = d.colVal;
        int vi = f < 0 ? j : j * k + f;
        double old = f < 0 ? p.w[vi] : p.v[vi];
        int chunks = Parallel.numBlocks(len, CHUNK);
        double[] part = new double[2 * chunks];
        Parallel.BlockTask stats = (c, a0, a1) -> {
            double sh2 = 0;
            double she = 0;
            for (int a = from + a0; a < from + a1; a++) {
                int r = rows[a];
                double x = xs[a];
                double h = f < 0 ? x : x * (eq[2 * r + 1] - old * x);
                sh2 += h * h;
                she += eq[2 * r] * h;
            }
            part[2 * c] = sh2;
            part[2 * c + 1] = she;
        };
        chunked(len, stats, fork);
        double sh2 = 0;
        double she = 0;
        for (int c = 0; c < chunks; c++) {
            sh2 += part[2 * c];
            she += part[2 * c + 1];
        }
        float stored = (float) coordinate(old, sh2, she, mu, lam, rng);
        double delta = (double) stored - old;
        if (f < 0) {
            p.w[vi] = stored;
        } else {
            p.v[vi] = stored;
        }
        if (delta != 0) {
            chunked(len, (c, a0, a1) -> {
                for (int a = from + a0; a < from + a1; a++) {
                    int r = rows[a];
                    double x = xs[a];
                    if (f < 0) {
                        eq[2 * r] -= delta * x;
                    } else {
                        double h = x * (eq[2 * r + 1] - old * x);
                        eq[2 * r] -= delta * h;
                        eq[2 * r + 1] += delta * x;
                    }
                }
            }, fork);
        }
    }

    private void chunked(int len, Parallel.BlockTask task, boolean fork) {
        if (fork) {
            par.forBlocks(len, CHUNK, task);
        } else {
            int chunks = Parallel.numBlocks(len, CHUNK);
            for (int c = 0; c < chunks; c++) {
                task.run(c, c * CHUNK, Math.min(len, (c + 1) * CHUNK));
            }
        }
    }

    private void updateW(int j, double mu, double lam, Rng rng) {
        int from = d.colOff[j];
        int to = d.colOff[j + 1];
        int[] rows = d.colRow;
        float[] xs = d.colVal;
        double old = p.w[j];
        double sh2 = 0;
        double she = 0;
        for (int a = from; a < to; a++) {
            double x = xs[a];
            sh2 += x * x;
            she += eq[2 * rows[a]] * x;
        }
        float stored = (float) coordinate(old, sh2, she, mu, lam, rng);
        double delta = (double) stored - old;
        p.w[j] = stored;
        if (delta != 0) {
            for (int a = from; a < to; a++) {
                eq[2 * rows[a]] -= delta * xs[a];
            }
        }
    }

    /**
     * One coordinate's new value given its sufficient statistics: the conditional posterior is
     * Gaussian with precision {@code alpha * sh2 + lam} and mean
     * {@code (alpha * (she + old * sh2) + mu * lam) / precision} (the residuals {@code e} still hold
     * the old value); a draw from it when sampling ({@code rng} set), else its mean (the ALS step).
     * A coordinate without data or prior (precision 0) keeps its value.
     */
    private double coordinate(double old, double sh2, double she, double mu, double lam, Rng rng) {
        double prec = alpha * sh2 + lam;
        if (prec <= 0) {
            return old;
        }
        double mean = (alpha * (she + old * sh2) + mu * lam) / prec;
        return rng != null ? mean + rng.nextGaussian() / Math.sqrt(prec) : mean;
    }

    private void updateV(int j, int f, double mu, double lam, Rng rng) {
        int from = d.colOff[j];
        int to = d.colOff[j + 1];
        int[] rows = d.colRow;
        float[] xs = d.colVal;
        int vi = j * k + f;
        double old = p.v[vi];
        double sh2 = 0;
        double she = 0;
        for (int a = from; a < to; a++) {
            int r = rows[a];
            double x = xs[a];
            double h = x * (eq[2 * r + 1] - old * x);
            sh2 += h * h;
            she += eq[2 * r] * h;
        }
        float stored = (float) coordinate(old, sh2, she, mu, lam, rng);
        double delta = (double) stored - old;
        p.v[vi] = stored;
        if (delta != 0) {
            for (int a = from; a < to; a++) {
                int r = rows[a];
                double x = xs[a];
                double h = x * (eq[2 * r + 1] - old * x);
                eq[2 * r] -= delta * h;
                eq[2 * r + 1] += delta * x;
            }
        }
    }

    /** Sum of squared residuals against the current targets. */
    double sse() {
        double s = 0;
        for (int r = 0; r < d.numRows; r++) {
            s += eq[2 * r] * eq[2 * r];
        }
        return s;
    }

    /** The ALS objective sum e^2 + r0 w0^2 + r1 |w|^2 + r2 |V|^2. */
    double objective() {
        double s = sse() + reg[0] * p.w0 * p.w0;
        for (float x : p.w) {
            s += reg[1] * x * x;
        }
        for (float x : p.v) {
            s += reg[2] * x * x;
        }
        return s;
    }

    /** Current predictions on the training rows (t - e). */
    double prediction(int r) {
        return t[r] - eq[2 * r];
    }

    /** Per group 0 (the folded-in feature's group): mu_w, lambda_w, then mu_v_f, lambda_v_f. */
    double[] foldPrior() {
        double[] fp = new double[2 + 2 * k];
        if (gibbs) {
            fp[0] = muW[0];
            fp[1] = lamW[0];
            for (int f = 0; f < k; f++) {
                fp[2 + 2 * f] = muV[f];
                fp[3 + 2 * f] = lamV[f];
            }
        } else {
            fp[1] = Math.max(reg[1], 1e-6);
            for (int f = 0; f < k; f++) {
                fp[3 + 2 * f] = Math.max(reg[2], 1e-6);
            }
        }
        return fp;
    }

    static double probability(double y) {
        return Normal.cdf(y);
    }
}
