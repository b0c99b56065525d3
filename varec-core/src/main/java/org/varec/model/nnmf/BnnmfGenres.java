package org.varec.model.nnmf;

import org.varec.data.FeatureTable;

/**
 * The side information s_m of {@code bnnmf} with {@code side=item}: item m's genre indicators, a
 * dense {@code items x G} row-major float matrix with 1 where the item has the genre (the NNMF
 * paper, sec. 3.2: "the genre of each film ... concatenated to the movie embedding V_m in the form
 * of a one-hot vector"; MovieLens films may have several genres, so a row may hold several ones;
 * G = 19 on ML-100K, 18 on ML-1M). Genres are the features of the item table's group
 * {@value #GROUP}, numbered in feature order, as {@code als-features} reads them.
 */
final class BnnmfGenres {
    /** The item feature group holding genres. */
    static final String GROUP = "genre";

    private BnnmfGenres() {
    }

    /** The {@code numItems x G} indicator matrix; an error naming the group when the data has none. */
    static float[] indicators(FeatureTable t, int numItems) {
        if (t == null) {
            throw new IllegalArgumentException("bnnmf with side=item needs item features in group '" + GROUP
                    + "', but the data has none; use side=none, or data with genres (e.g. MovieLens, or "
                    + "--item-features with a '" + GROUP + "' column)");
        }
        int group = t.groupNames().indexOf(GROUP);
        if (group < 0) {
            throw new IllegalArgumentException("bnnmf with side=item needs item features in group '" + GROUP
                    + "'; the data has groups " + t.groupNames());
        }
        if (t.numRows() != numItems) {
            throw new IllegalArgumentException("item feature table has " + t.numRows() + " rows for " + numItems
                    + " items");
        }
        int[] toGenre = new int[t.numFeatures()];
        int g = 0;
        for (int f = 0; f < toGenre.length; f++) {
            toGenre[f] = t.groupOf(f) == group ? g++ : -1;
        }
        if (g == 0) {
            throw new IllegalArgumentException("item feature group '" + GROUP + "' has no features");
        }
        float[] s = new float[Math.multiplyExact(numItems, g)];
        int[] off = t.offsets();
        int[] fs = t.features();
        for (int i = 0; i < numItems; i++) {
            for (int p = off[i]; p < off[i + 1]; p++) {
                int genre = toGenre[fs[p]];
                if (genre >= 0) {
                    s[i * g + genre] = 1f;
                }
            }
        }
        return s;
    }

    /** G, the number of genres of the matrix {@link #indicators} gives. */
    static int count(FeatureTable t) {
        int group = t.groupNames().indexOf(GROUP);
        int g = 0;
        for (int f = 0; f < t.numFeatures(); f++) {
            if (t.groupOf(f) == group) {
                g++;
            }
        }
        return g;
    }
}
