package org.varec.model.sbm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Trainer;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * The infinite relational model (Kemp, Tenenbaum, Griffiths, Yamada and Ueda 2006) by collapsed
 * Gibbs sampling. Vertices fall into groups drawn from a Chinese restaurant process with
 * concentration alpha; the pair (i, j) links with probability {@code eta_{z_i z_j}}, and every block
 * probability {@code eta_ab ~ Beta(a, b)} is integrated out, so the state is the partition alone
 * ({@link IrmChain}). Only observed (training) pairs count: held-out pairs are neither links nor
 * non-links. Equations and choices: {@code docs/networks.md}.
 *
 * <p>A network's training matrix (each pair in both orientations, {@link org.varec.data.Networks})
 * gets one partition of its vertices; any other matrix (users x items ratings) a partition of the
 * users and one of the items, with ratings scaled onto [0, 1] from the rating scale (or the
 * training range when the scale is unbounded) and counted as fractional successes
 * ({@code relation}).
 *
 * <p>One epoch is one sweep: every vertex is removed from its group and reassigned from its
 * conditional (an existing group a with weight {@code n_a} times the change in the block marginal
 * likelihoods, a new group with weight alpha times the marginal likelihood of its pairs alone), in
 * a random order from the seeded generator; then alpha is resampled given the partition (slice
 * sampling on log alpha under a Gamma(1, 1) prior) when {@code sample_alpha}. Figures:
 * {@code groups} (and {@code item_groups} for a bipartite relation), {@code alpha},
 * {@code log_joint} = {@code log p(data, groups | alpha)} and {@code train_loglik}, the mean
 * Bernoulli log-likelihood of the training pairs under the current sample's posterior-mean blocks.
 * Single-threaded, so the result depends on the seed only.
 *
 * <p>The snapshot is the model of the samples kept so far, none during burn-in (as bpmf); the
 * result is the model of the kept samples, or of the last state when a stop rule ended the run
 * before any was kept.
 */
public final class IrmTrainer implements Trainer<IrmModel> {
    private final IrmConfig config;

    public IrmTrainer(IrmConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "irm";
    }

    @Override
    public EpochTrainer<IrmModel> start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed);
    }

    /** Whether a training matrix is a network's: square, symmetric (values included) and without diagonal. */
    static boolean isNetwork(RatingMatrix m) {
        if (m.numUsers() != m.numItems()) {
            return false;
        }
        if (!Arrays.equals(m.userOffsets(), m.itemOffsets()) || !Arrays.equals(m.userItems(), m.itemUsers())
                || !Arrays.equals(m.userValues(), m.itemValues())) {
            return false;
        }
        int[] off = m.userOffsets();
        int[] idx = m.userItems();
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = off[u]; p < off[u + 1]; p++) {
                if (idx[p] == u) {
                    return false;
                }
            }
        }
        return true;
    }

    private final class Run implements EpochTrainer<IrmModel> {
        private final IrmChain chain;
        private final Rng rng;
        private final double lo;
        private final double hi;
        private final Samples store;
        private double alpha;

        Run(TrainingData data, long seed) {
            RatingMatrix m = data.ratings();
            boolean network = isNetwork(m);
            boolean sym = switch (config.relation()) {
                case AUTO -> network;
                case SYMMETRIC -> {
                    if (!network) {
                        throw new IllegalArgumentException("irm relation=symmetric needs a network (a square, "
                                + "symmetric training matrix without diagonal: --format adjacency or edges); got "
                                + m.numUsers() + " x " + m.numItems() + " ratings (use relation=bipartite or auto)");
                    }
                    yield true;
                }
                case BIPARTITE -> false;
            };
            double[] range = range(m, data.scale());
            this.lo = range[0];
            this.hi = range[1];
            float[] rv = scaled(m.userValues());
            float[] cv = scaled(m.itemValues());
            boolean binary = true;
            for (float x : rv) {
                if (x != 0f && x != 1f) {
                    binary = false;
                    break;
                }
            }
            this.rng = new Rng(Rng.deriveSeed(seed, 0x1e3_0001L));
            this.chain = new IrmChain(m, rv, cv, binary, sym, config.betaA(), config.betaB(), config.initGroups(), rng);
            this.alpha = config.alpha();
            this.store = new Samples(sym, m.numUsers(), m.numItems(), lo, hi);
        }

        private float[] scaled(float[] values) {
            float[] out = new float[values.length];
            double w = hi - lo;
            for (int p = 0; p < values.length; p++) {
                out[p] = (float) Math.min(1, Math.max(0, (values[p] - lo) / w));
            }
            return out;
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int it, EpochReport.Builder figures) {
            chain.sweep(rng, alpha);
            int accepted = chain.splitMerge(rng, alpha, config.splitMerge());
            if (config.sampleAlpha()) {
                alpha = chain.sampleAlpha(alpha, rng, IrmConfig.ALPHA_SHAPE, IrmConfig.ALPHA_RATE);
            }
            double lj = chain.logJoint(alpha);
            if (config.kept(it)) {
                store.add(chain, alpha, lj);
            }
            figures.put("groups", chain.rows.k);
            if (!chain.sym) {
                figures.put("item_groups", chain.cols.k);
            }
            figures.put("alpha", alpha);
            if (config.splitMerge() > 0) {
                figures.put("split_merge_accepted", accepted);
            }
            figures.put("log_joint", lj);
            figures.put("train_loglik", chain.trainLogLik());
        }

        @Override
        public IrmModel snapshot() {
            return store.size() == 0 ? null : store.model(config);
        }

        @Override
        public IrmModel result(int epochs) {
            if (store.size() == 0) {
                store.add(chain, alpha, chain.logJoint(alpha));
            }
            return store.model(config);
        }
    }

    /**
     * The rating range mapped onto [0, 1]: the scale's when bounded, else the training values'
     * (a range of width 1 above the value when they are all equal).
     */
    static double[] range(RatingMatrix m, RatingScale scale) {
        if (scale.bounded()) {
            return new double[] {scale.min(), scale.max()};
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : m.userValues()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(lo < hi)) {
            lo = lo == Double.POSITIVE_INFINITY ? 0 : lo;
            hi = lo + 1;
        }
        return new double[] {lo, hi};
    }

    /** The kept samples, copied out of the chain (groups, compacted blocks, alpha, log joint). */
    static final class Samples {
        private final boolean sym;
        private final int nr;
        private final int nc;
        private final double lo;
        private final double hi;
        private final List<int[]> rowGroups = new ArrayList<>();
        private final List<int[]> colGroups = new ArrayList<>();
        private final List<double[]> succ = new ArrayList<>();
        private final List<double[]> tot = new ArrayList<>();
        private final List<double[]> scalars = new ArrayList<>();

        Samples(boolean sym, int nr, int nc, double lo, double hi) {
            this.sym = sym;
            this.nr = nr;
            this.nc = nc;
            this.lo = lo;
            this.hi = hi;
        }

        int size() {
            return scalars.size();
        }

        void add(IrmChain c, double alpha, double logJoint) {
            rowGroups.add(c.rows.z.clone());
            if (!sym) {
                colGroups.add(c.cols.z.clone());
            }
            int k1 = c.rows.k;
            int k2 = c.cols.k;
            double[] s = new double[k1 * k2];
            double[] t = new double[k1 * k2];
            for (int a = 0; a < k1; a++) {
                System.arraycopy(c.succ, a * c.capC, s, a * k2, k2);
                System.arraycopy(c.tot, a * c.capC, t, a * k2, k2);
            }
            succ.add(s);
            tot.add(t);
            scalars.add(new double[] {alpha, logJoint, k1, k2});
        }

        IrmModel model(IrmConfig config) {
            int s = size();
            double[] alpha = new double[s];
            double[] lj = new double[s];
            int[] kr = new int[s];
            int[] kc = new int[s];
            int blocks = 0;
            for (int q = 0; q < s; q++) {
                double[] x = scalars.get(q);
                alpha[q] = x[0];
                lj[q] = x[1];
                kr[q] = (int) x[2];
                kc[q] = (int) x[3];
                blocks += kr[q] * kc[q];
            }
            double[] bs = new double[blocks];
            double[] bt = new double[blocks];
            int o = 0;
            for (int q = 0; q < s; q++) {
                System.arraycopy(succ.get(q), 0, bs, o, succ.get(q).length);
                System.arraycopy(tot.get(q), 0, bt, o, tot.get(q).length);
                o += succ.get(q).length;
            }
            int[] rg = vertexMajor(rowGroups, nr);
            int[] cg = sym ? rg : vertexMajor(colGroups, nc);
            return new IrmModel(sym, nr, nc, lo, hi, config.betaA(), config.betaB(), alpha, lj, kr, kc, rg, cg, bs, bt);
        }

        private static int[] vertexMajor(List<int[]> samples, int n) {
            int s = samples.size();
            int[] out = new int[n * s];
            for (int q = 0; q < s; q++) {
                int[] z = samples.get(q);
                for (int v = 0; v < n; v++) {
                    out[v * s + q] = z[v];
                }
            }
            return out;
        }
    }
}
