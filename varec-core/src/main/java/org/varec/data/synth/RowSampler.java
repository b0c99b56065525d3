package org.varec.data.synth;

import java.util.Arrays;

/**
 * Draws the ratings of one user at a time from a {@link SynthModel}. Not thread-safe: one per
 * thread. What a user gets depends only on the config and the user, never on which sampler or
 * thread draws it.
 *
 * <p>Items are drawn without replacement with probability proportional to their popularity
 * weight (successive sampling): by rejection (alias-table draws, a per-sampler mark array as the
 * "seen" set) while that is cheap, otherwise, for the few very active users, by the equivalent
 * exponential race over all items (Efraimidis-Spirakis keys {@code E_i / w_i}, k smallest win).
 */
final class RowSampler {
    /** Rejection sampling is used while its estimated draws stay below this many per item. */
    private static final double REJECTION_DRAWS_PER_ITEM = 3.0;

    private final SynthModel model;
    private final SyntheticConfig config;
    private final Planted planted;
    private final RatingGrid grid;
    private final int[] mark;
    private int stamp;
    private double[] keys;
    private int[] order;

    /** Sorted item indices of the last user drawn. */
    final int[] items;
    /** Grid levels of the last user's ratings, parallel to {@link #items}. */
    final byte[] levels;

    RowSampler(SynthModel model) {
        this.model = model;
        this.config = model.config;
        this.planted = model.planted;
        this.grid = config.grid();
        this.mark = new int[config.items()];
        this.items = new int[model.maxCount];
        this.levels = new byte[model.maxCount];
    }

    /** Draws user {@code u}'s items (sorted) and rating levels into {@link #items}, {@link #levels}. */
    int draw(int u) {
        int k = model.counts[u];
        SynthRandom r = SynthRandom.stream(config.seed(), SynthRandom.TAG_USER_ROWS, u);
        chooseItems(r, k);
        Arrays.sort(items, 0, k);
        double sigma = config.noiseSigma();
        double base = planted.mean() + planted.userBias()[u];
        float[] itemBias = planted.itemBias();
        for (int j = 0; j < k; j++) {
            int i = items[j];
            double score = base + itemBias[i] + planted.dot(u, i);
            levels[j] = (byte) grid.level(score + sigma * r.nextGaussian());
        }
        return k;
    }

    private void chooseItems(SynthRandom r, int k) {
        if (k == 0) {
            return;
        }
        int n = config.items();
        double cost = model.rejectionCost[k];
        if (cost <= REJECTION_DRAWS_PER_ITEM * n) {
            if (++stamp == Integer.MAX_VALUE) {
                Arrays.fill(mark, 0);
                stamp = 1;
            }
            long budget = (long) (20 * cost) + 1000;
            AliasTable alias = model.popularity;
            int got = 0;
            for (long draws = 0; got < k && draws < budget; draws++) {
                int i = alias.sample(r);
                if (mark[i] != stamp) {
                    mark[i] = stamp;
                    items[got++] = i;
                }
            }
            if (got == k) {
                return;
            }
            // astronomically unlikely; the race below draws from the same distribution
        }
        race(r, k);
    }

    /** Exponential race: the k items with the smallest {@code Exp(1) / w_i} keys. */
    private void race(SynthRandom r, int k) {
        int n = config.items();
        if (keys == null) {
            keys = new double[n];
            order = new int[n];
        }
        double[] w = model.itemWeights;
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextExponential() / w[i];
            order[i] = i;
        }
        if (k < n) {
            selectSmallest(keys, order, n, k);
        }
        System.arraycopy(order, 0, items, 0, k);
    }

    /** Reorders {@code keys[0..n)} (and {@code idx} alongside) so the k smallest come first. */
    static void selectSmallest(double[] keys, int[] idx, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot
            double a = keys[lo];
            double b = keys[mid];
            double c = keys[hi];
            double pivot = a < b ? (b < c ? b : Math.max(a, c)) : (a < c ? a : Math.max(b, c));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double tk = keys[i];
                    keys[i] = keys[j];
                    keys[j] = tk;
                    int ti = idx[i];
                    idx[i] = idx[j];
                    idx[j] = ti;
                    i++;
                    j--;
                }
            }
            // now [lo, j] <= pivot <= [i, hi]
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }
}
