package org.varec.model.ncf;

import java.util.ArrayList;
import java.util.List;
import org.varec.nn.Conv2x2;
import org.varec.nn.Dense;
import org.varec.nn.Layer;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * ConvNCF (He et al. 2018, sec. 3) with a linear output for ratings:
 * <pre>
 *   E      = p_u q_i^T                                 (eq. (2): the K x K interaction map)
 *   E_l    = ReLU(conv_2x2,stride 2(E_(l-1)) + b_l)     (eq. (6)-(7), l = 1..L, C channels each)
 *   r_ui   = w^T E_L + b                               (eq. (8), E_L is 1 x 1 x C)
 * </pre>
 * with {@code L = log2 S} layers for a map of side S. The paper has K = 64 (a power of two); here
 * any K is allowed and the map is padded with zeros to side {@code S = } the next power of two
 * (padding cells contribute nothing and get no gradient). BPR and the sigmoid of the paper are
 * replaced by squared error and the identity (the VAE-BMF paper's change for explicit ratings).
 * With {@code biases} (the default) a user bias and an item bias end the rows and are added to the
 * output ({@link PairNetwork#addBiases}).
 *
 * <p>The map is written directly in the layout of {@link Conv2x2} (Z-order, channels last), so
 * the whole stack runs as L matrix products over {@code batch * (S/2^l)^2} rows without any im2col
 * copy. Cost per rating: {@link #forwardFlops()}; backward about twice that.
 */
final class ConvNcfNetwork extends PairNetwork {
    private static final int ROW_BLOCK = 16;
    private final int k;
    /** K, plus one for the bias that ends a row when {@link #biases}. */
    private final int width;
    private final boolean biases;
    private final int side;
    private final int channels;
    private final Conv2x2[] convs;
    private final ReluTower tower;
    private final Dense out;
    private final List<ParamArray> params;
    /** Z-order position of cell (y, x) of the K x K map: {@code cell[y * K + x]}. */
    private final int[] cell;
    private int capacity;
    private float[] map;
    private float[] dmap;
    private float[] dfeat;

    ConvNcfNetwork(int k, int channels, boolean biases, List<ParamArray> params) {
        this.k = k;
        this.biases = biases;
        this.width = k + (biases ? 1 : 0);
        this.side = side(k);
        this.channels = channels;
        int levels = Integer.numberOfTrailingZeros(side);
        if (params.size() != 2 * levels + 2) {
            throw new IllegalArgumentException("ConvNCF needs " + (2 * levels + 2) + " parameter arrays, got "
                    + params.size());
        }
        this.params = List.copyOf(params);
        this.convs = new Conv2x2[levels];
        for (int l = 0; l < levels; l++) {
            convs[l] = new Conv2x2(side >> l, l == 0 ? 1 : channels, channels, params.get(2 * l),
                    params.get(2 * l + 1));
        }
        this.tower = levels == 0 ? null : new ReluTower((Layer[]) convs);
        this.out = new Dense(params.get(2 * levels), params.get(2 * levels + 1));
        this.cell = new int[k * k];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                cell[y * k + x] = Conv2x2.zOrder(y, x);
            }
        }
    }

    /** S: the smallest power of two >= K. */
    static int side(int k) {
        return Integer.highestOneBit(Math.max(1, k - 1)) << (k > 1 ? 1 : 0);
    }

    /** Zero arrays {@code convncf.conv.l.w/b} for the L = log2 S layers, then {@code convncf.out.w/b} ({@code C -> 1}). */
    static List<ParamArray> newParams(int k, int channels) {
        int side = side(k);
        int levels = Integer.numberOfTrailingZeros(side);
        List<ParamArray> p = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            p.addAll(new Conv2x2("convncf.conv." + l, side >> l, l == 0 ? 1 : channels, channels).params());
        }
        p.addAll(new Dense("convncf.out", levels == 0 ? 1 : channels, 1).params());
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

    @Override
    void initialize(Rng rng, double mean) {
        for (Conv2x2 c : convs) {
            c.initHeUniform(rng);
        }
        out.initGlorotUniform(rng);
        out.bias().value()[0] = (float) mean;
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        // zero-filled: the padding cells (y >= K or x >= K) are never written and stay zero
        map = new float[Math.multiplyExact(batch, side * side)];
        dmap = new float[map.length];
        dfeat = new float[Math.multiplyExact(batch, tower == null ? 1 : channels)];
        capacity = batch;
    }

    @Override
    void forward(float[] u, float[] v, float[] y, int batch, Parallel pool) {
        ensureCapacity(batch);
        int area = side * side;
        pool.forBlocks(batch, ROW_BLOCK, (blk, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * width;
                int m = b * area;
                for (int r = 0; r < k; r++) {
                    float ur = u[o + r];
                    int c = r * k;
                    for (int x = 0; x < k; x++) {
                        map[m + cell[c + x]] = ur * v[o + x];
                    }
                }
            }
        });
        float[] feat = tower == null ? map : tower.forward(map, batch, pool);
        out.forward(feat, y, batch, pool);
        if (biases) {
            addBiases(u, v, y, batch, width, k);
        }
    }

    @Override
    void backward(float[] u, float[] v, float[] dy, float[] du, float[] dv, int batch, Parallel pool) {
        if (biases) {
            biasGradients(dy, du, dv, batch, width, k);
        }
        float[] feat = tower == null ? map : tower.lastOutput();
        out.backward(feat, null, dy, dfeat, batch, pool);
        if (tower == null) {
            System.arraycopy(dfeat, 0, dmap, 0, batch);
        } else {
            tower.backward(map, dfeat, dmap, batch, pool);
        }
        int area = side * side;
        // dE = dmap; dp_u[r] = sum_x dE[r, x] q_i[x], dq_i[x] = sum_r dE[r, x] p_u[r]
        pool.forBlocks(batch, ROW_BLOCK, (blk, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * width;
                int m = b * area;
                java.util.Arrays.fill(dv, o, o + k, 0f);
                for (int r = 0; r < k; r++) {
                    float ur = u[o + r];
                    int c = r * k;
                    float s = 0;
                    for (int x = 0; x < k; x++) {
                        float g = dmap[m + cell[c + x]];
                        s += g * v[o + x];
                        dv[o + x] += g * ur;
                    }
                    du[o + r] = s;
                }
            }
        });
    }

    @Override
    long forwardFlops() {
        long f = (long) k * k + 2L * (tower == null ? 1 : channels);
        for (Conv2x2 c : convs) {
            f += 2 * c.multiplyAdds() + c.outputSize();
        }
        return f;
    }
}
