package org.varec.data.split;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.IntFunction;
import org.varec.data.Interactions;

/**
 * Helpers for building and checking {@link Split}s: explicit splits (train and test given
 * separately, e.g. by the CLI), sorting, disjointness checks and the partition step shared by the
 * random protocols.
 */
public final class Splits {
    private Splits() {
    }

    /** An explicit split named {@code explicit}: see {@link #explicit(Interactions, Interactions, Interactions)}. */
    public static Split explicit(Interactions train, Interactions test) {
        return explicit(train, null, test);
    }

    /**
     * An explicit split named {@code explicit} from parts read separately over one pair of indices.
     * Parts not sorted by user then item are sorted (a copy); the parts must be over the same
     * index sizes and must not share a (user, item) pair.
     *
     * @param validation may be null
     * @throws IllegalArgumentException when the index sizes differ or two parts share a pair
     */
    public static Split explicit(Interactions train, Interactions validation, Interactions test) {
        return explicit(train, validation, test, null, null);
    }

    /**
     * As {@link #explicit(Interactions, Interactions, Interactions)}; a shared pair is named by its
     * external ids from {@code users} and {@code items} (when given).
     */
    public static Split explicit(Interactions train, Interactions validation, Interactions test,
                                 org.varec.data.IdIndex users, org.varec.data.IdIndex items) {
        Names names = new Names(users, items);
        Interactions tr = sortedByUserItem(train);
        Interactions va = validation == null ? null : sortedByUserItem(validation);
        Interactions te = sortedByUserItem(test);
        checkSameIndices("train", tr, "test", te);
        requireDisjoint("train", tr, "test", te, names);
        if (va != null) {
            checkSameIndices("train", tr, "validation", va);
            requireDisjoint("train", tr, "validation", va, names);
            requireDisjoint("validation", va, "test", te, names);
        }
        return new Split("explicit", tr, va, te);
    }

    /**
     * {@code r} itself when its {@code sortedByUser} flag is set, else a copy sorted by user then
     * item (a stable sort: equal pairs keep their order).
     */
    public static Interactions sortedByUserItem(Interactions r) {
        if (r.sortedByUser()) {
            return r;
        }
        int n = r.size();
        int[] users = r.users();
        int[] items = r.items();
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = compare(users[i - 1], items[i - 1], users[i], items[i]) <= 0;
        }
        if (sorted) {
            return new Interactions(r.numUsers(), r.numItems(), users, items, r.values(), true);
        }
        // two stable counting sorts (by item, then by user): O(n + users + items), equal pairs keep their order
        int[] byItem = countingOrder(items, r.numItems(), null);
        int[] idx = countingOrder(users, r.numUsers(), byItem);
        Interactions s = r.select(idx);
        return new Interactions(s.numUsers(), s.numItems(), s.users(), s.items(), s.values(), true);
    }

    /** Positions ordered stably by {@code key[position]}, visiting positions in the order {@code within} (or 0..n-1). */
    private static int[] countingOrder(int[] key, int numKeys, int[] within) {
        int n = key.length;
        int[] start = new int[numKeys + 1];
        for (int k : key) {
            start[k + 1]++;
        }
        for (int k = 0; k < numKeys; k++) {
            start[k + 1] += start[k];
        }
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            int i = within == null ? j : within[j];
            out[start[key[i]]++] = i;
        }
        return out;
    }

    /**
     * Number of (user, item) pairs present in both {@code a} and {@code b}, both sorted by user then
     * item (a merge walk, O(|a| + |b|)).
     */
    public static int countShared(Interactions a, Interactions b) {
        int[] au = a.users();
        int[] ai = a.items();
        int[] bu = b.users();
        int[] bi = b.items();
        int i = 0;
        int j = 0;
        int shared = 0;
        while (i < au.length && j < bu.length) {
            int c = compare(au[i], ai[i], bu[j], bi[j]);
            if (c == 0) {
                shared++;
                i++;
                j++;
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return shared;
    }

    /** External ids for messages (dense indices when none). */
    private record Names(org.varec.data.IdIndex users, org.varec.data.IdIndex items) {
        String pair(int u, int i) {
            return "(user " + (users == null ? "#" + u : org.varec.util.Text.quote(users.externalId(u))) + ", item "
                    + (items == null ? "#" + i : org.varec.util.Text.quote(items.externalId(i))) + ")";
        }
    }

    private static void requireDisjoint(String an, Interactions a, String bn, Interactions b, Names names) {
        int shared = countShared(a, b);
        if (shared > 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%,d (user, item) pair%s in both the %s and the %s ratings, the first %s; "
                            + "the parts of a split must be disjoint (a test rating seen in training leaks)",
                    shared, shared == 1 ? " is" : "s are", an, bn, firstShared(a, b, names)));
        }
    }

    private static String firstShared(Interactions a, Interactions b, Names names) {
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            int c = compare(a.users()[i], a.items()[i], b.users()[j], b.items()[j]);
            if (c == 0) {
                return names.pair(a.users()[i], a.items()[i]);
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return "?";
    }

    private static void checkSameIndices(String an, Interactions a, String bn, Interactions b) {
        if (a.numUsers() != b.numUsers() || a.numItems() != b.numItems()) {
            throw new IllegalArgumentException("the " + an + " ratings are over " + a.numUsers() + " users x "
                    + a.numItems() + " items but the " + bn + " ratings over " + b.numUsers() + " x " + b.numItems()
                    + "; the parts of a split must share one index");
        }
    }

    static int compare(int u1, int i1, int u2, int i2) {
        return u1 != u2 ? Integer.compare(u1, u2) : Integer.compare(i1, i2);
    }

    /**
     * Cuts {@code ratings} into {@code numParts} parts by label: part {@code p} holds the ratings
     * {@code i} with {@code labels[i] == p}, in ascending index order (so sorted by user then item
     * when {@code ratings} is).
     */
    static Interactions[] partition(Interactions ratings, byte[] labels, int numParts) {
        int n = labels.length;
        int[] counts = new int[numParts];
        for (byte l : labels) {
            counts[l]++;
        }
        int[][] idx = new int[numParts][];
        for (int p = 0; p < numParts; p++) {
            idx[p] = new int[counts[p]];
        }
        int[] fill = new int[numParts];
        for (int i = 0; i < n; i++) {
            int p = labels[i];
            idx[p][fill[p]++] = i;
        }
        Interactions[] parts = new Interactions[numParts];
        for (int p = 0; p < numParts; p++) {
            parts[p] = ratings.select(idx[p]);
        }
        return parts;
    }

    /**
     * Labels for one shuffled cut: a seeded permutation of the {@code n} rating indices, positions
     * {@code [cuts[p-1], cuts[p])} of it labelled {@code p} (with {@code cuts[-1] = 0} and the last
     * part running to {@code n}).
     */
    static byte[] shuffledLabels(int n, int[] perm, int[] cuts) {
        byte[] labels = new byte[n];
        int part = 0;
        for (int pos = 0; pos < n; pos++) {
            while (part < cuts.length && pos >= cuts[part]) {
                part++;
            }
            labels[perm[pos]] = (byte) part;
        }
        return labels;
    }

    /** An unmodifiable list whose element {@code i} is built by {@code build} on each access. */
    static List<Split> lazy(int size, IntFunction<Split> build) {
        return new LazyList(size, build);
    }

    private static final class LazyList extends AbstractList<Split> implements RandomAccess {
        private final int size;
        private final IntFunction<Split> build;

        LazyList(int size, IntFunction<Split> build) {
            this.size = size;
            this.build = build;
        }

        @Override
        public Split get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("split " + index + " of " + size);
            }
            return build.apply(index);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
