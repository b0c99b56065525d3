package org.varec.nn;

import java.util.Arrays;

/**
 * One trainable array of a network (a weight matrix, a bias vector, an embedding table) with its
 * gradient: {@code rows x cols} floats, row-major ({@code value[r * cols + c]}). Gradients are
 * accumulated by backward passes ({@code +=}) and cleared by {@link #zeroGrad}.
 *
 * <p>A <b>sparse</b> array (an embedding table, the weight matrix of a sparse-input layer)
 * tracks which rows a batch touched ({@link #touch}), so that clearing gradients and optimiser
 * steps cost the touched rows only ({@link #touchedRows}, {@link #numTouched}); a dense array
 * counts every row as touched.
 *
 * <p>A sparse array may hold its batch gradient <b>factored</b> ({@link #setFactoredGrad}, from
 * {@link SparseInput#backwardBlocks}): row {@code e blk + f} of entity {@code e} has gradient
 * {@code coef[s blk + f] * dir[s]}. An optimiser with a rank-one step (Adam) reads it as it is
 * ({@link #factoredGrad}) and the gradient array never holds it, which saves two passes over the gradient rows (writing them,
 * then reading and clearing them) that cost a third of a VAE-BMF iteration's memory traffic;
 * anything else that asks for {@link #grad} gets it written out first (same bits).
 */
public final class ParamArray {
    private final String name;
    private final int rows;
    private final int cols;
    private final float[] value;
    private final float[] grad;
    private final boolean sparse;
    private final boolean[] isTouched;
    private int[] touched;
    private int numTouched;
    /** The pending factored gradient, or null. */
    private volatile FactoredGrad factored; // volatile: a thread that sees it cleared sees the gradient written

    /**
     * A gradient whose rows are scaled copies of a few directions: for slot {@code s < count},
     * entity {@code entities[s]} (ascending) owns rows {@code entities[s] block + f}, {@code f < block},
     * and row {@code entities[s] block + f} has gradient {@code coef[s block + f] * dir[s cols .. (s + 1) cols)},
     * computed as {@code fma(coef, dir, 0)}, the bits an {@code axpy} into a zero row gives.
     */
    public record FactoredGrad(int[] entities, int count, int block, float[] coef, float[] dir) {
        /** How many rows it covers. */
        public int rows() {
            return count * block;
        }

        /** Adds row {@code f} of slot {@code s}'s gradient ({@code cols} floats) into {@code dst} at {@code off}. */
        public void addRow(int s, int f, int cols, float[] dst, int off) {
            Kernels.BACKEND.axpy(coef[s * block + f], dir, s * cols, dst, off, cols);
        }
    }

    public ParamArray(String name, int rows, int cols, boolean sparse) {
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException(name + ": shape " + rows + " x " + cols);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.value = new float[Math.multiplyExact(rows, cols)];
        this.grad = new float[value.length];
        this.sparse = sparse;
        this.isTouched = sparse ? new boolean[rows] : null;
        this.touched = sparse ? new int[Math.min(rows, 1024)] : null;
    }

    public static ParamArray dense(String name, int rows, int cols) {
        return new ParamArray(name, rows, cols, false);
    }

    public static ParamArray sparse(String name, int rows, int cols) {
        return new ParamArray(name, rows, cols, true);
    }

    /**
     * An L2 penalty {@code coef ||W||^2} over the weight arrays of {@code params} (biases,
     * {@link #isBias}, excluded): adds {@code 2 coef W} into their gradients and returns the penalty.
     */
    public static double addWeightPenalty(java.util.List<ParamArray> params, double coef) {
        if (coef == 0) {
            return 0;
        }
        float c = (float) (2 * coef);
        double s = 0;
        for (ParamArray w : params) {
            if (w.isBias()) {
                continue;
            }
            float[] v = w.value();
            float[] g = w.grad();
            for (int e = 0; e < v.length; e++) {
                s += (double) v[e] * v[e];
                g[e] += c * v[e];
            }
        }
        return coef * s;
    }

    public String name() {
        return name;
    }

    /** Whether this is a bias array (the layers name theirs {@code *.b}): no weight penalty or decay. */
    public boolean isBias() {
        return name.endsWith(".b");
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return value.length;
    }

    public float[] value() {
        return value;
    }

    /** The gradient (a pending factored gradient is written into it first). */
    public float[] grad() {
        if (factored != null) {
            writeFactored();
        }
        return grad;
    }

    /**
     * Sets the batch gradient in factored form: only on a sparse array with no touched rows, which
     * then touches exactly the gradient's rows, in ascending order. The arrays are read (not copied)
     * until the gradient is used up ({@link #grad}, {@link #zeroGrad}, {@link #forgetTouched}): the
     * caller must leave them alone until then.
     */
    public void setFactoredGrad(FactoredGrad f) {
        if (!sparse || numTouched != 0 || factored != null) {
            throw new IllegalStateException(name + ": a factored gradient needs a sparse array without a gradient");
        }
        int blk = f.block();
        if (blk < 1 || rows % blk != 0 || f.coef().length < f.rows() || f.dir().length < f.count() * cols) {
            throw new IllegalArgumentException(name + ": factored gradient of " + f.count() + " entities of " + blk + " rows");
        }
        int[] ent = f.entities();
        for (int s = 0; s < f.count(); s++) {
            if (ent[s] < 0 || ent[s] >= rows / blk || (s > 0 && ent[s] <= ent[s - 1])) {
                throw new IllegalArgumentException(name + ": factored gradient entities must ascend within 0.." + (rows / blk - 1)
                        + ", got " + ent[s] + " at " + s);
            }
        }
        for (int s = 0; s < f.count(); s++) {
            touchRows(ent[s] * blk, blk);
        }
        factored = f;
    }

    /** The pending factored gradient (the touched rows are exactly its rows), or null. */
    public FactoredGrad factoredGrad() {
        return factored;
    }

    /**
     * Writes the pending factored gradient into {@link #grad} (whose rows are zero until then).
     * Synchronized and re-checked, so that threads asking for the gradient at once write it once.
     */
    private synchronized void writeFactored() {
        FactoredGrad f = factored;
        if (f == null) {
            return;
        }
        int blk = f.block();
        for (int s = 0; s < f.count(); s++) {
            int r0 = f.entities()[s] * blk;
            for (int q = 0; q < blk; q++) {
                f.addRow(s, q, cols, grad, (r0 + q) * cols);
            }
        }
        factored = null;
    }

    public boolean isSparse() {
        return sparse;
    }

    /** Marks row {@code r} as having a gradient in this batch (sparse arrays; a no-op for dense ones). */
    public void touch(int r) {
        if (sparse && !isTouched[r]) {
            isTouched[r] = true;
            if (numTouched == touched.length) {
                touched = Arrays.copyOf(touched, Math.min(rows, touched.length * 2));
            }
            touched[numTouched++] = r;
        }
    }

    /**
     * {@link #touch} of rows {@code first .. first + count - 1} in that order (a factored latent
     * layer touches an entity's block of rows together): one capacity check for the run.
     */
    public void touchRows(int first, int count) {
        if (!sparse) {
            return;
        }
        if (numTouched + count > touched.length) {
            touched = Arrays.copyOf(touched, Math.min(rows, Math.max(touched.length * 2, numTouched + count)));
        }
        int n = numTouched;
        for (int r = first; r < first + count; r++) {
            if (!isTouched[r]) {
                isTouched[r] = true;
                touched[n++] = r;
            }
        }
        numTouched = n;
    }

    /**
     * Rows with a gradient since the last {@link #zeroGrad}, in the order first touched (sparse
     * arrays), or in ascending order after {@link #sortTouched}.
     */
    public int[] touchedRows() {
        return touched;
    }

    /**
     * Puts the touched rows in ascending order (nothing for a dense array). An optimiser visits the
     * rows in this order: the rows of a batch are scattered over the array, and streaming value,
     * gradient and moments in address order lets the hardware prefetch them (each row's update
     * reads and writes that row only, so the order changes no result). Many rows: one scan of the
     * touched flags; few: a sort.
     */
    public void sortTouched() {
        if (!sparse || numTouched < 2) {
            return;
        }
        if (numTouched > rows / 16) {
            int k = 0;
            for (int r = 0; r < rows; r++) {
                if (isTouched[r]) {
                    touched[k++] = r;
                }
            }
        } else {
            Arrays.sort(touched, 0, numTouched);
        }
    }

    /** How many of {@link #touchedRows()} are valid; {@link #rows()} for a dense array. */
    public int numTouched() {
        return sparse ? numTouched : rows;
    }

    /** Row index of the {@code k}-th row to update: {@code touchedRows()[k]}, or {@code k} for a dense array. */
    public int touchedRow(int k) {
        return sparse ? touched[k] : k;
    }

    /**
     * Empties the touched set of a sparse array whose touched rows' gradients the caller has
     * already set to zero (an optimiser's fused step and clearing); nothing for a dense array,
     * whose gradient the caller must have cleared whole. Otherwise {@link #zeroGrad}.
     */
    public void forgetTouched() {
        if (!sparse) {
            return;
        }
        factored = null;
        for (int k = 0; k < numTouched; k++) {
            isTouched[touched[k]] = false;
        }
        numTouched = 0;
    }

    /** Clears the gradient (only the touched rows of a sparse array) and the touched set. */
    public void zeroGrad() {
        if (!sparse) {
            Arrays.fill(grad, 0f);
            return;
        }
        factored = null; // never written: its rows of grad are still zero
        for (int k = 0; k < numTouched; k++) {
            int r = touched[k];
            Arrays.fill(grad, r * cols, (r + 1) * cols, 0f);
            isTouched[r] = false;
        }
        numTouched = 0;
    }
}
