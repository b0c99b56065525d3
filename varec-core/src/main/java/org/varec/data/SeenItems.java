package org.varec.data;

import java.util.Arrays;

/**
 * Which items each trained user has already rated (CSR, rows ascending), kept inside model files
 * so that top-N lists can leave them out without the training data at hand. 4 bytes per rating.
 */
public record SeenItems(int[] offsets, int[] items) {
    public SeenItems {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != items.length) {
            throw new IllegalArgumentException("inconsistent seen-items offsets");
        }
        for (int u = 0; u + 1 < offsets.length; u++) {
            if (offsets[u] > offsets[u + 1]) {
                throw new IllegalArgumentException("seen-items offsets decrease at row " + u);
            }
        }
    }

    /** The seen items of a rating matrix's users (shares nothing with it). */
    public static SeenItems of(RatingMatrix m) {
        return new SeenItems(m.userOffsets().clone(), m.userItems().clone());
    }

    public int numUsers() {
        return offsets.length - 1;
    }

    /** Whether user {@code u} (in range) rated item {@code i}. */
    public boolean contains(int u, int i) {
        if (u < 0 || u >= numUsers()) {
            return false;
        }
        return Arrays.binarySearch(items, offsets[u], offsets[u + 1], i) >= 0;
    }

    /** The items of user {@code u} (a copy; empty when out of range). */
    public int[] of(int u) {
        if (u < 0 || u >= numUsers()) {
            return new int[0];
        }
        return Arrays.copyOfRange(items, offsets[u], offsets[u + 1]);
    }
}
