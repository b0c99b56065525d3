package org.varec.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopNTest {
    @Test
    void tiesGoToTheLowerItemIndex() {
        float[] s = {1, 3, 3, 2, 3};
        List<Recommendation> r = TopN.select(s, 3, null);
        assertEquals(List.of(1, 2, 4), r.stream().map(Recommendation::item).toList());
        assertEquals(List.of(2, 4, 3), TopN.select(s, 3, i -> i == 1).stream().map(Recommendation::item).toList());
        assertEquals(0, TopN.select(s, 0, null).size());
        assertEquals(5, TopN.select(s, 50, null).size());
    }

    /** The heap selection equals a full sort (score desc, index asc) with exclusions and NaNs. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void equalsFullSort(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(500);
        float[] s = new float[n];
        boolean[] ex = new boolean[n];
        for (int i = 0; i < n; i++) {
            s[i] = rnd.nextInt(20) == 0 ? Float.NaN : rnd.nextInt(30) / 3f;
            ex[i] = rnd.nextInt(5) == 0;
        }
        int k = rnd.nextInt(n + 5);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!ex[i] && !Float.isNaN(s[i])) {
                all.add(i);
            }
        }
        all.sort(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i));
        List<Integer> expected = all.subList(0, Math.min(k, all.size()));
        assertEquals(expected, TopN.select(s, k, i -> ex[i]).stream().map(Recommendation::item).toList());
    }
}
