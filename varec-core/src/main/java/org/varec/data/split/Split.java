package org.varec.data.split;

import java.util.Objects;
import org.varec.data.Interactions;

/**
 * One train/test partition of a dataset's ratings over the dataset's dense indices, with an
 * optional validation part. Parts are disjoint and each is sorted by user then item.
 *
 * @param name       e.g. {@code holdout 1/5}, {@code fold 3/5}, {@code u1}, {@code explicit}
 * @param train      ratings to learn from
 * @param validation ratings for tuning and early stopping, or null
 * @param test       ratings to report
 * @param foldIn     for held-out users ({@link HeldOutUsers}): the ratings of the test users that
 *                   the model reads at test time ({@link org.varec.model.RatingModel#foldIn}) and
 *                   ranked lists leave out; null for every other protocol (test users are trained users)
 */
public record Split(String name, Interactions train, Interactions validation, Interactions test, Interactions foldIn) {
    public Split {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /** A split whose test users are trained users (no fold-in part). */
    public Split(String name, Interactions train, Interactions validation, Interactions test) {
        this(name, train, validation, test, null);
    }
}
