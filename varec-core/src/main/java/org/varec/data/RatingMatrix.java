package org.varec.data;

/**
 * A sparse users x items rating matrix held in both orientations: CSR by user (for solving user
 * rows) and CSC by item (for solving item rows). Each orientation costs 8 bytes per rating
 * ({@code int} index + {@code float} value) plus one {@code int} offset per row.
 *
 * <p>Worked example, 3 users x 4 items with ratings (0,1)=5, (0,3)=3, (2,0)=4:
 * <pre>
 *   userOffsets = [0, 2, 2, 3]   user u's ratings are positions userOffsets[u] .. userOffsets[u+1]-1
 *   userItems   = [1, 3, 0]      item of each position, ascending within a row
 *   userValues  = [5, 3, 4]
 *   itemOffsets = [0, 1, 2, 2, 3]
 *   itemUsers   = [2, 0, 0]      user of each position, ascending within a column
 *   itemValues  = [4, 5, 3]
 * </pre>
 * User 1 has no ratings: its row is empty ({@code userOffsets[1] == userOffsets[2]}).
 * The matrix holds no duplicate (user, item) pairs: the reader resolves them first.
 */
public final class RatingMatrix {
    private final int numUsers;
    private final int numItems;
    private final int[] userOffsets;
    private final int[] userItems;
    private final float[] userValues;
    private final int[] itemOffsets;
    private final int[] itemUsers;
    private final float[] itemValues;

    private RatingMatrix(int numUsers, int numItems, int[] userOffsets, int[] userItems, float[] userValues,
                         int[] itemOffsets, int[] itemUsers, float[] itemValues) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userOffsets = userOffsets;
        this.userItems = userItems;
        this.userValues = userValues;
        this.itemOffsets = itemOffsets;
        this.itemUsers = itemUsers;
        this.itemValues = itemValues;
    }

    /**
     * Builds both orientations from COO ratings by two counting sorts (O(ratings + users + items)).
     * When the ratings are already sorted by user, the CSR arrays are the COO arrays themselves.
     * Within a row, entries keep their COO order, so a row is ascending when the input is sorted.
     */
    public static RatingMatrix of(Interactions r) {
        int nu = r.numUsers();
        int ni = r.numItems();
        int n = r.size();
        int[] users = r.users();
        int[] items = r.items();
        float[] values = r.values();

        int[] uOff = new int[nu + 1];
        for (int i = 0; i < n; i++) {
            uOff[users[i] + 1]++;
        }
        for (int u = 0; u < nu; u++) {
            uOff[u + 1] += uOff[u];
        }
        int[] uItems;
        float[] uVals;
        if (r.sortedByUser()) {
            uItems = items;
            uVals = values;
        } else {
            uItems = new int[n];
            uVals = new float[n];
            int[] next = java.util.Arrays.copyOf(uOff, nu);
            for (int i = 0; i < n; i++) {
                int p = next[users[i]]++;
                uItems[p] = items[i];
                uVals[p] = values[i];
            }
        }

        int[] iOff = new int[ni + 1];
        for (int i = 0; i < n; i++) {
            iOff[uItems[i] + 1]++;
        }
        for (int j = 0; j < ni; j++) {
            iOff[j + 1] += iOff[j];
        }
        int[] iUsers = new int[n];
        float[] iVals = new float[n];
        int[] next = java.util.Arrays.copyOf(iOff, ni);
        for (int u = 0; u < nu; u++) {
            for (int p = uOff[u]; p < uOff[u + 1]; p++) {
                int q = next[uItems[p]]++;
                iUsers[q] = u;
                iVals[q] = uVals[p];
            }
        }
        return new RatingMatrix(nu, ni, uOff, uItems, uVals, iOff, iUsers, iVals);
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    /** Number of stored ratings. */
    public int nnz() {
        return userValues.length;
    }

    /** CSR row offsets, length {@code numUsers + 1}. Shared, do not modify. */
    public int[] userOffsets() {
        return userOffsets;
    }

    public int[] userItems() {
        return userItems;
    }

    public float[] userValues() {
        return userValues;
    }

    /** CSC column offsets, length {@code numItems + 1}. Shared, do not modify. */
    public int[] itemOffsets() {
        return itemOffsets;
    }

    public int[] itemUsers() {
        return itemUsers;
    }

    public float[] itemValues() {
        return itemValues;
    }

    /** Number of ratings of user {@code u}. */
    public int userCount(int u) {
        return userOffsets[u + 1] - userOffsets[u];
    }

    /** Number of ratings of item {@code i}. */
    public int itemCount(int i) {
        return itemOffsets[i + 1] - itemOffsets[i];
    }

    /** Whether user {@code u} rated item {@code i} (binary search; rows are ascending when built from sorted input). */
    public boolean contains(int u, int i) {
        return java.util.Arrays.binarySearch(userItems, userOffsets[u], userOffsets[u + 1], i) >= 0;
    }

    /** Mean of all stored ratings (0 when empty). */
    public double mean() {
        double s = 0;
        for (float v : userValues) {
            s += v;
        }
        return userValues.length == 0 ? 0 : s / userValues.length;
    }

    /** Approximate heap bytes of the arrays held. */
    public long bytes() {
        return 4L * (userOffsets.length + itemOffsets.length) + 8L * userItems.length + 8L * itemUsers.length;
    }
}
