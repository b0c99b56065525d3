package org.varec.elicit;

import java.util.List;

/**
 * The simulation protocol of the VFM paper's Table IV.
 *
 * @param repeats    independent repeats (user split, item split, model and random choices from the seed and the repeat)
 * @param rounds     rounds of questions per test user
 * @param roundSize  items asked per round
 * @param trainShare share of users fully observed to train the model (the rest are the test users)
 * @param poolShare  share of items in the interactive pool (the rest are the validation items)
 * @param strategies strategies compared (on the same splits and models)
 * @param seed       base seed
 * @param threads    worker threads (test users in parallel; results do not depend on it)
 */
public record ElicitationConfig(int repeats, int rounds, int roundSize, double trainShare, double poolShare,
                                List<Strategy> strategies, long seed, int threads) {
    public ElicitationConfig {
        strategies = List.copyOf(strategies);
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (roundSize < 1) {
            throw new IllegalArgumentException("--round-size must be >= 1, got " + roundSize);
        }
        if (!(trainShare > 0 && trainShare < 1)) {
            throw new IllegalArgumentException("--train-share must be in (0, 1), got " + trainShare);
        }
        if (!(poolShare > 0 && poolShare < 1)) {
            throw new IllegalArgumentException("--pool-share must be in (0, 1), got " + poolShare);
        }
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("no strategy given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
    }

    /** The paper's protocol: 80% training users, 50/50 pool/validation, 5 rounds of 4 items. */
    public static ElicitationConfig paper(List<Strategy> strategies, int repeats, long seed, int threads) {
        return new ElicitationConfig(repeats, 5, 4, 0.8, 0.5, strategies, seed, threads);
    }
}
