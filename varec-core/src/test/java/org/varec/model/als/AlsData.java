package org.varec.model.als;

import java.util.SplittableRandom;
import org.varec.data.DuplicatePolicy;
import org.varec.data.FeatureTable;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.testing.Synthetic;

/** Planted low-rank rating sets for the ALS tests. */
final class AlsData {
    private AlsData() {
    }

    /** {@code 3 + u.v + noise} with u, v ~ N(0, I/rank * scale^2) on a random fraction of the grid. */
    static Interactions lowRank(long seed, int users, int items, int rank, double density, double noise) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double sd = 1.0 / Math.sqrt(Math.sqrt(rank));
        double[] u = new double[users * rank];
        double[] v = new double[items * rank];
        for (int p = 0; p < u.length; p++) {
            u[p] = sd * org.varec.stats.Normal.boxMuller(rnd);
        }
        for (int p = 0; p < v.length; p++) {
            v[p] = sd * org.varec.stats.Normal.boxMuller(rnd);
        }
        InteractionsBuilder b = new InteractionsBuilder();
        for (int a = 0; a < users; a++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < density) {
                    double r = 3;
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

    /**
     * Genre-structured data: item i has genre {@code i % genres} (and every third item also the next
     * genre); user a prefers genre {@code a % genres}. Item factor = e_g (its genres, normalised) +
     * small noise; user factor = 1.5 e_(pref) + small noise; rating = 3 + u.v + noise. Items listed
     * in {@code coldItems} get no ratings at all.
     */
    record GenreData(Interactions ratings, FeatureTable itemFeatures, int genres) {
    }

    static GenreData genres(long seed, int users, int items, int genres, double density, int[] coldItems) {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[] cold = new boolean[items];
        for (int i : coldItems) {
            cold[i] = true;
        }
        FeatureTable.Builder ft = new FeatureTable.Builder(items);
        for (int g = 0; g < genres; g++) {
            ft.feature("genre", "G" + g);
        }
        double[] v = new double[items * genres];
        for (int i = 0; i < items; i++) {
            int g = i % genres;
            ft.add(i, "genre", "G" + g);
            int count = 1;
            v[i * genres + g] = 1;
            if (i % 3 == 0) {
                int h = (g + 1) % genres;
                ft.add(i, "genre", "G" + h);
                v[i * genres + h] = 1;
                count = 2;
            }
            for (int f = 0; f < genres; f++) {
                v[i * genres + f] = v[i * genres + f] / Math.sqrt(count) + 0.1 * org.varec.stats.Normal.boxMuller(rnd);
            }
        }
        InteractionsBuilder b = new InteractionsBuilder();
        double[] u = new double[genres];
        for (int a = 0; a < users; a++) {
            for (int f = 0; f < genres; f++) {
                u[f] = (f == a % genres ? 1.5 : 0) + 0.1 * org.varec.stats.Normal.boxMuller(rnd);
            }
            for (int i = 0; i < items; i++) {
                if (!cold[i] && rnd.nextDouble() < density) {
                    double r = 3;
                    for (int f = 0; f < genres; f++) {
                        r += u[f] * v[i * genres + f];
                    }
                    b.add(a, i, (float) (r + 0.2 * org.varec.stats.Normal.boxMuller(rnd)));
                }
            }
        }
        return new GenreData(b.build(users, items, DuplicatePolicy.LAST).interactions(), ft.build(), genres);
    }
}
