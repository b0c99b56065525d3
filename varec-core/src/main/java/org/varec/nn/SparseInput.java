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
        float[] wv = w.value();
        float[] bv = b == null ? null : b.value();
        KernelBackend k = Kernels.BACKEND;
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = r * out;
                if (bv != null) {
                    System.arraycopy(bv, 0, y, yr, out);
                } else {
                    java.util.Arrays.fill(y, yr, yr + out, 0f);
                }
                for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                    k.axpy(values == null ? 1f : values[p], wv, indices[p] * out, y, yr, out);
                }
            }
        });
    }

    /** {@code W[indices[p]] += values[p] dOut[r]} (touching the rows) and {@code bias += colsum(dOut)}. */
    public void backward(int[] offsets, int[] indices, float[] values, float[] dOut, int batch, Parallel pool) {
        int end = offsets[batch];
        for (int p = offsets[0]; p < end; p++) {
            w.touch(indices[p]);
        }
        float[] g = w.grad();
        KernelBackend k = Kernels.BACKEND;
        pool.forBlocks(inputs, Math.max(64, (inputs + 7) / 8), (blk, lo, hi) -> {
            for (int r = 0; r < batch; r++) {
                for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                    int i = indices[p];
                    if (i >= lo && i < hi) {
                        k.axpy(values == null ? 1f : values[p], dOut, r * out, g, i * out, out);
                    }
                }
            }
        });
        if (b != null) {
            Kernels.addBiasGradient(dOut, b.grad(), batch, out, pool);
        }
    }
}
