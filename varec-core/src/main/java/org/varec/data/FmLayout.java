package org.varec.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a (user, item) pair becomes the sparse feature vector of a factorization machine, the way
 * libFM lays out a rating with side information: one-hot user, one-hot item, then the user's and
 * the item's side features (demographics, genres...), each feature tagged with its group (libFM's
 * {@code -meta}). Groups: 0 = user id, 1 = item id, then one group per side-information group
 * (user groups first, then item groups, in their tables' order).
 *
 * <p>Feature ids: user {@code u} is {@code u}; item {@code i} is {@code numUsers + i}; user side
 * feature {@code f} is {@code numUsers + numItems + f}; item side feature {@code f} follows the
 * user side features. A multi-valued group (several genres) gets value {@code 1/count} per
 * feature when {@code normalize} is set (libFM's usual encoding, so a film with five genres does
 * not weigh five times a film with one), else each value as stored.
 *
 * <p>Rows are built on the fly into caller-owned arrays ({@link #row}), so models need no
 * per-rating objects. {@link #design(RatingMatrix)} lays the training ratings out as the design
 * matrix the FM trainers run on, straight from the matrix's user-major arrays (no round trip
 * through (user, item, rating) triples); {@link #design(Interactions)} does the same for any
 * ratings (libFM export, held-out parts).
 */
public final class FmLayout {
    private final int numUsers;
    private final int numItems;
    private final FeatureTable userFeatures;
    private final FeatureTable itemFeatures;
    private final boolean normalize;
    private final int userSideOffset;
    private final int itemSideOffset;
    private final int numFeatures;
    private final int[] featureGroups;
    private final List<String> groupNames;
    private final int maxRowLength;

    private FmLayout(int numUsers, int numItems, FeatureTable userFeatures, FeatureTable itemFeatures,
                     boolean normalize) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userFeatures = userFeatures;
        this.itemFeatures = itemFeatures;
        this.normalize = normalize;
        int nuf = userFeatures == null ? 0 : userFeatures.numFeatures();
        int nif = itemFeatures == null ? 0 : itemFeatures.numFeatures();
        this.userSideOffset = numUsers + numItems;
        this.itemSideOffset = userSideOffset + nuf;
        this.numFeatures = itemSideOffset + nif;
        List<String> names = new ArrayList<>(List.of("user", "item"));
        featureGroups = new int[numFeatures];
        java.util.Arrays.fill(featureGroups, numUsers, numUsers + numItems, 1);
        int g0 = 2;
        if (userFeatures != null) {
            for (String g : userFeatures.groupNames()) {
                names.add("user:" + g);
            }
            for (int f = 0; f < nuf; f++) {
                featureGroups[userSideOffset + f] = g0 + userFeatures.groupOf(f);
            }
            g0 += userFeatures.numGroups();
        }
        if (itemFeatures != null) {
            for (String g : itemFeatures.groupNames()) {
                names.add("item:" + g);
            }
            for (int f = 0; f < nif; f++) {
                featureGroups[itemSideOffset + f] = g0 + itemFeatures.groupOf(f);
            }
        }
        this.groupNames = Collections.unmodifiableList(names);
        this.maxRowLength = 2 + maxRow(userFeatures) + maxRow(itemFeatures);
    }

    /**
     * The layout for a users x items rating matrix with optional side information (either table
     * may be null; their rows must cover the users and items).
     */
    public static FmLayout of(int numUsers, int numItems, FeatureTable userFeatures, FeatureTable itemFeatures,
                              boolean normalize) {
        if (userFeatures != null && userFeatures.numRows() < numUsers) {
            throw new IllegalArgumentException("user features cover " + userFeatures.numRows() + " of " + numUsers + " users");
        }
        if (itemFeatures != null && itemFeatures.numRows() < numItems) {
            throw new IllegalArgumentException("item features cover " + itemFeatures.numRows() + " of " + numItems + " items");
        }
        return new FmLayout(numUsers, numItems, userFeatures, itemFeatures, normalize);
    }

    /** Ids only: user and item one-hot (a factorization machine that is biased MF). */
    public static FmLayout idsOnly(int numUsers, int numItems) {
        return new FmLayout(numUsers, numItems, null, null, false);
    }

    private static int maxRow(FeatureTable t) {
        if (t == null) {
            return 0;
        }
        int m = 0;
        int[] off = t.offsets();
        for (int r = 0; r + 1 < off.length; r++) {
            m = Math.max(m, off[r + 1] - off[r]);
        }
        return m;
    }

    public int numUsers() {
        return numUsers;
    }

    /** The user side table the rows carry (null: none). */
    public FeatureTable userFeatures() {
        return userFeatures;
    }

    /** The item side table the rows carry (null: none). */
    public FeatureTable itemFeatures() {
        return itemFeatures;
    }

    public int numItems() {
        return numItems;
    }

    public int numFeatures() {
        return numFeatures;
    }

    /** Group of every feature (libFM's {@code -meta}); shared, do not modify. */
    public int[] featureGroups() {
        return featureGroups;
    }

    public int numGroups() {
        return groupNames.size();
    }

    /** {@code user}, {@code item}, then {@code user:gender}, {@code item:genre}... */
    public List<String> groupNames() {
        return groupNames;
    }

    /** Longest row {@link #row} can write (size the scratch arrays with it). */
    public int maxRowLength() {
        return maxRowLength;
    }

    public int userFeature(int u) {
        return u;
    }

    public int itemFeature(int i) {
        return numUsers + i;
    }

    /**
     * Writes the features of (user {@code u}, item {@code i}) into {@code idx}/{@code val} from
     * position 0 and returns how many. An index outside the trained range (-1 for a new user or
     * item) contributes no id feature; its side features are then absent too.
     */
    public int row(int u, int i, int[] idx, float[] val) {
        int n = 0;
        if (u >= 0 && u < numUsers) {
            idx[n] = u;
            val[n++] = 1f;
            n = side(userFeatures, u, userSideOffset, idx, val, n);
        }
        if (i >= 0 && i < numItems) {
            idx[n] = numUsers + i;
            val[n++] = 1f;
            n = side(itemFeatures, i, itemSideOffset, idx, val, n);
        }
        return n;
    }

    private int side(FeatureTable t, int r, int offset, int[] idx, float[] val, int n) {
        if (t == null) {
            return n;
        }
        int[] off = t.offsets();
        int[] fs = t.features();
        float[] vs = t.values();
        int from = off[r];
        int to = off[r + 1];
        for (int p = from; p < to; p++) {
            float v = vs[p];
            if (normalize) {
                int g = t.groupOf(fs[p]);
                int count = 0;
                for (int q = from; q < to; q++) {
                    if (t.groupOf(fs[q]) == g) {
                        count++;
                    }
                }
                v /= count;
            }
            idx[n] = offset + fs[p];
            val[n++] = v;
        }
        return n;
    }

    /** The design matrix of {@code ratings} (rows in rating order, targets = rating values), with groups. */
    public SparseDesign design(Interactions ratings) {
        int m = ratings.size();
        int[] users = ratings.users();
        int[] items = ratings.items();
        int[] offsets = new int[m + 1];
        int[] idx = new int[maxRowLength];
        float[] val = new float[maxRowLength];
        for (int k = 0; k < m; k++) {
            offsets[k + 1] = offsets[k] + row(users[k], items[k], idx, val);
        }
        int[] features = new int[offsets[m]];
        float[] values = new float[offsets[m]];
        for (int k = 0; k < m; k++) {
            copyRow(users[k], items[k], offsets[k], features, values, idx, val);
        }
        return new SparseDesign(ratings.values().clone(), offsets, features, values, numFeatures, featureGroups.clone());
    }

    /**
     * The design matrix of the training ratings in {@code m}, walked in its user-major order (user
     * 0's ratings first, each user's as the matrix stores them): row {@code p} is the matrix's
     * rating {@code p}, its target the rating, with groups.
     */
    public SparseDesign design(RatingMatrix m) {
        if (userFeatures == null && itemFeatures == null && m.numUsers() <= numUsers && m.numItems() <= numItems) {
            return idsDesign(m);
        }
        int[] off = m.userOffsets();
        int[] items = m.userItems();
        int[] offsets = new int[m.nnz() + 1];
        int[] idx = new int[maxRowLength];
        float[] val = new float[maxRowLength];
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = off[u]; p < off[u + 1]; p++) {
                offsets[p + 1] = offsets[p] + row(u, items[p], idx, val);
            }
        }
        int[] features = new int[offsets[m.nnz()]];
        float[] values = new float[offsets[m.nnz()]];
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = off[u]; p < off[u + 1]; p++) {
                copyRow(u, items[p], offsets[p], features, values, idx, val);
            }
        }
        return new SparseDesign(m.userValues().clone(), offsets, features, values, numFeatures, featureGroups.clone());
    }

    /**
     * {@link #design(RatingMatrix)} of an ids-only layout: row {@code p} is (user {@code u}, item
     * {@code numUsers + i}), both at 1, the same arrays as the walk through {@link #row}. A few
     * operations per rating where the walk makes two calls: it ran once per fit, mostly before the
     * JIT had compiled it, and took 70-80 ms of an ML-1M fm-mcmc fit on ratings (a path the libFM
     * files do not take).
     */
    private SparseDesign idsDesign(RatingMatrix m) {
        int n = m.nnz();
        int[] off = m.userOffsets();
        int[] items = m.userItems();
        int[] offsets = new int[n + 1];
        int[] features = new int[Math.multiplyExact(2, n)];
        float[] values = new float[2 * n];
        java.util.Arrays.fill(values, 1f);
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = off[u]; p < off[u + 1]; p++) {
                offsets[p + 1] = 2 * p + 2;
                features[2 * p] = u;
                features[2 * p + 1] = numUsers + items[p];
            }
        }
        return new SparseDesign(m.userValues().clone(), offsets, features, values, numFeatures, featureGroups.clone());
    }

    /** Writes the row of (u, i) into features/values from {@code at}, through the scratch idx/val. */
    private void copyRow(int u, int i, int at, int[] features, float[] values, int[] idx, float[] val) {
        int len = row(u, i, idx, val);
        System.arraycopy(idx, 0, features, at, len);
        System.arraycopy(val, 0, values, at, len);
    }
}
