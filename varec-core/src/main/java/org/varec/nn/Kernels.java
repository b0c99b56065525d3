package org.varec.nn;

import org.varec.util.Parallel;

/**
 * Dense batch kernels of the networks, over row-major {@code float[]} matrices: the affine map of a
 * dense layer and its three gradients, column sums, element-wise activations, and dot/axpy helpers.
 *
 * <p><b>Layout.</b> A batch {@code X} of {@code batch} rows of {@code in} floats is
 * {@code x[r * in + i]}; a weight matrix {@code W} of a layer from {@code in} to {@code out} units
 * is {@code in x out}, {@code w[i * out + o]} (row i holds the weights leaving input i, which is
 * also the row an embedding or sparse-input layer reads for input i); a bias is {@code out} floats.
 * All arrays start at index 0 and may be longer than needed.
 *
 * <p><b>Precision.</b> Storage and accumulation are float: every output element is a chain of
 * single-rounding fused multiply-adds in increasing order of the summation index (a relative
 * error of about {@code sqrt(k) * 2^-24} for a sum of k terms, 1e-6 at k = 1024), which is well
 * below the noise of a stochastic gradient; double accumulation would halve the width of every
 * vector instruction and need a conversion per element. Sums whose value matters beyond a
 * gradient step (losses, norms, ELBO terms) are taken in double by their callers.
 *
 * <p><b>Determinism.</b> Work is cut into blocks whose boundaries depend only on the shapes (batch
 * rows for outputs and input gradients, weight rows for weight gradients, columns for column
 * sums), and each output element is computed by exactly one block in a fixed order. So results
 * are the same bits for every thread count, and, for the matrix products, column sums and
 * {@code axpy}, for the Vector API and the scalar implementation alike (see {@link KernelBackend}).
 *
 * <p><b>Implementation.</b> {@link VectorKernels} (JDK Vector API) when the
 * {@code jdk.incubator.vector} module is present in the boot layer and the system property
 * {@code varec.nn.vector} is not {@code false}, else {@link ScalarKernels}; chosen once, when this
 * class is initialised ({@link #vectorized()} says which).
 */
public final class Kernels {
    /** Batch rows per block of the forward pass and the input gradient (a multiple of the 4-row tile). */
    static final int ROW_BLOCK = 64;
    /** Columns per block of column sums. */
    static final int COLUMN_BLOCK = 1024;
    /** Elements per block of element-wise operations. */
    static final int ELEMENT_BLOCK = 16384;
    /**
     * Multiply-adds below which a call runs on the calling thread ({@link Parallel#orSerialBelow}):
     * the small products of VAE-BMF's heads and attention (a batch of 100 rows, widths 10-50) cost
     * less than the hand-off to another thread.
     */
    public static final long MIN_PARALLEL_WORK = 1L << 16;

    static final KernelBackend BACKEND = chooseBackend();

    private Kernels() {
    }

    private static KernelBackend chooseBackend() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("varec.nn.vector"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // by name, so that nothing links against the incubator module when it is absent
                return (KernelBackend) Class.forName("org.varec.nn.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarKernels();
            }
        }
        return new ScalarKernels();
    }

    /** Whether the Vector API implementation is in use. */
    public static boolean vectorized() {
        return !(BACKEND instanceof ScalarKernels);
    }

    /** The backend for tests: the Vector API one when {@code vector} and available, else the scalar one. */
    static KernelBackend backend(boolean vector) {
        return vector ? BACKEND : new ScalarKernels();
    }

    /**
     * Adam's element update over {@code [from, to)} of a parameter array {@code x} with gradient
     * {@code g} and moments {@code m}, {@code v} (see {@link KernelBackend#adam}; the same bits for
     * both implementations), clearing {@code g} there when {@code clear}. For
     * {@code org.varec.optim.ParamAdam}.
     */
    public static void adam(float[] x, float[] g, float[] m, float[] v, int from, int to, float b1, float om1,
                            float b2, float om2, float stepSize, float invC2, float eps, float keep, boolean clear) {
        BACKEND.adam(x, g, m, v, from, to, b1, om1, b2, om2, stepSize, invC2, eps, keep, clear);
    }

    /** {@link KernelBackend#adamRank1}: Adam along one entity's rank-one gradient rows. For {@code org.varec.optim.ParamAdam}. */
    public static void adamRank1(float[] x, float[] m, float[] v, int from, int rows, int cols, float[] coef, int cOff,
                                 float[] dir, int dOff, float b1, float om1, float b2, float om2, float stepSize,
                                 float invC2, float eps, float keep) {
        BACKEND.adamRank1(x, m, v, from, rows, cols, coef, cOff, dir, dOff, b1, om1, b2, om2, stepSize, invC2, eps,
                keep);
    }

    /**
     * {@code Y = X W + b}: {@code y[r * out + o] = b[o] + sum_i x[r * in + i] w[i * out + o]}
     * ({@code b} may be null for no bias). Blocks of {@link #ROW_BLOCK} batch rows.
     */
    public static void affine(float[] x, float[] w, float[] b, float[] y, int batch, int in, int out, Parallel pool) {
        affine(BACKEND, x, w, b, y, batch, in, out, pool);
    }

    static void affine(KernelBackend k, float[] x, float[] w, float[] b, float[] y, int batch, int in, int out, Parallel pool) {
        pool.orSerialBelow((long) batch * in * out, MIN_PARALLEL_WORK)
                .forBlocks(batch, ROW_BLOCK, (blk, from, to) -> k.gemm(from, to, out, in, x, 0, in, 1, w, 0, y, 0, b, false));
    }

    /**
     * {@code dW += X^T dY}: {@code dw[i * out + o] += sum_r x[r * in + i] dy[r * out + o]}, the sum
     * over the batch in row order. Blocks of weight rows (about an eighth of them, a multiple of
     * four), each summing over the whole batch; a single-output layer ({@code out = 1}) is one
     * block ({@code dw^T += dy^T X}).
     */
    public static void addWeightGradient(float[] x, float[] dy, float[] dw, int batch, int in, int out, Parallel pool) {
        addWeightGradient(BACKEND, x, dy, dw, batch, in, out, pool);
    }

    static void addWeightGradient(KernelBackend k, float[] x, float[] dy, float[] dw, int batch, int in, int out, Parallel pool) {
        if (out == 1) {
            // a 1 x in product along the batch: each dw[i] is the same fma chain as in the general case
            k.gemm(0, 1, in, batch, dy, 0, 0, 1, x, 0, dw, 0, null, true);
            return;
        }
        pool.orSerialBelow((long) batch * in * out, MIN_PARALLEL_WORK)
                .forBlocks(in, weightRowBlock(in), (blk, from, to) -> k.gemm(from, to, out, batch, x, 0, 1, in, dy, 0, dw, 0, null, true));
    }

    /** Weight rows per block of {@link #addWeightGradient}: a function of the row count only. */
    static int weightRowBlock(int rows) {
        int perEighth = (rows + 7) / 8;
        return Math.max(4, (perEighth + 3) / 4 * 4);
    }

    /** {@code db += colsum(dY)}: {@code db[o] += sum_r dy[r * out + o]}, in row order. Blocks of {@link #COLUMN_BLOCK} columns. */
    public static void addBiasGradient(float[] dy, float[] db, int batch, int out, Parallel pool) {
        addBiasGradient(BACKEND, dy, db, batch, out, pool);
    }

    static void addBiasGradient(KernelBackend k, float[] dy, float[] db, int batch, int out, Parallel pool) {
        pool.orSerialBelow((long) batch * out, MIN_PARALLEL_WORK)
                .forBlocks(out, COLUMN_BLOCK, (blk, from, to) -> k.addColumnSums(dy, batch, out, from, to, db));
    }

    /**
     * {@code dX = dY W^T}: {@code dx[r * in + i] = sum_o dy[r * out + o] w[i * out + o]}, written (not
     * added). {@code wT} (at least {@code in * out} floats) receives {@code W^T} first so that the
     * product runs along contiguous rows; it is scratch, its content is not used. Blocks of
     * {@link #ROW_BLOCK} batch rows.
     */
    public static void inputGradient(float[] dy, float[] w, float[] wT, float[] dx, int batch, int in, int out, Parallel pool) {
        inputGradient(BACKEND, dy, w, wT, dx, batch, in, out, pool);
    }

    static void inputGradient(KernelBackend k, float[] dy, float[] w, float[] wT, float[] dx, int batch, int in, int out, Parallel pool) {
        float[] t = w;
        if (in > 1 && out > 1) {
            transpose(w, in, out, wT);
            t = wT;
        }
        float[] bt = t;
        pool.orSerialBelow((long) batch * in * out, MIN_PARALLEL_WORK)
                .forBlocks(batch, ROW_BLOCK, (blk, from, to) -> k.gemm(from, to, in, out, dy, 0, out, 1, bt, 0, dx, 0, null, false));
    }

    /** {@code dst = src^T}: {@code src} is {@code rows x cols}, {@code dst} becomes {@code cols x rows}. */
    public static void transpose(float[] src, int rows, int cols, float[] dst) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        dst[c * rows + r] = src[r * cols + c];
                    }
                }
            }
        }
    }

    /** {@code out[e] = f(in[e])} for {@code e < n} (in place allowed). Blocks of {@link #ELEMENT_BLOCK} elements. */
    public static void activate(Activation f, float[] in, float[] out, int n, Parallel pool) {
        activate(BACKEND, f, in, out, n, pool);
    }

    static void activate(KernelBackend k, Activation f, float[] in, float[] out, int n, Parallel pool) {
        pool.forBlocks(n, ELEMENT_BLOCK, (blk, from, to) -> k.activate(f, in, out, from, to));
    }

    /**
     * {@code dIn[e] = dOut[e] f'(in[e])} for {@code e < n}, given the forward pass's input and output
     * ({@code dIn == dOut} allowed).
     */
    public static void activationBackward(Activation f, float[] in, float[] out, float[] dOut, float[] dIn, int n, Parallel pool) {
        activationBackward(BACKEND, f, in, out, dOut, dIn, n, pool);
    }

    static void activationBackward(KernelBackend k, Activation f, float[] in, float[] out, float[] dOut, float[] dIn, int n, Parallel pool) {
        pool.forBlocks(n, ELEMENT_BLOCK, (blk, from, to) -> k.activationBackward(f, in, out, dOut, dIn, from, to));
    }

    /** {@code y[yOff + j] += alpha x[xOff + j]} for {@code j < n} (one fma per element). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        BACKEND.axpy(alpha, x, xOff, y, yOff, n);
    }

    /**
     * {@code sum_j x[xOff + j] y[yOff + j]} in float; the vector implementation sums lane by lane,
     * so the two implementations agree within float rounding, not bit for bit.
     */
    public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        return BACKEND.dot(x, xOff, y, yOff, n);
    }
}
