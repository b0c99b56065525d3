package org.varec.model.ncf;

import org.varec.nn.Activation;
import org.varec.nn.Kernels;
import org.varec.nn.Layer;
import org.varec.util.Parallel;

/**
 * A stack of layers, each followed by a ReLU: NeuMF's MLP tower (dense layers) and ConvNCF's
 * convolution stack ({@link org.varec.nn.Conv2x2} layers). The ReLU runs in place on each layer's
 * output (its derivative is read from the output's sign, which equals the input's), so the tower
 * keeps two buffers per layer (activations and their gradients), allocated for the largest batch
 * seen and reused. Backward uses the activations of the latest forward on the same batch; one
 * instance is used by one thread at a time (the kernels run on the pool).
 */
final class ReluTower {
    private final Layer[] layers;
    private int capacity;
    private float[][] a;
    private float[][] g;

    ReluTower(Layer... layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("a tower needs at least one layer");
        }
        for (int l = 1; l < layers.length; l++) {
            if (layers[l].inputSize() != layers[l - 1].outputSize()) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers[l].inputSize() + " inputs, layer "
                        + (l - 1) + " gives " + layers[l - 1].outputSize());
            }
        }
        this.layers = layers.clone();
    }

    /** The output of the latest {@link #forward} (the buffer it returned). */
    float[] lastOutput() {
        return a[layers.length - 1];
    }

    int outputSize() {
        return layers[layers.length - 1].outputSize();
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        a = new float[layers.length][];
        g = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            a[l] = new float[Math.multiplyExact(batch, layers[l].outputSize())];
            g[l] = new float[a[l].length];
        }
        capacity = batch;
    }

    /** The tower's output for {@code batch} rows of {@code x}: a buffer of the tower, valid until the next forward. */
    float[] forward(float[] x, int batch, Parallel pool) {
        ensureCapacity(batch);
        float[] in = x;
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(in, a[l], batch, pool);
            Kernels.activate(Activation.RELU, a[l], a[l], batch * layers[l].outputSize(), pool);
            in = a[l];
        }
        return in;
    }

    /**
     * Backward from {@code dOut} (gradient of the tower's output; not modified): adds the layers'
     * parameter gradients and writes the gradient of {@code x} into {@code dx}.
     */
    void backward(float[] x, float[] dOut, float[] dx, int batch, Parallel pool) {
        float[] grad = dOut;
        for (int l = layers.length - 1; l >= 0; l--) {
            int n = batch * layers[l].outputSize();
            // relu'(z) from the output: a > 0 exactly when z > 0 (in place when grad is g[l])
            Kernels.activationBackward(Activation.RELU, a[l], a[l], grad, g[l], n, pool);
            // layer l's input gradient is the output gradient of layer l - 1
            float[] dIn = l == 0 ? dx : g[l - 1];
            layers[l].backward(l == 0 ? x : a[l - 1], a[l], g[l], dIn, batch, pool);
            grad = dIn;
        }
    }
}
