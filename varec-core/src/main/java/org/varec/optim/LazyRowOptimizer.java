package org.varec.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.varec.nn.ParamArray;
import org.varec.util.Parallel;

/**
 * The bookkeeping every {@link Optimizer} here shares: per-array state (moment arrays of the
 * array's size, step counts per row for sparse arrays or one count for a dense array), created
 * on first use, and the walk over touched rows. Subclasses write the element update.
 */
abstract class LazyRowOptimizer implements Optimizer {
    /** State of one array: up to two moment arrays and the step counts. */
    static final class State {
        final float[] m;
        final float[] v;
        final int[] steps;
        /** Whether weight decay applies: every array but biases ({@link ParamArray#isBias}). */
        final boolean decays;

        State(ParamArray p, int moments) {
            this.m = moments >= 1 ? new float[p.size()] : null;
            this.v = moments >= 2 ? new float[p.size()] : null;
            this.steps = new int[p.isSparse() ? p.rows() : 1];
            this.decays = !p.isBias();
        }
    }

    private final Map<ParamArray, State> states = new IdentityHashMap<>();
    private final int moments;

    LazyRowOptimizer(int moments) {
        this.moments = moments;
    }

    /** Touched rows of a sparse array per block of a parallel step. */
    private static final int ROW_BLOCK = 256;
    /** Calls of {@link #step}: no row has taken more steps than this. */
    private int calls;

    @Override
    public final void step(List<ParamArray> params) {
        step(params, null);
    }

    @Override
    public final void step(List<ParamArray> params, Parallel pool) {
        step(params, pool, false);
    }

    /** The step, each row's gradient cleared by its own update (one pass over the gradient, not two). */
    @Override
    public final void stepAndZeroGrad(List<ParamArray> params, Parallel pool) {
        step(params, pool, true);
        for (ParamArray p : params) {
            p.forgetTouched();
        }
    }

    private void step(List<ParamArray> params, Parallel pool, boolean clear) {
        beforeStep(++calls);
        for (ParamArray p : params) {
            State s = states.computeIfAbsent(p, q -> new State(q, moments));
            float[] x = p.value();
            if (!p.isSparse()) {
                update(x, p.grad(), s, 0, p.size(), ++s.steps[0], clear);
                continue;
            }
            if (p.factoredGrad() != null && stepsFactored()) {
                factoredStep(p, p.factoredGrad(), s, pool);
                continue;
            }
            float[] g = p.grad(); // a factored gradient the optimiser cannot step along is written out here
            int cols = p.cols();
            p.sortTouched(); // address order: the same updates, streamed
            int n = p.numTouched();
            int[] rows = p.touchedRows();
            // Runs of consecutive rows at the same step number are one span, one update call: the
            // update is element-wise, so the span gives each element the bits the row-by-row calls
            // gave; a factored latent layer touches an entity's K rows together (K = 10 rows of 25
            // floats on ML-1M), and 25-float calls spent a third of their lanes on overlapping tails
            Parallel.BlockTask rowsStep = (blk, lo, hi) -> {
                for (int k = lo; k < hi; ) {
                    int r = rows[k];
                    int t = ++s.steps[r];
                    int end = k + 1;
                    while (end < hi && rows[end] == rows[end - 1] + 1 && s.steps[rows[end]] + 1 == t) {
                        s.steps[rows[end]] = t;
                        end++;
                    }
                    update(x, g, s, r * cols, (rows[end - 1] + 1) * cols, t, clear);
                    k = end;
                }
            };
            if (pool == null || pool.threads() == 1 || n <= ROW_BLOCK) {
                rowsStep.run(0, 0, n);
            } else { // the rows are distinct and each update reads and writes its own row only
                pool.forBlocks(n, ROW_BLOCK, rowsStep);
            }
        }
    }

    /**
     * The step along a factored gradient ({@link ParamArray.FactoredGrad}): entity by entity, its
     * rows at the same step number in one {@link #updateRank1} call, so the gradient array is
     * neither written, read nor cleared. Entities in parallel blocks (each updates its own rows).
     */
    private void factoredStep(ParamArray p, ParamArray.FactoredGrad f, State s, Parallel pool) {
        float[] x = p.value();
        int cols = p.cols();
        int blk = f.block();
        int[] ent = f.entities();
        Parallel.BlockTask slotsStep = (b, lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                int r0 = ent[q] * blk;
                for (int c = 0; c < blk; ) {
                    int t = ++s.steps[r0 + c];
                    int end = c + 1;
                    while (end < blk && s.steps[r0 + end] + 1 == t) {
                        s.steps[r0 + end] = t;
                        end++;
                    }
                    updateRank1(x, s, (r0 + c) * cols, end - c, cols, f, q, c, t);
                    c = end;
                }
            }
        };
        if (pool == null || pool.threads() == 1 || f.rows() <= ROW_BLOCK) {
            slotsStep.run(0, 0, f.count());
        } else {
            pool.forBlocks(f.count(), Math.max(1, ROW_BLOCK / blk), slotsStep);
        }
    }

    /** Whether {@link #updateRank1} steps along a factored gradient; otherwise it is written out first and stepped row-wise. */
    boolean stepsFactored() {
        return false;
    }

    /**
     * Updates {@code rows} rows of {@code cols} elements of {@code x} from {@code from}, rows
     * {@code c0 ..} of slot {@code q} of the factored gradient {@code f}, at step number {@code t},
     * with the bits of {@link #update} on the written-out gradient. Only called when
     * {@link #stepsFactored}.
     */
    void updateRank1(float[] x, State s, int from, int rows, int cols, ParamArray.FactoredGrad f, int q, int c0, int t) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no rank-one step");
    }

    /**
     * Called (on the calling thread) before each step: no row's step number in it exceeds
     * {@code maxStep}, so a subclass can prepare per-step-number constants here.
     */
    void beforeStep(int maxStep) {
    }

    /** Steps taken by row {@code row} of {@code p} (any row of a dense array: its step count); 0 if never stepped. */
    public final int steps(ParamArray p, int row) {
        State s = states.get(p);
        if (s == null) {
            return 0;
        }
        return s.steps[p.isSparse() ? row : 0];
    }

    /**
     * Updates elements {@code [from, to)} of {@code x} along {@code g}; {@code t} is the row's step
     * number (1 for the first); with {@code clear}, sets those elements of {@code g} to 0 once read.
     */
    abstract void update(float[] x, float[] g, State s, int from, int to, int t, boolean clear);
}
