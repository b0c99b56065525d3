package org.varec.nn;

import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * An embedding table: {@code rows x dim} floats ({@code table[r * dim + c]}), a sparse
 * {@link ParamArray}. {@link #forward} copies the rows of a batch of indices into a dense batch
 * (possibly into a column slice of a wider row, to build a concatenated input without a copy);
 * {@link #backward} adds each batch row's gradient into its table row and {@link ParamArray#touch
 * touches} it, so clearing and optimiser steps cost the touched rows only.
 *
 * <p>Backward runs on the calling thread, batch rows in order: a table row hit twice in a batch
 * receives its two gradients in batch order, so the result never depends on threads. Float
 * storage and sums.
 */
public final class Embedding {
    private final ParamArray table;
    private final int dim;

    /** A zero table {@code name} of {@code rows x dim}. */
    public Embedding(String name, int rows, int dim) {
        this(ParamArray.sparse(name, rows, dim));
    }

    /** An embedding over an existing table (sparse, so that backward can track touched rows). */
    public Embedding(ParamArray table) {
        if (!table.isSparse()) {
            throw new IllegalArgumentException(table.name() + ": an embedding table must be a sparse ParamArray");
        }
        this.table = table;
        this.dim = table.cols();
    }

    public ParamArray table() {
        return table;
    }

    public int rows() {
        return table.rows();
    }

    public int dim() {
        return dim;
    }

    /** Entries {@code N(0, sd^2)} drawn in row-major order. */
    public Embedding initNormal(double sd, Rng rng) {
        float[] v = table.value();
        for (int e = 0; e < v.length; e++) {
            v[e] = (float) (sd * rng.nextGaussian());
        }
        return this;
    }

    /** {@code out[b * dim + c] = table[idx[idxOff + b]][c]} for {@code b < batch}. */
    public void forward(int[] idx, int idxOff, int batch, float[] out, Parallel pool) {
        forward(idx, idxOff, batch, out, 0, dim, pool);
    }

    /**
     * {@code out[b * outStride + outOff + c] = table[idx[idxOff + b]][c]}: row b of the batch is
     * written at column {@code outOff} of a row of {@code outStride} floats.
     */
    public void forward(int[] idx, int idxOff, int batch, float[] out, int outOff, int outStride, Parallel pool) {
        float[] v = table.value();
        pool.forBlocks(batch, Kernels.ROW_BLOCK * 4, (blk, from, to) -> {
            for (int b = from; b < to; b++) {
                System.arraycopy(v, idx[idxOff + b] * dim, out, b * outStride + outOff, dim);
            }
        });
    }

    /** {@code grad[idx[idxOff + b]] += dOut[b]} (rows of {@code dim}), touching the rows. */
    public void backward(int[] idx, int idxOff, int batch, float[] dOut) {
        backward(idx, idxOff, batch, dOut, 0, dim);
    }

    /** As {@link #backward(int[], int, int, float[])} with the gradient of row b at {@code dOut[b * dOutStride + dOutOff]}. */
    public void backward(int[] idx, int idxOff, int batch, float[] dOut, int dOutOff, int dOutStride) {
        float[] grad = table.grad();
        for (int b = 0; b < batch; b++) {
            int r = idx[idxOff + b];
            table.touch(r);
            int gr = r * dim;
            int dr = b * dOutStride + dOutOff;
            for (int c = 0; c < dim; c++) {
                grad[gr + c] += dOut[dr + c];
            }
        }
    }
}
