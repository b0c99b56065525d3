package org.varec.nn;

import java.util.List;
import org.varec.util.Parallel;

/**
 * A first layer whose input rows are sparse, e.g. a user's row of ratings (AutoRec, Mult-VAE): row
 * b of the batch is given in CSR form, entries {@code p} in {@code [offsets[b], offsets[b+1])} with
 * input index {@code indices[p]} and value {@code values[p]} (or 1 when {@code values} is null), and
 * <pre>
 *   out[b] = bias + sum_p values[p] W[indices[p]]
 * </pre>
 * the sum of the weight rows of the row's non-zeros: {@code x W} without forming {@code x}. W is
 * {@code inputs x out} ({@code w[i * out + o]}, a sparse {@link ParamArray}), bias {@code 1 x out}
 * (dense, or null).
 *
 * <p>Forward runs over blocks of batch rows; each output row is the bias plus the rows in entry
 * order, one fma per element. Backward {@code W[indices[p]] += values[p] dOut[b]} touches the rows
 * on the calling thread, then adds over fixed blocks of W rows, each scanning the batch's entries
 * in order, so a row hit by several entries gets them in batch order whatever the threads. No input
 * gradient (the input is data). Float storage and sums.
 */
public final class SparseInput {
    private final ParamArray w;
    private final ParamArray b;
    private final int inputs;
    private final int out;

    /** Zero weights {@code name.w} (sparse, {@code inputs x out}) and bias {@code name.b}. */
    public SparseInput(String name, int inputs, int out) {
        this(ParamArray.sparse(name + ".w", inputs, out), ParamArray.dense(name + ".b", 1, out));
    }

    /** Over existing arrays: {@code w} sparse {@code inputs x out}, {@code b} {@code 1 x out} or null. */
    public SparseInput(ParamArray w, ParamArray b) {
        if (!w.isSparse()) {
            throw new IllegalArgumentException(w.name() + ": the weights of a sparse-input layer must be a sparse ParamArray");
        }
        if (b != null && (b.rows() != 1 || b.cols() != w.cols())) {
            throw new IllegalArgumentException("bias " + b.name() + " is " + b.rows() + " x " + b.cols() + ", expected 1 x " + w.cols());
        }
        this.w = w;
        this.b = b;
        this.inputs = w.rows();
        this.out = w.cols();
    }

    public int inputSize() {
        return inputs;
    }

    public int outputSize() {
        return out;
    }

    public ParamArray weights() {
        return w;
    }

    /** The bias, or null. */
    public ParamArray bias() {
        return b;
    }

    public List<ParamArray> params() {
        return b == null ? List.of(w) : List.of(w, b);
    }

    /** {@code out[r] = bias + sum_p values[p] W[indices[p]]} for the {@code batch} rows of the CSR input. */
    public void forward(int[] offsets, int[] indices, float[] values, int batch, float[] y, Parallel pool) {
        forward(offsets, indices, values, 1, null, null, batch, y, pool);
    }

    /**
     * The layer over a <b>block input</b> (VAE-BMF's latent input): entry {@code p} of row r stands
     * for the {@code blk} inputs {@code indices[p] blk + f}, {@code f < blk}, with values
     * {@code table[indices[p] blk + f] * scale[r]} ({@code scale} null: 1), i.e.
     * <pre>
     *   out[r] = bias + sum_p sum_f scale[r] table[indices[p] blk + f] W[indices[p] blk + f]
     * </pre>
     * the same bits as {@link #forward(int[], int[], float[], int, float[], Parallel)} on the
     * expanded CSR ({@code blk} entries per entry, in f order), which is never formed.
     */
    public void forwardBlocks(int[] offsets, int[] indices, int blk, float[] table, float[] scale, int batch,
                              float[] y, Parallel pool) {
        forward(offsets, indices, null, blk, table, scale, batch, y, pool);
    }

    private void forward(int[] offsets, int[] indices, float[] values, int blk, float[] table, float[] scale,
                         int batch, float[] y, Parallel pool) {
        checkBlocks(blk);
        float[] wv = w.value();
        float[] bv = b == null ? null : b.value();
        KernelBackend k = Kernels.BACKEND;
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk0, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = r * out;
                if (bv != null) {
                    System.arraycopy(bv, 0, y, yr, out);
                } else {
                    java.util.Arrays.fill(y, yr, yr + out, 0f);
                }
                k.gatherRows(wv, out, indices, values, offsets[r], offsets[r + 1], blk, table,
                        scale == null ? 1f : scale[r], y, yr);
            }
        });
    }

    private void checkBlocks(int blk) {
        if (blk < 1 || inputs % blk != 0) {
            throw new IllegalArgumentException(w.name() + ": " + inputs + " inputs are not blocks of " + blk);
        }
    }

    /** {@code W[indices[p]] += values[p] dOut[r]} (touching the rows) and {@code bias += colsum(dOut)}. */
    public void backward(int[] offsets, int[] indices, float[] values, float[] dOut, int batch, Parallel pool) {
        backward(offsets, indices, values, 1, null, null, dOut, batch, pool);
    }

    /** The gradients of {@link #forwardBlocks} (same arguments). */
    public void backwardBlocks(int[] offsets, int[] indices, int blk, float[] table, float[] scale, float[] dOut,
                               int batch, Parallel pool) {
        backward(offsets, indices, null, blk, table, scale, dOut, batch, pool);
    }

    private void backward(int[] offsets, int[] indices, float[] values, int blk, float[] table, float[] scale,
                          float[] dOut, int batch, Parallel pool) {
        checkBlocks(blk);
        int end = offsets[batch];
        for (int p = offsets[0]; p < end; p++) {
            int i0 = indices[p] * blk;
            for (int f = 0; f < blk; f++) {
                w.touch(i0 + f);
            }
        }
        float[] g = w.grad();
        KernelBackend k = Kernels.BACKEND;
        // Each block of W rows scans the batch's entries in order and takes those in its rows, so a row
        // hit by several entries gets them in batch order: the same bits for any partition, which is
        // therefore cut by the thread count (one block, one scan, on one thread; a few per thread for
        // balance otherwise), not by the shapes.
        int entries = inputs / blk;
        int parts = pool.threads() == 1 ? 1 : 2 * pool.threads();
        pool.forBlocks(entries, Math.max(1, (entries + parts - 1) / parts), (blk0, lo, hi) -> {
            for (int r = 0; r < batch; r++) {
                float sc = scale == null ? 1f : scale[r];
                for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                    int e = indices[p];
                    if (e >= lo && e < hi) {
                        int i0 = e * blk;
                        for (int f = 0; f < blk; f++) {
                            int i = i0 + f;
                            float a = table == null ? (values == null ? 1f : values[p]) : table[i] * sc;
                            k.axpy(a, dOut, r * out, g, i * out, out);
                        }
                    }
                }
            }
        });
        if (b != null) {
            Kernels.addBiasGradient(dOut, b.grad(), batch, out, pool);
        }
    }
}
