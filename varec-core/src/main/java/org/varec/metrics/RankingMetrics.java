package org.varec.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.recommend.TopN;
import org.varec.data.Interactions;
import org.varec.data.split.Splits;
import org.varec.util.Parallel;

/**
 * Top-N ranking metrics as defined by Liang et al. 2018 ("Variational Autoencoders for
 * Collaborative Filtering", the Mult-VAE paper). For one user with a ranked list of item ids
 * {@code item_1, item_2, ...} (best first) and the set {@code I_u} of relevant held-out items:
 * <pre>
 *   hits@N      = |{ r &lt;= N : item_r in I_u }|
 *   Recall@N    = hits@N / min(N, |I_u|)
 *   Precision@N = hits@N / N
 *   DCG@N       = sum_{r=1..N} 1[item_r in I_u] / log2(r + 1)
 *   IDCG@N      = sum_{r=1..min(N, |I_u|)} 1 / log2(r + 1)
 *   NDCG@N      = DCG@N / IDCG@N
 * </pre>
 * A ranked list shorter than N (fewer candidate items than N) is used as is; the denominators
 * still use N. Users with no relevant items are skipped: the per-user functions return NaN for
 * them and {@link #evaluate} leaves them out of the means.
 *
 * <p>Relevance is the caller's decision: the Liang et al. protocol on explicit ratings calls an
 * item relevant when its held-out rating is {@code > 3}; {@link #relevant(Interactions, double)}
 * keeps exactly those ratings of a test set. Relevant items that are also excluded from ranking
 * (e.g. also in train) can never be hit but still count in {@code |I_u|}.
 */
public final class RankingMetrics {
    /** The usual relevance threshold on 1..5 star ratings: relevant when rating &gt; 3. */
    public static final double DEFAULT_RELEVANCE_THRESHOLD = 3.0;

    private static final double LN2 = StrictMath.log(2);
    private static final int USERS_PER_BLOCK = 256;

    private RankingMetrics() {
    }

    // ------------------------------------------------------------------ one user

    /**
     * Number of the first {@code min(n, ranked.length)} ranked items that are relevant.
     *
     * @param ranked   distinct item ids, best first (may be longer than {@code n})
     * @param relevant distinct relevant item ids, any order
     */
    public static int hits(int[] ranked, int[] relevant, int n) {
        checkN(n);
        int[] rel = sortedDistinct(relevant);
        int h = 0;
        for (int r = 0, end = Math.min(n, ranked.length); r < end; r++) {
            if (Arrays.binarySearch(rel, ranked[r]) >= 0) {
                h++;
            }
        }
        return h;
    }

    /** Recall@N = hits / min(N, |I_u|); NaN when {@code relevant} is empty. */
    public static double recall(int[] ranked, int[] relevant, int n) {
        if (relevant.length == 0) {
            return Double.NaN;
        }
        return (double) hits(ranked, relevant, n) / Math.min(n, sortedDistinct(relevant).length);
    }

    /** Precision@N = hits / N; NaN when {@code relevant} is empty. */
    public static double precision(int[] ranked, int[] relevant, int n) {
        if (relevant.length == 0) {
            return Double.NaN;
        }
        return (double) hits(ranked, relevant, n) / n;
    }

    /** DCG@N = sum over ranks r &lt;= N of 1[item_r relevant] / log2(r + 1). */
    public static double dcg(int[] ranked, int[] relevant, int n) {
        checkN(n);
        int[] rel = sortedDistinct(relevant);
        double s = 0;
        for (int r = 0, end = Math.min(n, ranked.length); r < end; r++) {
            if (Arrays.binarySearch(rel, ranked[r]) >= 0) {
                s += discount(r);
            }
        }
        return s;
    }

    /** IDCG@N = sum_{r=1..min(N, numRelevant)} 1 / log2(r + 1): the DCG of a perfect list. */
    public static double idcg(int n, int numRelevant) {
        checkN(n);
        double s = 0;
        for (int r = 0, end = Math.min(n, numRelevant); r < end; r++) {
            s += discount(r);
        }
        return s;
    }

    /** NDCG@N = DCG@N / IDCG@N, in [0, 1]; NaN when {@code relevant} is empty. */
    public static double ndcg(int[] ranked, int[] relevant, int n) {
        if (relevant.length == 0) {
            return Double.NaN;
        }
        return dcg(ranked, relevant, n) / idcg(n, sortedDistinct(relevant).length);
    }

    /** 1 / log2(r + 2) for the 0-based rank {@code r} (1-based rank r + 1). */
    private static double discount(int r) {
        return LN2 / StrictMath.log(r + 2); // StrictMath: identical on every machine
    }

    // ------------------------------------------------------------------ all users

    /** Scores every item for one user. */
    @FunctionalInterface
    public interface Scorer {
        /**
         * Writes the score of every item for {@code user} into {@code out} (length = number of
         * items; it holds stale values on entry, so write every entry). Must be thread-safe when
         * {@link #evaluate} runs with more than one thread.
         */
        void score(int user, double[] out);
    }

    /** Mean metrics at one cut-off over the evaluated users. */
    public record AtN(int n, double recall, double ndcg, double precision) {
    }

    /**
     * Means over the {@code users} evaluated (those with at least one relevant item), one
     * {@link AtN} per requested cut-off, in the order requested.
     */
    public record Summary(int users, List<AtN> atN) {
        public Summary {
            atN = List.copyOf(atN);
        }

        /** The means at cut-off {@code n}. */
        public AtN at(int n) {
            for (AtN a : atN) {
                if (a.n() == n) {
                    return a;
                }
            }
            throw new IllegalArgumentException("no metrics at N=" + n + "; computed at " + atN.stream().map(AtN::n).toList());
        }
    }

    /**
     * The ratings of {@code test} with value {@code > threshold}: the relevant items under the
     * Liang et al. convention (threshold 3 on 1..5 stars). Keeps the user-then-item order.
     */
    public static Interactions relevant(Interactions test, double threshold) {
        float[] v = test.values();
        int count = 0;
        for (float x : v) {
            if (x > threshold) {
                count++;
            }
        }
        int[] idx = new int[count];
        for (int i = 0, k = 0; i < v.length; i++) {
            if (v[i] > threshold) {
                idx[k++] = i;
            }
        }
        return test.select(idx);
    }

    /**
     * Ranks the items for every user that has at least one relevant item, excluding that user's
     * {@code exclude} items (typically the training ratings), and returns the mean Recall@N,
     * NDCG@N and Precision@N for each {@code N} in {@code ns}. The top {@code max(ns)} list is
     * selected once per user (bounded heap, ties to the lower item index) and cut for each N.
     *
     * <p>The result is the same for any thread count: per-user values are summed in user order.
     *
     * @param scorer   scores all items for a user
     * @param exclude  items never ranked, per user (any value; sorted by user then item, or sorted here)
     * @param relevant relevant held-out items per user (relevance already applied, e.g. with
     *                 {@link #relevant(Interactions, double)})
     * @param ns       cut-offs, e.g. {@code {20, 50, 100}}
     * @param threads  worker threads, at least 1
     */
    public static Summary evaluate(Scorer scorer, Interactions exclude, Interactions relevant, int[] ns, int threads) {
        int maxN = maxCutoff(ns);
        if (exclude.numUsers() != relevant.numUsers() || exclude.numItems() != relevant.numItems()) {
            throw new IllegalArgumentException("exclude and relevant ratings are over different indices: "
                    + exclude.numUsers() + "x" + exclude.numItems() + " vs " + relevant.numUsers() + "x"
                    + relevant.numItems());
        }
        Interactions ex = Splits.sortedByUserItem(exclude);
        Interactions rel = Splits.sortedByUserItem(relevant);
        int numUsers = rel.numUsers();
        int numItems = rel.numItems();
        int[] exStart = ex.userStarts();
        int[] relStart = rel.userStarts();
        int[] exItems = ex.items();
        int[] relItems = rel.items();
        int m = ns.length;
        double[][] recall = new double[m][numUsers];
        double[][] ndcg = new double[m][numUsers];
        double[][] precision = new double[m][numUsers];
        final int topK = maxN;
        double[] disc = new double[maxN];      // disc[r] = 1 / log2(r + 2)
        double[] idcgTable = new double[maxN + 1]; // idcgTable[k] = sum of the first k discounts
        for (int r = 0; r < maxN; r++) {
            disc[r] = discount(r);
            idcgTable[r + 1] = idcgTable[r] + disc[r];
        }
        try (Parallel pool = new Parallel(threads)) {
            pool.forBlocks(numUsers, USERS_PER_BLOCK, (block, from, to) -> {
                double[] buf = new double[numItems];
                for (int u = from; u < to; u++) {
                    int r0 = relStart[u];
                    int r1 = relStart[u + 1];
                    if (r0 == r1) {
                        continue;
                    }
                    scorer.score(u, buf);
                    int[] ranked = TopN.select(buf, topK, exItems, exStart[u], exStart[u + 1]);
                    int numRel = distinctCount(relItems, r0, r1);
                    for (int q = 0; q < m; q++) {
                        int n = ns[q];
                        int h = 0;
                        double d = 0;
                        for (int r = 0, end = Math.min(n, ranked.length); r < end; r++) {
                            if (Arrays.binarySearch(relItems, r0, r1, ranked[r]) >= 0) {
                                h++;
                                d += disc[r];
                            }
                        }
                        recall[q][u] = (double) h / Math.min(n, numRel);
                        precision[q][u] = (double) h / n;
                        ndcg[q][u] = d / idcgTable[Math.min(n, numRel)];
                    }
                }
            });
        }
        int users = 0;
        for (int u = 0; u < numUsers; u++) {
            if (relStart[u + 1] > relStart[u]) {
                users++;
            }
        }
        List<AtN> out = new ArrayList<>(m);
        for (int q = 0; q < m; q++) {
            double sr = 0;
            double sn = 0;
            double sp = 0;
            for (int u = 0; u < numUsers; u++) {
                if (relStart[u + 1] > relStart[u]) {
                    sr += recall[q][u];
                    sn += ndcg[q][u];
                    sp += precision[q][u];
                }
            }
            out.add(users == 0 ? new AtN(ns[q], Double.NaN, Double.NaN, Double.NaN)
                    : new AtN(ns[q], sr / users, sn / users, sp / users));
        }
        return new Summary(users, out);
    }

    /**
     * The VAE-BMF protocol (section 4.2): each user ranks only the items of its OWN test ratings
     * (not every unrated item), by score, best first (ties to the lower item index, NaN last); the relevant
     * items are those test items whose rating is {@code > threshold}; Recall@N, NDCG@N and
     * Precision@N are Liang et al.'s formulas above over that short list. Evaluated are the users
     * with at least {@code minTest} test ratings and at least one relevant one (NDCG and Recall are
     * 0/0 without one, as in {@link #evaluate}). With few candidates per user the figures are high
     * (about 0.8 NDCG@20 on ML-1M, Table 3 of the paper) and not comparable with the
     * all-unrated-items protocol of {@link #evaluate}.
     *
     * <p>The result does not depend on the order of the entries.
     *
     * @param users   user of each test rating
     * @param items   item of each test rating
     * @param scores  the model's ranking score of each test rating (e.g. its unclamped prediction)
     * @param values  the test rating
     * @param minTest users with fewer test ratings are left out (at least 1)
     */
    public static Summary evaluateOwnItems(int[] users, int[] items, double[] scores, float[] values, double threshold,
                                           int minTest, int[] ns) {
        int n = users.length;
        if (items.length != n || scores.length != n || values.length != n) {
            throw new IllegalArgumentException("users, items, scores and values differ in length: " + n + ", "
                    + items.length + ", " + scores.length + ", " + values.length);
        }
        if (minTest < 1) {
            throw new IllegalArgumentException("the minimum number of test ratings per user must be >= 1, got " + minTest);
        }
        maxCutoff(ns);
        // order by user, then score descending, then item ascending: one pass then ranks each user's list
        int[] perm = sortOwnItems(users, items, scores);
        int m = ns.length;
        double[] sr = new double[m];
        double[] sn = new double[m];
        double[] sp = new double[m];
        int evaluated = 0;
        for (int a = 0; a < n; ) {
            int u = users[perm[a]];
            int b = a;
            int numRel = 0;
            while (b < n && users[perm[b]] == u) {
                if (values[perm[b]] > threshold) {
                    numRel++;
                }
                b++;
            }
            if (b - a >= minTest && numRel > 0) {
                evaluated++;
                for (int q = 0; q < m; q++) {
                    int cut = ns[q];
                    int h = 0;
                    double d = 0;
                    for (int r = 0; r < Math.min(cut, b - a); r++) {
                        if (values[perm[a + r]] > threshold) {
                            h++;
                            d += discount(r);
                        }
                    }
                    sr[q] += (double) h / Math.min(cut, numRel);
                    sp[q] += (double) h / cut;
                    sn[q] += d / idcg(cut, numRel);
                }
            }
            a = b;
        }
        List<AtN> out = new ArrayList<>(m);
        for (int q = 0; q < m; q++) {
            out.add(evaluated == 0 ? new AtN(ns[q], Double.NaN, Double.NaN, Double.NaN)
                    : new AtN(ns[q], sr[q] / evaluated, sn[q] / evaluated, sp[q] / evaluated));
        }
        return new Summary(evaluated, out);
    }

    /** Entry indices sorted by user, then score descending, then item ascending (a merge sort on int indices). */
    private static int[] sortOwnItems(int[] users, int[] items, double[] scores) {
        int n = users.length;
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = ownItemsBefore(a[j], a[i], users, items, scores) ? a[j++] : a[i++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
        return a;
    }

    private static boolean ownItemsBefore(int x, int y, int[] users, int[] items, double[] scores) {
        if (users[x] != users[y]) {
            return users[x] < users[y];
        }
        boolean nx = Double.isNaN(scores[x]);
        boolean ny = Double.isNaN(scores[y]);
        if (nx != ny) {
            return ny; // a NaN score ranks below every number, as in TopN
        }
        if (!nx && scores[x] != scores[y]) {
            return scores[x] > scores[y]; // higher score first
        }
        return items[x] < items[y];
    }

    /** Distinct values in the ascending range {@code a[from, to)}. */
    private static int distinctCount(int[] a, int from, int to) {
        int c = 0;
        for (int k = from; k < to; k++) {
            if (k == from || a[k] != a[k - 1]) {
                c++;
            }
        }
        return c;
    }

    private static int[] sortedDistinct(int[] a) {
        boolean strictlyAscending = true;
        for (int k = 1; k < a.length; k++) {
            if (a[k] <= a[k - 1]) {
                strictlyAscending = false;
                break;
            }
        }
        if (strictlyAscending) {
            return a;
        }
        int[] s = a.clone();
        Arrays.sort(s);
        return Arrays.stream(s).distinct().toArray();
    }

    /** The largest of the cut-offs, each checked; an error when there are none. */
    private static int maxCutoff(int[] ns) {
        if (ns.length == 0) {
            throw new IllegalArgumentException("no cut-offs N given");
        }
        int maxN = 0;
        for (int n : ns) {
            checkN(n);
            maxN = Math.max(maxN, n);
        }
        return maxN;
    }

    private static void checkN(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("cut-off N must be >= 1, got " + n);
        }
    }
}
