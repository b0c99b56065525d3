package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * Every layer's analytic backward pass against central finite differences of a double-precision
 * reference forward pass, for random shapes: the loss is {@code sum c * out} with random c, so
 * d loss / d out = c.
 */
class LayerGradientTest {
    private static final double H = 1e-6;
    private static Parallel pool;

    @BeforeAll
    static void open() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void dense(long seed) {
        Rng rng = new Rng(seed);
        int batch = 1 + rng.nextInt(9);
        int in = 1 + rng.nextInt(40);
        int out = 1 + rng.nextInt(40);
        Dense layer = new Dense("d", in, out).initGlorotUniform(rng);
        float[] bias = layer.bias().value();
        System.arraycopy(Reference.gaussian(rng, out, 0.5), 0, bias, 0, out);
        float[] x = Reference.gaussian(rng, batch * in, 1);
        float[] c = Reference.gaussian(rng, batch * out, 1);
        float[] y = new float[batch * out];
        float[] dx = new float[batch * in];
        layer.forward(x, y, batch, pool);
        layer.backward(x, y, c, dx, batch, pool);

        double[] xd = Reference.widen(x);
        double[] wd = Reference.widen(layer.weights().value());
        double[] bd = Reference.widen(bias);
        Reference.assertGradient("dW", layer.weights().grad(),
                Reference.numericGradient(wd, w -> Reference.dot(Reference.affine(xd, w, bd, batch, in, out), c), H), 1e-5, 1e-4);
        Reference.assertGradient("db", layer.bias().grad(),
                Reference.numericGradient(bd, b -> Reference.dot(Reference.affine(xd, wd, b, batch, in, out), c), H), 1e-5, 1e-4);
        Reference.assertGradient("dX", dx,
                Reference.numericGradient(xd, xx -> Reference.dot(Reference.affine(xx, wd, bd, batch, in, out), c), H), 1e-5, 1e-4);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void activations(long seed) {
        for (Activation f : Activation.values()) {
            Rng rng = new Rng(seed * 31 + f.ordinal());
            int batch = 1 + rng.nextInt(6);
            int size = 1 + rng.nextInt(40);
            ActivationLayer layer = new ActivationLayer(f, size);
            float[] x = Reference.gaussian(rng, batch * size, 3);
            for (int e = 0; e < x.length; e++) {
                if (Math.abs(x[e]) < 1e-3) {
                    x[e] = 0.5f; // keep relu's kink out of the difference quotient
                }
            }
            float[] c = Reference.gaussian(rng, batch * size, 1);
            float[] y = new float[x.length];
            float[] dx = new float[x.length];
            layer.forward(x, y, batch, pool);
            layer.backward(x, y, c, dx, batch, pool);
            double[] xd = Reference.widen(x);
            Reference.assertGradient(f + " dX", dx,
                    Reference.numericGradient(xd, xx -> Reference.dot(Reference.activation(f, xx), c), H), 1e-6, 1e-5);
            assertTrue(layer.params().isEmpty());
        }
    }

    /** Random depths, widths and activations, all arrays checked. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void mlp(long seed) {
        Rng rng = new Rng(seed);
        int layers = 1 + rng.nextInt(4);
        int[] sizes = new int[layers + 1];
        Activation[] acts = new Activation[layers];
        for (int l = 0; l <= layers; l++) {
            sizes[l] = 1 + rng.nextInt(20);
        }
        for (int l = 0; l < layers; l++) {
            acts[l] = Activation.values()[rng.nextInt(Activation.values().length)];
        }
        int batch = 1 + rng.nextInt(7);
        Mlp mlp = new Mlp("m", sizes, acts).initialize(rng);
        for (ParamArray p : mlp.params()) {
            if (p.rows() == 1) {
                System.arraycopy(Reference.gaussian(rng, p.size(), 0.3), 0, p.value(), 0, p.size());
            }
        }
        int in = sizes[0];
        int out = sizes[layers];
        float[] x = Reference.gaussian(rng, batch * in, 1);
        float[] c = Reference.gaussian(rng, batch * out, 1);
        float[] y = new float[batch * out];
        float[] dx = new float[batch * in];
        mlp.forward(x, y, batch, pool);
        mlp.backward(x, y, c, dx, batch, pool);

        double[] xd = Reference.widen(x);
        List<ParamArray> params = mlp.params();
        double[][] pd = new double[params.size()][];
        for (int q = 0; q < pd.length; q++) {
            pd[q] = Reference.widen(params.get(q).value());
        }
        // the reference network in double
        java.util.function.Supplier<double[]> net = () -> {
            double[] h = xd;
            for (int l = 0; l < layers; l++) {
                h = Reference.activation(acts[l], Reference.affine(h, pd[2 * l], pd[2 * l + 1], batch, sizes[l], sizes[l + 1]));
            }
            return h;
        };
        double[] yd = net.get();
        for (int e = 0; e < y.length; e++) {
            assertEquals(yd[e], y[e], 1e-5 * (1 + Math.abs(yd[e])), "forward");
        }
        String what = java.util.Arrays.toString(sizes) + java.util.Arrays.toString(acts);
        for (int q = 0; q < pd.length; q++) {
            double[] target = pd[q];
            Reference.assertGradient(what + " " + params.get(q).name(), params.get(q).grad(),
                    Reference.numericGradient(target, t -> Reference.dot(net.get(), c), H), 1e-5, 1e-3);
        }
        Reference.assertGradient(what + " dX", dx, Reference.numericGradient(xd, t -> Reference.dot(net.get(), c), H), 1e-5, 1e-3);
    }

    /** Backward with a non-identity last activation leaves the caller's dOut alone; the same batch twice gives twice the gradient. */
    @Test
    void mlpBackwardKeepsDOutAndAccumulates() {
        Rng rng = new Rng(3);
        Mlp mlp = Mlp.of("m", new int[] {3, 5, 2}, Activation.TANH, Activation.SIGMOID).initialize(rng);
        float[] x = Reference.gaussian(rng, 4 * 3, 1);
        float[] y = new float[8];
        float[] c = Reference.gaussian(rng, 8, 1);
        float[] c0 = c.clone();
        mlp.forward(x, y, 4, pool);
        mlp.backward(x, y, c, null, 4, pool);
        assertArrayEquals(c0, c);
        float[] g1 = mlp.params().get(0).grad().clone();
        mlp.forward(x, y, 4, pool);
        mlp.backward(x, y, c, null, 4, pool);
        for (int e = 0; e < g1.length; e++) {
            assertEquals(2 * g1[e], mlp.params().get(0).grad()[e], 1e-6f * (1 + Math.abs(g1[e])));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void embedding(long seed) {
        Rng rng = new Rng(seed);
        int rows = 1 + rng.nextInt(12);
        int dim = 1 + rng.nextInt(20);
        int batch = 1 + rng.nextInt(15);
        int stride = dim + rng.nextInt(5);
        int off = rng.nextInt(stride - dim + 1);
        Embedding emb = new Embedding("e", rows, dim).initNormal(0.1, rng);
        int[] idx = new int[batch + 2];
        for (int b = 0; b < idx.length; b++) {
            idx[b] = rng.nextInt(rows);
        }
        float[] out = new float[batch * stride];
        emb.forward(idx, 2, batch, out, off, stride, pool);
        float[] c = Reference.gaussian(rng, batch * stride, 1);
        emb.backward(idx, 2, batch, c, off, stride);

        double[] td = Reference.widen(emb.table().value());
        java.util.function.ToDoubleFunction<double[]> loss = t -> {
            double s = 0;
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < dim; j++) {
                    s += t[idx[2 + b] * dim + j] * c[b * stride + off + j];
                }
            }
            return s;
        };
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < dim; j++) {
                assertEquals(emb.table().value()[idx[2 + b] * dim + j], out[b * stride + off + j]);
            }
        }
        Reference.assertGradient("table", emb.table().grad(), Reference.numericGradient(td, loss, H), 1e-5, 1e-4);
        // exactly the rows in the batch are touched
        boolean[] used = new boolean[rows];
        for (int b = 0; b < batch; b++) {
            used[idx[2 + b]] = true;
        }
        int count = 0;
        for (boolean u : used) {
            count += u ? 1 : 0;
        }
        assertEquals(count, emb.table().numTouched());
        for (int k = 0; k < emb.table().numTouched(); k++) {
            assertTrue(used[emb.table().touchedRow(k)]);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void sparseInput(long seed) {
        Rng rng = new Rng(seed);
        int inputs = 1 + rng.nextInt(200);
        int out = 1 + rng.nextInt(40);
        int batch = 1 + rng.nextInt(10);
        boolean unitValues = seed % 2 == 0;
        SparseInput layer = new SparseInput("s", inputs, out);
        System.arraycopy(Reference.gaussian(rng, inputs * out, 0.3), 0, layer.weights().value(), 0, inputs * out);
        System.arraycopy(Reference.gaussian(rng, out, 0.3), 0, layer.bias().value(), 0, out);
        int[] offsets = new int[batch + 1];
        int[] indices = new int[batch * 8];
        for (int b = 0; b < batch; b++) {
            int nnz = rng.nextInt(8); // repeated indices allowed, empty rows too
            offsets[b + 1] = offsets[b] + nnz;
            for (int p = offsets[b]; p < offsets[b + 1]; p++) {
                indices[p] = rng.nextInt(inputs);
            }
        }
        float[] values = unitValues ? null : Reference.gaussian(rng, indices.length, 1);
        float[] y = new float[batch * out];
        layer.forward(offsets, indices, values, batch, y, pool);
        float[] c = Reference.gaussian(rng, batch * out, 1);
        layer.backward(offsets, indices, values, c, batch, pool);

        double[] wd = Reference.widen(layer.weights().value());
        double[] bd = Reference.widen(layer.bias().value());
        java.util.function.Supplier<double[]> fwd = () -> {
            double[] r = new double[batch * out];
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < out; o++) {
                    double s = bd[o];
                    for (int p = offsets[b]; p < offsets[b + 1]; p++) {
                        s += (values == null ? 1 : values[p]) * wd[indices[p] * out + o];
                    }
                    r[b * out + o] = s;
                }
            }
            return r;
        };
        double[] yd = fwd.get();
        for (int e = 0; e < y.length; e++) {
            assertEquals(yd[e], y[e], 1e-5 * (1 + Math.abs(yd[e])));
        }
        Reference.assertGradient("W", layer.weights().grad(), Reference.numericGradient(wd, t -> Reference.dot(fwd.get(), c), H), 1e-5, 1e-4);
        Reference.assertGradient("b", layer.bias().grad(), Reference.numericGradient(bd, t -> Reference.dot(fwd.get(), c), H), 1e-5, 1e-4);
        // untouched rows have no gradient and are not listed
        boolean[] used = new boolean[inputs];
        for (int p = 0; p < offsets[batch]; p++) {
            used[indices[p]] = true;
        }
        for (int i = 0; i < inputs; i++) {
            if (!used[i]) {
                for (int o = 0; o < out; o++) {
                    assertEquals(0f, layer.weights().grad()[i * out + o]);
                }
            }
        }
        int count = 0;
        for (boolean u : used) {
            count += u ? 1 : 0;
        }
        assertEquals(count, layer.weights().numTouched());
    }

    /** The sparse-input backward sums a row's entries in batch order whatever the pool. */
    @Test
    void sparseInputBackwardIsThreadIndependent() {
        Rng rng = new Rng(9);
        int inputs = 700;
        int out = 37;
        int batch = 50;
        int[] offsets = new int[batch + 1];
        int[] indices = new int[batch * 30];
        for (int b = 0; b < batch; b++) {
            offsets[b + 1] = offsets[b] + 30;
            for (int p = offsets[b]; p < offsets[b + 1]; p++) {
                indices[p] = rng.nextInt(inputs);
            }
        }
        float[] values = Reference.gaussian(rng, indices.length, 1);
        float[] dOut = Reference.gaussian(rng, batch * out, 1);
        float[] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel p = new Parallel(threads)) {
                SparseInput layer = new SparseInput("s", inputs, out);
                layer.backward(offsets, indices, values, dOut, batch, p);
                if (first == null) {
                    first = layer.weights().grad().clone();
                } else {
                    assertArrayEquals(first, layer.weights().grad());
                }
            }
        }
    }
}
