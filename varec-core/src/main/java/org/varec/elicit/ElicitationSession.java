package org.varec.elicit;

import java.util.Arrays;
import org.varec.model.Predictive;
import org.varec.model.UserState;
import org.varec.stats.Rng;

/**
 * One user being asked: which items remain askable, the answers so far and the user's posterior
 * after them. The loop of both the simulation ({@link ElicitationExperiment}) and the live terminal
 * mode, and the library API for a server: {@link #next} proposes items, {@link #answer} reveals
 * answers and refits the posterior, {@link #skip} drops an item without information.
 *
 * <p>Not thread-safe: one session per user.
 */
public final class ElicitationSession {
    private final Beliefs beliefs;
    private final Strategy strategy;
    private final int[] targets;
    private final double[] popularity;
    private final Rng rng;
    private final boolean[] askable;
    private int remaining;
    private int[] items = new int[0];
    private float[] values = new float[0];
    private UserState state;

    /**
     * @param beliefs    the model
     * @param candidates the items that may be asked (the interactive pool)
     * @param targets    the items whose predictions elicitation should improve ({@code entropy} looks at them)
     * @param strategy   how to choose
     * @param popularity per item (by dense index), for {@code popular}; may be null for other strategies
     * @param seed       for {@code random}
     */
    public ElicitationSession(Beliefs beliefs, int[] candidates, int[] targets, Strategy strategy, double[] popularity,
                              long seed) {
        if (strategy == Strategy.POPULAR && popularity == null) {
            throw new IllegalArgumentException("strategy popular needs item popularities");
        }
        this.beliefs = beliefs;
        this.strategy = strategy;
        this.targets = targets.clone();
        this.popularity = popularity;
        this.rng = new Rng(seed);
        int n = beliefs.model().numItems();
        this.askable = new boolean[n];
        for (int c : candidates) {
            if (c < 0 || c >= n) {
                throw new IllegalArgumentException("candidate item " + c + " outside the model's " + n + " items");
            }
            if (!askable[c]) {
                askable[c] = true;
                remaining++;
            }
        }
        this.state = beliefs.posterior(items, values);
    }

    public Strategy strategy() {
        return strategy;
    }

    /** The current posterior of the user. */
    public UserState state() {
        return state;
    }

    /** Items answered so far, in order. */
    public int[] askedItems() {
        return items.clone();
    }

    public float[] answers() {
        return values.clone();
    }

    /** Items still askable. */
    public int remaining() {
        return remaining;
    }

    public boolean askable(int item) {
        return item >= 0 && item < askable.length && askable[item];
    }

    /** P(y = 1) and predictive variance of {@code item} under the current posterior. */
    public Predictive belief(int item) {
        return beliefs.belief(state, item);
    }

    /** The askable items, ascending. */
    public int[] candidates() {
        int[] c = new int[remaining];
        int k = 0;
        for (int i = 0; i < askable.length; i++) {
            if (askable[i]) {
                c[k++] = i;
            }
        }
        return c;
    }

    /**
     * The strategy's scores of {@code candidates} (higher = ask first). {@code random} draws fresh
     * numbers on each call.
     */
    public double[] scores(int[] candidates) {
        double[] s = new double[candidates.length];
        switch (strategy) {
            case RANDOM -> {
                for (int k = 0; k < s.length; k++) {
                    s[k] = rng.nextDouble();
                }
            }
            case MEAN -> {
                for (int k = 0; k < s.length; k++) {
                    s[k] = -Math.abs(belief(candidates[k]).mean() - 0.5);
                }
            }
            case VARIANCE -> {
                for (int k = 0; k < s.length; k++) {
                    s[k] = belief(candidates[k]).variance();
                }
            }
            case POPULAR -> {
                for (int k = 0; k < s.length; k++) {
                    s[k] = popularity[candidates[k]];
                }
            }
            case ENTROPY -> {
                double now = beliefs.entropy(state, targets);
                int n = items.length;
                int[] its = Arrays.copyOf(items, n + 1);
                float[] vs = Arrays.copyOf(values, n + 1);
                for (int k = 0; k < s.length; k++) {
                    int c = candidates[k];
                    double p = belief(c).mean();
                    its[n] = c;
                    vs[n] = 1;
                    double h1 = beliefs.entropy(beliefs.posterior(its, vs), targets);
                    vs[n] = 0;
                    double h0 = beliefs.entropy(beliefs.posterior(its, vs), targets);
                    s[k] = now - (p * h1 + (1 - p) * h0);
                }
            }
            default -> throw new IllegalStateException();
        }
        return s;
    }

    /** The best {@code k} askable items by the strategy (fewer when fewer remain); nothing is removed yet. */
    public int[] next(int k) {
        int[] cand = candidates();
        return top(cand, scores(cand), Math.min(k, cand.length));
    }

    /** The {@code k} candidates of highest score, best first; ties go to the lower item index. */
    static int[] top(int[] candidates, double[] scores, int k) {
        Integer[] order = new Integer[candidates.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a])
                : Integer.compare(candidates[a], candidates[b]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = candidates[order[i]];
        }
        return out;
    }

    /** Reveals the answers to {@code asked} and refits the user's posterior once to all answers so far. */
    public void answer(int[] asked, float[] answers) {
        if (asked.length != answers.length) {
            throw new IllegalArgumentException(asked.length + " items but " + answers.length + " answers");
        }
        int n = items.length;
        int[] its = Arrays.copyOf(items, n + asked.length);
        float[] vs = Arrays.copyOf(values, n + asked.length);
        for (int k = 0; k < asked.length; k++) {
            if (!askable(asked[k])) {
                throw new IllegalArgumentException("item " + asked[k] + " is not askable (asked already, or not a candidate)");
            }
            askable[asked[k]] = false;
            remaining--;
            its[n + k] = asked[k];
            vs[n + k] = answers[k];
        }
        items = its;
        values = vs;
        state = beliefs.posterior(items, values);
    }

    public void answer(int item, float value) {
        answer(new int[] {item}, new float[] {value});
    }

    /** Drops {@code item} from the askable items without an answer (the posterior is unchanged). */
    public void skip(int item) {
        if (askable(item)) {
            askable[item] = false;
            remaining--;
        }
    }
}
