package org.varec.nn;

import java.util.List;
import org.varec.util.Parallel;

/**
 * Attention of a query over a set of fixed vectors, then a linear map of the query and the
 * attention vector back to the query's width (VAE-BMF paper, sec. 3.4, eqs. (9)-(10)). For batch
 * row r with query {@code q} ({@code K} floats) and the set {@code S_r} of rows of a table
 * {@code V} ({@code n x K}, row-major; the set is given in CSR form, {@code offsets}/{@code indices}):
 * <pre>
 *   s_j = q Theta v_j^T                       (j in S_r; Theta is K x K)
 *   a_j = exp(s_j) / sum_(j' in S_r) exp(s_j')  (softmax over the set)
 *   c   = sum_(j in S_r) a_j v_j               (eq. 10)
 *   y   = [q, c] W + b                         (W is 2K x K, b is 1 x K: the paper's "linear layer on top")
 * </pre>
 * An empty set gives {@code c = 0}. Optionally each set entry carries a fixed weight {@code w_j}
 * (data, e.g. the row's centred rating of entry j) that scales its value: {@code c = sum_j a_j w_j v_j}
 * (the scores and the softmax are unchanged; {@code null} weights are 1, eq. (10) as written).
 *
 * <p><b>Why a softmax.</b> Eq. (9) normalises the raw scores by their sum, {@code a_j = s_j / sum s},
 * which is undefined when the sum is zero and changes sign with it (the scores are dot products
 * of any sign), so the "weights" can be huge and of either sign. The softmax is the standard
 * well-defined normalisation of attention scores (Bahdanau et al. 2015; Vaswani et al. 2017):
 * positive weights summing to one, a smooth function of the scores, the same order of the
 * weights as eq. (9) wherever that is positive. The table {@code V} is data here (the other
 * side's current samples, the latent inputs): no gradient flows into it.
 *
 * <p><b>Backward</b> with {@code g = dy}: {@code dW += [q, c]^T g}, {@code db += g},
 * {@code [dq, dc] = g W^T}, {@code da_j = w_j dc . v_j}, {@code ds_j = a_j (da_j - sum_j' a_j' da_j')},
 * {@code dt = sum_j ds_j v_j} with {@code t = q Theta}, {@code dTheta += q^T dt} and
 * {@code dq += dt Theta^T}.
 *
 * <p>Layout and precision as {@link Kernels}: float storage; the softmax is taken in double with
 * the largest score subtracted (no overflow). Work is split over fixed blocks of batch rows; the
 * weight gradients use the kernels' fixed weight-row blocks, so results do not depend on the
 * thread count. The layer keeps per-batch buffers (for the largest batch seen): one thread at a
 * time.
 */
public final class Attention {
    private final int k;
    private final ParamArray theta;
    private final ParamArray w;
    private final ParamArray b;
    private final float[] wT;
    private final float[] thetaT;
    private int capacity;
    /** Per row: {@code [q, c]} (2K), {@code t = q Theta} (K), and the gradient buffers. */
    private float[] qc;
    private float[] dqc;
    private float[] dt;
    /** Attention weights of the latest forward, aligned with the set entries (relative to offsets[0]). */
    private float[] weights;
    /** {@code exp(s_j - max)} of the latest forward, computed once (it was computed twice). */
    private double[] expScores;
    /** The backward pass's {@code da_j}, computed once per entry (it was computed twice). */
    private float[] dScores;
    /**
     * Per entry, indexed like {@code indices} (absolute, not relative to offsets[0]): the factor of
     * {@code v_j} in the sum being gathered ({@code a_j w_j} forward, {@code ds_j} backward), so that
     * {@link Kernels#gatherRows} keeps the row's K-wide sum in a register across its entries (the
     * same fma chain per element as one axpy per entry, the same bits).
     */
    private float[] rowFactors;

    /** Zero {@code Theta}, and {@code W = [I; 0]}, {@code b = 0}: the layer starts as the identity {@code y = q}. */
    public Attention(String name, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("attention width must be >= 1, got " + k);
        }
        this.k = k;
        this.theta = ParamArray.dense(name + ".theta", k, k);
        this.w = ParamArray.dense(name + ".w", 2 * k, k);
        this.b = ParamArray.dense(name + ".b", 1, k);
        for (int i = 0; i < k; i++) {
            w.value()[i * k + i] = 1f;
        }
        this.wT = new float[2 * k * k];
        this.thetaT = new float[k * k];
    }

    public int width() {
        return k;
    }

    public ParamArray theta() {
        return theta;
    }

    public ParamArray weights() {
        return w;
    }

    public ParamArray bias() {
        return b;
    }

    public List<ParamArray> params() {
        return List.of(theta, w, b);
    }

    private void ensure(int batch, int entries, int end) {
        if (rowFactors == null || rowFactors.length < end) {
            rowFactors = new float[Math.max(end, 16)];
        }
        if (batch > capacity) {
            qc = new float[batch * 2 * k];
            dqc = new float[batch * 2 * k];
            dt = new float[batch * k];
            capacity = batch;
        }
        if (weights == null || weights.length < entries) {
            weights = new float[Math.max(entries, 16)];
            expScores = new double[weights.length];
            dScores = new float[weights.length];
        }
    }

    /**
     * {@code y} ({@code batch x K}) from the queries {@code q} ({@code batch x K}) and, for row r,
     * the rows {@code indices[offsets[r] .. offsets[r+1])} of {@code table} ({@code K} floats each).
     */
    public void forward(float[] q, int[] offsets, int[] indices, float[] table, float[] y, int batch, Parallel pool) {
        forward(q, offsets, indices, null, table, y, batch, pool);
    }

    /**
     * As {@link #forward(float[], int[], int[], float[], float[], int, Parallel)} with the entries'
     * value weights {@code valueWeights} (aligned with {@code indices}; null: all 1).
     */
    public void forward(float[] q, int[] offsets, int[] indices, float[] valueWeights, float[] table, float[] y,
                        int batch, Parallel pool) {
        int base = offsets[0];
        ensure(batch, offsets[batch] - base, offsets[batch]);
        float[] th = theta.value();
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk, from, to) -> {
            float[] t = new float[k];
            for (int r = from; r < to; r++) {
                int qo = r * k;
                int co = r * 2 * k;
                System.arraycopy(q, qo, qc, co, k);
                java.util.Arrays.fill(qc, co + k, co + 2 * k, 0f);
                int lo = offsets[r];
                int hi = offsets[r + 1];
                if (lo == hi) {
                    continue;
                }
                // t = q Theta
                java.util.Arrays.fill(t, 0f);
                for (int i = 0; i < k; i++) {
                    Kernels.axpy(q[qo + i], th, i * k, t, 0, k);
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int p = lo; p < hi; p++) {
                    float s = Kernels.dot(t, 0, table, indices[p] * k, k);
                    weights[p - base] = s;
                    max = Math.max(max, s);
                }
                double z = 0;
                for (int p = lo; p < hi; p++) {
                    double e = Math.exp(weights[p - base] - max);
                    expScores[p - base] = e;
                    z += e;
                }
                for (int p = lo; p < hi; p++) {
                    float a = (float) (expScores[p - base] / z);
                    weights[p - base] = a;
                    rowFactors[p] = valueWeights == null ? a : a * valueWeights[p];
                }
                Kernels.BACKEND.gatherRows(table, k, indices, rowFactors, lo, hi, 1, null, 1f, qc, co + k);
            }
        });
        Kernels.affine(qc, w.value(), b.value(), y, batch, 2 * k, k, pool);
    }

    /**
     * Adds the parameters' gradients and writes {@code dq} (may be null) from {@code dy}; the same
     * arguments as the latest {@link #forward}.
     */
    public void backward(float[] q, int[] offsets, int[] indices, float[] table, float[] dy, float[] dq, int batch,
                         Parallel pool) {
        backward(q, offsets, indices, null, table, dy, dq, batch, pool);
    }

    /** The backward pass of {@link #forward(float[], int[], int[], float[], float[], float[], int, Parallel)}. */
    public void backward(float[] q, int[] offsets, int[] indices, float[] valueWeights, float[] table, float[] dy,
                         float[] dq, int batch, Parallel pool) {
        if (batch > capacity) {
            throw new IllegalStateException("attention backward of " + batch + " rows without its forward pass");
        }
        int base = offsets[0];
        Kernels.addWeightGradient(qc, dy, w.grad(), batch, 2 * k, k, pool);
        Kernels.addBiasGradient(dy, b.grad(), batch, k, pool);
        Kernels.inputGradient(dy, w.value(), wT, dqc, batch, 2 * k, k, pool);
        pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int co = r * 2 * k;
                int to2 = r * k;
                java.util.Arrays.fill(dt, to2, to2 + k, 0f);
                int lo = offsets[r];
                int hi = offsets[r + 1];
                double mean = 0;
                for (int p = lo; p < hi; p++) {
                    float da = Kernels.dot(dqc, co + k, table, indices[p] * k, k);
                    if (valueWeights != null) {
                        da *= valueWeights[p];
                    }
                    dScores[p - base] = da;
                    mean += (double) weights[p - base] * da;
                }
                for (int p = lo; p < hi; p++) {
                    float a = weights[p - base];
                    float da = dScores[p - base];
                    rowFactors[p] = (float) (a * (da - mean));
                }
                Kernels.BACKEND.gatherRows(table, k, indices, rowFactors, lo, hi, 1, null, 1f, dt, to2);
            }
        });
        // dTheta += q^T dt
        Kernels.addWeightGradient(q, dt, theta.grad(), batch, k, k, pool);
        if (dq != null) {
            // dq = dqc[:, :K] + dt Theta^T
            Kernels.inputGradient(dt, theta.value(), thetaT, dq, batch, k, k, pool);
            pool.forBlocks(batch, Kernels.ROW_BLOCK, (blk, from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int i = 0; i < k; i++) {
                        dq[r * k + i] += dqc[r * 2 * k + i];
                    }
                }
            });
        }
    }
}
