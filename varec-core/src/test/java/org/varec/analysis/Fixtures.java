package org.varec.analysis;

import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.ItemCatalog;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.data.SeenItems;
import org.varec.io.Provenance;
import org.varec.model.AlgorithmConfig;
import org.varec.model.FactorModel;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.train.EpochReport;

/** Small hand-made models and datasets for the analysis tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A factor model that is nothing but its item vectors (one user with a zero vector). */
    record Vectors(int rank, float[] itemFactors) implements FactorModel {
        record State(int user) implements UserState {
        }

        public float[] userFactors() {
            return new float[rank];
        }

        public float[] itemBiases() {
            return null;
        }

        public double globalMean() {
            return 0;
        }

        public float[] userVector(UserState u) {
            return new float[rank];
        }

        public String algorithm() {
            return "vectors";
        }

        public int numUsers() {
            return 1;
        }

        public int numItems() {
            return itemFactors.length / rank;
        }

        public double predict(int u, int i) {
            return 0;
        }

        public UserState user(int u) {
            return new State(u);
        }

        public UserState foldIn(int[] items, float[] ratings) {
            return new State(-1);
        }

        public double predict(UserState u, int i) {
            return 0;
        }

        public void writeParameters(DataOutput out) {
        }
    }

    record NoConfig() implements AlgorithmConfig {
    }

    /** Ids "i0", "i1", ... */
    static IdIndex ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            ids.add(prefix + k);
        }
        return IdIndex.of(ids);
    }

    /**
     * {@code model} served with items "i0".."i(n-1)", titles "Title k", the given genres, and one
     * user who "saw" item {@code k} {@code seen[k]} times (null: unknown training data).
     */
    static TrainedModel trained(FactorModel model, String[] genres, int[] seen, List<EpochReport> history) {
        int n = model.numItems();
        String[] titles = new String[n];
        for (int k = 0; k < n; k++) {
            titles[k] = "Title " + k;
        }
        SeenItems seenItems = null;
        if (seen != null) {
            List<Integer> items = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < seen[k]; c++) {
                    items.add(k);
                }
            }
            seenItems = new SeenItems(new int[] {0, items.size()}, items.stream().mapToInt(Integer::intValue).toArray());
        }
        Provenance p = new Provenance(model.algorithm(), null, "fixture", 1, n, 0, "", 1, 1, "test", "", 0, history);
        return new TrainedModel(model, new NoConfig(), ids("u", 1), ids("i", n), RatingScale.STARS_1_5,
                genres == null ? null : new ItemCatalog(titles, genres), seenItems, p);
    }

    /** A dataset over users "u0".. and the given item ids; rating k is {@code (users[k], items[k], values[k])}. */
    static Dataset dataset(int numUsers, IdIndex items, int[] users, int[] itemsOfRatings, float[] values) {
        InteractionsBuilder b = new InteractionsBuilder();
        for (int k = 0; k < values.length; k++) {
            b.add(users[k], itemsOfRatings[k], values[k]);
        }
        Interactions r = b.build(numUsers, items.size(), DuplicatePolicy.LAST).interactions();
        return new Dataset("fixture", "test", null, ids("u", numUsers), items, r, RatingScale.STARS_1_5, null, null,
                null, ReadReport.empty());
    }
}
