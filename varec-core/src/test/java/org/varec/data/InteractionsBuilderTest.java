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
}
