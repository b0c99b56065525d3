package org.varec.data.split;

import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.stats.Rng;

/**
 * Strong generalization, as Liang et al. (2018, section 4.2) evaluate Mult-VAE and Marlin (2004)
 * before them: specs {@code users:P}, {@code users:P,F} and {@code users:P,FxN}. Repeat {@code r}
 * draws a seeded random share P of the users who have at least two ratings ({@code round(P m)} of
 * those m users) and holds them out: none of their ratings is trained on. Each held-out user's
 * ratings are shuffled (seeded) and the first {@code round(F n)} of them, clamped to 1..n-1, form
 * the fold-in part (default F = 0.8, Liang's), which the model reads at test time through
 * {@link org.varec.model.RatingModel#foldIn} without retraining; the rest are the test part, and
 * ranked lists leave the fold-in items out. Train: every rating of the other users. There is no
 * validation part (early stopping would need fold-in on validation users; fix the epochs instead).
 *
 * <p>This measures what a deployed model does for a user it was not trained on, which is how an
 * autoencoder (dae-cf, mult-vae, autorec-u) is used; every varec model can fold in.
 *
 * @param users   share P of the eligible users held out, in (0, 1)
 * @param foldIn  share F of each held-out user's ratings given to the model, in (0, 1)
 * @param repeats number of independent splits, at least 1
 */
public record HeldOutUsers(double users, double foldIn, int repeats) implements Protocol {
    /** Liang et al.'s share of a held-out user's clicks given to the model. */
    public static final double DEFAULT_FOLD_IN = 0.8;
    private static final long STREAM_USERS = 0x05e5L;
    private static final long STREAM_ROWS = 0x0f01dL;

    public HeldOutUsers {
        Protocols.checkFraction("held-out user share P", users);
        Protocols.checkFraction("fold-in share F", foldIn);
        Protocols.checkRepeats(repeats);
    }

    @Override
    public String spec() {
        return "users:" + Protocols.fmt(users) + (foldIn == DEFAULT_FOLD_IN ? "" : "," + Protocols.fmt(foldIn))
                + (repeats > 1 ? "x" + repeats : "");
    }

    @Override
    public List<Split> splits(Dataset dataset, long seed) {
        Interactions ratings = Splits.sortedByUserItem(dataset.ratings());
        int numUsers = ratings.numUsers();
        int[] start = ratings.userStarts();
        int count = 0;
        for (int u = 0; u < numUsers; u++) {
            if (start[u + 1] - start[u] >= 2) {
                count++;
            }
        }
        int eligible = count;
        int held = (int) Math.round(users * eligible);
        if (held < 1 || held >= eligible) {
            throw new IllegalArgumentException(spec() + " holds out " + held + " of the " + eligible
                    + " users with at least two ratings of " + dataset.name() + "; both parts need users");
        }
        int[] candidates = new int[eligible];
        for (int u = 0, k = 0; u < numUsers; u++) {
            if (start[u + 1] - start[u] >= 2) {
                candidates[k++] = u;
            }
        }
        int n = ratings.size();
        return Splits.lazy(repeats, r -> {
            long rs = Rng.deriveSeed(seed, r);
            int[] perm = Rng.stream(rs, STREAM_USERS).permutation(eligible);
            boolean[] out = new boolean[numUsers];
            for (int k = 0; k < held; k++) {
                out[candidates[perm[k]]] = true;
            }
            byte[] labels = new byte[n]; // 0 train, 1 test, 2 fold-in
            for (int u = 0; u < numUsers; u++) {
                if (!out[u]) {
                    continue;
                }
                int len = start[u + 1] - start[u];
                int give = (int) Math.max(1, Math.min(len - 1, Math.round(foldIn * len)));
                int[] order = Rng.stream(Rng.deriveSeed(rs, STREAM_ROWS), u).permutation(len);
                for (int j = 0; j < len; j++) {
                    labels[start[u] + order[j]] = (byte) (j < give ? 2 : 1);
                }
            }
            Interactions[] parts = Splits.partition(ratings, labels, 3);
            String name = repeats == 1 ? "users" : "users " + (r + 1) + "/" + repeats;
            return new Split(name, parts[0], null, parts[1], parts[2]);
        });
    }
}
