package org.varec.optim;

import java.util.List;
import org.varec.nn.ParamArray;
import org.varec.util.Parallel;

/**
 * A first-order optimiser over the {@link ParamArray}s of a network: {@link #step} moves every
 * array along its accumulated gradient. A sparse array moves only its touched rows, and rows that
 * are not touched keep their optimiser state as it is (lazy updates: no decay of moments or
 * momentum while a row is absent from the batches, as TensorFlow's sparse updates and the
 * existing {@link Adam} do). Each row counts its own steps; a dense array counts the steps in which
 * it was passed.
 *
 * <p>The state of an array is created the first time the array is stepped and kept by identity,
 * so different subsets of a network may be stepped at different times (NNMF alternates between
 * the network and the embeddings) and each subset keeps its own counts. {@link #step} neither
 * clears nor rescales gradients: call {@link #zeroGrad} (or {@link ParamArray#zeroGrad}) after it,
 * or take both at once with {@link #stepAndZeroGrad} (the usual case: the optimisers here clear
 * each element as they read it, one pass over the gradients instead of two), and
 * {@link GradientClipping} before it if wanted. Not thread-safe.
 */
public interface Optimizer {
    /** One step of every array in {@code params}, in list order. */
    void step(List<ParamArray> params);

    /**
     * {@link #step(List)} with the rows of each array updated on {@code pool} (the same result for
     * every thread count: each row's update depends on that row alone). By default serial.
     */
    default void step(List<ParamArray> params, Parallel pool) {
        step(params);
    }

    /**
     * {@link #step(List, Parallel)} then {@link #zeroGrad}: the same parameters, optimiser state and
     * cleared gradients and touched sets. By default exactly that; implementations may fuse the two.
     */
    default void stepAndZeroGrad(List<ParamArray> params, Parallel pool) {
        step(params, pool);
        zeroGrad(params);
    }

    /** {@link #stepAndZeroGrad(List, Parallel)} on the calling thread. */
    default void stepAndZeroGrad(List<ParamArray> params) {
        stepAndZeroGrad(params, null);
    }

    /** Clears the gradients (and touched sets) of every array. */
    static void zeroGrad(List<ParamArray> params) {
        for (ParamArray p : params) {
            p.zeroGrad();
        }
    }
}
