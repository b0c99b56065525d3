package org.varec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects ratings as they are read, in chunks (so growing never copies the whole set), then
 * produces {@link Interactions} sorted by user then item with duplicates resolved.
 *
 * <p>Memory: 12 bytes per rating while collecting; {@link #build} needs another 12 bytes per
 * rating for the sorted arrays, after which the chunks are released. Chunks start at
 * {@value #FIRST} ratings and double up to {@value #CHUNK}, with nothing copied: a small file (a
 * 10,000-rating test file, ML-100K) does not pay for a whole 12 MB chunk, which the JVM zeroes, and
 * so touches, on allocation (four builders of one {@code eval} on ML-100K files held 48 MB of
 * chunks for 100,000 ratings).
 */
public final class InteractionsBuilder {
    /** Largest chunk. */
    private static final int CHUNK = 1 << 20;
    /** First chunk. */
    private static final int FIRST = 1 << 12;

    private final List<int[]> userChunks = new ArrayList<>();
    private final List<int[]> itemChunks = new ArrayList<>();
    private final List<float[]> valueChunks = new ArrayList<>();
    /** The last chunk and how many of its entries are used ({@code pos == lastUsers.length}: full or none). */
    private int[] lastUsers = new int[0];
    private int[] lastItems = new int[0];
    private float[] lastValues = new float[0];
    private int pos;
    private long size;
    private int maxUser = -1;
    private int maxItem = -1;

    /** Appends one rating over dense indices. */
    public void add(int user, int item, float value) {
        if (user < 0 || item < 0) {
            throw new IllegalArgumentException("dense indices are non-negative");
        }
        if (pos == lastUsers.length) {
            if (size >= Integer.MAX_VALUE - CHUNK) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE - CHUNK) + " ratings are not supported");
            }
            int len = lastUsers.length == 0 ? FIRST : Math.min(CHUNK, 2 * lastUsers.length);
            lastUsers = new int[len];
            lastItems = new int[len];
            lastValues = new float[len];
            userChunks.add(lastUsers);
            itemChunks.add(lastItems);
            valueChunks.add(lastValues);
            pos = 0;
        }
        lastUsers[pos] = user;
        lastItems[pos] = item;
        lastValues[pos] = value;
        pos++;
        size++;
        if (user > maxUser) {
            maxUser = user;
        }
        if (item > maxItem) {
            maxItem = item;
        }
    }

    public int size() {
        return (int) size;
    }

    /** Result of {@link #build}: the ratings and how many duplicate entries were merged away. */
    public record Result(Interactions interactions, int duplicates) {
    }

    /**
     * Sorts by user (stable counting sort), then each row by item keeping file order among equal
     * items, then resolves duplicates by {@code policy}.
     *
     * @param numUsers size of the user index (at least max user + 1)
     * @param numItems size of the item index
     * @throws DuplicateRatingException with policy ERROR when a pair repeats
     */
    public Result build(int numUsers, int numItems, DuplicatePolicy policy) {
        if (numUsers <= maxUser || numItems <= maxItem) {
            throw new IllegalArgumentException("index sizes smaller than the largest index seen");
        }
        // Each phase is a method of its own: the JIT compiles a long loop while it runs (on-stack
        // replacement), and a compilation of this whole method cost the compiler 0.17 s, often
        // finished after the data had been built, while training waited for its own compilations.
        int n = (int) size;
        int last = userChunks.size() - 1;
        int[] offsets = new int[numUsers + 1];
        for (int c = 0; c <= last; c++) {
            int[] uc = userChunks.get(c);
            countRows(uc, c == last ? pos : uc.length, offsets);
        }
        int maxRow = 0;
        for (int u = 0; u < numUsers; u++) {
            maxRow = Math.max(maxRow, offsets[u + 1]);
            offsets[u + 1] += offsets[u];
        }
        int[] items = new int[n];
        float[] values = new float[n];
        int[] next = Arrays.copyOf(offsets, numUsers);
        for (int c = 0; c <= last; c++) {
            int[] uc = userChunks.get(c);
            scatter(uc, itemChunks.get(c), valueChunks.get(c), c == last ? pos : uc.length, next, items, values);
            // release as we go: the chunk is no longer needed
            userChunks.set(c, null);
            itemChunks.set(c, null);
            valueChunks.set(c, null);
        }
        userChunks.clear();
        itemChunks.clear();
        valueChunks.clear();
        lastUsers = new int[0];
        lastItems = new int[0];
        lastValues = new float[0];
        pos = 0;
        size = 0;
        maxUser = -1;
        maxItem = -1;

        int[] newOffsets = new int[numUsers + 1];
        int duplicates = sortRows(offsets, items, values, maxRow, policy, newOffsets);
        int write = newOffsets[numUsers];
        if (write != n) {
            items = Arrays.copyOf(items, write);
            values = Arrays.copyOf(values, write);
        }
        int[] users = new int[write];
        for (int u = 0; u < numUsers; u++) {
            Arrays.fill(users, newOffsets[u], newOffsets[u + 1], u);
        }
        return new Result(new Interactions(numUsers, numItems, users, items, values, true), duplicates);
    }

    /** Adds the row counts of {@code users[0, len)} to {@code counts[u + 1]}. */
    private static void countRows(int[] users, int len, int[] counts) {
        for (int j = 0; j < len; j++) {
            counts[users[j] + 1]++;
        }
    }

    /** Places entries {@code [0, len)} of a chunk at their rows' next free positions (a stable counting sort). */
    private static void scatter(int[] users, int[] items, float[] values, int len, int[] next, int[] itemsOut,
                                float[] valuesOut) {
        for (int j = 0; j < len; j++) {
            int p = next[users[j]]++;
            itemsOut[p] = items[j];
            valuesOut[p] = values[j];
        }
    }

    /**
     * Sorts each row {@code [offsets[u], offsets[u + 1])} by item, keeping file order among equal
     * items, resolves duplicates by {@code policy} and compacts the rows to the front; writes the
     * new row ends to {@code newOffsets[u + 1]} and returns the number of entries merged away.
     */
    private static int sortRows(int[] offsets, int[] items, float[] values, int maxRow, DuplicatePolicy policy,
                                int[] newOffsets) {
        // the key (item << 32 | position) keeps file order among equals
        long[] keys = new long[maxRow];
        float[] rowValues = new float[maxRow];
        int write = 0;
        int duplicates = 0;
        for (int u = 0; u + 1 < offsets.length; u++) {
            int from = offsets[u];
            int to = offsets[u + 1];
            int len = to - from;
            boolean sorted = true;
            for (int p = from + 1; p < to; p++) {
                if (items[p] <= items[p - 1]) {
                    sorted = false;
                    break;
                }
            }
            if (sorted) {
                if (write != from) {
                    System.arraycopy(items, from, items, write, len);
                    System.arraycopy(values, from, values, write, len);
                }
                write += len;
                newOffsets[u + 1] = write;
                continue;
            }
            for (int p = 0; p < len; p++) {
                keys[p] = ((long) items[from + p] << 32) | p;
                rowValues[p] = values[from + p];
            }
            Arrays.sort(keys, 0, len);
            int p = 0;
            while (p < len) {
                int item = (int) (keys[p] >>> 32);
                int q = p + 1;
                while (q < len && (int) (keys[q] >>> 32) == item) {
                    q++;
                }
                float v;
                if (q - p > 1) {
                    duplicates += q - p - 1;
                    switch (policy) {
                        case FIRST -> v = rowValues[(int) keys[p]];
                        case LAST -> v = rowValues[(int) keys[q - 1]];
                        case MEAN -> {
                            double sum = 0;
                            for (int r = p; r < q; r++) {
                                sum += rowValues[(int) keys[r]];
                            }
                            v = (float) (sum / (q - p));
                        }
                        default -> throw new DuplicateRatingException(u, item, q - p);
                    }
                } else {
                    v = rowValues[(int) keys[p]];
                }
                items[write] = item;
                values[write] = v;
                write++;
                p = q;
            }
            newOffsets[u + 1] = write;
        }
        return duplicates;
    }

    /** Thrown with {@link DuplicatePolicy#ERROR} when a (user, item) pair occurs more than once. */
    public static final class DuplicateRatingException extends RuntimeException {
        private final int user;
        private final int item;

        public DuplicateRatingException(int user, int item, int count) {
            super("(user, item) pair rated " + count + " times (duplicate policy 'error')");
            this.user = user;
            this.item = item;
        }

        public int user() {
            return user;
        }

        public int item() {
            return item;
        }
    }
}
