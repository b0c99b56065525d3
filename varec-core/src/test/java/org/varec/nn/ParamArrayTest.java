package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;

/** The touched-row bookkeeping of a sparse {@link ParamArray}: sorting, forgetting, clearing. */
class ParamArrayTest {
    /** Few touched rows (sorted) and many (one scan of the flags) both give the distinct rows ascending. */
    @ParameterizedTest
    @ValueSource(ints = {3, 40, 900, 5000})
    void sortTouchedGivesTheTouchedRowsAscending(int touches) {
        Rng rng = new Rng(touches);
        ParamArray p = ParamArray.sparse("p", 2000, 3);
        boolean[] hit = new boolean[2000];
        for (int t = 0; t < touches; t++) {
            int r = rng.nextInt(2000);
            p.touch(r);
            hit[r] = true;
        }
        int[] expect = new int[2000];
        int n = 0;
        for (int r = 0; r < 2000; r++) {
            if (hit[r]) {
                expect[n++] = r;
            }
        }
        p.sortTouched();
        assertEquals(n, p.numTouched());
        assertArrayEquals(Arrays.copyOf(expect, n), Arrays.copyOf(p.touchedRows(), n));
        // touching again after sorting adds new rows only
        p.touch(expect[0]);
        assertEquals(n, p.numTouched());
    }

    /** forgetTouched empties the set but leaves the gradient to the caller; zeroGrad clears both. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forgetTouchedKeepsTheGradient(boolean forget) {
        ParamArray p = ParamArray.sparse("p", 10, 2);
        p.touch(7);
        p.touch(2);
        p.grad()[14] = 1f;
        p.grad()[5] = 2f;
        if (forget) {
            p.forgetTouched();
            assertEquals(2f, p.grad()[5]);
        } else {
            p.zeroGrad();
            assertArrayEquals(new float[20], p.grad());
        }
        assertEquals(0, p.numTouched());
        p.touch(7); // the flags were reset too
        assertEquals(1, p.numTouched());
    }

    /**
     * touchRows is touch row by row: the same touched rows in the same order, with runs that overlap
     * rows already touched and enough of them to grow the row list past its first capacity.
     */
    @ParameterizedTest
    @ValueSource(ints = {5, 300})
    void touchRowsIsTouchRowByRow(int runs) {
        Rng rng = new Rng(runs);
        ParamArray one = ParamArray.sparse("a", 5000, 2);
        ParamArray run = ParamArray.sparse("b", 5000, 2);
        for (int t = 0; t < runs; t++) {
            int len = 1 + rng.nextInt(12);
            int first = rng.nextInt(5000 - len);
            for (int r = first; r < first + len; r++) {
                one.touch(r);
            }
            run.touchRows(first, len);
        }
        assertEquals(one.numTouched(), run.numTouched());
        assertArrayEquals(Arrays.copyOf(one.touchedRows(), one.numTouched()),
                Arrays.copyOf(run.touchedRows(), run.numTouched()));
        run.forgetTouched();
        run.touchRows(10, 3);
        assertEquals(3, run.numTouched());
    }
}
