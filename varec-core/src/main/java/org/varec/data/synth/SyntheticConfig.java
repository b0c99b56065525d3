package org.varec.data.synth;

import java.util.Objects;

/**
 * What {@link SyntheticRatings} generates. Build one with {@link #of} (defaults below) and the
 * {@code withX} methods; every value is checked on construction and a bad one is an
 * {@link IllegalArgumentException} naming the parameter and its range.
 *
 * @param users              number of users, ids {@code 1..users} (>= 1)
 * @param items              number of items, ids {@code 1..items} (>= 1)
 * @param ratings            number of ratings, exactly; at most {@code users * items}
 * @param rank               rank of the planted factor model (1..1000, default 10)
 * @param noiseSigma         standard deviation of the Gaussian noise added to the planted score
 *                           before rounding to the grid (>= 0, default 0.5)
 * @param popularityExponent Zipf exponent of item popularity: the item of popularity rank
 *                           {@code r} (1-based) is drawn with weight {@code r^-exponent}
 *                           (0..4, default 1.0; 0 means uniform). As no user rates an item
 *                           twice, the most popular items saturate: at the 25M shape the top item
 *                           is rated by almost every user and the top 1% of items hold ~40%
 * @param activityExponent   Zipf exponent of user activity: the user of activity rank {@code r}
 *                           gets a share of the ratings above the minimum proportional to
 *                           {@code r^-a - (users+1)^-a}, so the least active users get just the
 *                           minimum (0..4, default 0.45: at the MovieLens 25M shape a median of
 *                           80 and a maximum of about 36,000 ratings per user, near the real
 *                           data's maximum of about 32,000; 0 gives everyone the same number)
 * @param minPerUser         every user gets at least this many ratings when
 *                           {@code ratings >= users * minPerUser} (and {@code items} allows);
 *                           otherwise the largest minimum that fits (>= 0, default 20 like MovieLens)
 * @param grid               the rating values (default half stars 0.5..5)
 * @param seed               the seed; the same config always gives the same ratings, byte for byte
 */
public record SyntheticConfig(int users, int items, long ratings, int rank, double noiseSigma,
                              double popularityExponent, double activityExponent, int minPerUser,
                              RatingGrid grid, long seed) {

    public static final int DEFAULT_RANK = 10;
    public static final double DEFAULT_NOISE_SIGMA = 0.5;
    public static final double DEFAULT_POPULARITY_EXPONENT = 1.0;
    public static final double DEFAULT_ACTIVITY_EXPONENT = 0.45;
    public static final int DEFAULT_MIN_PER_USER = 20;
    public static final long DEFAULT_SEED = 1;

    public SyntheticConfig {
        Objects.requireNonNull(grid, "grid");
        if (users < 1) {
            throw new IllegalArgumentException("users must be >= 1, got " + users);
        }
        if (items < 1) {
            throw new IllegalArgumentException("items must be >= 1, got " + items);
        }
        if (ratings < 0 || ratings > (long) users * items) {
            throw new IllegalArgumentException("ratings must be in 0.." + ((long) users * items)
                    + " (users * items, no pair is rated twice), got " + ratings);
        }
        if (rank < 1 || rank > 1000) {
            throw new IllegalArgumentException("rank must be in 1..1000, got " + rank);
        }
        if ((long) Math.max(users, items) * rank > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("users * rank and items * rank must be at most "
                    + (Integer.MAX_VALUE - 8) + " (planted factors are one array), got "
                    + ((long) Math.max(users, items) * rank));
        }
        if (!(noiseSigma >= 0) || !Double.isFinite(noiseSigma)) {
            throw new IllegalArgumentException("noiseSigma must be a finite value >= 0, got " + noiseSigma);
        }
        if (!(popularityExponent >= 0 && popularityExponent <= 4)) {
            throw new IllegalArgumentException("popularityExponent must be in 0..4, got " + popularityExponent);
        }
        if (!(activityExponent >= 0 && activityExponent <= 4)) {
            throw new IllegalArgumentException("activityExponent must be in 0..4, got " + activityExponent);
        }
        if (minPerUser < 0) {
            throw new IllegalArgumentException("minPerUser must be >= 0, got " + minPerUser);
        }
    }

    /** {@code users x items} with {@code ratings} ratings and every other value at its default. */
    public static SyntheticConfig of(int users, int items, long ratings) {
        return new SyntheticConfig(users, items, ratings, DEFAULT_RANK, DEFAULT_NOISE_SIGMA,
                DEFAULT_POPULARITY_EXPONENT, DEFAULT_ACTIVITY_EXPONENT, DEFAULT_MIN_PER_USER,
                RatingGrid.HALF_STARS, DEFAULT_SEED);
    }

    /** The shape of MovieLens 25M: 162,541 users, 59,047 items, 25,000,000 ratings. */
    public static SyntheticConfig movieLens25m() {
        return of(162_541, 59_047, 25_000_000L);
    }

    public SyntheticConfig withRank(int v) {
        return new SyntheticConfig(users, items, ratings, v, noiseSigma, popularityExponent, activityExponent,
                minPerUser, grid, seed);
    }

    public SyntheticConfig withNoiseSigma(double v) {
        return new SyntheticConfig(users, items, ratings, rank, v, popularityExponent, activityExponent,
                minPerUser, grid, seed);
    }

    public SyntheticConfig withPopularityExponent(double v) {
        return new SyntheticConfig(users, items, ratings, rank, noiseSigma, v, activityExponent, minPerUser,
                grid, seed);
    }

    public SyntheticConfig withActivityExponent(double v) {
        return new SyntheticConfig(users, items, ratings, rank, noiseSigma, popularityExponent, v, minPerUser,
                grid, seed);
    }

    public SyntheticConfig withMinPerUser(int v) {
        return new SyntheticConfig(users, items, ratings, rank, noiseSigma, popularityExponent, activityExponent,
                v, grid, seed);
    }

    public SyntheticConfig withGrid(RatingGrid v) {
        return new SyntheticConfig(users, items, ratings, rank, noiseSigma, popularityExponent, activityExponent,
                minPerUser, v, seed);
    }

    public SyntheticConfig withSeed(long v) {
        return new SyntheticConfig(users, items, ratings, rank, noiseSigma, popularityExponent, activityExponent,
                minPerUser, grid, v);
    }

    /**
     * The minimum per user actually applied: {@code minPerUser}, lowered to
     * {@code ratings / users} and to {@code items} when those are smaller.
     */
    public int effectiveMinPerUser() {
        long fit = ratings / users;
        return (int) Math.min(minPerUser, Math.min(fit, items));
    }
}
