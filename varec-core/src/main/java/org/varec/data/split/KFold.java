package org.varec.data.split;

import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.stats.Rng;

/**
 * K-fold cross-validation, spec {@code kfold:K}: the rating indices are shuffled once with
 * {@code Rng.stream(seed, 0)} and the permutation is cut into {@code K} consecutive folds, fold
 * {@code f} (0-based) holding positions {@code [floor(f n / K), floor((f + 1) n / K))}, so fold
 * sizes differ by at most one. Split {@code f} tests on fold {@code f} and trains on the others;
 * every rating is tested exactly once over the {@code K} splits. No validation part.
 *
 * @param k number of folds, 2..{@value #MAX_FOLDS}
 */
public record KFold(int k) implements Protocol {
    /** Largest supported number of folds. */
    public static final int MAX_FOLDS = 100;

    public KFold {
        if (k < 2 || k > MAX_FOLDS) {
            throw new IllegalArgumentException("number of folds K must be in 2.." + MAX_FOLDS + ", got " + k);
        }
    }

    @Override
    public String spec() {
        return "kfold:" + k;
    }

    /** The {@code K} splits, built lazily from one shared fold assignment (see {@link Holdout#splits}). */
    @Override
    public List<Split> splits(Dataset dataset, long seed) {
        Interactions ratings = Splits.sortedByUserItem(dataset.ratings());
        int n = ratings.size();
        if (n < k) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " has " + n + " ratings, too few for "
                    + spec() + " (each fold needs at least one)");
        }
        int[] cuts = new int[k - 1];
        for (int f = 1; f < k; f++) {
            cuts[f - 1] = (int) ((long) f * n / k);
        }
        byte[] fold = Splits.shuffledLabels(n, Rng.stream(seed, 0).permutation(n), cuts);
        return Splits.lazy(k, f -> {
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = fold[i] == f ? (byte) 1 : (byte) 0;
            }
            Interactions[] parts = Splits.partition(ratings, labels, 2);
            return new Split("fold " + (f + 1) + "/" + k, parts[0], null, parts[1]);
        });
    }
}
