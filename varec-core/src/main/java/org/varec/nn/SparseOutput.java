package org.varec.nn;

import java.util.List;
import org.varec.util.Parallel;

/**
 * A last layer read at a few columns per batch row only, e.g. an autoencoder's reconstruction of a
 * user's rating row at the items the user rated (AutoRec's loss "on observed entries only"): row
 * r of the batch asks for the outputs {@code indices[p]}, p in {@code [offsets[r], offsets[r+1])},
 * and gets
 * <pre>
 *   y[p] = b[j] + h[r] . W[j]          j = indices[p]
 * </pre>
 * so a batch costs {@code entries x in} multiply-adds, not {@code rows x outputs x in}: the full
 * reconstruction is never formed.
 *
 * <p><b>Layout.</b> W is {@code outputs x in}, one row per output unit ({@code w[j * in + k]}; the
 * transpose of a {@link Dense} layer's layout, so that an output reads one contiguous row), a
 * sparse {@link ParamArray}; the bias is {@code outputs x 1}, also sparse, so that an optimiser
 * step moves the rows the batch touched only. {@code h} is the batch's input, {@code batch x in}
 * row-major; {@code y} and {@code dy} are indexed like {@code indices}.
 *
 * <p><b>Precision and determinism.</b> Float storage and sums ({@link Kernels#dot} for an output,
 * {@link Kernels#axpy} for gradients). Forward and the input gradient run over fixed blocks of batch
 * rows; the parameter gradient over fixed blocks of W rows, each scanning the batch's entries in
 * order (as {@link SparseInput#backward}), so every element is summed in batch order whatever the
 * thread count.
 */
public final class SparseOutput {
    private final ParamArray w;
    private final ParamArray b;
    private final int outputs;
    private final int in;

    /** Zero weights {@code name.w} ({@code outputs x in}) and bias {@code name.b} ({@code outputs x 1}), both sparse. */
    public SparseOutput(String name, int in, int outputs) {
        this(ParamArray.sparse(name + ".w", outputs, in), ParamArray.sparse(name + ".b", outputs, 1));
    }

    /** Over existing arrays: {@code w} sparse {@code outputs x in}, {@code b} sparse {@code outputs x 1}. */
    public SparseOutput(ParamArray w, ParamArray b) {
        if (!w.isSparse() || !b.isSparse()) {
            throw new IllegalArgumentException(w.name() + ", " + b.name() + ": a sparse-output layer needs sparse ParamArrays");
        }
        if (b.rows() != w.rows() || b.cols() != 1) {
            throw new IllegalArgumentException("bias " + b.name() + " is " + b.rows() + " x " + b.cols() + ", expected "
                    + w.rows() + " x 1");
        }
        this.w = w;
        this.b = b;
        this.outputs = w.rows();
        this.in = w.cols();
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return outputs;
    }

    public ParamArray weights() {
        return w;
    }

    public ParamArray bias() {
        return b;
    }

    public List<ParamArray> params() {
        return List.of(w, b);
    }

    /** {@code y[p] = b[j] + h[r] . W[j]} for the entries of the {@code batch} rows. */
    public void forward(int[] offsets, int[] indices, float[] h, int batch, float[] y, Parallel pool) {
        float[] wv = w.value();
        float[] bv = b.value();
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                    int j = indices[p];
                    y[p] = bv[j] + Kernels.dot(h, r * in, wv, j * in, in);
                }
            }
        });
    }

    /**
     * Given {@code dy[p]} = d loss / d y[p]: writes {@code dh[r] = sum_p dy[p] W[j]} (if {@code dh}
     * is not null) and adds {@code W[j] += dy[p] h[r]}, {@code b[j] += dy[p]}, touching the rows.
     */
    public void backward(int[] offsets, int[] indices, float[] h, float[] dy, float[] dh, int batch, Parallel pool) {
        float[] wv = w.value();
        if (dh != null) {
            pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk, from, to) -> {
                java.util.Arrays.fill(dh, from * in, to * in, 0f);
                for (int r = from; r < to; r++) {
                    for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                        Kernels.axpy(dy[p], wv, indices[p] * in, dh, r * in, in);
                    }
                }
            });
        }
        int start = offsets[0];
        int end = offsets[batch];
        for (int p = start; p < end; p++) {
            w.touch(indices[p]);
            b.touch(indices[p]);
        }
        float[] gw = w.grad();
        float[] gb = b.grad();
        pool.forBlocks(outputs, Math.max(64, (outputs + 7) / 8), (blk, lo, hi) -> {
            for (int r = 0; r < batch; r++) {
                for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                    int j = indices[p];
                    if (j >= lo && j < hi) {
                        Kernels.axpy(dy[p], h, r * in, gw, j * in, in);
                        gb[j] += dy[p];
                    }
                }
            }
        });
    }

    /**
     * Every output of every batch row, {@code y[r * outputs + j] = b[j] + h[r] . W[j]} (a softmax over
     * all items needs them all): one dense product on the {@link Kernels}, with {@code wT} (at least
     * {@code in x outputs} floats) receiving {@code W^T} first.
     */
    public void forwardAll(float[] h, int batch, float[] y, float[] wT, Parallel pool) {
        Kernels.transpose(w.value(), outputs, in, wT);
        Kernels.affine(h, wT, b.value(), y, batch, in, outputs, pool);
    }

    /**
     * Backward of {@link #forwardAll}: {@code W += dY^T h}, {@code b += colsum(dY)} (every row
     * touched) and {@code dh = dY W} (when {@code dh} is not null).
     */
    public void backwardAll(float[] h, float[] dy, float[] dh, int batch, Parallel pool) {
        for (int j = 0; j < outputs; j++) {
            w.touch(j);
            b.touch(j);
        }
        Kernels.addWeightGradient(dy, h, w.grad(), batch, outputs, in, pool);
        Kernels.addBiasGradient(dy, b.grad(), batch, outputs, pool);
        if (dh != null) {
            Kernels.affine(dy, w.value(), null, dh, batch, outputs, in, pool);
        }
    }
}
