package org.varec.nn;

import java.util.List;
import org.varec.util.Parallel;

/**
 * An element-wise {@link Activation} over a batch of rows of {@code size} floats; no parameters.
 * Backward may run in place ({@code dIn == dOut}). Sigmoid and tanh derivatives are taken from the
 * forward output, relu and softplus ones from the input, so both must be the forward pass's.
 */
public final class ActivationLayer implements Layer {
    private final Activation f;
    private final int size;

    public ActivationLayer(Activation f, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size);
        }
        this.f = f;
        this.size = size;
    }

    public Activation activation() {
        return f;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public void forward(float[] in, float[] out, int batch, Parallel pool) {
        Kernels.activate(f, in, out, batch * size, pool);
    }

    @Override
    public void backward(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool) {
        if (dIn != null) {
            Kernels.activationBackward(f, in, out, dOut, dIn, batch * size, pool);
        }
    }

    @Override
    public List<ParamArray> params() {
        return List.of();
    }
}
