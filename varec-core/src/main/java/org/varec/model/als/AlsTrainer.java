package org.varec.model.als;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.varec.data.FeatureTable;
import org.varec.data.RatingMatrix;
import org.varec.metrics.RegressionMetrics;
import org.varec.linalg.Cholesky;
import org.varec.linalg.OuterTable;
import org.varec.model.Trainer;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Alternating least squares with user and item biases ("Matrix factorization in action",
 * Algorithm 1, eqs (5)-(10)) and, for {@code als-features}, item genre vectors (Algorithm 2,
 * eqs (11)-(14)). It minimises the negative log posterior
 * <pre>
 *   J = lambda/2 sum_(m,n) (r_mn - mu - u_m.v_n - b_m - b_n)^2 + tau/2 sum_m ||u_m||^2
 *       + tau/2 sum_n ||v_n - p_n||^2 + gamma/2 (sum_m b_m^2 + sum_n b_n^2)  [+ tau/2 sum_g ||f_g||^2]
 * </pre>
 * with {@code p_n = 0} for {@code als} and {@code p_n = (1/sqrt(F_n)) sum_(g in genres(n)) f_g}
 * for {@code als-features}. {@code mu} is the training mean, fixed (the paper has no offset; with
 * zero-mean bias priors an offset is needed for 1..5 ratings, and it leaves the updates unchanged
 * in form: ratings are just centred).
 *
 * <p>One sweep: every user's (u_m, b_m) jointly given the items (eqs (7)+(8) as one (K+1)x(K+1)
 * ridge solve, {@link RidgeSolver}), then every item's (v_n, b_n) given the users (eqs (9)+(10),
 * or (13)+(10) with the genre prior), then for {@code als-features} all genre vectors jointly given
 * the items (the exact minimiser of which the paper's eq (14) is the coordinate-wise form). Every
 * step minimises J exactly over its block, so J never increases (up to float rounding of the
 * stored parameters). Rows of a side are independent and solved in fixed blocks in parallel, so
 * the result depends on the seed only, not on the thread count.
 *
 * <p>The shared loop ({@link org.varec.train.Training}) drives it: {@link #start} makes a {@link Run},
 * one epoch is one sweep.
 */
public final class AlsTrainer implements Trainer<AlsModel> {
    /** Group of the item feature table holding genres. */
    public static final String GENRE_GROUP = "genre";
    private static final int BLOCK = 128;
    private final AlsConfig config;
    private final boolean features;

    /**
     * @param features true for {@code als-features} (needs item features in group "genre")
     */
    public AlsTrainer(AlsConfig config, boolean features) {
        this.config = config;
        this.features = features;
    }

    public static AlsTrainer plain(AlsConfig config) {
        return new AlsTrainer(config, false);
    }

    public static AlsTrainer withFeatures(AlsConfig config) {
        return new AlsTrainer(config, true);
    }

    /** Item genres as CSR over dense genre rows 0..G-1, plus the feature-id-to-genre map. */
    record Genres(int numGenres, int[] offsets, int[] genres, int[] featureToGenre) {
        static Genres of(FeatureTable t, int numItems) {
            if (t == null) {
                throw new IllegalArgumentException("als-features needs item features (group '" + GENRE_GROUP
                        + "'), but the data has none; use als, or data with genres (e.g. MovieLens)");
            }
            int group = t.groupNames().indexOf(GENRE_GROUP);
            if (group < 0) {
                throw new IllegalArgumentException("als-features needs item features in group '" + GENRE_GROUP
                        + "'; the data has groups " + t.groupNames());
            }
            if (t.numRows() != numItems) {
                throw new IllegalArgumentException("item feature table has " + t.numRows() + " rows for "
                        + numItems + " items");
            }
            int[] f2g = new int[t.numFeatures()];
            int g = 0;
            for (int f = 0; f < f2g.length; f++) {
                f2g[f] = t.groupOf(f) == group ? g++ : -1;
            }
            if (g == 0) {
                throw new IllegalArgumentException("item feature group '" + GENRE_GROUP + "' has no features");
            }
            int[] off = new int[numItems + 1];
            int[] tOff = t.offsets();
            int[] tf = t.features();
            for (int i = 0; i < numItems; i++) {
                int c = 0;
                for (int p = tOff[i]; p < tOff[i + 1]; p++) {
                    if (f2g[tf[p]] >= 0) {
                        c++;
                    }
                }
                off[i + 1] = off[i] + c;
            }
            int[] gs = new int[off[numItems]];
            for (int i = 0, q = 0; i < numItems; i++) {
                for (int p = tOff[i]; p < tOff[i + 1]; p++) {
                    if (f2g[tf[p]] >= 0) {
                        gs[q++] = f2g[tf[p]];
                    }
                }
            }
            return new Genres(g, off, gs, f2g);
        }
    }

    @Override
    public String name() {
        return features ? "als-features" : "als";
    }

    /** Validates the genres (for {@code als-features}) and initialises the factors from {@code seed}. */
    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /**
     * One ALS run: an epoch is one sweep (eqs (7)-(10), (13)-(14)); it reports the objective
     * ({@code loss}, eq (5) or (12)) and {@code train_rmse}. Also used by bpmf for its ALS start,
     * on bpmf's own pool.
     */
    public final class Run implements EpochTrainer<AlsModel> {
        private final RatingMatrix m;
        private final double mu;
        private final State s;
        private final Parallel par;

        Run(TrainingData data, long seed, Parallel pool) {
            this.m = data.ratings();
            this.mu = m.nnz() == 0 ? 0 : m.mean();
            this.s = newState(data, seed);
            this.par = pool;
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        /**
         * One sweep. The training error is the item half-step's: after it every parameter the
         * ratings' residuals depend on is final, and each item's solve gives its squared error from
         * its normal equations ({@link RidgeSolver#squaredError()}): no pass over the ratings of its
         * own.
         */
        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            double sse = AlsTrainer.this.sweep(par, m, mu, s);
            figures.put("loss", objective(sse, s));
            figures.put("train_rmse", Math.sqrt(sse / Math.max(1, m.nnz())));
        }

        /** One full sweep without figures (for benchmarks and for bpmf's start). */
        public void sweep() {
            AlsTrainer.this.sweep(par, m, mu, s);
        }

        /** The current parameters (sharing the arrays: valid until the next sweep). */
        @Override
        public AlsModel snapshot() {
            return s.model(mu, config);
        }
    }

    /** Validated genres (when {@code features}) and factors initialised from {@code seed}. */
    private State newState(TrainingData data, long seed) {
        RatingMatrix m = data.ratings();
        Genres genres = features ? Genres.of(data.itemFeatures(), m.numItems()) : null;
        State s = new State(config.rank(), m.numUsers(), m.numItems(), genres);
        initialize(s, seed);
        return s;
    }

    /** The parameters during training (arrays are updated in place by the sweeps). */
    static final class State {
        final int k;
        final float[] u;
        final float[] v;
        final float[] bu;
        final float[] bi;
        final Genres genres;
        final float[] f;     // G x k genre vectors
        final float[] prior; // ni x k prior means of the item factors
        /** The other side's outer products for each half-step where they pay ({@link OuterTable#pays}). */
        final OuterTable table;

        State(int k, int nu, int ni, Genres genres) {
            this.k = k;
            this.table = new OuterTable(k);
            this.u = new float[nu * k];
            this.v = new float[ni * k];
            this.bu = new float[nu];
            this.bi = new float[ni];
            this.genres = genres;
            this.f = genres == null ? null : new float[genres.numGenres() * k];
            this.prior = genres == null ? null : new float[ni * k];
        }

        AlsModel model(double mu, AlsConfig c) {
            return new AlsModel(k, mu, u, v, bu, bi, c.lambda(), c.tau(), c.gamma(),
                    genres == null ? null : genres.featureToGenre(), f);
        }
    }

    /** Factors ~ N(0, init_stdev^2) from one stream of the seed (users, then items); biases and genre vectors 0. */
    private void initialize(State s, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double sd = config.initStdev();
        for (int p = 0; p < s.u.length; p++) {
            s.u[p] = (float) (sd * org.varec.stats.Normal.boxMuller(rnd));
        }
        for (int p = 0; p < s.v.length; p++) {
            s.v[p] = (float) (sd * org.varec.stats.Normal.boxMuller(rnd));
        }
    }


    /**
     * One full sweep: users, items, then (with features) genre vectors. Returns the sum of the
     * squared training residuals after it (the item half-step's; the genre step moves only the
     * prior means and the vectors of items without ratings).
     */
    double sweep(Parallel par, RatingMatrix m, double mu, State s) {
        solveUsers(par, m, mu, s);
        if (s.genres != null) {
            priorMeans(s);
        }
        double sse = solveItems(par, m, mu, s);
        if (s.genres != null) {
            solveGenres(s);
            // an item without ratings has J(v_n) = tau/2 ||v_n - p_n||^2: its exact minimiser is the
            // new prior mean, so it always serves the cold-start vector of the final genre vectors
            priorMeans(s);
            int[] off = m.itemOffsets();
            for (int n = 0; n < s.bi.length; n++) {
                if (off[n + 1] == off[n]) {
                    System.arraycopy(s.prior, n * s.k, s.v, n * s.k, s.k);
                }
            }
        }
        return sse;
    }

    /** Solves every user given the items; returns the users' squared errors at their new rows. */
    double solveUsers(Parallel par, RatingMatrix m, double mu, State s) {
        return solveSide(par, m.userOffsets(), m.userItems(), m.userValues(), mu, s.v, s.bi, s.u, s.bu, null, s.k,
                s.table);
    }

    /** Solves every item given the users; returns the items' squared errors at their new rows. */
    double solveItems(Parallel par, RatingMatrix m, double mu, State s) {
        return solveSide(par, m.itemOffsets(), m.itemUsers(), m.itemValues(), mu, s.u, s.bu, s.v, s.bi, s.prior, s.k,
                s.table);
    }

    /**
     * Solves every row of one side given the other; returns the sum of the rows' squared errors at
     * their solutions, summed per fixed block and then over the blocks in order (the same bits for
     * every thread count). Where the other side's outer-product table fits the cache
     * ({@link OuterTable#pays}: up to 63,550 rows at K = 10, 18,157 at K = 20), it is rebuilt
     * from the other side's factors and every row's Gram matrix is summed from it (1.3-1.8x faster
     * on ML-1M at K = 10); the rule depends on K and the sizes only, so results do not depend on
     * the machine.
     */
    private double solveSide(Parallel par, int[] off, int[] idx, float[] val, double mu, float[] otherF,
                             float[] otherB, float[] target, float[] targetB, float[] prior, int k, OuterTable table) {
        final double lambda = config.lambda();
        final double tau = config.tau();
        final double gamma = config.gamma();
        final OuterTable tab = OuterTable.pays(k, otherB.length) ? table : null;
        if (tab != null) {
            tab.fill(otherF, otherB.length, par);
        }
        double[] part = new double[Parallel.numBlocks(targetB.length, BLOCK)];
        par.forBlocks(targetB.length, BLOCK, (b, from, to) -> {
            RidgeSolver solver = new RidgeSolver(k, true);
            double se = 0;
            for (int r = from; r < to; r++) {
                targetB[r] = (float) (tab != null
                        ? solver.solve(tab, otherB, idx, val, off[r], off[r + 1], mu, lambda, tau, gamma, prior,
                                r * k, target, r * k)
                        : solver.solve(otherF, otherB, idx, val, off[r], off[r + 1], mu, lambda, tau, gamma, prior,
                                r * k, target, r * k));
                se += solver.squaredError();
            }
            part[b] = se;
        });
        double sse = 0;
        for (double x : part) {
            sse += x;
        }
        return sse;
    }

    /** p_n = (1/sqrt(F_n)) sum_(g in genres(n)) f_g, zero for items without genres. */
    static void priorMeans(State s) {
        int k = s.k;
        int[] off = s.genres.offsets();
        int[] gs = s.genres.genres();
        Arrays.fill(s.prior, 0f);
        double[] acc = new double[k];
        for (int n = 0; n < s.bi.length; n++) {
            int cnt = off[n + 1] - off[n];
            if (cnt == 0) {
                continue;
            }
            Arrays.fill(acc, 0);
            for (int p = off[n]; p < off[n + 1]; p++) {
                int base = gs[p] * k;
                for (int x = 0; x < k; x++) {
                    acc[x] += s.f[base + x];
                }
            }
            double c = 1 / Math.sqrt(cnt);
            for (int x = 0; x < k; x++) {
                s.prior[n * k + x] = (float) (acc[x] * c);
            }
        }
    }

    /**
     * The genre vectors given the item factors, jointly and exactly: with a_n the genre indicator of
     * item n scaled by 1/sqrt(F_n), minimising tau/2 sum_g ||f_g||^2 + tau/2 sum_n ||v_n - sum_g a_ng f_g||^2
     * gives {@code (I + sum_n a_n a_n^T) F = sum_n a_n v_n^T} (a G x G system, one right-hand side per
     * latent dimension). The paper's eq (14) is the coordinate-wise (Gauss-Seidel) form of these
     * equations; its denominator is printed as (sum 1/F_n - 1) where the prior gives (sum 1/F_n + 1).
     */
    static void solveGenres(State s) {
        int k = s.k;
        int g = s.genres.numGenres();
        int[] off = s.genres.offsets();
        int[] gs = s.genres.genres();
        double[] a = new double[g * g];
        double[] rhs = new double[g * k];
        for (int n = 0; n < s.bi.length; n++) {
            int cnt = off[n + 1] - off[n];
            if (cnt == 0) {
                continue;
            }
            double w = 1.0 / cnt;
            double c = 1 / Math.sqrt(cnt);
            for (int p = off[n]; p < off[n + 1]; p++) {
                int gp = gs[p];
                for (int q = off[n]; q < off[n + 1]; q++) {
                    int gq = gs[q];
                    if (gq <= gp) {
                        a[gp * g + gq] += w;
                    }
                }
                for (int x = 0; x < k; x++) {
                    rhs[gp * k + x] += c * s.v[n * k + x];
                }
            }
        }
        for (int d = 0; d < g; d++) {
            a[d * g + d] += 1;
        }
        if (!Cholesky.factor(a, g)) {
            throw new ArithmeticException("genre system is not positive definite");
        }
        double[] col = new double[g];
        for (int x = 0; x < k; x++) {
            for (int d = 0; d < g; d++) {
                col[d] = rhs[d * k + x];
            }
            Cholesky.solveFactored(a, g, col);
            for (int d = 0; d < g; d++) {
                s.f[d * k + x] = (float) col[d];
            }
        }
    }

    /** Objective (5) (or (12) with features), the negative log posterior up to a constant, from the SSE. */
    double objective(double sse, State s) {
        double j = config.lambda() / 2 * sse + config.tau() / 2 * sumSq(s.u)
                + config.gamma() / 2 * (sumSq(s.bu) + sumSq(s.bi));
        if (s.genres == null) {
            j += config.tau() / 2 * sumSq(s.v);
        } else {
            priorMeans(s);
            double d = 0;
            for (int p = 0; p < s.v.length; p++) {
                double e = (double) s.v[p] - s.prior[p];
                d += e * e;
            }
            j += config.tau() / 2 * (d + sumSq(s.f));
        }
        return j;
    }

    private static double sumSq(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return s;
    }
}
