package org.varec.testing;

import java.util.SplittableRandom;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;

/**
 * Planted low-rank ratings with biases, for factor-model tests:
 * {@code r_ui = mu + b_u + b_i + u_u . v_i + noise}, u and v entries ~ N(0, scale / sqrt(rank)) so
 * the interaction term has standard deviation about {@code scale}; biases ~ N(0, 0.3^2).
 */
public record PlantedFactors(Interactions ratings, Interactions train, Interactions test, double mu, double[] userBias,
                             double[] itemBias, double[][] u, double[][] v, double noise) {

    /**
     * Generates the ratings on a random fraction {@code density} of the grid; every 10th rating
     * (in generation order) is held out as {@code test}.
     */
    public static PlantedFactors generate(long seed, int users, int items, int rank, double scale, double density,
                                          double noise) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double mu = 3.5;
        double[] bu = new double[users];
        double[] bi = new double[items];
        double[][] uf = new double[users][rank];
        double[][] vf = new double[items][rank];
        double sd = scale / Math.sqrt(rank);
        for (int a = 0; a < users; a++) {
            bu[a] = 0.3 * org.varec.stats.Normal.boxMuller(rnd);
            for (int f = 0; f < rank; f++) {
                uf[a][f] = Math.sqrt(sd) * org.varec.stats.Normal.boxMuller(rnd);
            }
        }
        for (int b = 0; b < items; b++) {
            bi[b] = 0.3 * org.varec.stats.Normal.boxMuller(rnd);
            for (int f = 0; f < rank; f++) {
                vf[b][f] = Math.sqrt(sd) * org.varec.stats.Normal.boxMuller(rnd);
            }
        }
        InteractionsBuilder all = new InteractionsBuilder();
        InteractionsBuilder train = new InteractionsBuilder();
        InteractionsBuilder test = new InteractionsBuilder();
        int n = 0;
        for (int a = 0; a < users; a++) {
            for (int b = 0; b < items; b++) {
                if (rnd.nextDouble() < density) {
                    double r = mu + bu[a] + bi[b] + noise * org.varec.stats.Normal.boxMuller(rnd);
                    for (int f = 0; f < rank; f++) {
                        r += uf[a][f] * vf[b][f];
                    }
                    all.add(a, b, (float) r);
                    (n++ % 10 == 0 ? test : train).add(a, b, (float) r);
                }
            }
        }
        return new PlantedFactors(all.build(users, items, DuplicatePolicy.LAST).interactions(),
                train.build(users, items, DuplicatePolicy.LAST).interactions(),
                test.build(users, items, DuplicatePolicy.LAST).interactions(), mu, bu, bi, uf, vf, noise);
    }

    /** The planted (noise-free) rating of (a, b). */
    public double truth(int a, int b) {
        double r = mu + userBias[a] + itemBias[b];
        for (int f = 0; f < u[a].length; f++) {
            r += u[a][f] * v[b][f];
        }
        return r;
    }
}
