package org.varec.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs work over row ranges {@code [0, n)} on an explicit number of threads. Rows are cut into
 * fixed contiguous blocks that depend only on {@code n} and the block size, never on timing, so
 * per-block results (and per-block RNG streams seeded from the block number) are reproducible.
 *
 * <p>A pool is created per {@code Parallel} and reused across sweeps; close it when training ends.
 */
public final class Parallel implements AutoCloseable {
    /** Work on rows {@code [from, to)} of block {@code block}. */
    @FunctionalInterface
    public interface BlockTask {
        void run(int block, int from, int to);
    }

    /** A double computed from rows {@code [from, to)} of block {@code block}. */
    @FunctionalInterface
    public interface BlockSum {
        double sum(int block, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;
    private volatile java.util.function.IntConsumer rowsDone;

    /**
     * Tells {@code hook} the rows of every block once it is done (from the thread that ran it;
     * null: nobody). The training loop counts them to show progress within a long epoch.
     */
    public void onRowsDone(java.util.function.IntConsumer hook) {
        this.rowsDone = hook;
    }

    private void done(int rows) {
        java.util.function.IntConsumer hook = rowsDone;
        if (hook != null) {
            hook.accept(rows);
        }
    }

    /**
     * Most threads a run may ask for: {@value #THREADS_PER_PROCESSOR} per available processor, at
     * least {@value #MIN_THREAD_CAP} (so a result from a bigger machine can be reproduced with its
     * thread count). More only adds memory and contention: 5000 threads ran 3x slower in 3x the memory.
     */
    public static int maxThreads() {
        return Math.max(MIN_THREAD_CAP, THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors());
    }

    public static final int THREADS_PER_PROCESSOR = 4;
    public static final int MIN_THREAD_CAP = 16;

    /** {@code threads} when within 1..{@link #maxThreads()}, else an error naming the range. */
    public static int checkThreads(int threads) {
        if (threads < 1 || threads > maxThreads()) {
            throw new IllegalArgumentException("threads must be within 1.." + maxThreads() + " ("
                    + THREADS_PER_PROCESSOR + " per available processor, at least " + MIN_THREAD_CAP + "), got " + threads);
        }
        return threads;
    }

    public Parallel(int threads) {
        checkThreads(threads);
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "varec-worker-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(threads, tf);
        }
    }

    public int threads() {
        return threads;
    }

    /** One thread: every call runs its blocks on the calling thread. Shared; closing it is a no-op. */
    public static final Parallel SERIAL = new Parallel(1);

    /**
     * This pool, or {@link #SERIAL} when a call's {@code work} (in the caller's unit, e.g.
     * multiply-adds) is below {@code minWork}: handing blocks to another thread costs a wake-up
     * (measured in tens of microseconds on a 2-core VM) that a call of a few microseconds of work
     * never earns back. The blocks stay the same, so the result does too.
     */
    public Parallel orSerialBelow(long work, long minWork) {
        return threads == 1 || work >= minWork ? this : SERIAL;
    }

    /** Number of blocks {@link #forBlocks} cuts {@code n} rows into with {@code blockSize}. */
    public static int numBlocks(int n, int blockSize) {
        return (n + blockSize - 1) / blockSize;
    }

    /**
     * Runs {@code task} on every block of {@code blockSize} rows in {@code [0, n)}; returns when all
     * are done. Blocks are handed to threads dynamically (good balance for skewed rows) but their
     * boundaries are fixed.
     */
    public void forBlocks(int n, int blockSize, BlockTask task) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be >= 1");
        }
        int blocks = numBlocks(n, blockSize);
        if (pool == null || blocks <= 1) {
            for (int b = 0; b < blocks; b++) {
                task.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize));
                done(Math.min(n, (b + 1) * blockSize) - b * blockSize);
            }
            return;
        }
        // the calling thread works too: it takes blocks like the workers instead of waiting for them,
        // so a call costs one hand-off fewer and no thread sits idle (with 2 threads on 2 cores, one
        // worker plus the caller); which thread runs a block never changes the result
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int b;
            while ((b = next.getAndIncrement()) < blocks) {
                task.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize));
                done(Math.min(n, (b + 1) * blockSize) - b * blockSize);
            }
        };
        int helpers = Math.min(threads, blocks) - 1;
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int t = 0; t < helpers; t++) {
            futures.add(pool.submit(worker));
        }
        RuntimeException mine = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            mine = e;
            next.set(blocks); // the helpers stop after their current block
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (mine != null) {
                    continue;
                }
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
        if (mine != null) {
            throw mine;
        }
    }

    /**
     * The sum over the blocks of {@link #forBlocks} of {@code task}'s value, added in block order:
     * the same bits for every thread count.
     */
    public double sumBlocks(int n, int blockSize, BlockSum task) {
        double[] partial = new double[numBlocks(n, Math.max(1, blockSize))];
        forBlocks(n, blockSize, (b, from, to) -> partial[b] = task.sum(b, from, to));
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
