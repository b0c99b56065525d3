package org.varec.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.varec.model.RatingModel;
import org.varec.model.UserState;

/**
 * Top-N selection over a model's scores, shared by recommendation and ranking evaluation. Scores
 * for all items come from the model's {@link RatingModel#scoreAll} loop; the best N are kept in a
 * bounded min-heap (O(items log N)), never by sorting every item. Ties go to the lower item index
 * and NaN scores rank last, so lists are deterministic.
 */
public final class TopN {
    private TopN() {
    }

    /** The {@code n} best items for {@code user}, skipping {@code exclude} (item indices, any order; may be null). */
    public static List<Recommendation> recommend(RatingModel model, UserState user, int n, int[] exclude) {
        double[] scores = new double[model.numItems()];
        model.scoreAll(user, scores);
        int[] best = select(scores, n, exclude);
        List<Recommendation> out = new ArrayList<>(best.length);
        for (int i : best) {
            out.add(new Recommendation(i, scores[i]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The {@code n} best items for {@code user} by {@link RankingScore} with item-bias weight
     * {@code alpha} (factor models: {@code u . v + alpha * b_i}; others: the predicted rating).
     */
    public static List<Recommendation> recommend(RatingModel model, UserState user, int n, int[] exclude, double alpha) {
        double[] scores = new double[model.numItems()];
        RankingScore.scoreAll(model, user, alpha, scores);
        int[] best = select(scores, n, exclude);
        List<Recommendation> out = new ArrayList<>(best.length);
        for (int i : best) {
            out.add(new Recommendation(i, scores[i]));
        }
        return Collections.unmodifiableList(out);
    }

    /** {@link #select(double[], int, int[], int, int)} with nothing or {@code exclude} (any order) excluded. */
    public static int[] select(double[] scores, int n, int[] exclude) {
        if (exclude == null) {
            return select(scores, n, null, 0, 0);
        }
        int[] ex = exclude;
        for (int k = 1; k < ex.length; k++) {
            if (ex[k] < ex[k - 1]) {
                ex = exclude.clone();
                Arrays.sort(ex);
                break;
            }
        }
        return select(scores, n, ex, 0, ex.length);
    }

    /**
     * The {@code n} best items by score, best first, skipping the items in
     * {@code exclude[from, to)} (which must be ascending). Ties are broken deterministically: equal
     * scores rank the lower item index first. NaN scores rank below every number. Uses a bounded
     * heap of size {@code n}: O(items log n) time, O(n) extra memory; the result is shorter than
     * {@code n} when fewer items are candidates.
     */
    public static int[] select(double[] scores, int n, int[] exclude, int from, int to) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int cap = Math.min(n, scores.length);
        int[] heap = new int[cap]; // min-heap by rank quality: heap[0] is the worst kept item
        int size = 0;
        int e = from;
        for (int i = 0; i < scores.length; i++) {
            while (e < to && exclude[e] < i) {
                e++;
            }
            if (e < to && exclude[e] == i) {
                continue;
            }
            if (size < cap) {
                heap[size] = i;
                siftUp(heap, size, scores);
                size++;
            } else if (cap > 0 && better(scores, i, heap[0])) {
                heap[0] = i;
                siftDown(heap, size, scores);
            }
        }
        int[] out = new int[size];
        for (int k = size - 1; k >= 0; k--) { // pop the worst into the last free slot
            out[k] = heap[0];
            heap[0] = heap[k];
            siftDown(heap, k, scores);
        }
        return out;
    }

    /** True when item {@code a} ranks above item {@code b}. */
    private static boolean better(double[] scores, int a, int b) {
        double sa = scores[a];
        double sb = scores[b];
        if (sa > sb) {
            return true;
        }
        if (sa < sb) {
            return false;
        }
        boolean na = Double.isNaN(sa);
        boolean nb = Double.isNaN(sb);
        if (na != nb) {
            return nb; // a number beats NaN
        }
        return a < b; // equal scores (or both NaN): lower index first
    }

    private static void siftUp(int[] heap, int k, double[] scores) {
        int x = heap[k];
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!better(scores, heap[parent], x)) {
                break;
            }
            heap[k] = heap[parent];
            k = parent;
        }
        heap[k] = x;
    }

    private static void siftDown(int[] heap, int size, double[] scores) {
        if (size == 0) {
            return;
        }
        int k = 0;
        int x = heap[0];
        while (true) {
            int child = 2 * k + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && better(scores, heap[child], heap[child + 1])) {
                child++; // the worse of the two children
            }
            if (!better(scores, x, heap[child])) {
                break;
            }
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = x;
    }
}
