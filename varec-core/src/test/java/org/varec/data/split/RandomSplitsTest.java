package org.varec.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varec.data.split.SplitTestData.assertPartition;
import static org.varec.data.split.SplitTestData.assertSameRatings;
import static org.varec.data.split.SplitTestData.assertSameSplit;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.data.Dataset;
import org.varec.data.Interactions;

class RandomSplitsTest {
    private static final Dataset DATA = SplitTestData.random(60, 40, 1500, 1, null);

    @Test
    void holdoutIsAnExactSortedPartitionWithRequestedSize() throws Exception {
        int n = DATA.numRatings();
        assertTrue(n > 1000);
        List<Split> splits = Protocols.parse("holdout:0.8").splits(DATA, 7);
        assertEquals(1, splits.size());
        Split s = splits.get(0);
        assertEquals("holdout", s.name());
        assertNull(s.validation());
        assertPartition(DATA, s);
        assertTrue(Math.abs(s.train().size() - 0.8 * n) <= 1, "train " + s.train().size() + " of " + n);
        assertTrue(Math.abs(s.test().size() - 0.2 * n) <= 1);
    }

    @Test
    void threeWayHoldoutSizesAreWithinOneRating() throws Exception {
        int n = DATA.numRatings();
        Split s = Protocols.parse("holdout:0.7,0.15,0.15").splits(DATA, 3).get(0);
        assertPartition(DATA, s);
        assertTrue(Math.abs(s.train().size() - 0.7 * n) <= 1);
        assertTrue(Math.abs(s.validation().size() - 0.15 * n) <= 1);
        assertTrue(Math.abs(s.test().size() - 0.15 * n) <= 1);
    }

    @Test
    void sameSeedSameSplitsDifferentSeedDifferentSplits() throws Exception {
        for (String spec : List.of("holdout:0.9x3", "holdout:0.7,0.15,0.15", "kfold:4", "subsample:0.1x2")) {
            Protocol p = Protocols.parse(spec);
            List<Split> a = p.splits(DATA, 42);
            List<Split> b = Protocols.parse(spec).splits(DATA, 42);
            List<Split> c = p.splits(DATA, 43);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertSameSplit(a.get(i), b.get(i));
                assertSameSplit(a.get(i), a.get(i)); // lazy lists rebuild the same split
                assertFalse(Arrays.equals(a.get(i).test().items(), c.get(i).test().items())
                        && Arrays.equals(a.get(i).test().users(), c.get(i).test().users()), spec + " seed ignored");
            }
        }
    }

    @Test
    void repeatsAreDistinctAndTheFirstEqualsTheSingleSplit() throws Exception {
        List<Split> five = Protocols.parse("holdout:0.9x5").splits(DATA, 9);
        assertEquals(5, five.size());
        for (int r = 0; r < 5; r++) {
            Split s = five.get(r);
            assertEquals("holdout " + (r + 1) + "/5", s.name());
            assertPartition(DATA, s);
            for (int q = 0; q < r; q++) {
                assertFalse(Arrays.equals(SplitTestData.keys(s.test()), SplitTestData.keys(five.get(q).test())));
            }
        }
        Split single = Protocols.parse("holdout:0.9").splits(DATA, 9).get(0);
        assertSameRatings(single.train(), five.get(0).train());
        assertSameRatings(single.test(), five.get(0).test());
    }

    @Test
    void kfoldTestsEveryRatingExactlyOnce() throws Exception {
        int k = 5;
        List<Split> folds = Protocols.parse("kfold:5").splits(DATA, 2);
        assertEquals(k, folds.size());
        int n = DATA.numRatings();
        long[] all = SplitTestData.keys(DATA.ratings());
        int[] tested = new int[n];
        for (int f = 0; f < k; f++) {
            Split s = folds.get(f);
            assertEquals("fold " + (f + 1) + "/5", s.name());
            assertNull(s.validation());
            assertPartition(DATA, s);
            int size = s.test().size();
            assertTrue(size == n / k || size == n / k + 1, "fold size " + size);
            for (long key : SplitTestData.keys(s.test())) {
                tested[Arrays.binarySearch(all, key)]++;
            }
        }
        for (int t : tested) {
            assertEquals(1, t);
        }
    }

    @Test
    void subsampleTrainsOnPAndHalvesTheRest() throws Exception {
        int n = DATA.numRatings();
        List<Split> splits = Protocols.parse("subsample:0.05x2").splits(DATA, 5);
        assertEquals(2, splits.size());
        for (Split s : splits) {
            assertPartition(DATA, s);
            assertTrue(Math.abs(s.train().size() - 0.05 * n) <= 0.5);
            assertTrue(Math.abs(s.validation().size() - s.test().size()) <= 1);
        }
        assertEquals("subsample 2/2", splits.get(1).name());
        assertEquals("subsample", Protocols.parse("subsample:0.05").splits(DATA, 5).get(0).name());
    }

    @Test
    void unsortedDatasetRatingsAreSortedFirst() throws Exception {
        Interactions r = DATA.ratings();
        int n = r.size();
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = n - 1 - i;
        }
        Interactions shuffled = r.select(reversed);
        assertFalse(shuffled.sortedByUser());
        Dataset d = DATA.withRatings(shuffled);
        Split s = Protocols.parse("holdout:0.8").splits(d, 7).get(0);
        assertPartition(DATA, s);
        // same ratings, same seed: the same split as from the sorted dataset
        assertSameSplit(Protocols.parse("holdout:0.8").splits(DATA, 7).get(0), s);
    }

    @Test
    void tooFewRatingsForAPartIsAClearError() throws Exception {
        Dataset tiny = SplitTestData.random(2, 2, 3, 4, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Protocols.parse("holdout:0.99").splits(tiny, 1));
        assertTrue(e.getMessage().contains("test part empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Protocols.parse("kfold:10").splits(tiny, 1));
    }

    @Test
    void explicitSplitsAreSortedAndChecked() throws Exception {
        Split s = Protocols.parse("holdout:0.8").splits(DATA, 1).get(0);
        Interactions train = s.train();
        int[] rev = new int[train.size()];
        for (int i = 0; i < rev.length; i++) {
            rev[i] = rev.length - 1 - i;
        }
        Split e = Splits.explicit(train.select(rev), s.test());
        assertEquals("explicit", e.name());
        assertPartition(DATA, e);
        assertSameRatings(train, e.train());
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
                () -> Splits.explicit(train, train));
        assertTrue(overlap.getMessage().contains(train.size() + " (user, item) pairs"), overlap.getMessage());
        Interactions other = new Interactions(5, 5, new int[0], new int[0], new float[0], true);
        assertThrows(IllegalArgumentException.class, () -> Splits.explicit(train, other));
        Split three = Protocols.parse("holdout:0.6,0.2,0.2").splits(DATA, 1).get(0);
        assertPartition(DATA, Splits.explicit(three.train(), three.validation(), three.test()));
        assertThrows(IllegalArgumentException.class,
                () -> Splits.explicit(three.train(), three.test(), three.test()));
    }
}
