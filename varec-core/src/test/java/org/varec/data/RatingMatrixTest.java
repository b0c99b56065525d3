package org.varec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RatingMatrixTest {
    @Test
    void workedExampleFromTheJavadoc() {
        Interactions r = new Interactions(3, 4, new int[] {0, 0, 2}, new int[] {1, 3, 0}, new float[] {5, 3, 4}, true);
        RatingMatrix m = RatingMatrix.of(r);
        assertArrayEquals(new int[] {0, 2, 2, 3}, m.userOffsets());
        assertArrayEquals(new int[] {1, 3, 0}, m.userItems());
        assertArrayEquals(new int[] {0, 1, 2, 2, 3}, m.itemOffsets());
        assertArrayEquals(new int[] {2, 0, 0}, m.itemUsers());
        assertArrayEquals(new float[] {4, 5, 3}, m.itemValues());
        assertSame(r.items(), m.userItems(), "sorted COO is shared as CSR, not copied");
        assertEquals(0, m.userCount(1));
        assertTrue(m.contains(0, 3));
        assertFalse(m.contains(1, 3));
        assertEquals(4.0, m.mean(), 1e-12);
    }

    /** Both orientations hold exactly the input ratings, from sorted and unsorted COO alike. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void orientationsAgree(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int nu = 1 + rnd.nextInt(60);
        int ni = 1 + rnd.nextInt(60);
        InteractionsBuilder b = new InteractionsBuilder();
        Map<Long, Float> model = new HashMap<>();
        for (int k = 0; k < 800; k++) {
            int u = rnd.nextInt(nu);
            int i = rnd.nextInt(ni);
            float v = rnd.nextInt(10) / 2f;
            b.add(u, i, v);
            model.put(((long) u << 32) | i, v);
        }
        Interactions sorted = b.build(nu, ni, DuplicatePolicy.LAST).interactions();
        // a shuffled, unsorted copy
        int n = sorted.size();
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
        Interactions shuffled = sorted.select(perm);
        for (Interactions in : new Interactions[] {sorted, shuffled}) {
            RatingMatrix m = RatingMatrix.of(in);
            assertEquals(model.size(), m.nnz());
            for (int u = 0; u < nu; u++) {
                for (int p = m.userOffsets()[u]; p < m.userOffsets()[u + 1]; p++) {
                    assertEquals(model.get(((long) u << 32) | m.userItems()[p]), m.userValues()[p]);
                }
            }
            for (int i = 0; i < ni; i++) {
                for (int p = m.itemOffsets()[i]; p < m.itemOffsets()[i + 1]; p++) {
                    assertEquals(model.get(((long) m.itemUsers()[p] << 32) | i), m.itemValues()[p]);
                    if (p > m.itemOffsets()[i]) {
                        assertTrue(m.itemUsers()[p] > m.itemUsers()[p - 1], "columns ascending");
                    }
                }
            }
        }
    }
}
