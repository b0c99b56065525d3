package org.varec.model.bpmf;

import org.varec.data.RatingMatrix;
import org.varec.linalg.OuterTable;
import org.varec.model.Trainer;
import org.varec.model.als.AlsConfig;
import org.varec.model.als.AlsModel;
import org.varec.model.als.AlsTrainer;
import org.varec.stats.Gamma;
import org.varec.stats.NormalWishart;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Bayesian probabilistic matrix factorization with biases by Gibbs sampling (Salakhutdinov and
 * Mnih 2008). Ratings {@code r_ui ~ N(mu + b_u + b_i + u.v, 1/alpha)} with {@code mu} the training
 * mean; the augmented rows {@code [u; b_u]} are {@code N(mu_U, Lambda_U^-1)} with a Normal-Wishart
 * hyperprior on {@code (mu_U, Lambda_U)} (beta0 = 2, W0 = I, mu0 = 0, nu0 = K + 1), the same for
 * items; alpha fixed or Gamma-sampled; optionally per-user and per-item noise multipliers
 * ({@code noise_shape}: rating precision {@code alpha c_u c_i}, {@code c ~ Gamma(a, a)}). The
 * conditionals are written out in {@code docs/bpmf.md}.
 *
 * <p>One sweep (one sample): the hyperparameters of both sides given the rows, every user row given
 * the items (in parallel: rows are conditionally independent), every item row given the users, the
 * noise multipliers (users, then items), then alpha given all. Rows are cut into fixed blocks,
 * each with its own RNG stream derived from (seed, sweep, side, block), so the result depends on
 * the seed only, not on the thread count.
 *
 * <p>The shared loop ({@link org.varec.train.Training}) drives it: {@link #start} sets the starting
 * point ({@code init=als}: ALS sweeps on the same pool) and one epoch is one sweep, reporting
 * {@code train_rmse} of the running posterior-mean prediction over the samples kept so far (of the
 * current sample before any is kept), {@code sample_rmse} of the current sample and {@code alpha}.
 * Its snapshot is the model of the samples kept so far, and there is none during burn-in, so the
 * loop's validation figures (and stop rules on them) start with the first kept sample. The result
 * is the model of the kept samples, or of the last state when a stop rule ended the run before any
 * was kept.
 */
public final class BpmfTrainer implements Trainer<BpmfModel> {
    static final int BLOCK = 64;
    private final BpmfConfig config;

    public BpmfTrainer(BpmfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "bpmf";
    }

    /** Allocates the chain and its sample store, and sets the starting point ({@link #initialize}) on {@code pool}. */
    @Override
    public EpochTrainer<BpmfModel> start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /**
     * One Gibbs chain: an epoch is one sweep, i.e. one sample. It reports {@code train_rmse} of the
     * running posterior-mean prediction over the samples kept so far (of the current sample before
     * any is kept), {@code sample_rmse} of the current sample and {@code alpha}, all on the training
     * ratings.
     */
    private final class Run implements EpochTrainer<BpmfModel> {
        private final RatingMatrix m;
        private final long seed;
        private final double mu;
        private final double[] u;
        private final double[] v;
        private final SampleStore store;
        private final Sampler sampler;
        /** Per training rating (CSR order), the sum of the kept samples' predictions. */
        private final double[] trainSum;
        /** [mu_U, Lambda_U, mu_V, Lambda_V] of the current sweep. */
        private final double[] hyper;
        private double alpha;
        private int kept;

        Run(TrainingData data, long seed, Parallel pool) {
            this.m = data.ratings();
            this.seed = seed;
            int k = config.rank();
            int d = k + 1;
            this.mu = m.nnz() == 0 ? 0 : m.mean();
            this.u = new double[m.numUsers() * d];
            this.v = new double[m.numItems() * d];
            this.store = new SampleStore(k, m.numUsers(), m.numItems(), Math.max(1, config.keptCount()));
            initialize(data, seed, pool, u, v, k);
            this.sampler = new Sampler(pool, m, mu, k, u, v, seed, config.noiseShape());
            this.alpha = config.alpha();
            this.trainSum = new double[m.nnz()];
            this.hyper = new double[2 * (d + d * d)];
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int it, EpochReport.Builder figures) {
            sampler.sweep(it, alpha, hyper);
            boolean keep = config.kept(it);
            if (keep) {
                kept++;
            }
            double[] sse = sampler.pass(trainSum, keep, kept);
            Rng nr = Rng.stream(Rng.deriveSeed(seed, 4L * it + 3), 0);
            double weighted = sampler.noise(it, alpha, nr, sse[0]);
            if (config.sampleAlpha()) {
                alpha = Gamma.sample(nr, BpmfConfig.ALPHA_SHAPE + 0.5 * m.nnz(),
                        BpmfConfig.ALPHA_RATE + 0.5 * weighted);
            }
            if (keep) {
                store.add(u, v, sampler.cu, sampler.ci, hyper, alpha);
            }
            double nnz = Math.max(1, m.nnz());
            figures.put("train_rmse", Math.sqrt(sse[1] / nnz));
            figures.put("sample_rmse", Math.sqrt(sse[0] / nnz));
            figures.put("alpha", alpha);
        }

        /**
         * The model of the samples kept so far; null during burn-in (there is no posterior mean
         * yet), so validation figures, and stop rules on them, wait for the first kept sample.
         */
        @Override
        public BpmfModel snapshot() {
            return store.size() == 0 ? null : store.model(mu, config.noiseShape());
        }

        /** The kept samples; when a stop rule fired before any was kept, the last state as the one sample. */
        @Override
        public BpmfModel result(int epochs) {
            if (store.size() == 0) {
                store.add(u, v, sampler.cu, sampler.ci, hyper, alpha);
            }
            return store.model(mu, config.noiseShape());
        }
    }

    /**
     * The kept samples, written straight into the model's user-major layout
     * ({@code rows[(r*cap + q)*d + f]} for sample q), so training never holds a second copy;
     * compacted when fewer than {@code cap} samples were kept (a snapshot during the run, or a
     * stop rule fired).
     */
    static final class SampleStore {
        private final int k;
        private final int d;
        private final int nu;
        private final int ni;
        private final int cap;
        private final float[] ur;
        private final float[] vr;
        private final float[] cu;
        private final float[] ci;
        private final double[] alpha;
        private double[] hyper;
        private int count;

        SampleStore(int k, int nu, int ni, int cap) {
            this.k = k;
            this.d = k + 1;
            this.nu = nu;
            this.ni = ni;
            this.cap = cap;
            if ((long) Math.max(nu, ni) * cap * d > org.varec.io.ModelIo.MAX_ELEMENTS) {
                throw new IllegalArgumentException("keeping " + cap + " samples of " + Math.max(nu, ni)
                        + " rows at rank " + k + " exceeds one array; lower keep (or raise thin)");
            }
            this.ur = new float[nu * cap * d];
            this.vr = new float[ni * cap * d];
            this.cu = new float[nu * cap];
            this.ci = new float[ni * cap];
            this.alpha = new double[cap];
        }

        int size() {
            return count;
        }

        void add(double[] u, double[] v, double[] cuNow, double[] ciNow, double[] hyperNow, double alphaNow) {
            int q = count;
            if (hyper == null) {
                hyper = new double[cap * hyperNow.length];
            }
            put(u, ur, nu, q);
            put(v, vr, ni, q);
            for (int r = 0; r < nu; r++) {
                cu[r * cap + q] = (float) cuNow[r];
            }
            for (int r = 0; r < ni; r++) {
                ci[r * cap + q] = (float) ciNow[r];
            }
            System.arraycopy(hyperNow, 0, hyper, q * hyperNow.length, hyperNow.length);
            alpha[q] = alphaNow;
            count++;
        }

        private void put(double[] src, float[] dst, int rows, int q) {
            for (int r = 0; r < rows; r++) {
                int o = (r * cap + q) * d;
                int i = r * d;
                for (int x = 0; x < d; x++) {
                    dst[o + x] = (float) src[i + x];
                }
            }
        }

        /** The model of the samples stored so far (at least one); it shares the arrays once the store is full. */
        BpmfModel model(double mu, double noiseShape) {
            int s = count;
            int hl = hyper.length / cap;
            if (s == cap) {
                return new BpmfModel(k, s, nu, ni, mu, ur, vr, alpha, noiseShape, cu, ci, hyper);
            }
            return new BpmfModel(k, s, nu, ni, mu, compact(ur, nu, d, s), compact(vr, ni, d, s),
                    java.util.Arrays.copyOf(alpha, s), noiseShape, compact(cu, nu, 1, s), compact(ci, ni, 1, s),
                    java.util.Arrays.copyOf(hyper, s * hl));
        }

        private float[] compact(float[] a, int rows, int width, int s) {
            float[] out = new float[rows * s * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(a, r * cap * width, out, r * s * width, s * width);
            }
            return out;
        }
    }

    /**
     * The starting point: {@code init_sweeps} sweeps of an ALS run (ALS's default priors and its
     * random start from {@code seed}) on the chain's own pool, or N(0, 0.1^2) factors and zero
     * biases.
     */
    void initialize(TrainingData data, long seed, Parallel pool, double[] u, double[] v, int k) {
        int d = k + 1;
        if (config.init() == BpmfConfig.Init.ALS && data.ratings().nnz() > 0) {
            AlsConfig alsDefaults = AlsConfig.defaults();
            AlsConfig ac = new AlsConfig(k, alsDefaults.lambda(), alsDefaults.tau(), alsDefaults.gamma(),
                    config.initSweeps(), alsDefaults.initStdev());
            AlsTrainer.Run als = AlsTrainer.plain(ac).start(data, seed, pool);
            for (int sweep = 0; sweep < config.initSweeps(); sweep++) {
                als.sweep();
            }
            AlsModel a = als.snapshot();
            copyRows(a.userFactors(), a.userBiases(), u, k);
            copyRows(a.itemFactors(), a.itemBiases(), v, k);
            return;
        }
        Rng rng = Rng.stream(seed, 0x1717);
        for (int r = 0; r < u.length / d; r++) {
            for (int x = 0; x < k; x++) {
                u[r * d + x] = 0.1 * rng.nextGaussian();
            }
        }
        for (int r = 0; r < v.length / d; r++) {
            for (int x = 0; x < k; x++) {
                v[r * d + x] = 0.1 * rng.nextGaussian();
            }
        }
    }

    private static void copyRows(float[] f, float[] b, double[] out, int k) {
        int d = k + 1;
        for (int r = 0; r < b.length; r++) {
            for (int x = 0; x < k; x++) {
                out[r * d + x] = f[r * k + x];
            }
            out[r * d + k] = b[r];
        }
    }

    /** The Gibbs state and its passes. */
    static final class Sampler {
        final Parallel par;
        final RatingMatrix m;
        final double mu;
        final int k;
        final int d;
        final double[] u;
        final double[] v;
        final long seed;
        final NormalWishart nw;
        final double[] lamU;
        final double[] linU;
        final double[] muU;
        final double[] lamV;
        final double[] linV;
        final double[] muV;
        /** Noise shape a of the per-user and per-item precision multipliers (0: none, all 1). */
        final double shape;
        final double[] cu;
        final double[] ci;
        /** Squared residuals of the current sample, CSR order (only with per-row noise). */
        final float[] e2;
        /** The other side's outer products for each half-sweep where they pay ({@link OuterTable#pays}). */
        final OuterTable table;

        Sampler(Parallel par, RatingMatrix m, double mu, int k, double[] u, double[] v, long seed, double shape) {
            this.par = par;
            this.m = m;
            this.mu = mu;
            this.k = k;
            this.d = k + 1;
            this.u = u;
            this.v = v;
            this.seed = seed;
            this.nw = NormalWishart.standard(d, BpmfConfig.BETA0, d);
            this.lamU = new double[d * d];
            this.linU = new double[d];
            this.muU = new double[d];
            this.lamV = new double[d * d];
            this.linV = new double[d];
            this.muV = new double[d];
            this.shape = shape;
            this.cu = new double[m.numUsers()];
            this.ci = new double[m.numItems()];
            java.util.Arrays.fill(cu, 1.0);
            java.util.Arrays.fill(ci, 1.0);
            this.e2 = shape > 0 ? new float[m.nnz()] : null;
            this.table = new OuterTable(k);
        }

        /**
         * One sweep: hyperparameters (both sides), users, items. {@code hyper} receives
         * [mu_U, Lambda_U, mu_V, Lambda_V] of this sweep.
         */
        void sweep(int it, double alpha, double[] hyper) {
            Rng hr = Rng.stream(Rng.deriveSeed(seed, 4L * it), 0);
            nw.sample(hr, u, m.numUsers(), d, muU, lamU);
            nw.sample(hr, v, m.numItems(), d, muV, lamV);
            linear(lamU, muU, linU);
            linear(lamV, muV, linV);
            System.arraycopy(muU, 0, hyper, 0, d);
            System.arraycopy(lamU, 0, hyper, d, d * d);
            System.arraycopy(muV, 0, hyper, d + d * d, d);
            System.arraycopy(lamV, 0, hyper, 2 * d + d * d, d * d);
            side(m.userOffsets(), m.userItems(), m.userValues(), v, u, alpha, lamU, linU,
                    Rng.deriveSeed(seed, 4L * it + 1), cu, ci);
            side(m.itemOffsets(), m.itemUsers(), m.itemValues(), u, v, alpha, lamV, linV,
                    Rng.deriveSeed(seed, 4L * it + 2), ci, cu);
        }

        private void linear(double[] lam, double[] mean, double[] out) {
            for (int x = 0; x < d; x++) {
                double s = 0;
                for (int y = 0; y < d; y++) {
                    s += lam[x * d + y] * mean[y];
                }
                out[x] = s;
            }
        }

        void side(int[] off, int[] idx, float[] val, double[] other, double[] target, double alpha,
                  double[] lam, double[] lin, long sideSeed, double[] rowC, double[] otherC) {
            int rows = off.length - 1;
            double[] weight = shape > 0 ? otherC : null;
            // the other side's outer products (times their noise multipliers) from a table where it
            // fits the cache, as ALS does (OuterTable.pays; docs/bpmf.md, "Speed")
            int otherRows = other.length / d;
            OuterTable tab = OuterTable.pays(k, otherRows) ? table : null;
            if (tab != null) {
                tab.fill(other, d, weight, otherRows, par);
            }
            par.forBlocks(rows, BLOCK, (b, from, to) -> {
                RowSampler rs = new RowSampler(k);
                Rng rng = Rng.stream(sideSeed, b);
                for (int r = from; r < to; r++) {
                    if (tab != null) {
                        rs.sample(tab, other, weight, idx, val, off[r], off[r + 1], mu, alpha * rowC[r], lam, lin,
                                rng, target, r * d);
                    } else {
                        rs.sample(other, weight, idx, val, off[r], off[r + 1], mu, alpha * rowC[r], lam, lin, rng,
                                target, r * d);
                    }
                }
            });
        }

        /**
         * With per-row noise: draws every user multiplier {@code c_u ~ Gamma(a + n_u/2, a + alpha/2
         * sum_i c_i e_ui^2)}, then every item's {@code c_i} likewise given the new {@code c_u}, from
         * the residuals of the last {@link #pass}. Returns {@code sum c_u c_i e^2} (the plain SSE
         * without per-row noise), the statistic of alpha's conditional.
         */
        double noise(int it, double alpha, Rng rng, double sse) {
            if (shape <= 0) {
                return sse;
            }
            int nu = m.numUsers();
            int ni = m.numItems();
            int[] off = m.userOffsets();
            int[] items = m.userItems();
            long userSeed = Rng.deriveSeed(seed, 4L * it + 3);
            par.forBlocks(nu, BLOCK * 4, (b, from, to) -> {
                Rng r = Rng.stream(userSeed, b + 1);
                for (int a = from; a < to; a++) {
                    double acc = 0;
                    for (int p = off[a]; p < off[a + 1]; p++) {
                        acc += ci[items[p]] * e2[p];
                    }
                    cu[a] = Gamma.sample(r, shape + 0.5 * (off[a + 1] - off[a]), shape + 0.5 * alpha * acc);
                }
            });
            double[] acc = new double[ni];
            for (int a = 0; a < nu; a++) {
                double c = cu[a];
                for (int p = off[a]; p < off[a + 1]; p++) {
                    acc[items[p]] += c * e2[p];
                }
            }
            int[] ioff = m.itemOffsets();
            double weighted = 0;
            for (int i = 0; i < ni; i++) {
                ci[i] = Gamma.sample(rng, shape + 0.5 * (ioff[i + 1] - ioff[i]), shape + 0.5 * alpha * acc[i]);
                weighted += ci[i] * acc[i];
            }
            return weighted;
        }

        /**
         * Predictions of the current sample on every training rating: returns {sse of the current
         * sample, sse of the running mean}; adds the current prediction to {@code sum} when kept.
         */
        double[] pass(double[] sum, boolean keep, int kept) {
            int nu = m.numUsers();
            int[] off = m.userOffsets();
            int[] items = m.userItems();
            float[] vals = m.userValues();
            int blocks = Parallel.numBlocks(nu, BLOCK * 4);
            double[] part = new double[2 * blocks];
            par.forBlocks(nu, BLOCK * 4, (b, from, to) -> {
                double s0 = 0;
                double s1 = 0;
                for (int r = from; r < to; r++) {
                    int ub = r * d;
                    double base = mu + u[ub + k];
                    for (int p = off[r]; p < off[r + 1]; p++) {
                        int ib = items[p] * d;
                        double pred = base + v[ib + k];
                        for (int x = 0; x < k; x++) {
                            pred += u[ub + x] * v[ib + x];
                        }
                        double e = vals[p] - pred;
                        s0 += e * e;
                        if (e2 != null) {
                            e2[p] = (float) (e * e);
                        }
                        double mean = pred;
                        if (keep) {
                            sum[p] += pred;
                        }
                        if (kept > 0) {
                            mean = sum[p] / kept;
                        }
                        double e1 = vals[p] - mean;
                        s1 += e1 * e1;
                    }
                }
                part[2 * b] = s0;
                part[2 * b + 1] = s1;
            });
            double[] out = new double[2];
            for (int b = 0; b < blocks; b++) {
                out[0] += part[2 * b];
                out[1] += part[2 * b + 1];
            }
            return out;
        }
    }
}
