package org.varec.model.ncf;

import java.util.ArrayList;
import java.util.List;
import org.varec.nn.Dense;
import org.varec.nn.Layer;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * NeuMF (He et al. 2017, sec. 3.4, eq. (12)) with a linear output for ratings:
 * <pre>
 *   phi_GMF = p^G_u o q^G_i                                      (eq. (9), element-wise product)
 *   phi_MLP = a_L(W_L^T (... a_1(W_1^T [p^M_u, q^M_i] + b_1) ...) + b_L)   (eq. (10), a = ReLU)
 *   r_ui    = h^T [phi_GMF, phi_MLP] + b
 * </pre>
 * The GMF and MLP embeddings are separate (the paper's point: each tower gets the size it needs)
 * and both have K entries; a user row is {@code [p^G_u (K), p^M_u (K)]}, an item row likewise
 * ({@code width = 2K}). Without hidden layers the MLP tower is absent and the model is GMF
 * ({@code width = K}). With {@code biases} (the default) a user bias and an item bias end the rows
 * and are added to the output ({@link PairNetwork#addBiases}). Sigmoid output and log loss of the paper are replaced by the identity and
 * squared error for explicit ratings (as the VAE-BMF paper does); the output bias plays the global
 * mean.
 *
 * <p>Buffers per batch row: the MLP input {@code 2K}, the fused vector {@code K + h_L} and their
 * gradients. All element-wise work and every matrix product is blocked over batch rows on the
 * pool (the {@link org.varec.nn.Kernels} rules), so the result does not depend on the thread count.
 */
final class NeuMfNetwork extends PairNetwork {
    private static final int ROW_BLOCK = 256;
    private final int k;
    private final int width;
    /** Floats of a row the towers read ({@code 2K}, or K for GMF alone); a bias follows when {@link #biases}. */
    private final int core;
    private final boolean biases;
    private final int[] hidden;
    private final ReluTower mlp;
    private final Dense out;
    private final List<ParamArray> params;
    /** Width of the fused vector: K + h_L (K without MLP tower). */
    private final int fused;
    private int capacity;
    private float[] xm;
    private float[] dxm;
    private float[] z;
    private float[] dz;
    private float[] dh;

    /** A network over {@code params} (as made by {@link #newParams}); they are shared, not copied. */
    NeuMfNetwork(int k, int[] hidden, boolean biases, List<ParamArray> params) {
        this.k = k;
        this.hidden = hidden.clone();
        this.core = hidden.length == 0 ? k : 2 * k;
        this.biases = biases;
        this.width = core + (biases ? 1 : 0);
        this.params = List.copyOf(params);
        int expected = 2 * (hidden.length + 1);
        if (params.size() != expected) {
            throw new IllegalArgumentException("NeuMF needs " + expected + " parameter arrays, got " + params.size());
        }
        Layer[] layers = new Layer[hidden.length];
        for (int l = 0; l < hidden.length; l++) {
            layers[l] = new Dense(params.get(2 * l), params.get(2 * l + 1));
        }
        this.mlp = hidden.length == 0 ? null : new ReluTower(layers);
        this.out = new Dense(params.get(2 * hidden.length), params.get(2 * hidden.length + 1));
        this.fused = k + (hidden.length == 0 ? 0 : hidden[hidden.length - 1]);
        if (out.inputSize() != fused || out.outputSize() != 1) {
            throw new IllegalArgumentException("NeuMF output layer is " + out.inputSize() + " x " + out.outputSize());
        }
    }

    /** Zero arrays {@code ncf.mlp.l.w/b} ({@code 2K -> hidden...}) then {@code ncf.out.w/b} ({@code K + h_L -> 1}). */
    static List<ParamArray> newParams(int k, int[] hidden) {
        List<ParamArray> p = new ArrayList<>();
        int in = 2 * k;
        for (int l = 0; l < hidden.length; l++) {
            p.addAll(new Dense("ncf.mlp." + l, in, hidden[l]).params());
            in = hidden[l];
        }
        p.addAll(new Dense("ncf.out", k + (hidden.length == 0 ? 0 : in), 1).params());
        return p;
    }

    @Override
    int width() {
        return width;
    }

    @Override
    List<ParamArray> params() {
        return params;
    }

    /** He uniform before the ReLUs, Glorot uniform for the output (He et al. init their layers likewise with Xavier). */
    @Override
    void initialize(Rng rng, double mean) {
        for (int l = 0; l < hidden.length; l++) {
            new Dense(params.get(2 * l), params.get(2 * l + 1)).initHeUniform(rng);
        }
        out.initGlorotUniform(rng);
        out.bias().value()[0] = (float) mean;
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        xm = new float[Math.multiplyExact(batch, 2 * k)];
        dxm = new float[xm.length];
        z = new float[Math.multiplyExact(batch, fused)];
        dz = new float[z.length];
        dh = new float[Math.multiplyExact(batch, fused - k)];
        capacity = batch;
    }

    @Override
    void forward(float[] u, float[] v, float[] y, int batch, Parallel pool) {
        ensureCapacity(batch);
        pool.forBlocks(batch, ROW_BLOCK, (blk, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * width;
                int zo = b * fused;
                for (int j = 0; j < k; j++) {
                    z[zo + j] = u[o + j] * v[o + j];
                }
                if (mlp != null) {
                    System.arraycopy(u, o + k, xm, b * 2 * k, k);
                    System.arraycopy(v, o + k, xm, b * 2 * k + k, k);
                }
            }
        });
        if (mlp != null) {
            float[] h = mlp.forward(xm, batch, pool);
            int hl = fused - k;
            pool.forBlocks(batch, ROW_BLOCK, (blk, from, to) -> {
                for (int b = from; b < to; b++) {
                    System.arraycopy(h, b * hl, z, b * fused + k, hl);
                }
            });
        }
        out.forward(z, y, batch, pool);
        if (biases) {
            addBiases(u, v, y, batch, width, core);
        }
    }

    @Override
    void backward(float[] u, float[] v, float[] dy, float[] du, float[] dv, int batch, Parallel pool) {
        if (biases) {
            biasGradients(dy, du, dv, batch, width, core);
        }
        out.backward(z, null, dy, dz, batch, pool);
        int hl = fused - k;
        pool.forBlocks(batch, ROW_BLOCK, (blk, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * width;
                int zo = b * fused;
                for (int j = 0; j < k; j++) {
                    float g = dz[zo + j];
                    du[o + j] = g * v[o + j];
                    dv[o + j] = g * u[o + j];
                }
                if (mlp != null) {
                    System.arraycopy(dz, zo + k, dh, b * hl, hl);
                }
            }
        });
        if (mlp == null) {
            return;
        }
        mlp.backward(xm, dh, dxm, batch, pool);
        pool.forBlocks(batch, ROW_BLOCK, (blk, from, to) -> {
            for (int b = from; b < to; b++) {
                System.arraycopy(dxm, b * 2 * k, du, b * width + k, k);
                System.arraycopy(dxm, b * 2 * k + k, dv, b * width + k, k);
            }
        });
    }

    @Override
    long forwardFlops() {
        long f = k + 2L * fused; // GMF products, output layer
        int in = 2 * k;
        for (int h : hidden) {
            f += 2L * in * h + h;
            in = h;
        }
        return f;
    }
}
