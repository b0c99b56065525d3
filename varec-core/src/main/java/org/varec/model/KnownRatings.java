package org.varec.model;

/**
 * The ratings of a user to fold in, kept to the items a model was trained on: {@code items[0..n)}
 * and {@code ratings[0..n)} in the caller's order (the arrays may be longer than {@code n}). Items
 * outside {@code [0, numItems)} (unknown to the model) are dropped, as every fold-in does.
 */
public record KnownRatings(int[] items, float[] ratings, int n) {
    /**
     * Keeps the pairs whose item is in {@code [0, numItems)}.
     *
     * @throws IllegalArgumentException when {@code items} and {@code ratings} differ in length
     */
    public static KnownRatings of(int[] items, float[] ratings, int numItems) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int n = 0;
        int[] idx = new int[items.length];
        float[] val = new float[items.length];
        for (int p = 0; p < items.length; p++) {
            if (items[p] >= 0 && items[p] < numItems) {
                idx[n] = items[p];
                val[n++] = ratings[p];
            }
        }
        return new KnownRatings(idx, val, n);
    }
}
