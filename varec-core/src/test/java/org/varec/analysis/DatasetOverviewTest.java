package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatasetOverviewTest {
    @Test
    void countsSpreadAndLongTails() {
        // 4 users (u3 without ratings) x 5 items (i4 without ratings), 6 ratings
        int[] users = {0, 0, 0, 1, 1, 2};
        int[] items = {0, 1, 2, 0, 1, 0};
        float[] values = {1, 2, 3, 4, 5, 3};
        DatasetOverview o = DatasetOverview.of(Fixtures.dataset(4, Fixtures.ids("i", 5), users, items, values));
        assertEquals(4, o.users());
        assertEquals(5, o.items());
        assertEquals(3, o.usersWithRatings());
        assertEquals(3, o.itemsWithRatings());
        assertEquals(6, o.ratings());
        assertEquals(6 / 20.0, o.density(), 1e-15);
        assertEquals(3, o.mean(), 1e-15);
        assertEquals(Math.sqrt(10 / 5.0), o.sd(), 1e-15); // squared deviations 4+1+0+1+4+0 over n - 1
        assertEquals(1.5, o.medianPerUser()); // per user 3, 2, 1, 0
        assertEquals(3, o.maxPerUser());
        assertEquals(1, o.medianPerItem()); // per item 3, 2, 1, 0, 0
        assertEquals(3, o.maxPerItem());
        assertArrayEquals(new int[] {3, 2, 1}, o.itemTail());
        assertArrayEquals(new int[] {3, 2, 1}, o.userTail());
    }

    @Test
    void anEmptyDatasetHasZeros() {
        DatasetOverview o = DatasetOverview.of(Fixtures.dataset(2, Fixtures.ids("i", 2), new int[0], new int[0], new float[0]));
        assertEquals(0, o.ratings());
        assertEquals(0, o.mean());
        assertEquals(0, o.sd());
        assertEquals(0, o.maxPerItem());
        assertEquals(0, o.itemTail().length);
    }
}
