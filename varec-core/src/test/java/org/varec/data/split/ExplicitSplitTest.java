package org.varec.data.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;

class ExplicitSplitTest {
    /** A training file and a test file, each over its own ids, put over one index. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void testIdsFollowTheTrainingIdsAndTheTrainingRatingsAreKept(boolean builderOrder) {
        IdIndex tu = IdIndex.of(List.of("a", "b", "c"));
        IdIndex ti = IdIndex.of(List.of("x", "y"));
        Interactions tr = builderOrder
                ? new Interactions(3, 2, new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 0}, new float[] {1, 2, 3, 4}, true)
                // as a reader that keeps the file's order could give them: out of order, a pair twice
                : new Interactions(3, 2, new int[] {2, 0, 1, 0, 0}, new int[] {0, 1, 1, 0, 1},
                        new float[] {4, 5, 3, 1, 2}, false);
        Dataset train = SplitTestData.dataset("train", tu, ti, tr, Path.of("train.tsv"));
        // the test file: user "d" and item "z" are new, "b" and "x" are known under other indices
        IdIndex su = IdIndex.of(List.of("d", "b"));
        IdIndex si = IdIndex.of(List.of("z", "x"));
        Interactions te = new Interactions(2, 2, new int[] {0, 1, 1}, new int[] {1, 0, 1}, new float[] {5, 1, 2}, true);
        Dataset test = SplitTestData.dataset("test", su, si, te, Path.of("test.tsv"));

        ExplicitSplit e = ExplicitSplit.of(train, test);
        Dataset d = e.dataset();
        assertEquals(List.of("a", "b", "c", "d"), d.users().ids());
        assertEquals(List.of("x", "y", "z"), d.items().ids());
        Interactions r = d.ratings();
        assertEquals(4, r.numUsers());
        assertEquals(3, r.numItems());
        assertTrue(r.inBuilderOrder());
        assertArrayEquals(new int[] {0, 0, 1, 2}, r.users());
        assertArrayEquals(new int[] {0, 1, 1, 0}, r.items());
        assertArrayEquals(new float[] {1, 2, 3, 4}, r.values()); // the duplicate: the last one read
        Interactions s = e.split().test();
        assertArrayEquals(new int[] {1, 1, 3}, s.users());
        assertArrayEquals(new int[] {0, 2, 0}, s.items());
        assertArrayEquals(new float[] {2, 1, 5}, s.values());
        assertEquals(r, e.split().train());
    }

    @Test
    void builderOrderIsByUserThenItemEachPairOnce() {
        InteractionsBuilder b = new InteractionsBuilder();
        b.add(2, 1, 1);
        b.add(0, 3, 2);
        b.add(0, 1, 3);
        b.add(2, 0, 4);
        assertTrue(b.build(3, 4, DuplicatePolicy.LAST).interactions().inBuilderOrder());
        assertTrue(new Interactions(0, 0, new int[0], new int[0], new float[0], true).inBuilderOrder());
        assertFalse(new Interactions(2, 2, new int[] {1, 0}, new int[] {0, 0}, new float[2], false).inBuilderOrder());
        assertFalse(new Interactions(2, 2, new int[] {0, 0}, new int[] {1, 0}, new float[2], true).inBuilderOrder());
        assertFalse(new Interactions(2, 2, new int[] {0, 0}, new int[] {1, 1}, new float[2], true).inBuilderOrder());
    }
}
