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
 *
 * <p>{@code sweep=block} ({@link #block}, fm-mcmc and fm-als) replaces the sweep by
 * {@link #blockSweep}: each feature's whole (w_j, v_j) drawn from its joint Gaussian conditional
 * (Gibbs, with the same hyper-parameter conditionals, parallel classes and random streams per
 * block) or set to its mean, the exact minimiser of the ALS objective over the block.
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
    /**
     * The same for the block sweep ({@link #block}), which hands work to the pool about 2 + 2
     * groups times per sweep, each worth a (k + 1)^2 Gram per entry: on ML-100K's 90,000 rows (d = 8,
     * 200 sweeps, libFM files) two threads fit in 1.16-1.29 s against 1.58-1.70 s on one
     * (alternated, three rounds).
     */
    static final int MIN_PARALLEL_ROWS_BLOCK = 20_000;
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
    /**
     * Update each feature's (w_j, v_j) jointly ({@link #blockSweep}) instead of one coordinate at
     * a time ({@code sweep=block}). Set before the first sweep.
     */
    boolean block;
    /**
     * Block sweep only: q_r of every row, row-major ({@code qRows[r * k + f]}), recomputed at the
     * start of each sweep and kept current as the blocks change, so that a column walk reads one
     * row's q where summing it from the row's features would chase three dependent loads (row
     * offset, feature index, factor row) per entry.
     */
    private float[] qRows;
    /**
     * Block sweep of a regression design with short rows: per column entry (in column order), its
     * row's target and the row's other non-zeros ({@code exIdx/exVal[exOff[a] .. exOff[a + 1])}),
     * so that a column walk reads memory in order and computes what it needs from the parameters
     * (which fit in the cache) instead of reading per-row residuals at random rows. Null otherwise.
     */
    private int[] exOff;
    private int[] exIdx;
    private float[] exVal;
    private float[] exTarget;
    /**
     * The expanded layout holds sum_r n_r (n_r - 1) other non-zeros for rows of n_r; it is used while
     * that is at most this many times the non-zeros (rows of up to 9 non-zeros on average).
     */
    static final int MAX_EXPANSION = 8;
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
        this.blockScratch = ThreadLocal.withInitial(() -> new BlockScratch(k + 1));
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

    /**
     * {@code pool}, or a one-thread pool when the design has fewer than {@link #MIN_PARALLEL_ROWS}
     * rows ({@link #MIN_PARALLEL_ROWS_BLOCK} for the block sweep, {@code block}).
     */
    static Parallel pool(SparseDesign design, Parallel pool, boolean block) {
        return pool.orSerialBelow(design.numRows(), block ? MIN_PARALLEL_ROWS_BLOCK : MIN_PARALLEL_ROWS);
    }

    /** One sweep over every parameter (and, for Gibbs, the hyper-parameters and latent targets). */
    void sweep(int iter) {
        if (block) {
            blockSweep(iter);
            return;
        }
        drawNoiseAndW0(iter);
        drawHyper(-1);
        for (int g = 0; g < d.numGroups; g++) {
            updateGroup(iter, -1, g);
        }
        for (int f = 0; f < k; f++) {
            computeQ(f);
            drawHyper(f);
            for (int g = 0; g < d.numGroups; g++) {
                updateGroup(iter, f, g);
            }
        }
    }

    /** The start of either sweep: alpha (Gibbs regression) or the latent targets (probit), then w0. */
    private void drawNoiseAndW0(int iter) {
        if (gibbs && probit) {
            sampleLatent(iter);
        } else if (gibbs && !fixedHyper) {
            alpha = Gamma.sample(main, (A0 + d.numRows) / 2, (B0 + sse()) / 2);
        }
        updateW0();
    }

    /** (mu, lambda) of every group's w (f = -1) or factor column f (Gibbs, unless held fixed). */
    private void drawHyper(int f) {
        if (!gibbs || fixedHyper) {
            return;
        }
        for (int g = 0; g < d.numGroups; g++) {
            if (f < 0) {
                double[] mh = hyper(p.w, 1, 0, d.groupFeatures[g], muW[g]);
                muW[g] = mh[0];
                lamW[g] = mh[1];
            } else {
                double[] mh = hyper(p.v, k, f, d.groupFeatures[g], muV[g * k + f]);
                muV[g * k + f] = mh[0];
                lamV[g * k + f] = mh[1];
            }
        }
    }

    /** One feature's update, given its block's random stream (null for ALS) and whether its long column may fork. */
    private interface FeatureUpdate {
        void run(int j, Rng rng, boolean fork);
    }

    /**
     * Runs {@code update} over group g: class after class, each with its own seed derived from
     * {@code s} and in parallel (its features touch disjoint rows), or, for a group whose features
     * co-occur too much to colour, over the whole group one block after another.
     */
    private void overClasses(int g, long s, FeatureUpdate update) {
        int[][] classes = d.classes[g];
        if (classes == null) {
            runFeatures(d.groupFeatures[g], s, false, update);
            return;
        }
        for (int c = 0; c < classes.length; c++) {
            runFeatures(classes[c], d.exclusive[g] ? s : Rng.deriveSeed(s, 0xc1a55L + c), true, update);
        }
    }

    /**
     * Updates the features {@code feats} in fixed blocks of {@link #FEATURE_BLOCK}, on the pool when
     * {@code parallel}; block b draws from {@code Rng.stream(s, b)} (Gibbs). Features run on the
     * pool's threads must not fork their long columns again.
     */
    private void runFeatures(int[] feats, long s, boolean parallel, FeatureUpdate update) {
        boolean forked = parallel && par.threads() > 1 && Parallel.numBlocks(feats.length, FEATURE_BLOCK) > 1;
        inBlocks(feats.length, FEATURE_BLOCK, parallel, (b, from, to) -> {
            Rng rng = gibbs ? Rng.stream(s, b) : null;
            for (int a = from; a < to; a++) {
                update.run(feats[a], rng, !forked);
            }
        });
    }

    /** {@code task} over fixed blocks of {@code [0, n)}: on the pool when {@code parallel}, else one after another here. */
    private void inBlocks(int n, int blockSize, boolean parallel, Parallel.BlockTask task) {
        if (parallel) {
            par.forBlocks(n, blockSize, task);
        } else {
            int blocks = Parallel.numBlocks(n, blockSize);
            for (int b = 0; b < blocks; b++) {
                task.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize));
            }
        }
    }

    /**
     * One block sweep (Gibbs draws or ALS solves): the model is linear in a feature's whole parameter
     * block {@code theta_j = (w_j, v_j1 .. v_jk)} too, {@code y(x_i) = g_i + theta_j . h_ij} with
     * <pre>
     *   h_ij = x_ij (1, s_i1 .. s_ik),   s_if = sum_{l != j} v_lf x_il   (= q_if - v_jf x_ij)
     * </pre>
     * so its conditional given everything else is the Gaussian with precision
     * {@code P = alpha H^T H + diag(lambda)} and mean {@code P^-1 (alpha H^T (e + H theta_j) + diag(lambda) mu)}
     * over the rows holding j ({@link #updateBlock}). The hyper-parameters are drawn first, for
     * every group, from the same conditionals as the coordinate sweep's; then each group's features
     * are drawn, in parallel within an exclusive class as there. It is the same posterior, a
     * different Markov chain: one draw per feature, from one pass over its column (plus a residual
     * update pass in the per-row-q layout) instead of 2 (k + 1) passes and k passes over every row
     * for q. Layouts: {@link #prepareBlocks}; measured in docs/fm.md, "Two sweeps".
     */
    private void blockSweep(int iter) {
        drawNoiseAndW0(iter);
        prepareBlockSweep();
        for (int f = -1; f < k; f++) {
            drawHyper(f);
        }
        for (int g = 0; g < d.numGroups; g++) {
            int group = g;
            overClasses(g, Rng.deriveSeed(Rng.deriveSeed(Rng.deriveSeed(seed, iter), 0xb10cL), g),
                    (j, rng, fork) -> updateBlock(j, group, rng, blockScratch.get(), fork));
        }
        if (exOff != null) { // the column walks left the residuals alone: recompute them
            par.forBlocks(d.numRows, ROW_BLOCK, (b, from, to) -> {
                double[] sums = new double[Math.max(1, k)];
                int[] off = d.rowOff;
                int[] idx = d.rowIdx;
                float[] val = d.rowVal;
                float[] w = p.w;
                float[] v = p.v;
                for (int r = from; r < to; r++) {
                    double y;
                    if (off[r + 1] - off[r] == 2) { // y = w0 + w_a x_a + w_b x_b + <v_a, v_b> x_a x_b
                        int la = idx[off[r]];
                        int lb = idx[off[r] + 1];
                        double xa = val[off[r]];
                        double xb = val[off[r] + 1];
                        double dot = 0;
                        for (int f = 0; f < k; f++) {
                            dot += (double) v[la * k + f] * v[lb * k + f];
                        }
                        y = p.w0 + w[la] * xa + w[lb] * xb + dot * xa * xb;
                    } else {
                        y = predictRow(idx, val, off[r], off[r + 1], sums, 0);
                    }
                    eq[2 * r] = t[r] - y;
                }
            });
        }
    }

    /**
     * y of the non-zeros {@code idx/val[from, to)} (Rendle 2010, eq. 5) with q into
     * {@code q[qo .. qo + k)}: the non-zeros in the outer loop, so a factor row is read once and
     * contiguously (the block sweep's inner loop; {@link FmKernel#predict} runs the factors outside,
     * for rows of any length, and sums in another order).
     */
    private double predictRow(int[] idx, float[] val, int from, int to, double[] q, int qo) {
        float[] w = p.w;
        float[] v = p.v;
        double y = p.w0;
        java.util.Arrays.fill(q, qo, qo + k, 0.0);
        double sq = 0;
        for (int b = from; b < to; b++) {
            int l = idx[b];
            double xl = val[b];
            y += w[l] * xl;
            int base = l * k;
            for (int f = 0; f < k; f++) {
                double tf = v[base + f] * xl;
                q[qo + f] += tf;
                sq += tf * tf;
            }
        }
        double ss = 0;
        for (int f = 0; f < k; f++) {
            ss += q[qo + f] * q[qo + f];
        }
        return y + 0.5 * (ss - sq);
    }

    /**
     * The lower triangle of v_l v_l^T of every feature, packed row by row ({@code k (k + 1) / 2}
     * values from {@code l k (k + 1) / 2}), for rows with one other non-zero ({@link #blockStats}).
     * Computed at the start of each sweep and rewritten for a feature right after its draw
     * ({@link #refreshOuter}), so it always holds the current factors. Stored as floats (each product rounded
     * once, summed in double): half the bytes of a table read at random rows, which made a compiled
     * ML-1M sweep 57.0 ms against 66.6-68.2 ms with doubles (JMH FmSweepBenchmark, one thread).
     */
    private float[] outer;

    /**
     * Row j of {@link #outer} after j's draw. Another feature's walk reads it only if j is one of
     * its rows' other non-zeros, so never one drawn at the same time (an exclusive class), but
     * possibly one drawn later in the same sweep (a class after this one, or a group drawn one
     * feature after another).
     */
    private void refreshOuter(int j) {
        float[] v = p.v;
        int base = j * k;
        int o = j * (k * (k + 1) / 2);
        for (int f = 0; f < k; f++) {
            double vf = v[base + f];
            for (int c = 0; c <= f; c++) {
                outer[o++] = (float) (vf * v[base + c]);
            }
        }
    }

    private void computeOuter() {
        if (outer == null) {
            outer = new float[Math.max(1, d.numFeatures * (k * (k + 1) / 2))];
        }
        par.forBlocks(d.numFeatures, 4096, (b, from, to) -> {
            for (int l = from; l < to; l++) {
                refreshOuter(l);
            }
        });
    }

    /** Lays out the data for the block sweep on first use ({@link #prepareBlocks}); then q of every row when that layout needs it. */
    void prepareBlockSweep() {
        if (exOff == null && qRows == null) {
            prepareBlocks();
        }
        if (exOff == null) {
            computeRowQ();
        } else {
            computeOuter();
        }
    }

    /** Tests only: the per-row-q layout ({@link #qRows}) even where the expanded one would do. */
    boolean forceRowQ;

    /** A fresh scratch for {@link #blockConditional} (tests). */
    BlockScratch newBlockScratch() {
        return new BlockScratch(k + 1);
    }

    /**
     * Chooses the block sweep's layout: the expanded one ({@link #exOff}) for regression when the
     * rows are short (user and item ids and a few side features: at most {@link #MAX_EXPANSION}
     * times the non-zeros to copy), else per-row q ({@link #qRows}), which probit's changing
     * targets also need.
     */
    private void prepareBlocks() {
        int n = d.numRows;
        long partners = 0;
        for (int r = 0; r < n; r++) {
            long len = d.rowOff[r + 1] - d.rowOff[r];
            partners += len * (len - 1);
        }
        int nnz = d.colOff[d.numFeatures];
        if (forceRowQ || probit || partners > (long) MAX_EXPANSION * nnz || partners > Integer.MAX_VALUE - 8) {
            qRows = new float[n * k];
            return;
        }
        int[] off = new int[nnz + 1];
        int[] idx = new int[(int) partners];
        float[] val = new float[(int) partners];
        float[] target = new float[nnz];
        int o = 0;
        for (int j = 0; j < d.numFeatures; j++) {
            for (int a = d.colOff[j]; a < d.colOff[j + 1]; a++) {
                int r = d.colRow[a];
                target[a] = (float) t[r];
                off[a] = o;
                for (int b = d.rowOff[r]; b < d.rowOff[r + 1]; b++) {
                    if (d.rowIdx[b] != j) {
                        idx[o] = d.rowIdx[b];
                        val[o] = d.rowVal[b];
                        o++;
                    }
                }
            }
        }
        off[nnz] = o;
        exOff = off;
        exIdx = idx;
        exVal = val;
        exTarget = target;
    }

    /** Per thread: the rows h of one column (up to {@link #CHUNK}) and the m x m statistics (block sweep). */
    private final ThreadLocal<BlockScratch> blockScratch;

    static final class BlockScratch {
        final double[] h;
        final double[] gram;
        final double[] rhs;
        final double[] old;
        final double[] core;
        final double[] edge;
        final int[] single;
        final double[] singleWeights;
        /** The residuals of a column's rows (per-row-q layout). */
        final double[] targets;

        BlockScratch(int m) {
            single = new int[CHUNK];
            singleWeights = new double[3 * CHUNK];
            targets = new double[CHUNK];
            old = new double[m];
            core = new double[Math.max(1, (m - 1) * m / 2)];
            edge = new double[Math.max(1, m - 1)];
            h = new double[CHUNK * m];
            gram = new double[m * m];
            rhs = new double[m];
        }
    }

    /**
     * h_ij (see {@link #blockSweep}) of column entry {@code a} (row r, value x) into
     * {@code h[o .. o + k]}, from the row's q ({@link #qRows}), which holds v_j's values of before
     * the draw: {@code theta} ({@code theta[1 + f]}) when given (after the draw), else the current ones.
     */
    private void blockRow(int j, int r, double x, double[] h, int o, double[] theta) {
        float[] v = p.v;
        float[] q = qRows;
        int qb = r * k;
        int vb = j * k;
        h[o] = x;
        for (int f = 0; f < k; f++) {
            double vj = theta == null ? v[vb + f] : theta[1 + f];
            h[o + 1 + f] = x * (q[qb + f] - vj * x);
        }
    }

    /**
     * q_r of every row, row-major, for the block sweep ({@link #qRows}); summed in double, stored
     * as float.
     */
    private void computeRowQ() {
        par.forBlocks(d.numRows, ROW_BLOCK, (b, from, to) -> {
            float[] v = p.v;
            int[] off = d.rowOff;
            int[] idx = d.rowIdx;
            float[] val = d.rowVal;
            double[] acc = new double[k];
            for (int r = from; r < to; r++) {
                java.util.Arrays.fill(acc, 0);
                for (int a = off[r]; a < off[r + 1]; a++) {
                    int base = idx[a] * k;
                    double x = val[a];
                    for (int f = 0; f < k; f++) {
                        acc[f] += v[base + f] * x;
                    }
                }
                for (int f = 0; f < k; f++) {
                    qRows[r * k + f] = (float) acc[f];
                }
            }
        });
    }

    /**
     * Adds the statistics of column entries {@code [a0, a1)} of feature j ({@code a1 - a0 <= CHUNK})
     * to {@code gram} (lower triangle of H^T H) and {@code rhs}: H^T e in the per-row-q layout,
     * H^T (e + H theta_j) in the expanded one, which {@link #blockConditional} accounts for. The
     * per-row-q layout leaves the rows h in {@code sc.h} for {@link #blockApply}.
     */
    private void blockStats(int j, int a0, int a1, BlockScratch sc, double[] gram, double[] rhs) {
        if (exOff != null) {
            blockStatsExpanded(a0, a1, sc, gram, rhs);
        } else {
            blockStatsRowQ(j, a0, a1, sc, gram, rhs);
        }
    }

    /** {@link #blockStats} in the expanded layout ({@link #exOff}). */
    private void blockStatsExpanded(int a0, int a1, BlockScratch sc, double[] gram, double[] rhs) {
        int m = k + 1;
        double[] h = sc.h;
        // h = x_j (1, s) with s = q - v_j x_j from the row's other non-zeros, and the target
        // t - y(x without j), which is e + h . theta_j: rhs comes out as H^T (e + H theta_j)
        // rest = w0 + sum_l w_l x_l + 1/2 (|s|^2 - sum_l |v_l x_l|^2) over the other non-zeros l
        // Rows with one other non-zero l (user and item ids) add x_j^2 (1, x_l v_l)(1, x_l v_l)^T:
        // a multiple of l's precomputed v_l v_l^T ({@link #outer}), with no product of its own.
        float[] w = p.w;
        float[] v = p.v;
        double w0 = p.w0;
        int kk = k * (k + 1) / 2;
        double[] core = sc.core;
        double[] edge = sc.edge;
        float[] outerV = outer;
        java.util.Arrays.fill(core, 0);
        java.util.Arrays.fill(edge, 0);
        double corner = 0;
        int n = 0; // rows with several other non-zeros, their h gathered in sc.h
        int ns = 0; // rows with one: their l and weights gathered, then added four at a time
        int[] sl = sc.single;
        double[] sw = sc.singleWeights;
        for (int a = a0; a < a1; a++) {
            double x = d.colVal[a];
            int b0 = exOff[a];
            int b1 = exOff[a + 1];
            if (b1 - b0 == 1) { // h = x (1, x_l v_l); rest = w0 + w_l x_l (no pairs)
                int l = exIdx[b0];
                double xl = exVal[b0];
                double y = exTarget[a] - (w0 + w[l] * xl);
                double c0 = x * x;
                double ry = x * y;
                corner += c0;
                rhs[0] += ry;
                sl[ns] = l;
                sw[3 * ns] = c0 * xl * xl; // v_l v_l^T
                sw[3 * ns + 1] = c0 * xl;  // v_l (the first column)
                sw[3 * ns + 2] = ry * xl;  // v_l (rhs)
                ns++;
                continue;
            }
            int o = n * m;
            double rest = predictRow(exIdx, exVal, b0, b1, h, o + 1);
            for (int f = 0; f < k; f++) {
                h[o + 1 + f] *= x;
            }
            double y = exTarget[a] - rest;
            h[o] = x;
            for (int c = 0; c < m; c++) {
                rhs[c] += h[o + c] * y;
            }
            n++;
        }
        // four rows per pass over core/edge/rhs, so each accumulator is loaded and stored once
        // per four rows instead of once per row
        int e = 0;
        for (; e + 4 <= ns; e += 4) {
            int l0 = sl[e];
            int l1 = sl[e + 1];
            int l2 = sl[e + 2];
            int l3 = sl[e + 3];
            int w3 = 3 * e;
            double cc0 = sw[w3];
            double cc1 = sw[w3 + 3];
            double cc2 = sw[w3 + 6];
            double cc3 = sw[w3 + 9];
            int o0 = l0 * kk;
            int o1 = l1 * kk;
            int o2 = l2 * kk;
            int o3 = l3 * kk;
            for (int c = 0; c < kk; c++) {
                core[c] += cc0 * outerV[o0 + c] + cc1 * outerV[o1 + c] + cc2 * outerV[o2 + c] + cc3 * outerV[o3 + c];
            }
            double ce0 = sw[w3 + 1];
            double ce1 = sw[w3 + 4];
            double ce2 = sw[w3 + 7];
            double ce3 = sw[w3 + 10];
            double rv0 = sw[w3 + 2];
            double rv1 = sw[w3 + 5];
            double rv2 = sw[w3 + 8];
            double rv3 = sw[w3 + 11];
            int v0 = l0 * k;
            int v1 = l1 * k;
            int v2 = l2 * k;
            int v3 = l3 * k;
            for (int f = 0; f < k; f++) {
                double a0v = v[v0 + f];
                double a1v = v[v1 + f];
                double a2v = v[v2 + f];
                double a3v = v[v3 + f];
                edge[f] += ce0 * a0v + ce1 * a1v + ce2 * a2v + ce3 * a3v;
                rhs[1 + f] += rv0 * a0v + rv1 * a1v + rv2 * a2v + rv3 * a3v;
            }
        }
        for (; e < ns; e++) {
            int ob = sl[e] * kk;
            double cc = sw[3 * e];
            for (int c = 0; c < kk; c++) {
                core[c] += cc * outerV[ob + c];
            }
            int base = sl[e] * k;
            double ce = sw[3 * e + 1];
            double rv = sw[3 * e + 2];
            for (int f = 0; f < k; f++) {
                edge[f] += ce * v[base + f];
                rhs[1 + f] += rv * v[base + f];
            }
        }
        org.varec.linalg.Gram.addWeightedOuters(gram, m, h, null, n);
        gram[0] += corner;
        for (int f = 0; f < k; f++) {
            int row = (1 + f) * m;
            gram[row] += edge[f];
            int pc = f * (f + 1) / 2;
            for (int c = 0; c <= f; c++) {
                gram[row + 1 + c] += core[pc + c];
            }
        }
    }

    /** {@link #blockStats} in the per-row-q layout ({@link #qRows}). */
    private void blockStatsRowQ(int j, int a0, int a1, BlockScratch sc, double[] gram, double[] rhs) {
        int m = k + 1;
        double[] h = sc.h;
        double[] e = sc.targets;
        for (int a = a0; a < a1; a++) {
            int r = d.colRow[a];
            blockRow(j, r, d.colVal[a], h, (a - a0) * m, null);
            e[a - a0] = eq[2 * r];
        }
        // H^T H and H^T e in one pass over the rows h (the bits of a row-by-row loop for H^T e)
        org.varec.linalg.Gram.addWeightedOuters(gram, m, h, null, a1 - a0, e, rhs);
    }

    /** e_r -= h . delta over column entries {@code [a0, a1)}, their rows h still in {@code h} when {@code cached}. */
    private void blockApply(int j, int a0, int a1, double[] delta, double[] old, BlockScratch sc, boolean cached) {
        int m = k + 1;
        double[] h = sc.h;
        for (int a = a0; a < a1; a++) {
            int r = d.colRow[a];
            int o = (a - a0) * m;
            if (!cached) {
                blockRow(j, r, d.colVal[a], h, 0, old);
                o = 0;
            }
            double dy = 0;
            for (int c = 0; c < m; c++) {
                dy += h[o + c] * delta[c];
            }
            eq[2 * r] -= dy;
            double x = d.colVal[a];
            int qb = r * k;
            for (int f = 0; f < k; f++) {
                qRows[qb + f] += (float) (x * delta[1 + f]);
            }
        }
    }

    /**
     * The conditional of feature j's block (group g) in information form: the lower triangle of
     * its precision {@code P = alpha H^T H + diag(lambda)} into {@code sc.gram} and {@code P} times
     * its mean into {@code sc.rhs}; the current values into {@code sc.old}. The statistics are
     * summed per fixed chunk of {@link #CHUNK} entries in chunk order, on several threads for a long
     * column when {@code fork}, so the result does not depend on the thread count.
     */
    void blockConditional(int j, int g, BlockScratch sc, boolean fork) {
        int m = k + 1;
        int from = d.colOff[j];
        int len = d.colOff[j + 1] - from;
        double[] gram = sc.gram;
        double[] rhs = sc.rhs;
        java.util.Arrays.fill(gram, 0);
        java.util.Arrays.fill(rhs, 0);
        if (len <= CHUNK) {
            blockStats(j, from, from + len, sc, gram, rhs);
        } else {
            int chunks = Parallel.numBlocks(len, CHUNK);
            double[] part = new double[chunks * (m * m + m)];
            chunked(len, (c, a0, a1) -> {
                BlockScratch own = blockScratch.get();
                int o = c * (m * m + m);
                double[] pg = new double[m * m];
                double[] pr = new double[m];
                blockStats(j, from + a0, from + a1, own, pg, pr);
                System.arraycopy(pg, 0, part, o, m * m);
                System.arraycopy(pr, 0, part, o + m * m, m);
            }, fork && len > LONG_COLUMN);
            for (int c = 0; c < chunks; c++) {
                int o = c * (m * m + m);
                for (int x = 0; x < m * m; x++) {
                    gram[x] += part[o + x];
                }
                for (int x = 0; x < m; x++) {
                    rhs[x] += part[o + m * m + x];
                }
            }
        }
        // old values, the prior, and P = alpha G + diag(lambda); rhs = alpha (H^T e + G theta) + lambda mu
        double[] old = sc.old;
        old[0] = p.w[j];
        for (int f = 0; f < k; f++) {
            old[1 + f] = p.v[j * k + f];
        }
        boolean expanded = exOff != null;
        for (int x = 0; x < m; x++) {
            double gt = 0;
            for (int y = 0; !expanded && y < m; y++) {
                gt += (y <= x ? gram[x * m + y] : gram[y * m + x]) * old[y];
            }
            rhs[x] = alpha * (rhs[x] + gt) + priorPrecision(g, x) * priorMean(g, x);
        }
        for (int x = 0; x < m; x++) {
            for (int y = 0; y < x; y++) {
                gram[x * m + y] *= alpha;
            }
            gram[x * m + x] = alpha * gram[x * m + x] + priorPrecision(g, x);
        }
    }

    /**
     * The prior precision of element x of a feature's block in group g (x = 0: w_j; x = 1 + f:
     * v_jf): the group's sampled lambda (Gibbs) or the ALS penalty r1 / r2.
     */
    private double priorPrecision(int g, int x) {
        if (!gibbs) {
            return x == 0 ? reg[1] : reg[2];
        }
        return x == 0 ? lamW[g] : lamV[g * k + x - 1];
    }

    /** The prior mean of element x of a feature's block in group g: the group's sampled mu (Gibbs), 0 for ALS. */
    private double priorMean(int g, int x) {
        if (!gibbs) {
            return 0;
        }
        return x == 0 ? muW[g] : muV[g * k + x - 1];
    }

    /**
     * Draws theta_j = (w_j, v_j) of feature j in group g from its conditional ({@link #blockConditional}),
     * or (ALS, {@code rng} null) sets it to the conditional's mean: with alpha = 1, mu = 0 and
     * lambda = (r1, r2 ... r2) that is the minimiser of {@code sum e^2 + r1 w_j^2 + r2 |v_j|^2} over
     * the block, so the objective never increases.
     */
    private void updateBlock(int j, int g, Rng rng, BlockScratch sc, boolean fork) {
        int m = k + 1;
        int from = d.colOff[j];
        int len = d.colOff[j + 1] - from;
        blockConditional(j, g, sc, fork);
        double[] gram = sc.gram;
        double[] rhs = sc.rhs;
        double[] old = sc.old;
        boolean expanded = exOff != null;
        if (!org.varec.linalg.Cholesky.factor(gram, m)) {
            return; // not numerically positive definite (no data and no prior): keep the values
        }
        if (rng != null) {
            org.varec.stats.MultivariateNormal.samplePrecision(rng, gram, m, rhs);
        } else { // ALS: the block's exact minimiser, the conditional's mean
            org.varec.linalg.Cholesky.solveFactored(gram, m, rhs);
        }
        // rhs holds the draw; stored as floats, and rhs becomes the change actually made
        double[] delta = rhs;
        boolean changed = false;
        for (int x = 0; x < m; x++) {
            float stored = (float) rhs[x];
            if (x == 0) {
                p.w[j] = stored;
            } else {
                p.v[j * k + x - 1] = stored;
            }
            delta[x] = (double) stored - old[x];
            changed |= delta[x] != 0;
        }
        if (expanded && changed) {
            refreshOuter(j);
        }
        if (!changed || expanded) {
            return;
        }
        if (len <= CHUNK) {
            blockApply(j, from, from + len, delta, old, sc, true);
        } else {
            double[] dl = delta.clone();
            double[] ol = old.clone();
            chunked(len, (c, a0, a1) -> blockApply(j, from + a0, from + a1, dl, ol, blockScratch.get(), false),
                    fork && len > LONG_COLUMN);
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
        double mu = priorMean(g, f + 1);
        double lam = priorPrecision(g, f + 1);
        // exclusive classes (the whole group when it is exclusive): the features of a class touch
        // disjoint rows, so they are sampled (or solved) in parallel blocks, the classes in order
        overClasses(g, Rng.deriveSeed(Rng.deriveSeed(Rng.deriveSeed(seed, iter), f + 2L), g),
                (j, rng, fork) -> {
                    if (d.colOff[j + 1] - d.colOff[j] > LONG_COLUMN) {
                        updateLong(j, f, mu, lam, rng, fork);
                    } else if (f < 0) {
                        updateW(j, mu, lam, rng);
                    } else {
                        updateV(j, f, mu, lam, rng);
                    }
                });
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

    /** {@code task} over the fixed chunks of {@link #CHUNK} entries of a column of {@code len}, on the pool when {@code fork}. */
    private void chunked(int len, Parallel.BlockTask task, boolean fork) {
        inBlocks(len, CHUNK, fork, task);
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
