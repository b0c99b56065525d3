package org.varec.data.synth;

import java.util.Objects;

/**
 * The low-rank model behind synthetic ratings: user {@code u} rates item {@code i} (dense indices,
 * i.e. file ids minus one) with
 * {@code mean + userBias[u] + itemBias[i] + dot(userFactors[u], itemFactors[i]) + noise},
 * rounded to the rating grid and clamped into it.
 *
 * @param rank        number of factors
 * @param mean        global offset
 * @param userBias    one bias per user
 * @param itemBias    one bias per item
 * @param userFactors row-major {@code users x rank}: {@code userFactors[u * rank + f]}
 * @param itemFactors row-major {@code items x rank}
 */
public record Planted(int rank, double mean, float[] userBias, float[] itemBias, float[] userFactors,
                      float[] itemFactors) {

    public Planted {
        Objects.requireNonNull(userBias, "userBias");
        Objects.requireNonNull(itemBias, "itemBias");
        Objects.requireNonNull(userFactors, "userFactors");
        Objects.requireNonNull(itemFactors, "itemFactors");
        if (rank < 1 || userFactors.length != (long) userBias.length * rank
                || itemFactors.length != (long) itemBias.length * rank) {
            throw new IllegalArgumentException("factor arrays do not match rank " + rank);
        }
    }

    public int numUsers() {
        return userBias.length;
    }

    public int numItems() {
        return itemBias.length;
    }

    /** The noiseless score {@code mean + b_u + b_i + u.v} (before noise, rounding and clamping). */
    public double score(int user, int item) {
        return mean + userBias[user] + itemBias[item] + dot(user, item);
    }

    /** {@code dot(userFactors[user], itemFactors[item])}, accumulated in double. */
    public double dot(int user, int item) {
        int a = user * rank;
        int b = item * rank;
        double s = 0;
        for (int f = 0; f < rank; f++) {
            s += (double) userFactors[a + f] * itemFactors[b + f];
        }
        return s;
    }
}
