package org.varec.data.split;

import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.stats.Rng;

/**
 * Sparse-training study, specs {@code subsample:P} and {@code subsample:PxN} (the VAE-BMF sparsity
 * experiment trains on 1, 2, 3, 5 and 10 percent of the ratings): repeat {@code r} shuffles the
 * rating indices with {@code Rng.stream(seed, r)}, trains on the first {@code round(P n)}
 * positions, and splits the remaining {@code m} ratings into validation (the next
 * {@code floor(m / 2)}) and test (the rest). Many test users have no training rating at small P;
 * models fall back to their global/bias prediction for them.
 *
 * @param train   fraction P of ratings to train, in (0, 1)
 * @param repeats number of independent splits, at least 1
 */
public record Subsample(double train, int repeats) implements Protocol {

    public Subsample {
        Protocols.checkFraction("subsample fraction P", train);
        Protocols.checkRepeats(repeats);
    }

    @Override
    public String spec() {
        return "subsample:" + Protocols.fmt(train) + (repeats > 1 ? "x" + repeats : "");
    }

    /** The {@code repeats} splits, built lazily (see {@link Holdout#splits}). */
    @Override
    public List<Split> splits(Dataset dataset, long seed) {
        Interactions ratings = Splits.sortedByUserItem(dataset.ratings());
        int n = ratings.size();
        int cut1 = (int) Math.round(train * n);
        int cut2 = cut1 + (n - cut1) / 2;
        Protocols.requireNonEmpty(spec(), dataset, "train", cut1);
        Protocols.requireNonEmpty(spec(), dataset, "validation", cut2 - cut1);
        Protocols.requireNonEmpty(spec(), dataset, "test", n - cut2);
        return Splits.lazy(repeats, r -> {
            int[] perm = Rng.stream(seed, r).permutation(n);
            Interactions[] parts = Splits.partition(ratings, Splits.shuffledLabels(n, perm, new int[] {cut1, cut2}), 3);
            String name = repeats == 1 ? "subsample" : "subsample " + (r + 1) + "/" + repeats;
            return new Split(name, parts[0], parts[1], parts[2]);
        });
    }
}
