package org.varec.nn;

import java.util.List;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * A fully connected layer {@code y = x W + b} over a batch (the {@link Kernels} layout: {@code W} is
 * {@code in x out}, {@code w[i * out + o]}; {@code b} is {@code 1 x out}; a batch row is a row
 * vector). Backward: {@code dW += X^T dY}, {@code db += colsum(dY)}, {@code dX = dY W^T}.
 *
 * <p>The weights are {@link ParamArray}s that may be shared or supplied by the caller (e.g. a
 * sample of a Bayesian weight array); the layer keeps one {@code out x in} scratch for
 * {@code W^T}, so a layer instance is used by one thread at a time. Precision as in
 * {@link Kernels}: float storage and float fma accumulation.
 */
public final class Dense implements Layer {
    private final int in;
    private final int out;
    private final ParamArray w;
    private final ParamArray b;
    private final float[] wT;

    /** A layer with zero weights {@code name.w} ({@code in x out}) and bias {@code name.b} ({@code 1 x out}). */
    public Dense(String name, int in, int out) {
        this(ParamArray.dense(name + ".w", in, out), ParamArray.dense(name + ".b", 1, out));
    }

    /** A layer over existing arrays: {@code w} is {@code in x out}; {@code b} is {@code 1 x out}, or null for no bias. */
    public Dense(ParamArray w, ParamArray b) {
        if (b != null && (b.rows() != 1 || b.cols() != w.cols())) {
            throw new IllegalArgumentException("bias " + b.name() + " is " + b.rows() + " x " + b.cols()
                    + ", expected 1 x " + w.cols());
        }
        this.in = w.rows();
        this.out = w.cols();
        this.w = w;
        this.b = b;
        this.wT = new float[in * out];
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    public ParamArray weights() {
        return w;
    }

    /** The bias, or null. */
    public ParamArray bias() {
        return b;
    }

    /**
     * Glorot/Xavier uniform weights (Glorot and Bengio 2010): {@code U(-a, a)} with
     * {@code a = sqrt(6 / (in + out))}, keeping the variance of activations and gradients about
     * constant through tanh/sigmoid/linear layers; zero bias.
     */
    public Dense initGlorotUniform(Rng rng) {
        return initUniform(Math.sqrt(6.0 / (in + out)), rng);
    }

    /** He uniform weights (He et al. 2015): {@code U(-a, a)} with {@code a = sqrt(6 / in)}, for ReLU-like layers; zero bias. */
    public Dense initHeUniform(Rng rng) {
        return initUniform(Math.sqrt(6.0 / in), rng);
    }

    /** Weights {@code U(-limit, limit)} drawn in row-major order from {@code rng}; zero bias. */
    public Dense initUniform(double limit, Rng rng) {
        float[] v = w.value();
        for (int e = 0; e < in * out; e++) {
            v[e] = (float) ((2 * rng.nextDouble() - 1) * limit);
        }
        if (b != null) {
            java.util.Arrays.fill(b.value(), 0, out, 0f);
        }
        return this;
    }

    @Override
    public void forward(float[] x, float[] y, int batch, Parallel pool) {
        Kernels.affine(x, w.value(), b == null ? null : b.value(), y, batch, in, out, pool);
    }

    @Override
    public void backward(float[] x, float[] y, float[] dY, float[] dX, int batch, Parallel pool) {
        Kernels.addWeightGradient(x, dY, w.grad(), batch, in, out, pool);
        if (b != null) {
            Kernels.addBiasGradient(dY, b.grad(), batch, out, pool);
        }
        if (dX != null) {
            Kernels.inputGradient(dY, w.value(), wT, dX, batch, in, out, pool);
        }
    }

    /**
     * {@code dX = dY W^T} only, adding nothing to the parameters' gradients: the backward pass of a
     * step that moves the inputs with the layer fixed (NNMF's embedding step).
     */
    public void backwardInput(float[] dY, float[] dX, int batch, Parallel pool) {
        Kernels.inputGradient(dY, w.value(), wT, dX, batch, in, out, pool);
    }

    @Override
    public List<ParamArray> params() {
        return b == null ? List.of(w) : List.of(w, b);
    }
}
