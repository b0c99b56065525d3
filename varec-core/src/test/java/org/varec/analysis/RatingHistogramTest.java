package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatingHistogramTest {
    @Test
    void starRatingsAreCountedPerValue() {
        RatingHistogram h = RatingHistogram.of(new float[] {4, 1, 5, 4, 3.5f, 4, 1});
        assertArrayEquals(new float[] {1, 3.5f, 4, 5}, h.values());
        assertNull(h.edges());
        assertArrayEquals(new long[] {2, 1, 3, 1}, h.counts());
        assertEquals(List.of("1", "3.5", "4", "5"), h.labels());
        assertEquals(7, h.total());
    }

    @Test
    void otherRatingsInTheSameBinsLeaveOutValuesThatHaveNoBin() {
        RatingHistogram all = RatingHistogram.of(new float[] {1, 2, 3, 4, 5});
        RatingHistogram one = all.count(new float[] {5, 5, 2, 2.5f});
        assertArrayEquals(all.values(), one.values());
        assertArrayEquals(new long[] {0, 1, 0, 0, 2}, one.counts());
        assertEquals(3, one.total());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0}, all.count(new float[0]).counts());
    }

    @Test
    void continuousRatingsAreCountedInTwentyEqualIntervals() {
        // 21 distinct values: 0, 0.5, ..., 10; interval width 0.5, so each value starts its own
        // interval except the largest, which belongs to the last
        float[] r = new float[21];
        for (int k = 0; k <= 20; k++) {
            r[k] = 0.5f * k;
        }
        RatingHistogram h = RatingHistogram.of(r);
        assertNull(h.values());
        assertEquals(RatingHistogram.MAX_CATEGORIES, h.bins());
        assertEquals(0, h.edges()[0]);
        assertEquals(10, h.edges()[20]);
        long[] expected = new long[20];
        java.util.Arrays.fill(expected, 1);
        expected[19] = 2;
        assertArrayEquals(expected, h.counts());
        assertEquals("0.3", h.labels().get(0));
        assertEquals("9.8", h.labels().get(19));
        // ratings outside the range go to the end intervals
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
                h.count(new float[] {-3, 10, 11}).counts());
    }

    @Test
    void narrowIntervalsAreLabelledWithThreeSignificantDigits() {
        float[] r = new float[30];
        for (int k = 0; k < r.length; k++) {
            r[k] = 3 + 0.01f * k;
        }
        List<String> labels = RatingHistogram.of(r).labels();
        assertEquals(20, labels.size());
        assertEquals("3.01", labels.get(0));
    }

    @Test
    void noRatingsGiveNoBins() {
        RatingHistogram h = RatingHistogram.of(new float[0]);
        assertEquals(0, h.bins());
        assertEquals(0, h.total());
    }
}
