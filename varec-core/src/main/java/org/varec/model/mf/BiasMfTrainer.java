package org.varec.model.mf;

import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Trains {@link BiasMfModel} by SGD on the objective documented in {@link BiasMfConfig}. Per
 * rating, with {@code e = r - mu - b_u - b_i - p_u.q_i}, one step is
 * <pre>
 *   b_u += lr (e - reg_bias b_u)        b_i += lr (e - reg_bias b_i)
 *   p_u += lr (e q_i - reg p_u)         q_i += lr (e p_u - reg q_i)    (both from the old values)
 * </pre>
 * i.e. a gradient step on {@code l_ui = (e^2 + reg(|p_u|^2 + |q_i|^2) + reg_bias(b_u^2 + b_i^2)) / 2}.
 * mu is fixed at the training mean.
 *
 * <p>The shared loop ({@link org.varec.train.Training}) drives it: {@link #start} makes a {@link Run}
 * (factors drawn, ratings stratified and shuffled once), and one epoch is one pass over every
 * training rating with the learning rate {@code learning_rate * decay^(epoch-1)}.
 *
 * <p><b>Order.</b> The ratings of each stratum (below) are shuffled once, when the run starts, and
 * cut into chunks of {@value #CHUNK}; each epoch visits the chunks in a fresh seeded random order
 * and each chunk in its stored order. So consecutive steps rarely touch the same user or item
 * (they would form one dependency chain through {@code p_u}: in user order the vector loop runs
 * at half speed) and the order changes from epoch to epoch, without a full reshuffle, which cost
 * half as much as the SGD steps themselves (ML-1M: 8 ms against 15 ms per epoch; LIBMF and cornac
 * do not reshuffle at all).
 *
 * <p><b>Kernel.</b> The steps run in {@link SgdPass}: its Vector API implementation (2.5-3x faster
 * per step at K = 10-100) when the module is present and the run is long enough to repay the JIT's
 * warm-up of Vector API code (about 1.5 s of slow steps before C2 has compiled it), i.e. when
 * {@code epochs * ratings * K >= }{@value #VECTOR_WORK}; otherwise the scalar implementation. The
 * choice depends only on the data and config, so results stay reproducible.
 *
 * <p><b>Reported figures.</b> {@code train_rmse} is the root mean squared error of the epoch's
 * ratings each taken just before its own step (as LIBMF and cornac report it: no second pass over
 * the data); {@code loss} is J / N with that squared error and the penalty at the end of the epoch.
 *
 * <p><b>Threads and reproducibility.</b> With T threads (those of the pool the run is started
 * on), users and items are each split into T blocks (seeded random assignment, balanced by rating
 * count), giving T x T strata. The parameters are stored block after block ({@link State#userRow}):
 * the rows two threads write never share a cache line (but at the one cut between two blocks).
 * With the rows of the blocks interleaved, every line of the factors and biases held rows of both
 * threads, and two threads ran an epoch 3.5x slower than one (ML-1M, K = 10, this machine). An epoch is T sub-epochs; in each, T strata that share no user and
 * no item ({@code (b, (b + shift) mod T)}) are processed in parallel, each by one thread, in an
 * order fixed by the seed (DSGD, Gemulla et al. 2011). No two threads ever touch the same
 * parameter, so there are no races and the model depends only on (data, config, seed, threads).
 * With one thread this is plain SGD over one list. Different thread counts visit ratings
 * in different orders and give different (equally good) models.
 */
public final class BiasMfTrainer implements Trainer<BiasMfModel> {
    private static final long STREAM_USER_INIT = 0;
    private static final long STREAM_ITEM_INIT = 1;
    private static final long STREAM_USER_BLOCKS = 2;
    private static final long STREAM_ITEM_BLOCKS = 3;
    private static final long STREAM_ORDER = 4;
    private static final long STREAM_EPOCH = 1_000;
    /** Ratings per chunk of the per-epoch visiting order (48 KiB of triples). */
    static final int CHUNK = 4096;
    /**
     * Planned work {@code epochs * ratings * K} from which the Vector API pass is used. Break-even
     * of ~1.5 s of warm-up against a saving of about 0.8 K ns per step (ML-1M, one thread: 15 against
     * 8 ns per step at K = 10, 130 against 43 at K = 100): 2e9 / K steps, e.g. 22 epochs of ML-1M
     * at K = 100, 220 at K = 10.
     */
    static final double VECTOR_WORK = 2e9;

    private final BiasMfConfig config;

    public BiasMfTrainer(BiasMfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "biasmf";
    }

    /** Whether the SGD steps run on the JDK Vector API ({@link SgdPass}); for benchmarks and tests. */
    public static boolean vectorized() {
        return SgdPass.vectorized();
    }

    /** Draws the initial factors and stratifies the ratings over the pool's threads (the DSGD blocks). */
    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(new State(data.ratings(), config, seed, pool.threads()), pool);
    }

    /**
     * One run: an epoch is one stratified SGD pass ({@link State#epoch}); it reports {@code loss}
     * (J divided by the number of ratings) and {@code train_rmse}, both from the pass itself.
     */
    public static final class Run implements EpochTrainer<BiasMfModel> {
        private final State s;
        private final Parallel par;

        Run(State s, Parallel pool) {
            this.s = s;
            this.par = pool;
        }

        @Override
        public int plannedEpochs() {
            return s.c.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            double sse = s.epoch(par, epoch);
            double[] loss = s.loss(sse);
            figures.put("loss", loss[0]);
            figures.put("train_rmse", loss[1]);
        }

        /** The current parameters (sharing the arrays: valid until the next epoch). */
        @Override
        public BiasMfModel snapshot() {
            return s.model();
        }
    }

    /**
     * The parameters and the stratified, shuffled rating list of one training run. Public so that
     * benchmarks ({@code varec-bench} SgdEpochBenchmark) can time single epochs; not a stable API.
     */
    public static final class State {
        final RatingMatrix m;
        final BiasMfConfig c;
        final long seed;
        final int blocks;
        final int k;
        final float mu;
        final float[] p;
        final float[] q;
        final float[] bu;
        final float[] bi;
        /**
         * The storage row of each user and item: the rows of one block are adjacent (blocks in
         * order, rows of a block in index order), so threads write disjoint stretches of memory.
         * {@code p}, {@code q}, {@code bu}, {@code bi} and the triples use storage rows;
         * {@link #model()} maps them back. The identity with one block.
         */
        final int[] userRow;
        final int[] itemRow;
        /** Ratings as (user row, item row, float bits) triples, grouped by stratum, shuffled within it. */
        final int[] triples;
        /** Stratum s = userBlock * blocks + itemBlock holds triples [off[s], off[s + 1]). */
        final int[] off;
        /** The SGD pass of this run (see "Kernel" in the class comment). */
        final SgdPass pass;

        public State(RatingMatrix m, BiasMfConfig c, long seed, int threads) {
            this.m = m;
            this.c = c;
            this.seed = seed;
            this.blocks = threads;
            this.k = c.rank();
            this.mu = (float) m.mean();
            this.pass = (double) c.epochs() * m.nnz() * k >= VECTOR_WORK ? SgdPass.CHOSEN : SgdPass.SCALAR;
            int nu = m.numUsers();
            int ni = m.numItems();
            p = new float[Math.multiplyExact(nu, k)];
            q = new float[Math.multiplyExact(ni, k)];
            bu = new float[nu];
            bi = new float[ni];
            fillGaussian(p, Rng.stream(seed, STREAM_USER_INIT), c.initStdev());
            fillGaussian(q, Rng.stream(seed, STREAM_ITEM_INIT), c.initStdev());

            int[] ub = assignBlocks(m.userOffsets(), nu, blocks, Rng.stream(seed, STREAM_USER_BLOCKS));
            int[] ib = assignBlocks(m.itemOffsets(), ni, blocks, Rng.stream(seed, STREAM_ITEM_BLOCKS));
            userRow = rowsByBlock(ub, blocks);
            itemRow = rowsByBlock(ib, blocks);
            int strata = blocks * blocks;
            off = new int[strata + 1];
            int[] uo = m.userOffsets();
            int[] items = m.userItems();
            float[] vals = m.userValues();
            for (int u = 0; u < nu; u++) {
                for (int t = uo[u]; t < uo[u + 1]; t++) {
                    off[ub[u] * blocks + ib[items[t]] + 1]++;
                }
            }
            for (int s = 0; s < strata; s++) {
                off[s + 1] += off[s];
            }
            triples = new int[Math.multiplyExact(3, m.nnz())];
            int[] next = java.util.Arrays.copyOf(off, strata);
            for (int u = 0; u < nu; u++) {
                for (int t = uo[u]; t < uo[u + 1]; t++) {
                    int at = 3 * next[ub[u] * blocks + ib[items[t]]]++;
                    triples[at] = userRow[u];
                    triples[at + 1] = itemRow[items[t]];
                    triples[at + 2] = Float.floatToRawIntBits(vals[t]);
                }
            }
            for (int s = 0; s < strata; s++) {
                shuffleTriples(triples, off[s], off[s + 1], Rng.stream(Rng.deriveSeed(seed, STREAM_ORDER), s));
            }
        }

        /** Learning rate of epoch {@code epoch} (1-based). */
        double learningRate(int epoch) {
            return c.learningRate() * Math.pow(c.decay(), epoch - 1);
        }

        /**
         * One epoch: {@code blocks} sub-epochs of {@code blocks} disjoint strata each, every stratum's
         * chunks in a seeded random order. Returns the sum of the squared errors met on the way.
         */
        public double epoch(Parallel par, int epoch) {
            float lr = (float) learningRate(epoch);
            float reg = (float) c.reg();
            float regB = (float) c.regBias();
            long epochSeed = Rng.deriveSeed(seed, STREAM_EPOCH + epoch);
            int[] shifts = Rng.stream(epochSeed, 0).permutation(blocks);
            double[] sse = new double[blocks];
            double total = 0;
            for (int d = 0; d < blocks; d++) {
                int shift = shifts[d];
                par.forBlocks(blocks, 1, (b, from, to) -> {
                    int s = b * blocks + (b + shift) % blocks;
                    int lo = off[s];
                    int hi = off[s + 1];
                    int chunks = (hi - lo + CHUNK - 1) / CHUNK;
                    double e2 = 0;
                    for (int ch : Rng.stream(epochSeed, 1 + s).permutation(chunks)) {
                        int at = lo + ch * CHUNK;
                        e2 += pass.run(triples, at, Math.min(hi, at + CHUNK), p, q, bu, bi, k, mu, lr, reg, regB);
                    }
                    sse[b] = e2;
                });
                for (double e2 : sse) {
                    total += e2;
                }
            }
            return total;
        }

        /**
         * {@code [J / N, train RMSE]} with J the regularized objective of {@link BiasMfConfig}: the
         * squared errors {@code sse} met during the epoch, the penalty of the current parameters.
         */
        double[] loss(double sse) {
            double r = penalty(0, m.userOffsets(), userRow, p, bu, k, c.reg(), c.regBias());
            r = penalty(r, m.itemOffsets(), itemRow, q, bi, k, c.reg(), c.regBias());
            double n = Math.max(1, m.nnz());
            return new double[] {(sse + r) / n, Math.sqrt(sse / n)};
        }

        /**
         * {@code r + sum_x n_x (reg |f_x|^2 + regB b_x^2)} over the rows of one side, in index order
         * ({@code n_x} from the CSR offsets, storage row {@code row[x]}). One method with its loops
         * inline: it runs once an epoch, so the JIT compiles it only from its loops' counts, and
         * calls per row kept it interpreted (3-5 ms an epoch on ML-1M) for the first 6-7 epochs.
         */
        private static double penalty(double r, int[] offsets, int[] row, float[] f, float[] b, int k, double reg,
                                      double regB) {
            for (int x = 0; x < row.length; x++) {
                int o = row[x] * k;
                double s = 0;
                for (int e = o; e < o + k; e++) {
                    s += (double) f[e] * f[e];
                }
                double bx = b[row[x]];
                r += (offsets[x + 1] - offsets[x]) * (reg * s + regB * bx * bx);
            }
            return r;
        }

        /** The current parameters as a model (sharing the arrays: only for reading between epochs). */
        BiasMfModel model() {
            if (blocks == 1) { // storage rows are the indices
                return new BiasMfModel(k, mu, bu, bi, p, q, c.reg(), c.regBias());
            }
            return new BiasMfModel(k, mu, byIndex(bu, userRow, 1), byIndex(bi, itemRow, 1), byIndex(p, userRow, k),
                    byIndex(q, itemRow, k), c.reg(), c.regBias());
        }

        /** Rows of {@code a} ({@code width} floats each) from storage order back to index order. */
        private static float[] byIndex(float[] a, int[] row, int width) {
            float[] out = new float[a.length];
            for (int x = 0; x < row.length; x++) {
                System.arraycopy(a, row[x] * width, out, x * width, width);
            }
            return out;
        }
    }

    /**
     * One SGD step on rating {@code r} of (u, i) (see the class comment for the update); returns
     * the error {@code e} before the step. The reference for {@link SgdPass}.
     */
    static float step(int u, int i, float r, float[] p, float[] q, float[] bu, float[] bi, int k, float mu,
                     float lr, float reg, float regB) {
        int po = u * k;
        int qo = i * k;
        float d0 = 0;
        float d1 = 0;
        float d2 = 0;
        float d3 = 0;
        int f = 0;
        for (; f + 3 < k; f += 4) {
            d0 += p[po + f] * q[qo + f];
            d1 += p[po + f + 1] * q[qo + f + 1];
            d2 += p[po + f + 2] * q[qo + f + 2];
            d3 += p[po + f + 3] * q[qo + f + 3];
        }
        for (; f < k; f++) {
            d0 += p[po + f] * q[qo + f];
        }
        float bU = bu[u];
        float bI = bi[i];
        float e = r - (mu + bU + bI + ((d0 + d1) + (d2 + d3)));
        bu[u] = bU + lr * (e - regB * bU);
        bi[i] = bI + lr * (e - regB * bI);
        float le = lr * e;
        float decay = 1 - lr * reg;
        for (f = 0; f < k; f++) {
            float pf = p[po + f];
            float qf = q[qo + f];
            p[po + f] = decay * pf + le * qf;
            q[qo + f] = decay * qf + le * pf;
        }
        return e;
    }

    /** Fisher-Yates over the triples {@code [from, to)}. */
    static void shuffleTriples(int[] tr, int from, int to, Rng rng) {
        for (int t = to - 1; t > from; t--) {
            int j = from + rng.nextInt(t - from + 1);
            int a = 3 * t;
            int b = 3 * j;
            int x0 = tr[a];
            int x1 = tr[a + 1];
            int x2 = tr[a + 2];
            tr[a] = tr[b];
            tr[a + 1] = tr[b + 1];
            tr[a + 2] = tr[b + 2];
            tr[b] = x0;
            tr[b + 1] = x1;
            tr[b + 2] = x2;
        }
    }

    /**
     * A seeded random assignment of rows to {@code blocks} blocks with about equal numbers of
     * ratings: rows in random order, cut where the running count passes each 1/blocks share.
     */
    static int[] assignBlocks(int[] offsets, int n, int blocks, Rng rng) {
        int[] block = new int[n];
        if (blocks == 1) {
            return block;
        }
        int[] order = rng.permutation(n);
        long total = offsets[n];
        long cum = 0;
        for (int x : order) {
            int cnt = offsets[x + 1] - offsets[x];
            long mid = 2 * cum + cnt; // twice the row's midpoint
            block[x] = total == 0 ? 0 : (int) Math.min(blocks - 1, mid * blocks / (2 * total));
            cum += cnt;
        }
        return block;
    }

    /** Storage row of each index: blocks in order, indices of a block in ascending order. */
    static int[] rowsByBlock(int[] block, int blocks) {
        int[] start = new int[blocks + 1];
        for (int b : block) {
            start[b + 1]++;
        }
        for (int b = 0; b < blocks; b++) {
            start[b + 1] += start[b];
        }
        int[] row = new int[block.length];
        for (int x = 0; x < block.length; x++) {
            row[x] = start[block[x]]++;
        }
        return row;
    }

    private static void fillGaussian(float[] a, Rng rng, double sd) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (sd * rng.nextGaussian());
        }
    }
}
