package org.varec.elicit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to choose the next items to ask. Every strategy scores each candidate item (higher = ask
 * first) and a round asks the best {@code k} (ties by item index, so the choice is deterministic).
 * <ul>
 * <li>{@code random}: a seeded uniform draw (the score is a random number).</li>
 * <li>{@code mean}: the probability closest to 0.5 (score = -|p - 0.5|; VFM paper).</li>
 * <li>{@code variance}: the largest predictive variance (of the logit for classification models, of
 * the value otherwise; VFM paper).</li>
 * <li>{@code entropy}: the largest expected reduction of the target items' predictive entropy
 * (sum of binary entropies of P(y=1)): for each candidate, the user's posterior is refitted for both
 * answers and the two entropies are weighted by the candidate's P(y=1) (the paper's future work;
 * one-step look-ahead, the k best one-step reductions form the round).</li>
 * <li>{@code popular}: the items with the most 1s in training (non-adaptive baseline).</li>
 * </ul>
 */
public enum Strategy {
    RANDOM, MEAN, VARIANCE, ENTROPY, POPULAR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy parse(String s) {
        for (Strategy t : values()) {
            if (t.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + s + "' (random, mean, variance, entropy, popular)");
    }

    /** Parses a comma-separated list, e.g. {@code random,mean,variance}. */
    public static List<Strategy> parseList(String s) {
        List<Strategy> out = new ArrayList<>();
        for (String p : s.split(",")) {
            if (!p.isBlank()) {
                Strategy t = parse(p);
                if (out.contains(t)) {
                    throw new IllegalArgumentException("strategy '" + t.label() + "' listed twice");
                }
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no strategy given");
        }
        return out;
    }
}
