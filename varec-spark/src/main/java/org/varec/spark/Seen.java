package org.varec.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.varec.data.IdIndex;
import org.varec.data.SeenItems;
import org.varec.model.TrainedModel;

/**
 * Each trained user's rated items for an exported model file (core's {@link SeenItems}, which
 * {@code varec recommend}, {@code TrainedModel.recommend} and the server leave out of top-N lists).
 * The distinct (user, item) pairs of the training data are collected on the driver (as Spark rows,
 * tens of bytes each there; 4 bytes per pair in the file), so this is opt-in: the export methods that
 * take the training data call it, the others write no seen items. An import ({@code fromVarec}) does
 * not keep a file's seen items.
 */
final class Seen {
    private Seen() {
    }

    /** {@code t} with the seen items of {@code data}'s (userCol, itemCol) pairs; every id must be in the model. */
    static TrainedModel attach(TrainedModel t, Dataset<?> data, String userCol, String itemCol) {
        List<Row> pairs = data.select(RatingInput.intId(userCol), RatingInput.intId(itemCol)).distinct()
                .collectAsList();
        IdIndex users = t.users();
        IdIndex items = t.items();
        int n = pairs.size();
        int[] u = new int[n];
        int[] i = new int[n];
        int[] offsets = new int[users.size() + 1];
        for (int p = 0; p < n; p++) {
            Row r = pairs.get(p);
            u[p] = users.indexOfNumeric(r.getInt(0));
            i[p] = items.indexOfNumeric(r.getInt(1));
            if (u[p] < 0 || i[p] < 0) {
                throw new IllegalArgumentException("rating (user " + r.getInt(0) + ", item " + r.getInt(1)
                        + ") has an id the model does not know: pass the data the model was fitted on");
            }
            offsets[u[p] + 1]++;
        }
        for (int x = 0; x < users.size(); x++) {
            offsets[x + 1] += offsets[x];
        }
        int[] fill = Arrays.copyOf(offsets, users.size());
        int[] seen = new int[n];
        for (int p = 0; p < n; p++) {
            seen[fill[u[p]]++] = i[p];
        }
        for (int x = 0; x < users.size(); x++) {
            Arrays.sort(seen, offsets[x], offsets[x + 1]); // SeenItems.contains binary-searches a row
        }
        return new TrainedModel(t.model(), t.config(), users, items, t.scale(), t.catalog(),
                new SeenItems(offsets, seen), t.provenance());
    }
}
