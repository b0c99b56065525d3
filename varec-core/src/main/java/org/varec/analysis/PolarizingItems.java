package org.varec.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.model.FactorModel;
import org.varec.model.TrainedModel;
import org.varec.recommend.ItemFactors;
import org.varec.recommend.Recommendation;

/**
 * The most or least polarizing items of a factor model with the histograms of their ratings. A
 * long item vector {@code ||v_i||} means the predicted rating depends strongly on who rates the
 * item (it divides people); a short one that everybody rates it about the same ("Matrix
 * Factorization in Action", section 5.2; {@link ItemFactors#polarizing}). The histograms show
 * whether the ratings agree: a polarizing item's spread over the whole scale.
 *
 * @param most  whether these are the most (largest norm) or the least (smallest norm) polarizing items
 * @param bins  the bins of every item's histogram: those of all ratings of the dataset, so that
 *              histograms compare; its counts are the dataset's
 * @param items the items, most polarizing first ({@code most}) or least polarizing first
 */
public record PolarizingItems(boolean most, RatingHistogram bins, List<Item> items) {
    public PolarizingItems {
        items = List.copyOf(items);
    }

    /**
     * One item and its ratings.
     *
     * @param item       dense item index in the model
     * @param id         external item id
     * @param title      title (the id when the model has no catalog title)
     * @param genres     {@code '|'}-joined genres from the model's catalog, or null
     * @param norm       {@code ||v_item||}
     * @param ratings    ratings of the item in the dataset (0 when the dataset does not have it)
     * @param meanRating their mean, NaN without ratings
     * @param histogram  the item's ratings in {@link PolarizingItems#bins()}
     */
    public record Item(int item, String id, String title, String genres, double norm, int ratings, double meanRating,
                       RatingHistogram histogram) {
    }

    /**
     * The {@code n} most ({@code most}) or least polarizing items of {@code m} among those with at
     * least {@code minRatings} training ratings (all items qualify when the model does not know
     * what it was trained on), with their ratings in {@code d} matched by external item id (give
     * the dataset the model was trained on). The list is empty when no item qualifies.
     *
     * @throws IllegalArgumentException when {@code m} is not a factor model or {@code n < 1}
     */
    public static PolarizingItems of(TrainedModel m, Dataset d, boolean most, int n, int minRatings) {
        if (!(m.model() instanceof FactorModel fm)) {
            throw new IllegalArgumentException(m.algorithm() + " has no item vectors");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        int[] counts;
        if (m.seen() != null) {
            counts = ItemFactors.counts(m.seen(), fm.numItems());
        } else {
            counts = new int[fm.numItems()];
            Arrays.fill(counts, Integer.MAX_VALUE);
        }
        List<Recommendation> chosen = ItemFactors.polarizing(fm, counts, minRatings, n, most);

        // the ratings of each chosen item, in dataset order
        Map<Integer, Integer> slotOfDataItem = new HashMap<>();
        for (int k = 0; k < chosen.size(); k++) {
            int dataItem = d.items().indexOf(m.items().externalId(chosen.get(k).item()));
            if (dataItem >= 0) {
                slotOfDataItem.put(dataItem, k);
            }
        }
        Interactions r = d.ratings();
        int[] size = new int[chosen.size()];
        for (int q = 0; q < r.size(); q++) {
            Integer k = slotOfDataItem.get(r.items()[q]);
            if (k != null) {
                size[k]++;
            }
        }
        float[][] values = new float[chosen.size()][];
        for (int k = 0; k < values.length; k++) {
            values[k] = new float[size[k]];
            size[k] = 0;
        }
        for (int q = 0; q < r.size(); q++) {
            Integer k = slotOfDataItem.get(r.items()[q]);
            if (k != null) {
                values[k][size[k]++] = r.values()[q];
            }
        }

        RatingHistogram bins = RatingHistogram.of(r.values());
        List<Item> items = new ArrayList<>(chosen.size());
        for (int k = 0; k < chosen.size(); k++) {
            int i = chosen.get(k).item();
            float[] v = values[k];
            double sum = 0;
            for (float x : v) {
                sum += x;
            }
            items.add(new Item(i, m.items().externalId(i), m.title(i), m.catalog() == null ? null : m.catalog().genres(i),
                    chosen.get(k).score(), v.length, v.length == 0 ? Double.NaN : sum / v.length, bins.count(v)));
        }
        return new PolarizingItems(most, bins, items);
    }

    /** Whether any item has ratings in the dataset (none has when it is not the one the model was trained on). */
    public boolean anyRatings() {
        for (Item it : items) {
            if (it.ratings() > 0) {
                return true;
            }
        }
        return false;
    }
}
