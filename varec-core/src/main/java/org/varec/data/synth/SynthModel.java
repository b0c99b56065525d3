package org.varec.data.synth;

/**
 * Everything the rows are drawn from, prepared once per config: the planted model, the number of
 * ratings of every user, and the item popularity distribution. Immutable and shared by the
 * threads that draw rows ({@link RowSampler}, one per thread).
 *
 * <p>Memory: {@code O(users * rank + items * rank)}; about 10 MB at the MovieLens 25M shape.
 */
final class SynthModel {
    final SyntheticConfig config;
    final Planted planted;
    /** Ratings per user; they sum to {@code config.ratings()}. */
    final int[] counts;
    final int maxCount;
    /** Draw weight of each item (dense index). */
    final double[] itemWeights;
    final AliasTable popularity;
    /**
     * {@code rejectionCost[k]}: an upper estimate of the draws rejection sampling needs to collect
     * {@code k} distinct items (the k-th draw succeeds with probability at least one minus the mass
     * of the k-1 heaviest items).
     */
    final double[] rejectionCost;

    SynthModel(SyntheticConfig c) {
        this.config = c;
        this.planted = SyntheticRatings.planted(c);
        this.counts = userCounts(c);
        int m = 0;
        for (int k : counts) {
            m = Math.max(m, k);
        }
        this.maxCount = m;
        int n = c.items();
        // popularity rank of each item: a seeded permutation, so item ids carry no popularity order
        int[] rank = SynthRandom.stream(c.seed(), SynthRandom.TAG_ITEM_PERMUTATION, 0).permutation(n);
        double[] byRank = new double[n];
        for (int r = 0; r < n; r++) {
            byRank[r] = StrictMath.pow(r + 1, -c.popularityExponent());
        }
        itemWeights = new double[n];
        for (int i = 0; i < n; i++) {
            itemWeights[i] = byRank[rank[i]];
        }
        popularity = new AliasTable(itemWeights);
        double total = 0;
        for (double w : byRank) {
            total += w;
        }
        rejectionCost = new double[n + 1];
        double prefix = 0;
        for (int j = 0; j < n; j++) {
            double rest = 1 - prefix / total;
            rejectionCost[j + 1] = rejectionCost[j] + (rest > 1e-12 ? 1 / rest : Double.POSITIVE_INFINITY);
            prefix += byRank[j];
        }
    }

    /**
     * Ratings per user: the (effective) minimum for everyone, the rest shared in proportion to
     * shifted Zipf activity weights {@code r^-a - (users+1)^-a} over a seeded activity ranking, no
     * user above {@code items}; the counts sum to {@code ratings} exactly.
     */
    static int[] userCounts(SyntheticConfig c) {
        int n = c.users();
        int cap = c.items();
        int base = c.effectiveMinPerUser();
        int[] rank = SynthRandom.stream(c.seed(), SynthRandom.TAG_USER_PERMUTATION, 0).permutation(n);
        // shifted Zipf: rank r gets r^-a - (n+1)^-a, so the least active users sit at the minimum
        // (exponent 0: everyone gets the same share)
        double a = c.activityExponent();
        double floor = a == 0 ? 0 : StrictMath.pow(n + 1, -a);
        double[] w = new double[n];
        for (int u = 0; u < n; u++) {
            w[u] = StrictMath.pow(rank[u] + 1, -a) - floor;
        }
        int[] counts = new int[n];
        java.util.Arrays.fill(counts, base);
        boolean[] capped = new boolean[n];
        long extra = c.ratings() - (long) n * base;
        // water-filling: users whose share would exceed the cap get the cap, the rest is re-shared
        double weight;
        while (true) {
            weight = 0;
            for (int u = 0; u < n; u++) {
                if (!capped[u]) {
                    weight += w[u];
                }
            }
            if (extra == 0 || weight == 0) {
                break;
            }
            boolean changed = false;
            for (int u = 0; u < n; u++) {
                if (!capped[u] && base + extra * (w[u] / weight) >= cap) {
                    capped[u] = true;
                    counts[u] = cap;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            extra = c.ratings();
            for (int u = 0; u < n; u++) {
                extra -= counts[u];
            }
        }
        // systematic rounding of the shares: cumulative targets, so the counts sum exactly
        if (extra > 0 && weight > 0) {
            double cum = 0;
            long prev = 0;
            int last = -1;
            for (int u = 0; u < n; u++) {
                if (!capped[u]) {
                    last = u;
                }
            }
            for (int u = 0; u < n; u++) {
                if (capped[u]) {
                    continue;
                }
                cum += w[u];
                long target = u == last ? extra : Math.min(extra, (long) Math.floor(extra * (cum / weight) + 0.5));
                if (target < prev) {
                    target = prev;
                }
                counts[u] += (int) (target - prev);
                prev = target;
            }
        }
        // rounding may push a user one past the cap: hand the excess to users with room
        long excess = 0;
        for (int u = 0; u < n; u++) {
            if (counts[u] > cap) {
                excess += counts[u] - cap;
                counts[u] = cap;
            }
        }
        for (int u = 0; u < n && excess > 0; u++) {
            int add = (int) Math.min(excess, cap - counts[u]);
            counts[u] += add;
            excess -= add;
        }
        return counts;
    }
}
