package org.varec.testing;

import java.util.SplittableRandom;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;

/** Small synthetic rating sets with planted structure, for tests. */
public final class Synthetic {
    private Synthetic() {
    }

    /**
     * Ratings {@code mu + b_u + b_i + noise} on a random fraction {@code density} of the
     * users x items grid; biases ~ N(0, 0.5^2).
     */
    public static Planted biases(long seed, int users, int items, double density, double noise) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double mu = 3.5;
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int u = 0; u < users; u++) {
            bu[u] = 0.5 * org.varec.stats.Normal.boxMuller(rnd);
        }
        for (int i = 0; i < items; i++) {
            bi[i] = 0.5 * org.varec.stats.Normal.boxMuller(rnd);
        }
        InteractionsBuilder b = new InteractionsBuilder();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < density) {
                    b.add(u, i, (float) (mu + bu[u] + bi[i] + noise * org.varec.stats.Normal.boxMuller(rnd)));
                }
            }
        }
        Interactions r = b.build(users, items, DuplicatePolicy.LAST).interactions();
        return new Planted(dataset("synthetic-biases", r), mu, bu, bi);
    }

    /** A dataset over ids "0".."n-1" holding {@code r}. */
    public static Dataset dataset(String name, Interactions r) {
        IdIndex users = new IdIndex();
        for (int u = 0; u < r.numUsers(); u++) {
            users.addNumeric(u);
        }
        IdIndex items = new IdIndex();
        for (int i = 0; i < r.numItems(); i++) {
            items.addNumeric(i);
        }
        return new Dataset(name, "synthetic", null, users, items, r, RatingScale.UNBOUNDED, null, null, null,
                ReadReport.empty());
    }


    /** A planted bias model and its ratings. */
    public record Planted(Dataset dataset, double mu, double[] userBias, double[] itemBias) {
    }
}
