package org.varec.data;

import java.util.List;

/**
 * What a person needs to recognise an item: its title and genres, by dense item index (either
 * array may hold nulls). Saved inside model files so that recommendations print titles without
 * the dataset at hand.
 */
public record ItemCatalog(String[] titles, String[] genres) {
    public ItemCatalog {
        if (titles.length != genres.length) {
            throw new IllegalArgumentException("titles and genres differ in length");
        }
    }

    /** The catalog of a dataset: its titles and its {@code genre} feature group (joined by '|'). */
    public static ItemCatalog of(Dataset d) {
        int n = d.numItems();
        String[] titles = new String[n];
        String[] genres = new String[n];
        for (int i = 0; i < n; i++) {
            titles[i] = d.itemTitles() == null ? null : d.itemTitles()[i];
            if (d.itemFeatures() != null && d.itemFeatures().groupNames().contains("genre")) {
                List<String> g = d.itemFeatures().labels(i, "genre");
                genres[i] = g.isEmpty() ? null : String.join("|", g);
            }
        }
        return new ItemCatalog(titles, genres);
    }

    public int size() {
        return titles.length;
    }

    public String title(int i) {
        return i >= 0 && i < titles.length ? titles[i] : null;
    }

    public String genres(int i) {
        return i >= 0 && i < genres.length ? genres[i] : null;
    }
}
