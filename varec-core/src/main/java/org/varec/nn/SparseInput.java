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
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk0, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = r * out;
                if (bv != null) {
                    System.arraycopy(bv, 0, y, yr, out);
                } else {
                    java.util.Arrays.fill(y, yr, yr + out, 0f);
                }
                k.gatherRows(wv, out, indices, values, offsets[r], offsets[r + 1], 1, null, 1f, y, yr);
            }
        });
    }

    /**
     * The layer over a <b>block input</b> (VAE-BMF's latent input): entry {@code p} of row r stands
     * for the {@code blk} inputs {@code indices[p] blk + f}, {@code f < blk}, with values
     * {@code table[indices[p] blk + f] * scale[r]} ({@code scale} null: 1), i.e.
     * <pre>
     *   out[r] = bias + scale[r] sum_p P[indices[p]],    P[e] = sum_f table[e blk + f] W[e blk + f]
     * </pre>
     * the layer over the expanded CSR ({@code blk} entries per entry), which is never formed.
     *
     * <p><b>Factored.</b> The table does not depend on the row, so an entity's block product
     * {@code P[e]} ({@code blk x out} fmas) is computed once per call for each distinct entity of the
     * batch, in parallel over those entities, and each row then sums {@code out}-wide rows of P: on
     * ML-1M a batch of 100 users names each of its ~2,500 items about 4 times, so this does about a
     * third of the expanded form's fmas. Float sums in a fixed order (P's in f order, a row's in entry
     * order; a block product as two chains, {@link KernelBackend#blockProduct}), so any thread count
     * gives the same bits; they differ from the expanded form's in the
     * last bits (rounding of a different but equal sum). Not for concurrent calls on one layer (the
     * factored form keeps scratch arrays).
     */
    public void forwardBlocks(int[] offsets, int[] indices, int blk, float[] table, float[] scale, int batch,
                              float[] y, Parallel pool) {
        checkBlocks(blk);
        int nd = distinct(offsets, indices, batch, blk);
        float[] wv = w.value();
        float[] bv = b == null ? null : b.value();
        float[] pr = scratch(nd);
        int[] ent = distinct;
        KernelBackend k = Kernels.BACKEND;
        pool.forBlocks(nd, DISTINCT_BLOCK, (blk0, from, to) -> {
            for (int s = from; s < to; s++) {
                k.blockProduct(wv, out, ent[s] * blk, blk, table, pr, s * out);
            }
        });
        int[] slots = slotOfEntry;
        int base = offsets[0];
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk0, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = r * out;
                java.util.Arrays.fill(y, yr, yr + out, 0f);
                k.gatherRows(pr, out, slots, null, offsets[r] - base, offsets[r + 1] - base, 1, null, 1f, y, yr);
                float sc = scale == null ? 1f : scale[r];
                for (int j = 0; j < out; j++) {
                    y[yr + j] = bv == null ? sc * y[yr + j] : Math.fma(sc, y[yr + j], bv[j]);
                }
            }
        });
    }

    /** Distinct entities of the factored block form per block of a parallel loop. */
    private static final int DISTINCT_BLOCK = 64;
    /** Scratch of the factored block form: slot of each entity (-1: none), the batch's distinct entities in ascending order, each entry's slot, and the per-slot rows. */
    private int[] slotOf;
    private int[] distinct;
    private int[] slotOfEntry;
    private float[] perSlot;
    /** The factored gradient's arrays (read by the optimiser after the backward pass, so not shared with the scratch above). */
    private float[] gradDir;
    private float[] gradCoef;
    private int[] gradEnt;

    /**
     * Numbers the distinct entities of the batch's entries in ascending order (so that the block
     * products, the gradient rows and, through the touched order, the optimiser stream the weights
     * in address order): fills {@link #distinct} ({@code [0, nd)}) and {@link #slotOfEntry}
     * ({@code p - offsets[0]}), and returns nd; leaves {@link #slotOf} all -1.
     */
    private int distinct(int[] offsets, int[] indices, int batch, int blk) {
        int entities = inputs / blk;
        if (slotOf == null || slotOf.length != entities) {
            slotOf = new int[entities];
            java.util.Arrays.fill(slotOf, -1);
        }
        int base = offsets[0];
        int n = offsets[batch] - base;
        if (slotOfEntry == null || slotOfEntry.length < n) {
            slotOfEntry = new int[Math.max(n, 16)];
        }
        if (distinct == null) {
            distinct = new int[Math.min(entities, 1024)];
        }
        int nd = 0;
        for (int p = 0; p < n; p++) {
            int e = indices[base + p];
            if (slotOf[e] < 0) {
                if (nd == distinct.length) {
                    distinct = java.util.Arrays.copyOf(distinct, Math.min(entities, 2 * nd));
                }
                slotOf[e] = 0;
                distinct[nd++] = e;
            }
        }
        if (nd > entities / 16) { // most entities: one scan of the marks
            int s = 0;
            for (int e = 0; e < entities; e++) {
                if (slotOf[e] >= 0) {
                    distinct[s++] = e;
                }
            }
        } else {
            java.util.Arrays.sort(distinct, 0, nd);
        }
        for (int s = 0; s < nd; s++) {
            slotOf[distinct[s]] = s;
        }
        for (int p = 0; p < n; p++) {
            slotOfEntry[p] = slotOf[indices[base + p]];
        }
        for (int s = 0; s < nd; s++) {
            slotOf[distinct[s]] = -1;
        }
        return nd;
    }

    private float[] scratch(int nd) {
        if (perSlot == null || perSlot.length < nd * out) {
            perSlot = new float[Math.max(nd, 64) * out];
        }
        return perSlot;
    }

    /**
     * Rows per block of a backward pass whose every block scans the whole batch: cut by the thread
     * count (one block, one scan, on one thread; two per thread for balance otherwise), not by the
     * shapes, since each block pays a full scan.
     */
    private static int scanBlock(int n, Parallel pool) {
        int parts = pool.threads() == 1 ? 1 : 2 * pool.threads();
        return Math.max(1, (n + parts - 1) / parts);
    }

    private void checkBlocks(int blk) {
        if (blk < 1 || inputs % blk != 0) {
            throw new IllegalArgumentException(w.name() + ": " + inputs + " inputs are not blocks of " + blk);
        }
    }

    /** {@code W[indices[p]] += values[p] dOut[r]} (touching the rows) and {@code bias += colsum(dOut)}. */
    public void backward(int[] offsets, int[] indices, float[] values, float[] dOut, int batch, Parallel pool) {
        int end = offsets[batch];
        for (int p = offsets[0]; p < end; p++) {
            w.touch(indices[p]);
        }
        float[] g = w.grad();
        KernelBackend k = Kernels.BACKEND;
        // Each block of W rows scans the batch's entries in order and takes those in its rows, so a row
        // hit by several entries gets them in batch order: the same bits for any partition
        pool.forBlocks(inputs, scanBlock(inputs, pool), (blk0, lo, hi) -> {
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

    /**
     * The gradients of {@link #forwardBlocks} (same arguments), factored likewise: for each distinct
     * entity e of the batch {@code D[e] = sum_(r, p: indices[p] = e) scale[r] dOut[r]} (entries in
     * batch order), then {@code W[e blk + f] += table[e blk + f] D[e]}: one {@code out}-wide axpy
     * per entry and {@code blk} per distinct entity instead of {@code blk} per entry. Rows are
     * touched in ascending order (the expanded form touches the same rows in order of first entry);
     * any thread count gives the same bits. When W has no gradient yet the gradient is left
     * factored ({@link ParamArray#setFactoredGrad}): an optimiser steps along it without the
     * gradient array, and {@link ParamArray#grad} writes it out with the same bits. The layer's
     * next {@code backwardBlocks} reuses its arrays: use the gradient up before then.
     */
    public void backwardBlocks(int[] offsets, int[] indices, int blk, float[] table, float[] scale, float[] dOut,
                               int batch, Parallel pool) {
        checkBlocks(blk);
        int nd = distinct(offsets, indices, batch, blk);
        int[] ent = distinct;
        int[] slots = slotOfEntry;
        int base = offsets[0];
        // W without a gradient yet (the usual case: one backward per step): the gradient stays
        // factored, table[e blk + f] D[e], until the optimiser reads it (ParamArray.FactoredGrad)
        boolean factor = w.numTouched() == 0 && w.factoredGrad() == null;
        float[] d;
        float[] coef;
        int[] ents;
        if (factor) {
            if (gradEnt == null || gradEnt.length < nd) {
                gradEnt = new int[Math.max(nd, 64)];
                gradDir = new float[gradEnt.length * out];
            }
            if (gradCoef == null || gradCoef.length < nd * blk) {
                gradCoef = new float[gradEnt.length * blk];
            }
            d = gradDir;
            coef = gradCoef;
            ents = gradEnt;
            System.arraycopy(ent, 0, ents, 0, nd);
        } else {
            for (int s = 0; s < nd; s++) {
                w.touchRows(ent[s] * blk, blk);
            }
            d = scratch(nd);
            coef = null;
            ents = null;
        }
        float[] g = factor ? null : w.grad();
        KernelBackend k = Kernels.BACKEND;
        // Each block of slots scans the batch's entries in order and takes those in its slots, so a slot
        // gets its entries in batch order whatever the partition
        pool.forBlocks(nd, scanBlock(nd, pool), (blk0, lo, hi) -> {
            java.util.Arrays.fill(d, lo * out, hi * out, 0f);
            for (int r = 0; r < batch; r++) {
                float sc = scale == null ? 1f : scale[r];
                for (int p = offsets[r] - base; p < offsets[r + 1] - base; p++) {
                    int s = slots[p];
                    if (s >= lo && s < hi) {
                        k.axpy(sc, dOut, r * out, d, s * out, out);
                    }
                }
            }
            for (int s = lo; s < hi; s++) {
                int i0 = ent[s] * blk;
                if (coef != null) {
                    System.arraycopy(table, i0, coef, s * blk, blk);
                    continue;
                }
                for (int f = 0; f < blk; f++) {
                    k.axpy(table[i0 + f], d, s * out, g, (i0 + f) * out, out);
                }
            }
        });
        if (factor) {
            w.setFactoredGrad(new ParamArray.FactoredGrad(ents, nd, blk, coef, d));
        }
        if (b != null) {
            Kernels.addBiasGradient(dOut, b.grad(), batch, out, pool);
        }
    }
}
