package org.varec.model.bpmf;

import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.stats.Rng;

/** Rating sets for the BPMF tests. */
final class BpmfData {
    private BpmfData() {
    }

    /** {@code 3 + u.v + noise} with u, v ~ N(0, I / sqrt(rank)) on a random fraction of the grid. */
    static Interactions lowRank(long seed, int users, int items, int rank, double density, double noise) {
        Rng rnd = new Rng(seed);
        double sd = 1.0 / Math.sqrt(Math.sqrt(rank));
        double[] u = new double[users * rank];
        double[] v = new double[items * rank];
        for (int p = 0; p < u.length; p++) {
            u[p] = sd * rnd.nextGaussian();
        }
        for (int p = 0; p < v.length; p++) {
            v[p] = sd * rnd.nextGaussian();
        }
        InteractionsBuilder b = new InteractionsBuilder();
        for (int a = 0; a < users; a++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < density) {
                    double r = 3;
                    for (int f = 0; f < rank; f++) {
                        r += u[a * rank + f] * v[i * rank + f];
                    }
                    b.add(a, i, (float) (r + noise * rnd.nextGaussian()));
                }
            }
        }
        return b.build(users, items, DuplicatePolicy.LAST).interactions();
    }

    /**
     * Ratings simulated from the BPMF model itself: rows [u; b_u] ~ N(m_U, diag(s^2)) with a
     * nonzero mean, likewise items, rating {@code 3 + b_u + b_i + u.v + N(0, 1/alpha)}; users rate
     * a random number of items (skewed, 3 to 60).
     */
    static Interactions fromModel(long seed, int users, int items, int rank, double alpha) {
        return fromModel(seed, users, items, rank, alpha, 0);
    }

    /**
     * As above; with {@code userNoiseShape > 0} each user's noise precision is {@code alpha c_u},
     * {@code c_u ~ Gamma(shape, shape)} (heteroscedastic users).
     */
    static Interactions fromModel(long seed, int users, int items, int rank, double alpha, double userNoiseShape) {
        Rng rnd = new Rng(seed);
        double sd = 0.6 / Math.sqrt(Math.sqrt(rank));
        double[] u = new double[users * rank];
        double[] v = new double[items * rank];
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int p = 0; p < u.length; p++) {
            u[p] = 0.3 + sd * rnd.nextGaussian();
        }
        for (int p = 0; p < v.length; p++) {
            v[p] = (p % rank == 0 ? 0.2 : 0) + sd * rnd.nextGaussian();
        }
        for (int a = 0; a < users; a++) {
            bu[a] = 0.4 * rnd.nextGaussian();
        }
        for (int i = 0; i < items; i++) {
            bi[i] = -0.2 + 0.5 * rnd.nextGaussian();
        }
        InteractionsBuilder b = new InteractionsBuilder();
        for (int a = 0; a < users; a++) {
            double c = userNoiseShape > 0 ? org.varec.stats.Gamma.sample(rnd, userNoiseShape, userNoiseShape) : 1;
            double noise = 1 / Math.sqrt(alpha * c);
            int n = 3 + (int) (57 * Math.pow(rnd.nextDouble(), 2));
            int[] perm = rnd.permutation(items);
            for (int t = 0; t < n; t++) {
                int i = perm[t];
                double r = 3 + bu[a] + bi[i];
                for (int f = 0; f < rank; f++) {
                    r += u[a * rank + f] * v[i * rank + f];
                }
                b.add(a, i, (float) (r + noise * rnd.nextGaussian()));
            }
        }
        return b.build(users, items, DuplicatePolicy.LAST).interactions();
    }

    /** Splits ratings: every {@code mod}-th rating to the second part. */
    static Interactions[] split(Interactions all, int mod) {
        int n = all.size();
        int[] tr = java.util.stream.IntStream.range(0, n).filter(k -> k % mod != 0).toArray();
        int[] te = java.util.stream.IntStream.range(0, n).filter(k -> k % mod == 0).toArray();
        return new Interactions[] {all.select(tr), all.select(te)};
    }
}
