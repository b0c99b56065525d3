package org.varec.data;

import java.util.Objects;

/**
 * Ratings as coordinate (COO) arrays over dense user and item indices: rating {@code i} is
 * {@code (users[i], items[i], values[i])}. The arrays are shared, never copied behind your back,
 * and must not be mutated once built.
 *
 * <p>When {@link #sortedByUser()} is true the entries are ordered by user then item, so a
 * {@link RatingMatrix} can reuse {@code items} and {@code values} as its CSR arrays without a copy.
 *
 * @param numUsers size of the user index (users without ratings count)
 * @param numItems size of the item index
 */
public record Interactions(int numUsers, int numItems, int[] users, int[] items, float[] values,
                           boolean sortedByUser) {

    public Interactions {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(values, "values");
        if (users.length != items.length || items.length != values.length) {
            throw new IllegalArgumentException("COO arrays differ in length: users=" + users.length
                    + " items=" + items.length + " values=" + values.length);
        }
        if (numUsers < 0 || numItems < 0) {
            throw new IllegalArgumentException("negative index size");
        }
    }

    /**
     * Where each user's ratings start: user {@code u}'s are {@code [start[u], start[u + 1])}, length
     * {@code numUsers + 1}. Meaningful when the entries are grouped by user ({@link #sortedByUser}).
     */
    public int[] userStarts() {
        int[] start = new int[numUsers + 1];
        for (int u : users) {
            start[u + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            start[u + 1] += start[u];
        }
        return start;
    }

    /**
     * Whether the entries are in the order {@link InteractionsBuilder#build} gives: by user, then by
     * item, each (user, item) pair once (so rebuilding them would change nothing).
     */
    public boolean inBuilderOrder() {
        for (int k = 1; k < users.length; k++) {
            int du = users[k] - users[k - 1];
            if (du < 0 || du == 0 && items[k] <= items[k - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Number of ratings. */
    public int size() {
        return values.length;
    }

    /** Mean rating (0 for an empty set), accumulated in double. */
    public double mean() {
        if (values.length == 0) {
            return 0;
        }
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s / values.length;
    }

    /**
     * The entries at {@code indices}, in that order. When {@code indices} is ascending and this is
     * sorted by user, so is the result.
     */
    public Interactions select(int[] indices) {
        int n = indices.length;
        int[] u = new int[n];
        int[] it = new int[n];
        float[] v = new float[n];
        boolean ascending = true;
        for (int j = 0; j < n; j++) {
            int i = indices[j];
            u[j] = users[i];
            it[j] = items[i];
            v[j] = values[i];
            if (j > 0 && i <= indices[j - 1]) {
                ascending = false;
            }
        }
        return new Interactions(numUsers, numItems, u, it, v, sortedByUser && ascending);
    }

    /** The same ratings with each value replaced by {@code 1} when {@code value > threshold}, else 0. */
    public Interactions binarize(double threshold) {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i] > threshold ? 1f : 0f;
        }
        return new Interactions(numUsers, numItems, users, items, v, sortedByUser);
    }
}
