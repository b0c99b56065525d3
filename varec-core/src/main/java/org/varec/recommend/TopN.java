package org.varec.recommend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntPredicate;
import org.varec.model.RatingModel;
import org.varec.model.UserState;

/**
 * Top-N selection over a model's scores. Scores for all items are computed with the model's
 * {@link RatingModel#scoreAll} loop, then the best N are kept in a bounded min-heap
 * (O(items log N)), never by sorting every item. Ties are broken by lower item index, so lists
 * are deterministic.
 */
public final class TopN {
    private TopN() {
    }

    /** The {@code n} best items for {@code user}, skipping items for which {@code exclude} is true. */
    public static List<Recommendation> recommend(RatingModel model, UserState user, int n, IntPredicate exclude) {
        float[] scores = new float[model.numItems()];
        model.scoreAll(user, scores);
        return select(scores, n, exclude);
    }

    /** The {@code n} highest of {@code scores}, best first, skipping excluded and NaN entries. */
    public static List<Recommendation> select(float[] scores, int n, IntPredicate exclude) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int cap = Math.min(n, scores.length);
        int[] heap = new int[cap]; // min-heap of item indices by (score asc, index desc): root is the worst kept
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s) || (exclude != null && exclude.test(i))) {
                continue;
            }
            if (size < cap) {
                heap[size] = i;
                siftUp(heap, size++, scores);
            } else if (cap > 0 && better(i, heap[0], scores)) {
                heap[0] = i;
                siftDown(heap, size, scores);
            }
        }
        List<Recommendation> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            out.add(new Recommendation(heap[k], scores[heap[k]]));
        }
        out.sort((a, b) -> better(a.item(), b.item(), scores) ? -1 : (a.item() == b.item() ? 0 : 1));
        return Collections.unmodifiableList(out);
    }

    /** Whether item a ranks above item b: higher score, then lower index. */
    private static boolean better(int a, int b, float[] s) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }

    private static void siftUp(int[] h, int k, float[] s) {
        while (k > 0) {
            int p = (k - 1) >>> 1;
            if (better(h[p], h[k], s)) {
                int t = h[p];
                h[p] = h[k];
                h[k] = t;
                k = p;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] h, int size, float[] s) {
        int k = 0;
        while (true) {
            int l = 2 * k + 1;
            if (l >= size) {
                return;
            }
            int r = l + 1;
            int worst = (r < size && better(h[l], h[r], s)) ? r : l;
            if (better(h[k], h[worst], s)) {
                int t = h[k];
                h[k] = h[worst];
                h[worst] = t;
                k = worst;
            } else {
                return;
            }
        }
    }
}
