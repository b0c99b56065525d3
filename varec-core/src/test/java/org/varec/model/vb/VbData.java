package org.varec.model.vb;

import java.util.SplittableRandom;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.testing.Synthetic;

/** Rating sets simulated from the vbmf model itself, for the vbmf tests. */
final class VbData {
    private VbData() {
    }

    /**
     * {@code mu + b_u + b_i + u.v + noise} with u, v ~ N(0, I/tau), biases ~ N(0, 1/gamma),
     * noise ~ N(0, 1/lambda), on a random fraction {@code density} of the grid.
     */
    static Interactions fromPrior(long seed, int users, int items, int rank, double density, double mu,
                                  double lambda, double tau, double gamma) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double sf = 1 / Math.sqrt(tau);
        double sb = 1 / Math.sqrt(gamma);
        double[] u = new double[users * rank];
        double[] v = new double[items * rank];
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int p = 0; p < u.length; p++) {
            u[p] = sf * org.varec.stats.Normal.boxMuller(rnd);
        }
        for (int p = 0; p < v.length; p++) {
            v[p] = sf * org.varec.stats.Normal.boxMuller(rnd);
        }
        for (int p = 0; p < users; p++) {
            bu[p] = sb * org.varec.stats.Normal.boxMuller(rnd);
        }
        for (int p = 0; p < items; p++) {
            bi[p] = sb * org.varec.stats.Normal.boxMuller(rnd);
        }
        double noise = 1 / Math.sqrt(lambda);
        InteractionsBuilder b = new InteractionsBuilder();
        for (int a = 0; a < users; a++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < density) {
                    double r = mu + bu[a] + bi[i];
                    for (int f = 0; f < rank; f++) {
                        r += u[a * rank + f] * v[i * rank + f];
                    }
                    b.add(a, i, (float) (r + noise * org.varec.stats.Normal.boxMuller(rnd)));
                }
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
