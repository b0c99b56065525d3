package org.varec.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelTest {
    /** Every block runs exactly once whatever the thread count (the caller works beside the pool). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    void everyBlockRunsOnce(int threads) {
        try (Parallel p = new Parallel(threads)) {
            for (int n : new int[] {0, 1, 7, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
                p.forBlocks(n, 10, (b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "row " + i + " of " + n);
                }
                assertEquals(n * (n - 1) / 2.0, p.sumBlocks(n, 7, (b, from, to) -> {
                    double s = 0;
                    for (int i = from; i < to; i++) {
                        s += i;
                    }
                    return s;
                }));
            }
        }
    }

    /** A failing block's exception reaches the caller, and the pool keeps working afterwards. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aFailingBlockPropagatesAndThePoolSurvives(int threads) {
        try (Parallel p = new Parallel(threads)) {
            for (int failing : new int[] {0, 5, 9}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forBlocks(100, 10, (b, from, to) -> {
                    if (b == failing) {
                        throw new IllegalStateException("block " + b);
                    }
                }));
                assertEquals("block " + failing, e.getMessage());
            }
            assertEquals(4950.0, p.sumBlocks(100, 10, (b, from, to) -> {
                double s = 0;
                for (int i = from; i < to; i++) {
                    s += i;
                }
                return s;
            }));
        }
    }

    /** Small calls run on the caller (SERIAL), large ones on the pool; a one-thread pool stays itself. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void orSerialBelowPicksByWork(int threads) {
        try (Parallel pool = new Parallel(threads)) {
            assertEquals(threads == 1 ? pool : Parallel.SERIAL, pool.orSerialBelow(99, 100));
            assertEquals(pool, pool.orSerialBelow(100, 100));
            assertEquals(1, Parallel.SERIAL.threads());
            Thread caller = Thread.currentThread();
            pool.orSerialBelow(1, 100).forBlocks(10, 1, (b, from, to) -> {
                if (threads > 1) {
                    assertEquals(caller, Thread.currentThread());
                }
            });
        }
    }
}
