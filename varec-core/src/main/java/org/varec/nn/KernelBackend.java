package org.varec.nn;

/**
 * The block-level operations behind {@link Kernels}: one implementation with the JDK Vector API
 * ({@link VectorKernels}) and one in plain Java ({@link ScalarKernels}), chosen once when
 * {@link Kernels} is initialised. Each call works on a range of rows or elements that one thread
 * owns; {@link Kernels} cuts the work into fixed blocks and hands them to the pool.
 *
 * <p>Results contract, identical for both implementations: the matrix product {@link #gemm}, the
 * column sums and {@link #axpy} compute every output element by the same sequence of float
 * operations (single-rounding fused multiply-adds {@code fma(a, b, c)}, in increasing order of the
 * summation index), so the two implementations give the same bits. {@link #dot} and the
 * transcendental activations ({@code exp}, {@code tanh}, {@code log1p}) agree within a few float
 * ulps only: a vector dot product sums lane by lane, and vector transcendentals come from the
 * JIT's vector math library, not from {@link Math}.
 */
interface KernelBackend {
    /**
     * Rows {@code [rowFrom, rowTo)} of {@code C = init + A B}: {@code C} is row-major with {@code n}
     * columns starting at {@code c[cOff]}, {@code B} row-major {@code k x n} starting at
     * {@code b[bOff]}, and {@code A(i, p) = a[aOff + i * aRowStride + p * aColStride]} (so A may be a
     * transposed view). Each element is
     * {@code c_ij = fma(A(i,k-1), B[k-1][j], ... fma(A(i,0), B[0][j], init_ij))} with
     * {@code init_ij = c_ij} when {@code accumulate}, else {@code bias[j]} when {@code bias} is not
     * null, else 0.
     */
    void gemm(int rowFrom, int rowTo, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
              float[] b, int bOff, float[] c, int cOff, float[] bias, boolean accumulate);

    /** {@code sums[j] += x[0][j] + x[1][j] + ... + x[rows-1][j]} (in that order) for {@code j} in {@code [colFrom, colTo)}; x is row-major with {@code cols} columns. */
    void addColumnSums(float[] x, int rows, int cols, int colFrom, int colTo, float[] sums);

    /** {@code y[yOff + j] = fma(alpha, x[xOff + j], y[yOff + j])} for {@code j < n}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code sum_j x[xOff + j] y[yOff + j]}, accumulated in float (lane-wise for the vector implementation). */
    float dot(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code out[e] = f(in[e])} for {@code e} in {@code [from, to)} (in place allowed). */
    void activate(Activation f, float[] in, float[] out, int from, int to);

    /**
     * {@code dIn[e] = dOut[e] * f'(in[e])} for {@code e} in {@code [from, to)}, using the forward
     * output {@code out[e] = f(in[e])} where that is cheaper ({@code dIn == dOut} allowed).
     */
    void activationBackward(Activation f, float[] in, float[] out, float[] dOut, float[] dIn, int from, int to);

    /**
     * One output row of a sparse input layer (the rows of a weight matrix gathered and summed): for
     * the entries {@code p} in {@code [from, to)} in order and, within an entry, {@code f} in
     * {@code [0, blk)} in order, with input row {@code i = idx[p] * blk + f} and weight
     * {@code a = table == null ? (val == null ? 1 : val[p]) : table[i] * scale},
     * {@code y[yOff + j] = fma(a, w[i * n + j], y[yOff + j])} for {@code j < n}. Every element is
     * the chain of fmas that {@link #axpy} called entry by entry would compute (the same bits); the
     * vector implementation keeps a strip of {@code y} in registers across all the entries instead
     * of loading and storing it per entry. {@code blk > 1} with a {@code table} is a latent input
     * (VAE-BMF): entry p stands for the {@code blk} inputs {@code idx[p] blk + f} whose values are
     * {@code table}'s row {@code idx[p]} scaled, never formed.
     */
    void gatherRows(float[] w, int n, int[] idx, float[] val, int from, int to, int blk, float[] table, float scale,
                    float[] y, int yOff);

    /**
     * One block product of a latent input (VAE-BMF, {@link SparseInput#forwardBlocks}): for
     * {@code j < n}, {@code y[yOff + j] = even + odd} where {@code even} is the chain of fmas
     * {@code fma(table[i0 + f], w[(i0 + f) n + j], .)} from 0 over the even {@code f < blk} in order
     * and {@code odd} the same over the odd {@code f}. Two chains instead of one halve the fma
     * latency each element waits for (a block is only about ten rows); both implementations give
     * the same bits.
     */
    void blockProduct(float[] w, int n, int i0, int blk, float[] table, float[] y, int yOff);

    /**
     * Adam's element update ({@code org.varec.optim.ParamAdam}) over {@code [from, to)}, in float
     * with these operations in this order (so both implementations give the same bits; no fma):
     * {@code m = b1 * m + om1 * g}, {@code v = b2 * v + (om2 * g) * g},
     * {@code x = x * keep - (stepSize * m) / (sqrt(v * invC2) + eps)} (sqrt correctly rounded;
     * {@code keep = 1 - lr wd} is decoupled weight decay, 1 for none: {@code x * 1} is {@code x}); with
     * {@code clear}, also {@code g = 0} once read (a fused step and gradient clearing: the gradient
     * is streamed once instead of again by a separate clearing pass).
     */
    void adam(float[] x, float[] g, float[] m, float[] v, int from, int to, float b1, float om1, float b2, float om2,
              float stepSize, float invC2, float eps, float keep, boolean clear);

    /**
     * {@link #adam} over {@code rows} consecutive rows of {@code cols} elements from {@code from}
     * whose gradient has rank one (a {@link ParamArray.FactoredGrad} entity): element {@code j} of
     * row {@code r} is {@code fma(coef[cOff + r], dir[dOff + j], 0)}, the bits an {@code axpy} into
     * zeros gives, computed in registers instead of read from a gradient array. The same
     * operations as {@link #adam}, so the same bits as {@link #adam} on the written-out gradient.
     */
    void adamRank1(float[] x, float[] m, float[] v, int from, int rows, int cols, float[] coef, int cOff, float[] dir,
                   int dOff, float b1, float om1, float b2, float om2, float stepSize, float invC2, float eps, float keep);
}
