package org.varec.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A rating dataset as read from disk: users and items indexed densely, the ratings (sorted by
 * user then item, duplicates resolved), and whatever side information the source has.
 *
 * @param name         short name, e.g. {@code ml-100k}
 * @param format       the reader that produced it, e.g. {@code ml-100k}, {@code delimited}
 * @param source       the file or directory read (predefined splits are looked up beside it)
 * @param users        user id index; may hold users without ratings (from a users file)
 * @param items        item id index; may hold items without ratings (from a catalog file)
 * @param ratings      all ratings, sorted by user then item
 * @param scale        declared rating range
 * @param itemFeatures item side information (genres...), or null
 * @param userFeatures user side information (demographics...), or null
 * @param itemTitles   item titles by dense index (entries may be null), or null when unknown
 * @param report       what the reader did
 * @param graph        for a network ({@link Networks}): the graph itself, whose vertices are both the users
 *                     and the items and whose unordered pairs are the ratings; null for rating data
 */
public record Dataset(String name, String format, Path source, IdIndex users, IdIndex items, Interactions ratings,
                      RatingScale scale, FeatureTable itemFeatures, FeatureTable userFeatures, String[] itemTitles,
                      ReadReport report, Graph graph) {
    /** A rating dataset (no graph). */
    public Dataset(String name, String format, Path source, IdIndex users, IdIndex items, Interactions ratings,
                   RatingScale scale, FeatureTable itemFeatures, FeatureTable userFeatures, String[] itemTitles,
                   ReadReport report) {
        this(name, format, source, users, items, ratings, scale, itemFeatures, userFeatures, itemTitles, report, null);
    }

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(ratings, "ratings");
        Objects.requireNonNull(scale, "scale");
        if (ratings.numUsers() != users.size() || ratings.numItems() != items.size()) {
            throw new IllegalArgumentException("ratings are sized " + ratings.numUsers() + "x" + ratings.numItems()
                    + " but the indices hold " + users.size() + " users and " + items.size() + " items");
        }
        if (graph != null && (users != items || graph.vertices() != users)) {
            throw new IllegalArgumentException("a network's users and items are its vertices: one shared index");
        }
    }

    /** Whether this is a network: ratings are the 0/1 link indicators of unordered vertex pairs. */
    public boolean isNetwork() {
        return graph != null;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    public int numRatings() {
        return ratings.size();
    }

    /** Title of dense item {@code i}, or its external id when no title is known. */
    public String title(int i) {
        String t = itemTitles == null ? null : itemTitles[i];
        return t == null ? items.externalId(i) : t;
    }

    /**
     * The same dataset with other side information (a null argument keeps the current table);
     * tables must have one row per user or item of the indices.
     */
    public Dataset withSideInformation(FeatureTable users, FeatureTable items) {
        FeatureTable u = users == null ? userFeatures : users;
        FeatureTable i = items == null ? itemFeatures : items;
        if (u != null && u.numRows() != numUsers() || i != null && i.numRows() != numItems()) {
            throw new IllegalArgumentException("side information must have one row per user and per item");
        }
        return new Dataset(name, format, source, this.users, this.items, ratings, scale, i, u, itemTitles, report, graph);
    }

    /** The same dataset with other ratings over the same indices (used by splits). */
    public Dataset withRatings(Interactions r) {
        return new Dataset(name, format, source, users, items, r, scale, itemFeatures, userFeatures, itemTitles, report, graph);
    }

    /**
     * The dataset for classification: every rating {@code >= threshold} becomes 1 and every other
     * 0, on the scale 0..1 (what {@link org.varec.model.Task#CLASSIFICATION} trains and measures).
     */
    public Dataset binarized(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("classification threshold must be a number, got " + threshold);
        }
        float[] v = new float[ratings.size()];
        float[] src = ratings.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = src[i] >= threshold ? 1f : 0f;
        }
        Interactions b = new Interactions(ratings.numUsers(), ratings.numItems(), ratings.users(), ratings.items(), v,
                ratings.sortedByUser());
        return new Dataset(name, format, source, users, items, b, new RatingScale(0, 1), itemFeatures, userFeatures,
                itemTitles, report, graph);
    }

    /**
     * Implicit feedback from explicit ratings (Liang et al. 2018 keep ML-20M ratings of 4 and more
     * as clicks): only the ratings {@code >= threshold}, each as 1, on the scale 1..1. Users and
     * items keep their indices (one left with no click simply has none).
     */
    public Dataset implicit(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("implicit threshold must be a number, got " + threshold);
        }
        float[] src = ratings.values();
        int kept = 0;
        for (float x : src) {
            if (x >= threshold) {
                kept++;
            }
        }
        if (kept == 0) {
            throw new IllegalArgumentException("no rating is >= " + threshold + ": nothing left as implicit feedback");
        }
        int[] idx = new int[kept];
        for (int i = 0, k = 0; i < src.length; i++) {
            if (src[i] >= threshold) {
                idx[k++] = i;
            }
        }
        Interactions s = ratings.select(idx);
        java.util.Arrays.fill(s.values(), 1f);
        return new Dataset(name, format, source, users, items, s, new RatingScale(1, 1), itemFeatures, userFeatures,
                itemTitles, report, graph);
    }
}
