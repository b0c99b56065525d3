package org.varec.elicit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.stats.Rng;

/**
 * The VFM paper's "Movie10k" construction (section V-A(c)) from any rating dataset: the {@code items}
 * most-rated items (ties by dense index), then {@code users} users drawn at random (seeded) among
 * those who rated at least one but not all of them; cell (u, i) = 1 if u rated i, else 0. The result
 * is a complete binary users x items matrix.
 *
 * @param users    external ids of the chosen users, in matrix order
 * @param items    external ids of the chosen items, most-rated first
 * @param titles   item titles (null entries when unknown)
 * @param labels   row-major users x items 0/1 labels
 * @param eligible how many users qualified before sampling
 */
public record ElicitationData(String[] users, String[] items, String[] titles, byte[] labels, int eligible) {
    public int numUsers() {
        return users.length;
    }

    public int numItems() {
        return items.length;
    }

    public int label(int u, int i) {
        return labels[u * items.length + i];
    }

    /** Builds the matrix from {@code d}; fails when fewer than {@code users} users qualify. */
    public static ElicitationData build(Dataset d, int numItems, int numUsers, long seed) {
        if (numItems < 2) {
            throw new IllegalArgumentException("--items must be >= 2, got " + numItems);
        }
        if (numUsers < 1) {
            throw new IllegalArgumentException("--users must be >= 1, got " + numUsers);
        }
        if (numItems > d.numItems()) {
            throw new IllegalArgumentException("--items " + numItems + " but the data has " + d.numItems() + " items");
        }
        Interactions r = d.ratings();
        int[] count = new int[d.numItems()];
        for (int i : r.items()) {
            count[i]++;
        }
        Integer[] order = new Integer[d.numItems()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
        int[] col = new int[d.numItems()];
        Arrays.fill(col, -1);
        for (int c = 0; c < numItems; c++) {
            col[order[c]] = c;
        }
        // per user: which chosen items they rated
        byte[][] rows = new byte[d.numUsers()][];
        int[] rated = new int[d.numUsers()];
        for (int k = 0; k < r.size(); k++) {
            int c = col[r.items()[k]];
            if (c < 0) {
                continue;
            }
            int u = r.users()[k];
            if (rows[u] == null) {
                rows[u] = new byte[numItems];
            }
            if (rows[u][c] == 0) {
                rows[u][c] = 1;
                rated[u]++;
            }
        }
        int[] eligible = new int[d.numUsers()];
        int ne = 0;
        for (int u = 0; u < d.numUsers(); u++) {
            if (rated[u] >= 1 && rated[u] < numItems) {
                eligible[ne++] = u;
            }
        }
        if (ne < numUsers) {
            throw new IllegalArgumentException("only " + ne + " users rated at least one but not all of the " + numItems
                    + " most-rated items; --users " + numUsers + " is too many");
        }
        // a seeded partial Fisher-Yates draw, then matrix order = ascending dense user index
        Rng rng = new Rng(seed);
        for (int k = 0; k < numUsers; k++) {
            int j = k + rng.nextInt(ne - k);
            int t = eligible[k];
            eligible[k] = eligible[j];
            eligible[j] = t;
        }
        int[] chosen = Arrays.copyOf(eligible, numUsers);
        Arrays.sort(chosen);
        String[] uids = new String[numUsers];
        byte[] labels = new byte[numUsers * numItems];
        for (int k = 0; k < numUsers; k++) {
            uids[k] = d.users().externalId(chosen[k]);
            System.arraycopy(rows[chosen[k]], 0, labels, k * numItems, numItems);
        }
        String[] iids = new String[numItems];
        String[] titles = new String[numItems];
        for (int c = 0; c < numItems; c++) {
            iids[c] = d.items().externalId(order[c]);
            titles[c] = d.title(order[c]);
        }
        return new ElicitationData(uids, iids, titles, labels, ne);
    }

    /**
     * The matrix of a dataset read from a file written by {@link #write} (or any complete 0/1
     * users x items rating file); an error names the first missing cell or non-binary value.
     */
    public static ElicitationData of(Dataset d) {
        int nu = d.numUsers();
        int ni = d.numItems();
        if ((long) nu * ni > 50_000_000L) {
            throw new IllegalArgumentException("elicitation needs a complete users x items matrix; " + nu + " x " + ni
                    + " is too large");
        }
        byte[] labels = new byte[nu * ni];
        boolean[] set = new boolean[nu * ni];
        Interactions r = d.ratings();
        for (int k = 0; k < r.size(); k++) {
            float v = r.values()[k];
            if (v != 0f && v != 1f) {
                throw new IllegalArgumentException("elicitation needs 0/1 labels (e.g. from 'varec data elicitation'); user "
                        + d.users().externalId(r.users()[k]) + ", item " + d.items().externalId(r.items()[k])
                        + " has " + v);
            }
            int c = r.users()[k] * ni + r.items()[k];
            labels[c] = (byte) v;
            set[c] = true;
        }
        for (int c = 0; c < set.length; c++) {
            if (!set[c]) {
                throw new IllegalArgumentException("elicitation needs a complete 0/1 matrix (e.g. from 'varec data "
                        + "elicitation'); user " + d.users().externalId(c / ni) + " has no label for item "
                        + d.items().externalId(c % ni) + " (" + r.size() + " cells of " + set.length + ")");
            }
        }
        String[] us = d.users().ids().toArray(new String[0]);
        String[] is = d.items().ids().toArray(new String[0]);
        String[] titles = new String[ni];
        for (int i = 0; i < ni; i++) {
            titles[i] = d.title(i);
        }
        return new ElicitationData(us, is, titles, labels, nu);
    }

    /** The complete matrix as 0/1 interactions over dense indices (users x items). */
    public Interactions interactions() {
        int n = labels.length;
        int[] us = new int[n];
        int[] is = new int[n];
        float[] vs = new float[n];
        for (int k = 0; k < n; k++) {
            us[k] = k / items.length;
            is[k] = k % items.length;
            vs[k] = labels[k];
        }
        return new Interactions(users.length, items.length, us, is, vs, true);
    }

    /** Number of 1 cells. */
    public long ones() {
        long s = 0;
        for (byte b : labels) {
            s += b;
        }
        return s;
    }

    /** Writes {@code user,item,label} lines with that header (atomically, through a temp file). */
    public void write(Path out) throws IOException {
        Path tmp = org.varec.util.AtomicFiles.newTempSibling(out.toAbsolutePath());
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("user,item,label\n");
            for (int u = 0; u < users.length; u++) {
                for (int i = 0; i < items.length; i++) {
                    w.write(String.format(Locale.ROOT, "%s,%s,%d%n", users[u], items[i], labels[u * items.length + i]));
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
