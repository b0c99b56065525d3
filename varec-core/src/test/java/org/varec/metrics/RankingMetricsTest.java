package org.varec.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.varec.recommend.TopN;
import org.junit.jupiter.api.Test;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.stats.Rng;

class RankingMetricsTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    private static final double LOG2_5 = Math.log(5) / Math.log(2);
    private static final double LOG2_6 = Math.log(6) / Math.log(2);

    @Test
    void perUserFormulasOnAHandExample() {
        // ranked 5, 2, 9, 1, 7; relevant {2, 7, 8}: hits at ranks 2 and 5
        int[] ranked = {5, 2, 9, 1, 7};
        int[] relevant = {8, 2, 7};
        // N = 3: one hit (rank 2); |I_u| = 3
        assertEquals(1, RankingMetrics.hits(ranked, relevant, 3));
        assertEquals(1.0 / 3, RankingMetrics.recall(ranked, relevant, 3), 1e-15);
        assertEquals(1.0 / 3, RankingMetrics.precision(ranked, relevant, 3), 1e-15);
        double dcg3 = 1 / LOG2_3;
        double idcg3 = 1 + 1 / LOG2_3 + 1 / 2.0; // ranks 1..3: 1/log2(2), 1/log2(3), 1/log2(4)
        assertEquals(dcg3, RankingMetrics.dcg(ranked, relevant, 3), 1e-15);
        assertEquals(idcg3, RankingMetrics.idcg(3, 3), 1e-15);
        assertEquals(dcg3 / idcg3, RankingMetrics.ndcg(ranked, relevant, 3), 1e-15);
        // N = 5: two hits (ranks 2 and 5); recall over min(5, 3) = 3; IDCG still over 3 ranks
        assertEquals(2.0 / 3, RankingMetrics.recall(ranked, relevant, 5), 1e-15);
        assertEquals(2.0 / 5, RankingMetrics.precision(ranked, relevant, 5), 1e-15);
        assertEquals((1 / LOG2_3 + 1 / LOG2_6) / idcg3, RankingMetrics.ndcg(ranked, relevant, 5), 1e-15);
        // N = 1: recall denominator min(1, 3) = 1; the top item is not relevant
        assertEquals(0.0, RankingMetrics.recall(ranked, relevant, 1));
        // N larger than the list: precision still divides by N
        assertEquals(2.0 / 10, RankingMetrics.precision(ranked, relevant, 10), 1e-15);
        assertEquals(1.0, RankingMetrics.ndcg(new int[] {7, 2, 8}, relevant, 3), 1e-15);
        // no relevant items: undefined, skipped by evaluate
        assertTrue(Double.isNaN(RankingMetrics.recall(ranked, new int[0], 3)));
        assertTrue(Double.isNaN(RankingMetrics.ndcg(ranked, new int[0], 3)));
        assertTrue(Double.isNaN(RankingMetrics.precision(ranked, new int[0], 3)));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.recall(ranked, relevant, 0));
    }

    @Test
    void topNBreaksTiesByLowerIndexAndRanksNaNLast() {
        double[] s = {0.5, 0.9, 0.5, 0.1, 0.9, Double.NaN, 0.5};
        assertArrayEquals(new int[] {1, 4, 0, 2}, TopN.select(s, 4, null));
        assertArrayEquals(new int[] {4, 0, 2, 6}, TopN.select(s, 4, new int[] {1}));
        assertArrayEquals(new int[] {4, 0, 2, 6, 3, 5}, TopN.select(s, 10, new int[] {1}));
        assertArrayEquals(new int[] {4, 2, 3}, TopN.select(s, 3, new int[] {6, 0, 1})); // unsorted exclude
        assertArrayEquals(new int[0], TopN.select(new double[] {1, 2}, 3, new int[] {0, 1}));
    }

    @Test
    void topNAgreesWithAFullSort() {
        Rng r = new Rng(5);
        for (int trial = 0; trial < 200; trial++) {
            int items = 1 + r.nextInt(80);
            double[] s = new double[items];
            for (int i = 0; i < items; i++) {
                s[i] = r.nextInt(10); // many ties
            }
            int[] exclude = IntStream.range(0, items).filter(i -> r.nextInt(4) == 0).toArray();
            int n = 1 + r.nextInt(items + 5);
            int[] expected = IntStream.range(0, items).filter(i -> Arrays.binarySearch(exclude, i) < 0).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i))
                    .limit(n).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, TopN.select(s, n, exclude), "trial " + trial);
        }
    }

    private static Interactions build(int users, int items, float[][] triples) {
        InteractionsBuilder b = new InteractionsBuilder();
        for (float[] t : triples) {
            b.add((int) t[0], (int) t[1], t[2]);
        }
        return b.build(users, items, DuplicatePolicy.ERROR).interactions();
    }

    @Test
    void evaluateAveragesOverUsersWithRelevantItems() {
        Interactions train = build(3, 5, new float[][] {{0, 0, 4}, {1, 2, 5}});
        Interactions test = build(3, 5, new float[][] {{0, 2, 5}, {0, 3, 2}, {0, 4, 4}, {1, 1, 3}, {1, 0, 1}, {2, 0, 4}});
        Interactions relevant = RankingMetrics.relevant(test, RankingMetrics.DEFAULT_RELEVANCE_THRESHOLD);
        assertEquals(3, relevant.size()); // (0,2) (0,4) (2,0); user 1 has none and is skipped
        double[][] scores = {{0.9, 0.8, 0.7, 0.6, 0.5}, {0.1, 0.2, 0.3, 0.4, 0.5}, {0, 0, 0, 0, 0}};
        RankingMetrics.Scorer scorer = (u, out) -> System.arraycopy(scores[u], 0, out, 0, out.length);
        RankingMetrics.Summary sum = RankingMetrics.evaluate(scorer, train, relevant, new int[] {2, 5}, 1);
        assertEquals(2, sum.users());
        // user 0: item 0 excluded, ranked 1,2,3,4; relevant {2,4}
        //   N=2: hit at rank 2 -> recall 1/2, precision 1/2, NDCG (1/log2 3) / (1 + 1/log2 3)
        //   N=5: hits at ranks 2, 4 -> recall 1, precision 2/5, NDCG (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
        // user 2: all scores tied -> ranked 0,1,2,3,4 by index; relevant {0}
        //   N=2: recall 1/min(2,1) = 1, precision 1/2, NDCG 1;  N=5: recall 1, precision 1/5, NDCG 1
        double idcg2 = 1 + 1 / LOG2_3;
        RankingMetrics.AtN at2 = sum.at(2);
        assertEquals((0.5 + 1) / 2, at2.recall(), 1e-15);
        assertEquals((0.5 + 0.5) / 2, at2.precision(), 1e-15);
        assertEquals((1 / LOG2_3 / idcg2 + 1) / 2, at2.ndcg(), 1e-15);
        RankingMetrics.AtN at5 = sum.at(5);
        assertEquals(1.0, at5.recall(), 1e-15);
        assertEquals((0.4 + 0.2) / 2, at5.precision(), 1e-15);
        assertEquals(((1 / LOG2_3 + 1 / LOG2_5) / idcg2 + 1) / 2, at5.ndcg(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> sum.at(3));
    }

    @Test
    void evaluateIsTheSameForAnyThreadCountAndMatchesPerUserFunctions() {
        Rng r = new Rng(23);
        int users = 700;
        int items = 120;
        InteractionsBuilder tb = new InteractionsBuilder();
        InteractionsBuilder rb = new InteractionsBuilder();
        for (int k = 0; k < 6000; k++) {
            (r.nextInt(3) == 0 ? rb : tb).add(r.nextInt(users), r.nextInt(items), 1 + r.nextInt(5));
        }
        Interactions train = tb.build(users, items, DuplicatePolicy.LAST).interactions();
        Interactions relevant = RankingMetrics.relevant(rb.build(users, items, DuplicatePolicy.LAST).interactions(), 3);
        double[][] scores = new double[users][items];
        for (double[] row : scores) {
            for (int i = 0; i < items; i++) {
                row[i] = r.nextInt(20) / 20.0;
            }
        }
        RankingMetrics.Scorer scorer = (u, out) -> System.arraycopy(scores[u], 0, out, 0, items);
        int[] ns = {5, 20, 50};
        RankingMetrics.Summary one = RankingMetrics.evaluate(scorer, train, relevant, ns, 1);
        RankingMetrics.Summary two = RankingMetrics.evaluate(scorer, train, relevant, ns, 2);
        assertEquals(one, two);

        // the same figures from the per-user functions
        int evaluated = 0;
        double[] recall = new double[ns.length];
        double[] ndcg = new double[ns.length];
        for (int u = 0; u < users; u++) {
            final int user = u;
            int[] rel = IntStream.range(0, relevant.size()).filter(k -> relevant.users()[k] == user)
                    .map(k -> relevant.items()[k]).toArray();
            if (rel.length == 0) {
                continue;
            }
            evaluated++;
            int[] ex = IntStream.range(0, train.size()).filter(k -> train.users()[k] == user)
                    .map(k -> train.items()[k]).toArray();
            for (int q = 0; q < ns.length; q++) {
                int[] ranked = TopN.select(scores[u], ns[q], ex);
                recall[q] += RankingMetrics.recall(ranked, rel, ns[q]);
                ndcg[q] += RankingMetrics.ndcg(ranked, rel, ns[q]);
            }
        }
        assertEquals(evaluated, one.users());
        for (int q = 0; q < ns.length; q++) {
            assertEquals(recall[q] / evaluated, one.atN().get(q).recall(), 1e-12);
            assertEquals(ndcg[q] / evaluated, one.atN().get(q).ndcg(), 1e-12);
            assertEquals(ns[q], one.atN().get(q).n());
        }
    }

    // ------------------------------------------------------------------ own test items (VAE-BMF protocol)

    /**
     * Hand-computed: user 0 ranks its items 2 (rel), 0 (rel), 1, 3 (rel); user 1 has one test rating
     * (left out with minTest 2); user 2 ranks 2, then 1 (rel); user 3 has no relevant item (left out).
     * Entries are given shuffled: the result does not depend on their order.
     */
    @Test
    void ownTestItemsHandComputed() {
        int[] users = {2, 0, 3, 0, 1, 0, 2, 3, 0};
        int[] items = {1, 0, 0, 1, 0, 2, 2, 1, 3};
        double[] scores = {1.0, 4.0, 3.0, 3.0, 4.0, 4.5, 3.0, 2.0, 2.0};
        float[] values = {5, 5, 2, 2, 5, 4, 1, 3, 5};
        RankingMetrics.Summary s = RankingMetrics.evaluateOwnItems(users, items, scores, values, 3, 2, new int[] {2, 3});
        assertEquals(2, s.users());
        double ndcgUser0At3 = (1 + 1 / LOG2_3) / (1 + 1 / LOG2_3 + 0.5);
        assertEquals(1.0, s.at(2).recall(), 1e-12);
        assertEquals(0.75, s.at(2).precision(), 1e-12);
        assertEquals((1 + 1 / LOG2_3) / 2, s.at(2).ndcg(), 1e-12);
        assertEquals((2.0 / 3 + 1) / 2, s.at(3).recall(), 1e-12);
        assertEquals(0.5, s.at(3).precision(), 1e-12);
        assertEquals((ndcgUser0At3 + 1 / LOG2_3) / 2, s.at(3).ndcg(), 1e-12);

        // with minTest 1 user 1 (its one item relevant) counts too
        RankingMetrics.Summary all = RankingMetrics.evaluateOwnItems(users, items, scores, values, 3, 1, new int[] {2});
        assertEquals(3, all.users());
        assertEquals((1 + 1 / LOG2_3 + 1) / 3, all.at(2).ndcg(), 1e-12);
    }

    @Test
    void ownTestItemsTiesGoToTheLowerItemAndBadInputIsRefused() {
        // equal scores: item 4 (relevant) before item 5
        RankingMetrics.Summary s = RankingMetrics.evaluateOwnItems(new int[] {0, 0}, new int[] {5, 4},
                new double[] {2, 2}, new float[] {1, 5}, 3, 2, new int[] {1});
        assertEquals(1.0, s.at(1).ndcg(), 1e-12);
        // nobody with a relevant item: NaN, zero users
        RankingMetrics.Summary none = RankingMetrics.evaluateOwnItems(new int[] {0, 0}, new int[] {5, 4},
                new double[] {2, 2}, new float[] {1, 2}, 3, 2, new int[] {1});
        assertEquals(0, none.users());
        assertTrue(Double.isNaN(none.at(1).ndcg()));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.evaluateOwnItems(new int[] {0},
                new int[] {0}, new double[] {1}, new float[] {5}, 3, 0, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.evaluateOwnItems(new int[] {0},
                new int[] {0, 1}, new double[] {1}, new float[] {5}, 3, 1, new int[] {1}));
    }
}
