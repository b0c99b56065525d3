package org.varec.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varec.data.split.SplitTestData.assertPartition;
import static org.varec.data.split.SplitTestData.assertSameRatings;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.varec.data.Dataset;
import org.varec.data.Interactions;

/** users:P[,F][xN]: held-out users, none of their ratings trained on, each split into fold-in and test. */
class HeldOutUsersTest {
    private static final Dataset DATA = SplitTestData.random(80, 40, 1600, 3, null);

    @ParameterizedTest
    @CsvSource({"users:0.1, 1", "users:0.25, 7", "'users:0.2,0.5', 11"})
    void heldOutUsersAreNeverTrainedOnAndSplitByTheirShare(String spec, long seed) throws Exception {
        HeldOutUsers p = (HeldOutUsers) Protocols.parse(spec);
        Split s = p.splits(DATA, seed).get(0);
        assertPartition(DATA, s);
        assertNull(s.validation());
        int[] trainCount = counts(s.train());
        int[] testCount = counts(s.test());
        int[] foldCount = counts(s.foldIn());
        int[] all = counts(DATA.ratings());
        int eligible = 0;
        int held = 0;
        for (int u = 0; u < all.length; u++) {
            eligible += all[u] >= 2 ? 1 : 0;
            boolean out = testCount[u] + foldCount[u] > 0;
            if (out) {
                held++;
                assertEquals(0, trainCount[u], "held-out user " + u + " has training ratings");
                long want = Math.max(1, Math.min(all[u] - 1, Math.round(p.foldIn() * all[u])));
                assertEquals(want, foldCount[u], "fold-in share of user " + u);
                assertTrue(testCount[u] >= 1);
            } else {
                assertEquals(all[u], trainCount[u]);
            }
        }
        assertEquals(Math.round(p.users() * eligible), held);
    }

    @Test
    void sameSeedSameSplitRepeatsDiffer() throws Exception {
        List<Split> a = Protocols.parse("users:0.2x3").splits(DATA, 5);
        List<Split> b = Protocols.parse("users:0.2x3").splits(DATA, 5);
        for (int r = 0; r < 3; r++) {
            assertSameRatings(a.get(r).test(), b.get(r).test());
            assertSameRatings(a.get(r).foldIn(), b.get(r).foldIn());
        }
        assertFalse(java.util.Arrays.equals(a.get(0).test().users(), a.get(1).test().users()));
        assertEquals("users 2/3", a.get(1).name());
        assertEquals("users", Protocols.parse("users:0.2").splits(DATA, 5).get(0).name());
    }

    @Test
    void specsRoundTripAndBadOnesAreClearErrors() {
        assertEquals("users:0.1", Protocols.parse("users:0.10").spec());
        assertEquals("users:0.1,0.5x3", Protocols.parse(" USERS:0.1,0.5x3 ").spec());
        for (String bad : List.of("users:", "users:1", "users:0", "users:0.1,1", "users:0.1,0.5,0.2", "users:a")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocols.parse(bad), bad);
            assertTrue(e.getMessage().contains("users:"), e.getMessage());
        }
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> Protocols.parse("users:0.001").splits(DATA, 1));
        assertTrue(tiny.getMessage().contains("holds out 0"), tiny.getMessage());
    }

    private static int[] counts(Interactions r) {
        int[] c = new int[r.numUsers()];
        for (int u : r.users()) {
            c[u]++;
        }
        return c;
    }
}
