package org.varec.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * A multilayer perceptron: {@link Dense} layers of the given sizes, each followed by its
 * {@link Activation} ({@code sizes = {80, 50, 50, 50, 1}} with
 * {@code {SIGMOID, SIGMOID, SIGMOID, IDENTITY}} is NNMF's network). Identity activations cost
 * nothing (the dense output is used as is).
 *
 * <p>The network owns the intermediate batch buffers (pre- and post-activation values and their
 * gradients, {@code batch x width} floats per layer), allocated for the largest batch seen so far
 * and reused, so steps at a fixed batch size allocate no arrays. {@link #backward} uses the
 * intermediates of the latest {@link #forward}, which must have been on the same batch; an
 * instance is therefore used by one thread at a time (the kernels themselves run on the pool).
 */
public final class Mlp implements Layer {
    private final int[] sizes;
    private final Activation[] activations;
    private final Dense[] dense;
    private final List<ParamArray> params;
    private int capacity;
    /** Pre-activation outputs of each dense layer (the last one only when its activation is not the identity). */
    private float[][] z;
    /** Post-activation outputs (aliases of z for identity activations; the last one is the caller's output). */
    private float[][] a;
    /** Gradient buffers, one per layer output; activation backward runs in place in them. */
    private float[][] g;

    /**
     * A network with zero weights named {@code name.0.w}, {@code name.0.b}, {@code name.1.w}...;
     * {@code activations[l]} follows dense layer {@code l} ({@code activations.length == sizes.length - 1}).
     */
    public Mlp(String name, int[] sizes, Activation[] activations) {
        if (sizes.length < 2 || activations.length != sizes.length - 1) {
            throw new IllegalArgumentException("need sizes.length >= 2 and one activation per layer, got "
                    + Arrays.toString(sizes) + " and " + Arrays.toString(activations));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be >= 1: " + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        this.activations = activations.clone();
        this.dense = new Dense[sizes.length - 1];
        List<ParamArray> p = new ArrayList<>();
        for (int l = 0; l < dense.length; l++) {
            dense[l] = new Dense(name + "." + l, sizes[l], sizes[l + 1]);
            p.addAll(dense[l].params());
        }
        this.params = List.copyOf(p);
    }

    /** {@code hidden} after every layer but the last, {@code output} after the last. */
    public static Mlp of(String name, int[] sizes, Activation hidden, Activation output) {
        Activation[] acts = new Activation[sizes.length - 1];
        Arrays.fill(acts, hidden);
        acts[acts.length - 1] = output;
        return new Mlp(name, sizes, acts);
    }

    /**
     * Random initial weights from {@code rng}, layer by layer: He uniform before a ReLU, Glorot
     * uniform otherwise; zero biases.
     */
    public Mlp initialize(Rng rng) {
        for (int l = 0; l < dense.length; l++) {
            if (activations[l] == Activation.RELU) {
                dense[l].initHeUniform(rng);
            } else {
                dense[l].initGlorotUniform(rng);
            }
        }
        return this;
    }

    /** The layer sizes, input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Dense layer {@code l} (0 = first). */
    public Dense layer(int l) {
        return dense[l];
    }

    public int numLayers() {
        return dense.length;
    }

    @Override
    public int inputSize() {
        return sizes[0];
    }

    @Override
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    @Override
    public List<ParamArray> params() {
        return params;
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        int layers = dense.length;
        z = new float[layers][];
        a = new float[layers][];
        g = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int n = batch * sizes[l + 1];
            boolean last = l == layers - 1;
            boolean identity = activations[l].isIdentity();
            if (!(last && identity)) {
                z[l] = new float[n];
                g[l] = new float[n];
            }
            a[l] = identity || last ? z[l] : new float[n];
        }
        capacity = batch;
    }

    @Override
    public void forward(float[] in, float[] out, int batch, Parallel pool) {
        ensureCapacity(batch);
        int last = dense.length - 1;
        float[] x = in;
        for (int l = 0; l <= last; l++) {
            boolean identity = activations[l].isIdentity();
            float[] zl = l == last && identity ? out : z[l];
            dense[l].forward(x, zl, batch, pool);
            if (!identity) {
                float[] al = l == last ? out : a[l];
                Kernels.activate(activations[l], zl, al, batch * sizes[l + 1], pool);
                x = al;
            } else {
                x = zl;
            }
        }
    }

    /** Backward through the network; {@code in} and {@code out} must be those of the latest {@link #forward} (same batch). */
    @Override
    public void backward(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool) {
        backward(in, out, dOut, dIn, batch, pool, true);
    }

    /**
     * Backward to the input only: writes d loss / d in into {@code dIn} and leaves the parameters'
     * gradients untouched (a step on the inputs with the network fixed, as NNMF's embedding step,
     * saves the weight-gradient products, about a third of a full backward pass). The same
     * intermediates as {@link #backward}; the same bits in {@code dIn}.
     */
    public void backwardInput(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool) {
        backward(in, out, dOut, java.util.Objects.requireNonNull(dIn, "dIn"), batch, pool, false);
    }

    private void backward(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool,
                          boolean paramGrads) {
        if (batch > capacity) {
            throw new IllegalStateException("backward of a batch of " + batch + " rows without its forward pass");
        }
        int last = dense.length - 1;
        float[] grad = dOut;
        for (int l = last; l >= 0; l--) {
            boolean identity = activations[l].isIdentity();
            float[] zl = l == last && identity ? out : z[l];
            if (!identity) {
                float[] al = l == last ? out : a[l];
                Kernels.activationBackward(activations[l], zl, al, grad, g[l], batch * sizes[l + 1], pool);
                grad = g[l];
            }
            float[] x = l == 0 ? in : a[l - 1];
            float[] dx = l == 0 ? dIn : g[l - 1];
            if (paramGrads) {
                dense[l].backward(x, zl, grad, dx, batch, pool);
            } else {
                dense[l].backwardInput(grad, dx, batch, pool);
            }
            grad = dx;
        }
    }

    /**
     * The hidden layer widths of a config's {@code hidden} parameter: comma-separated widths in
     * [1, 100000], spaces allowed; empty or blank means no hidden layer (the linear model). Shared
     * by every network's config so that the parameter reads and fails the same way everywhere.
     */
    public static int[] parseHidden(String hidden) {
        if (hidden == null || hidden.isBlank()) {
            return new int[0];
        }
        String[] parts = hidden.trim().split(",");
        int[] sizes = new int[parts.length];
        for (int l = 0; l < parts.length; l++) {
            try {
                sizes[l] = Integer.parseInt(parts[l].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter hidden must be comma-separated layer widths (e.g. "
                        + "50,50,50, or empty for the linear model), got '" + hidden + "'");
            }
            if (sizes[l] < 1 || sizes[l] > 100_000) {
                throw new IllegalArgumentException("parameter hidden: layer widths must be in [1, 100000], got "
                        + java.util.Arrays.toString(sizes));
            }
        }
        return sizes;
    }
}
