package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.optim.Adam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * Variational factorization machine (Vie, Rigaux and Kashima, Algorithm 1). Each epoch shuffles
 * the training rows (seeded); for every mini-batch B it draws S reparameterised samples of w0 and
 * of the present features' (w_k, v_k), evaluates
 * <pre>
 *   L_B = N/(|B| S) sum_s sum_{i in B} log p(y_i | x_i, theta^(s))
 *         - KL(q(w0) || N(0,1))
 *         - sum_g K_g / (sum_{k in F(B), g(k)=g} alpha_k) sum_{k in F(B), g(k)=g} alpha_k KL(q(theta_k) || p(theta_k)),
 *   alpha_k = N_k^B / N_k
 * </pre>
 * ({@link VfmEngine}) and takes one lazy Adam step on the present features' blocks and one on the
 * global block (w0, the noise precision and the group priors). Iterates are averaged (Polyak)
 * from epoch {@code average_from}: the model is the averaged iterate once averaging started, the
 * last iterate before. Single-threaded: deterministic for a given seed whatever the thread count.
 *
 * <p>The shared loop drives it through {@link FmTrainer}, on ratings or on any design matrix: one
 * epoch is one pass of mini-batch steps over the shuffled rows; it reports {@code elbo} (the mean
 * L_B / N of the pass) and, for regression, {@code noise_sd}. The snapshot is the model a stop
 * would return (the averaged iterate once averaging started).
 */
public final class VfmTrainer extends FmTrainer<VfmPosterior, VfmModel> {
    static final double SIGMA_INIT = 0.01;
    private static final long STREAM_INIT = 1;
    private static final long STREAM_EPOCH = 1_000;

    private final VfmConfig c;

    public VfmTrainer(VfmConfig config) {
        super("vfm", config.side());
        this.c = config;
    }

    @Override
    Run run(SparseDesign train, int numGroups, long seed, Parallel pool) {
        return new Run(train, numGroups, seed);
    }

    @Override
    Function<VfmPosterior, VfmModel> ratingModel(FmLayout layout) {
        return VfmModel.of(name(), layout);
    }

    /**
     * A fresh engine over the design with the initial parameters: embedding means ~ N(0, init_stdev^2)
     * from the seed's init stream, every standard deviation {@value #SIGMA_INIT}, w0 at the target
     * mean (classification: its logit) and the noise precision at 1 / the target variance.
     */
    static VfmEngine init(VfmConfig c, SparseDesign train, int numGroups, long seed) {
        int d = c.rank();
        int numFeatures = train.numFeatures();
        int[] groups = train.featureGroups() != null ? train.featureGroups() : new int[numFeatures];
        float[] y = train.targets();
        VfmEngine e = new VfmEngine(d, numFeatures, groups, numGroups, c.mcSamples(), c.classification(),
                VfmEngine.rows(train), y.length, maxRowLength(train));
        e.countFeatures();
        Rng rng = Rng.stream(seed, STREAM_INIT);
        int bs = e.bs;
        double rhoInit = VfmEngine.softplusInv(SIGMA_INIT);
        for (int k = 0; k < numFeatures; k++) {
            int o = k * bs;
            e.P[o] = 0;
            e.P[o + 1] = rhoInit;
            for (int f = 0; f < d; f++) {
                e.P[o + 2 + f] = c.initStdev() * rng.nextGaussian();
                e.P[o + 2 + d + f] = rhoInit;
            }
        }
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= Math.max(1, y.length);
        double var = 0;
        for (float v : y) {
            var += (v - mean) * (v - mean);
        }
        var /= Math.max(1, y.length);
        if (c.classification()) {
            double p = Math.min(0.99, Math.max(0.01, mean));
            e.glob[0] = Math.log(p / (1 - p));
            e.glob[2] = 0;
        } else {
            e.glob[0] = mean;
            e.glob[2] = -Math.log(Math.max(var, 1e-6));
        }
        e.glob[1] = rhoInit;
        // group priors N(0, 1): nu = 0, ell = log lambda = 0 (already)
        return e;
    }

    /** One vfm run: the engine, the Adam states, the running sums of the averaged iterate. */
    final class Run implements EpochTrainer<VfmPosterior> {
        private final long seed;
        private final int numGroups;
        private final VfmEngine e;
        private final int n;
        private final int numFeatures;
        private final Adam adamP;
        private final Adam adamG;
        /** Sums of the iterates since averaging started: per feature lazily (up to step {@code last[k]}), globals eagerly. */
        private final double[] sumP;
        private final double[] sumG;
        private final int[] last;
        private final int[] order;
        private final int batch;
        /** Averaged steps so far. */
        private int t;
        private boolean averaging;

        Run(SparseDesign train, int numGroups, long seed) {
            if (c.classification()) {
                checkBinary(train);
            }
            this.seed = seed;
            this.numGroups = numGroups;
            this.e = init(c, train, numGroups, seed);
            this.n = train.numRows();
            this.numFeatures = train.numFeatures();
            int bs = e.bs;
            this.adamP = Adam.of(numFeatures * bs, bs, c.learningRate());
            this.adamG = Adam.of(e.glob.length, e.glob.length, c.learningRate());
            this.sumP = new double[numFeatures * bs];
            this.sumG = new double[e.glob.length];
            this.last = new int[numFeatures];
            this.order = new int[n];
            for (int q = 0; q < n; q++) {
                order[q] = q;
            }
            this.batch = Math.min(c.batchSize(), Math.max(1, n));
        }

        @Override
        public int plannedEpochs() {
            return c.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            if (epoch == c.firstAveragedEpoch()) {
                averaging = true;
            }
            int bs = e.bs;
            Rng rng = Rng.stream(seed, STREAM_EPOCH + epoch);
            rng.shuffle(order);
            double elbo = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                e.collect(order, from, to);
                e.drawNoise(rng);
                elbo += e.evaluate();
                batches++;
                if (averaging) {
                    // lazy averaging: a feature absent from steps last[k]+1 .. t-1 kept its value there
                    t++;
                    for (int i = 0; i < e.nPresent; i++) {
                        int k = e.present[i];
                        int o = k * bs;
                        int gap = t - 1 - last[k];
                        for (int j = o; j < o + bs; j++) {
                            sumP[j] += e.P[j] * gap;
                        }
                        adamP.step(e.P, e.gP, k);
                        for (int j = o; j < o + bs; j++) {
                            sumP[j] += e.P[j];
                        }
                        last[k] = t;
                    }
                    adamG.stepAll(e.glob, e.gGlob);
                    for (int j = 0; j < sumG.length; j++) {
                        sumG[j] += e.glob[j];
                    }
                } else {
                    for (int i = 0; i < e.nPresent; i++) {
                        adamP.step(e.P, e.gP, e.present[i]);
                    }
                    adamG.stepAll(e.glob, e.gGlob);
                }
            }
            figures.put("elbo", elbo / batches / n);
            if (!c.classification()) {
                figures.put("noise_sd", 1 / Math.sqrt(Math.exp(e.glob[2])));
            }
        }

        /** The averaged iterate once averaging has started, else the last iterate (fresh arrays either way). */
        @Override
        public VfmPosterior snapshot() {
            if (!averaging || t == 0) {
                return VfmPosterior.fromEngine(c.classification(), c.rank(), numFeatures, numGroups, e.P, e.glob);
            }
            int bs = e.bs;
            double[] aP = new double[sumP.length];
            for (int k = 0; k < numFeatures; k++) {
                int o = k * bs;
                int gap = t - last[k];
                for (int j = o; j < o + bs; j++) {
                    aP[j] = (sumP[j] + e.P[j] * gap) / t;
                }
            }
            double[] aG = new double[sumG.length];
            for (int j = 0; j < aG.length; j++) {
                aG[j] = sumG[j] / t;
            }
            return VfmPosterior.fromEngine(c.classification(), c.rank(), numFeatures, numGroups, aP, aG);
        }
    }
}
