package org.varec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class InteractionsBuilderTest {
    @ParameterizedTest
    @EnumSource(value = DuplicatePolicy.class, names = {"LAST", "FIRST", "MEAN"})
    void duplicatesFollowPolicy(DuplicatePolicy policy) {
        InteractionsBuilder b = new InteractionsBuilder();
        b.add(1, 2, 1f);
        b.add(0, 5, 4f);
        b.add(1, 2, 3f);
        b.add(1, 0, 2f);
        b.add(1, 2, 5f);
        var r = b.build(2, 6, policy);
        assertEquals(2, r.duplicates());
        Interactions x = r.interactions();
        assertArrayEquals(new int[] {0, 1, 1}, x.users());
        assertArrayEquals(new int[] {5, 0, 2}, x.items());
        float expected = switch (policy) {
            case LAST -> 5f;
            case FIRST -> 1f;
            default -> 3f;
        };
        assertArrayEquals(new float[] {4f, 2f, expected}, x.values());
        assertTrue(x.sortedByUser());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void errorPolicyRefusesDuplicates(long seed) {
        InteractionsBuilder b = new InteractionsBuilder();
        b.add(0, 1, 1f);
        b.add(0, 1, 2f);
        var e = assertThrows(InteractionsBuilder.DuplicateRatingException.class, () -> b.build(1, 2, DuplicatePolicy.ERROR));
        assertEquals(0, e.user());
        assertEquals(1, e.item());
    }

    /** Random ratings with repeats: sorted output equals a last-wins TreeMap model. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void sortsAndKeepsLastLikeAMap(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int nu = 50;
        int ni = 40;
        InteractionsBuilder b = new InteractionsBuilder();
        Map<Long, Float> model = new TreeMap<>();
        Map<Long, Integer> counts = new LinkedHashMap<>();
        for (int k = 0; k < 3000; k++) {
            int u = rnd.nextInt(nu);
            int i = rnd.nextInt(ni);
            float v = 1 + rnd.nextInt(5);
            b.add(u, i, v);
            long key = ((long) u << 32) | i;
            model.put(key, v);
            counts.merge(key, 1, Integer::sum);
        }
        var r = b.build(nu, ni, DuplicatePolicy.LAST);
        Interactions x = r.interactions();
        assertEquals(model.size(), x.size());
        assertEquals(3000 - model.size(), r.duplicates());
        int k = 0;
        for (Map.Entry<Long, Float> e : model.entrySet()) {
            assertEquals((int) (e.getKey() >>> 32), x.users()[k]);
            assertEquals((int) (long) e.getKey(), x.items()[k]);
            assertEquals(e.getValue(), x.values()[k]);
            k++;
        }
    }

    /**
     * Sizes around the chunks' boundaries (they start at 4,096 ratings and double up to 2^20) and
     * into the first 2^20-rating chunk: every rating comes out once, in (user, item) order, and the
     * builder can be used again after building.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 12_288, 12_289, 65536, (1 << 21) - 4096, (1 << 21) + 70_000})
    void keepsEveryRatingAcrossGrowthAndChunks(int n) {
        InteractionsBuilder b = new InteractionsBuilder();
        for (int round = 0; round < 2; round++) {
            int users = 1500;
            int items = 1000;
            for (int t = 0; t < n; t++) { // pair t is (t mod users, t div users): all distinct
                b.add(t % users, t / users, t % 5 + 1);
            }
            assertEquals(n, b.size());
            var r = b.build(users, Math.max(items, n / users + 1), DuplicatePolicy.ERROR);
            Interactions x = r.interactions();
            assertEquals(n, x.size());
            assertEquals(0, r.duplicates());
            long sum = 0;
            for (int k = 0; k < n; k++) {
                int t = x.items()[k] * users + x.users()[k];
                assertEquals(t % 5 + 1, x.values()[k]);
                sum += t;
            }
            assertEquals((long) n * (n - 1) / 2, sum, "each index once");
            assertTrue(x.sortedByUser());
            assertEquals(0, b.size());
        }
    }
}
