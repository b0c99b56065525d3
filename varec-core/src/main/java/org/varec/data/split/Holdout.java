package org.varec.data.split;

import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.stats.Rng;

/**
 * Random holdout: specs {@code holdout:R}, {@code holdout:RxN}, {@code holdout:TR,VA,TE} and
 * {@code holdout:TR,VA,TExN}.
 *
 * <p>Repeat {@code r} (0-based) shuffles the rating indices {@code 0..n-1} with
 * {@code Rng.stream(seed, r)}, gives the first {@code round(train * n)} positions of the
 * permutation to train, the positions up to {@code round((train + validation) * n)} to validation
 * and the rest to test; each part keeps the dataset's user-then-item order. So
 * {@code holdout:R} is the first split of {@code holdout:RxN}, and each part's size is within one
 * rating of its fraction of {@code n}.
 *
 * <p>Nothing keeps every test user or item in train: a user whose ratings all fall in test (likely
 * only for users with very few ratings) is cold for the model, which falls back to its
 * global/bias prediction for them.
 *
 * @param train      fraction of ratings to train, in (0, 1)
 * @param validation fraction to validation, in [0, 1); 0 for a two-way split
 * @param test       fraction to test, in (0, 1); the three sum to 1
 * @param repeats    number of independent splits, at least 1
 */
public record Holdout(double train, double validation, double test, int repeats) implements Protocol {

    public Holdout {
        Protocols.checkFraction("train fraction", train);
        Protocols.checkFraction("test fraction", test);
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validation);
        }
        double sum = train + validation + test;
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("holdout fractions must sum to 1, got " + Protocols.fmt(train) + " + "
                    + Protocols.fmt(validation) + " + " + Protocols.fmt(test) + " = " + sum);
        }
        Protocols.checkRepeats(repeats);
    }

    /** A two-way holdout: fraction {@code train} to train, the rest to test. */
    public static Holdout of(double train, int repeats) {
        return new Holdout(train, 0, 1 - train, repeats);
    }

    @Override
    public String spec() {
        String fractions = validation == 0 ? Protocols.fmt(train)
                : Protocols.fmt(train) + "," + Protocols.fmt(validation) + "," + Protocols.fmt(test);
        return "holdout:" + fractions + (repeats > 1 ? "x" + repeats : "");
    }

    /**
     * The {@code repeats} splits, built lazily: {@code get(r)} computes split {@code r} on each
     * call (always the same one), so only the splits a caller holds take memory.
     */
    @Override
    public List<Split> splits(Dataset dataset, long seed) {
        Interactions ratings = Splits.sortedByUserItem(dataset.ratings());
        int n = ratings.size();
        int cut1 = (int) Math.round(train * n);
        int cut2 = validation == 0 ? cut1 : (int) Math.round((train + validation) * n);
        Protocols.requireNonEmpty(spec(), dataset, "train", cut1);
        if (validation > 0) {
            Protocols.requireNonEmpty(spec(), dataset, "validation", cut2 - cut1);
        }
        Protocols.requireNonEmpty(spec(), dataset, "test", n - cut2);
        return Splits.lazy(repeats, r -> {
            int[] perm = Rng.stream(seed, r).permutation(n);
            int[] cuts = validation == 0 ? new int[] {cut1} : new int[] {cut1, cut2};
            Interactions[] parts = Splits.partition(ratings, Splits.shuffledLabels(n, perm, cuts), cuts.length + 1);
            String name = repeats == 1 ? "holdout" : "holdout " + (r + 1) + "/" + repeats;
            return validation == 0 ? new Split(name, parts[0], null, parts[1])
                    : new Split(name, parts[0], parts[1], parts[2]);
        });
    }
}
