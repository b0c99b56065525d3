package org.varec.model.nnmf;

import java.util.ArrayList;
import java.util.List;
import org.varec.nn.Activation;
import org.varec.nn.BayesianDense;
import org.varec.nn.GaussianArray;
import org.varec.nn.Kernels;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * The Bayesian network f_theta of {@code bnnmf}: dense layers {@code sizes[0] -> sizes[1] -> ... ->
 * 1}, sigmoid after every hidden layer, identity at the output (sizes {@code {80, 1}} is VI(0), the
 * linear model; {@code {80, 50, 50, 50, 1}} is VI(3)). Each layer's weights and bias carry a
 * mean-field Gaussian q with its own learned prior variance ({@link BayesianDense}, weight-noise
 * reparameterisation: Blundell et al. 2015, eq. 3).
 *
 * <p>Computation: a step draws one sample of every weight and bias ({@link #drawNoise}) and runs the
 * deterministic network on the samples with the {@link Kernels} matrix products (Vector API when
 * available; the scalar loops of {@link BayesianDense#forward} are not used), then chains the
 * samples' gradients into mean and rho ({@link GaussianArray#accumulateGradients}).
 * The same static {@link #forward} and {@link #backward} run a stored weight sample at prediction
 * and fold-in time. Backward computes only what a step needs: weight gradients for a network
 * step, input gradients for an embedding step (the alternating schedule of the paper, sec. 3).
 *
 * <p><b>Linear skip head</b> ({@code skip=true}): the output is {@code x . w_s + b_s + f_theta(x)},
 * a Bayesian linear unit of the inputs (VI(0)'s model) plus the network, whose last layer starts
 * at 0 (weights and bias means), so that the network is a residual on the linear model (He et al.
 * 2016; zero-initialised residual branches, Goyal et al. 2017). It is the last entry of the layer
 * list ({@link #layer}{@code (numLayers() - 1)}), and the static passes take it as the one array
 * beyond the layers of {@code sizes} ({@code w.length == sizes.length}).
 *
 * <p>Layout: weights {@code in x out} row-major ({@code w[i * out + o]}, the {@link Kernels}
 * layout), activations {@code batch x width} row-major; float storage and float fma sums
 * ({@link Kernels}). The post-activation values of hidden layers are kept for backward (the
 * sigmoid derivative is {@code y (1 - y)}); an instance owns its batch buffers and is used by one
 * thread at a time (its kernels run on the pool).
 */
final class BnnmfNetwork {
    private static final int OUTPUT_BLOCK = 1024;
    /** Glorot and Bengio's factor for sigmoid layers (sigmoid'(0) = 1/4). */
    private static final double SIGMOID_GAIN = 4;
    private final int[] sizes;
    private final BayesianDense[] layers;
    private final List<ParamArray> params;
    private final Buffers buffers;
    private final boolean skip;

    /** A network over inputs of width {@code sizes[0]}; {@code sizes} ends with the output width 1. */
    BnnmfNetwork(int[] sizes) {
        this(sizes, false);
    }

    /** The same, with a linear skip head from the inputs to the output when {@code skip} (class doc). */
    BnnmfNetwork(int[] sizes, boolean skip) {
        if (sizes.length < 2 || sizes[sizes.length - 1] != 1) {
            throw new IllegalArgumentException("network sizes must end with one output");
        }
        this.sizes = sizes.clone();
        this.skip = skip;
        int dense = sizes.length - 1;
        this.layers = new BayesianDense[dense + (skip ? 1 : 0)];
        List<ParamArray> p = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            layers[l] = l < dense
                    ? new BayesianDense("net." + l, sizes[l], sizes[l + 1], BayesianDense.Reparameterisation.WEIGHTS)
                    : new BayesianDense("net.skip", sizes[0], 1, BayesianDense.Reparameterisation.WEIGHTS);
            p.addAll(layers[l].params());
        }
        this.params = List.copyOf(p);
        this.buffers = new Buffers(sizes);
    }

    /** Network sizes {@code [width, hidden..., 1]} for inputs of {@code width} and the given hidden widths. */
    static int[] sizes(int width, int[] hidden) {
        int[] s = new int[hidden.length + 2];
        s[0] = width;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = 1;
        return s;
    }

    int[] sizes() {
        return sizes.clone();
    }

    /** The dense layers of {@code sizes}, then the skip head if any. */
    int numLayers() {
        return layers.length;
    }

    /** Whether layer {@code l} is the linear skip head. */
    boolean isSkip(int l) {
        return skip && l == layers.length - 1;
    }

    boolean hasSkip() {
        return skip;
    }

    BayesianDense layer(int l) {
        return layers[l];
    }

    /** Means and rhos of every weight and bias (the arrays a network step moves). */
    List<ParamArray> params() {
        return params;
    }

    /**
     * q at its start: weight means ~ N(0, 2 / (in + out)) (Glorot and Bengio 2010, normal form),
     * bias means 0 except the output bias, {@code outputBias} (the training mean, so that the
     * first steps do not spend themselves moving the offset by lr per step); every sigma =
     * {@code sigma}.
     */
    void init(Rng rng, double sigma, double outputBias) {
        int out = sizes.length - 2;
        for (int l = 0; l <= out; l++) {
            // Glorot and Bengio (2010) scale the tanh initialisation by 4 for sigmoid units (sigmoid'(0) = 1/4),
            // so that gradients keep their size through the hidden layers
            double gain = l < out ? SIGMOID_GAIN : 1;
            layers[l].init(rng, gain * Math.sqrt(2.0 / (sizes[l] + sizes[l + 1])), sigma);
        }
        if (!skip) {
            layers[out].bias().mean().value()[0] = (float) outputBias;
            return;
        }
        // skip head: the linear unit carries the offset, the network's output layer starts at 0
        BayesianDense head = layers[out + 1];
        head.init(rng, Math.sqrt(2.0 / (sizes[0] + 1)), sigma);
        head.bias().mean().value()[0] = (float) outputBias;
        java.util.Arrays.fill(layers[out].weight().mean().value(), 0f);
    }

    /**
     * The skip head takes over q of {@code linear}'s single layer (means, rhos and prior variance):
     * with the network's output layer at 0, the output is then the linear model's.
     */
    void startSkipFrom(BnnmfNetwork linear) {
        if (!skip || linear.layers.length != 1 || linear.sizes[0] != sizes[0]) {
            throw new IllegalStateException("no skip head, or not a linear network of the same inputs");
        }
        BayesianDense head = layers[layers.length - 1];
        copy(linear.layers[0].weight(), head.weight());
        copy(linear.layers[0].bias(), head.bias());
    }

    private static void copy(GaussianArray from, GaussianArray to) {
        System.arraycopy(from.mean().value(), 0, to.mean().value(), 0, from.size());
        System.arraycopy(from.rho().value(), 0, to.rho().value(), 0, from.size());
        to.setPriorVariance(from.priorVariance());
    }

    /** Draws the weights and biases of step {@code step} (sample 0) into the layers' sample arrays. */
    void drawNoise(long seed, long step, Parallel pool) {
        drawNoise(seed, step, 0, pool);
    }

    /** Draw {@code s} of every weight and bias for step {@code step} (several draws per step: mc_samples). */
    void drawNoise(long seed, long step, int s, Parallel pool) {
        for (BayesianDense d : layers) {
            d.drawNoise(seed, step, s, pool);
        }
    }

    /** KL(q || p) of all weights and biases with their current prior variances. */
    double kl(Parallel pool) {
        double s = 0;
        for (BayesianDense d : layers) {
            s += d.kl(pool);
        }
        return s;
    }

    void addKlGradient(double weight, Parallel pool) {
        for (BayesianDense d : layers) {
            d.addKlGradient(weight, pool);
        }
    }

    void setPriorVariances(double s2) {
        for (BayesianDense d : layers) {
            d.weight().setPriorVariance(s2);
            d.bias().setPriorVariance(s2);
        }
    }

    void updatePriorVariances(Parallel pool) {
        for (BayesianDense d : layers) {
            d.updatePriorVariances(pool);
        }
    }

    /** The weight arrays of the current sample, layer by layer. */
    private float[][] sampledWeights() {
        float[][] w = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            w[l] = layers[l].weight().sample().value();
        }
        return w;
    }

    private float[][] sampledBiases() {
        float[][] b = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            b[l] = layers[l].bias().sample().value();
        }
        return b;
    }

    /** Output of the sampled network for {@code batch} input rows (valid until the next forward). */
    float[] forward(float[] x, int batch, Parallel pool) {
        buffers.ensure(batch);
        return forward(sizes, sampledWeights(), sampledBiases(), x, batch, buffers, pool);
    }

    /**
     * Backward of the latest {@link #forward} (same {@code x}, same batch) for output gradient
     * {@code dOut}: with {@code weightGradients}, dL/dmu and dL/drho of every weight and bias are
     * added into their gradients; with {@code dX} non-null, dL/dx is written there.
     */
    void backward(float[] x, float[] dOut, int batch, boolean weightGradients, float[] dX, Parallel pool) {
        float[][] gw = null;
        float[][] gb = null;
        if (weightGradients) {
            gw = new float[layers.length][];
            gb = new float[layers.length][];
            for (int l = 0; l < layers.length; l++) {
                gw[l] = layers[l].weight().sample().grad();
                gb[l] = layers[l].bias().sample().grad();
            }
        }
        backward(sizes, sampledWeights(), x, dOut, batch, buffers, gw, gb, dX, pool);
        if (weightGradients) {
            for (BayesianDense d : layers) {
                d.weight().accumulateGradients(1.0, pool);
                d.bias().accumulateGradients(1.0, pool);
            }
        }
    }

    // ------------------------------------------------------------ local reparameterisation

    /** Stream id of the pre-activation noise under a layer's weight noise key. */
    private static final long LOCAL_STREAM = 0x6c6f63616c21L;

    /** Per-layer buffers of the local passes (grown to the largest batch). */
    private LocalBuffers local;

    private static final class LocalBuffers {
        final float[][] square; // squared layer inputs, batch x in
        final float[][] sd;     // pre-activation sd, batch x out
        final float[][] eps;    // pre-activation noise, batch x out
        final float[][] varW;   // softplus(rho)^2 of the weights, in x out
        final float[][] varB;   // and of the biases
        final float[][] dVarW;  // dL/d varW scratch
        final float[][] dVarB;
        float[] h;              // dL/dv of one layer, batch x out
        float[] dxVar;          // h varW^T, batch x in
        int capacity;

        LocalBuffers(int[] sizes) {
            int layers = sizes.length - 1;
            square = new float[layers][];
            sd = new float[layers][];
            eps = new float[layers][];
            varW = new float[layers][];
            varB = new float[layers][];
            dVarW = new float[layers][];
            dVarB = new float[layers][];
            for (int l = 0; l < layers; l++) {
                varW[l] = new float[sizes[l] * sizes[l + 1]];
                varB[l] = new float[sizes[l + 1]];
                dVarW[l] = new float[sizes[l] * sizes[l + 1]];
                dVarB[l] = new float[sizes[l + 1]];
            }
        }

        void ensure(int batch, int[] sizes) {
            if (batch <= capacity) {
                return;
            }
            int maxIn = 0;
            int maxOut = 0;
            for (int l = 0; l < square.length; l++) {
                square[l] = new float[batch * sizes[l]];
                sd[l] = new float[batch * sizes[l + 1]];
                eps[l] = new float[batch * sizes[l + 1]];
                maxIn = Math.max(maxIn, sizes[l]);
                maxOut = Math.max(maxOut, sizes[l + 1]);
            }
            h = new float[batch * maxOut];
            dxVar = new float[batch * maxIn];
            capacity = batch;
        }
    }

    /**
     * The forward pass with the local reparameterisation trick (Kingma, Salimans and Welling 2015,
     * eq. 6-7; {@link org.varec.nn.BayesianDense}'s LOCAL mode, here on the {@link Kernels}
     * products): each layer's pre-activations are drawn from their Gaussian given the layer's input,
     * independently per batch row, instead of one weight draw shared by the batch:
     * <pre>
     *   m = a mu_W + mu_b,   v = a^2 sigma_W^2 + sigma_b^2,   pre = m + sqrt(v) zeta,   zeta ~ N(0, 1) per row and unit
     * </pre>
     * The expected loss and so its gradient are those of the weight-noise pass; the gradient's
     * variance falls because the batch's rows no longer share one draw. Noise of draw {@code s} of
     * step {@code step}: row r of layer l from {@code Rng.stream(key(l, step, s), r)}, whatever the
     * thread count. Not with a skip head. Returns the output ({@code batch} floats).
     */
    float[] forwardLocal(float[] x, int batch, long seed, long step, int s, Parallel pool) {
        if (skip) {
            throw new IllegalStateException("the local reparameterisation has no skip head");
        }
        if (local == null) {
            local = new LocalBuffers(sizes);
        }
        buffers.ensure(batch);
        local.ensure(batch, sizes);
        int last = sizes.length - 2;
        float[] in = x;
        for (int l = 0; l <= last; l++) {
            int ni = sizes[l];
            int no = sizes[l + 1];
            GaussianArray w = layers[l].weight();
            GaussianArray b = layers[l].bias();
            variances(w, local.varW[l]);
            variances(b, local.varB[l]);
            float[] sq = local.square[l];
            float[] input = in;
            pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
                for (int j = from * ni; j < to * ni; j++) {
                    sq[j] = input[j] * input[j];
                }
            });
            float[] out = buffers.act[l];
            float[] var = local.sd[l];
            if (no == 1) {
                outputUnit(in, w.mean().value(), b.mean().value()[0], out, batch, ni, pool);
                outputUnit(sq, local.varW[l], local.varB[l][0], var, batch, ni, pool);
            } else {
                Kernels.affine(in, w.mean().value(), b.mean().value(), out, batch, ni, no, pool);
                Kernels.affine(sq, local.varW[l], local.varB[l], var, batch, ni, no, pool);
            }
            long key = Rng.deriveSeed(w.noiseKey(seed, step, s), LOCAL_STREAM);
            float[] eps = local.eps[l];
            pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
                for (int r = from; r < to; r++) {
                    Rng rng = Rng.stream(key, r);
                    for (int o = r * no; o < (r + 1) * no; o++) {
                        float z = (float) rng.nextGaussian();
                        float sd = (float) Math.sqrt(var[o]);
                        eps[o] = z;
                        var[o] = sd;
                        out[o] += sd * z;
                    }
                }
            });
            if (l < last) {
                Kernels.activate(Activation.SIGMOID, out, out, batch * no, pool);
            }
            in = out;
        }
        return buffers.act[last];
    }

    /**
     * Backward of the latest {@link #forwardLocal} (same {@code x}, batch and q) for output gradient
     * {@code dOut}: with {@code weightGradients}, adds dL/dmu and dL/drho of every weight and bias
     * into their gradients (BayesianDense's local backward: with {@code h = g zeta / (2 sqrt(v))},
     * {@code dmu_W = a^T g}, {@code dsigma_W^2 = (a^2)^T h}, {@code drho = dsigma^2 2 sigma
     * sigmoid(rho)}); writes dL/dx into {@code dX} when non-null
     * ({@code g mu_W^T + 2 a o (h sigma_W^2^T)}).
     */
    void backwardLocal(float[] x, float[] dOut, int batch, boolean weightGradients, float[] dX, Parallel pool) {
        int last = sizes.length - 2;
        float[] g = dOut;
        for (int l = last; l >= 0; l--) {
            int ni = sizes[l];
            int no = sizes[l + 1];
            if (l < last) {
                Kernels.activationBackward(Activation.SIGMOID, buffers.act[l], buffers.act[l], g, g, batch * no, pool);
            }
            float[] input = l == 0 ? x : buffers.act[l - 1];
            float[] h = local.h;
            float[] sd = local.sd[l];
            float[] eps = local.eps[l];
            float[] gl = g;
            pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
                for (int o = from * no; o < to * no; o++) {
                    h[o] = gl[o] * eps[o] / (2 * sd[o]);
                }
            });
            GaussianArray w = layers[l].weight();
            GaussianArray b = layers[l].bias();
            if (weightGradients) {
                Kernels.addWeightGradient(input, g, w.mean().grad(), batch, ni, no, pool);
                Kernels.addBiasGradient(g, b.mean().grad(), batch, no, pool);
                float[] dvw = local.dVarW[l];
                float[] dvb = local.dVarB[l];
                java.util.Arrays.fill(dvw, 0f);
                java.util.Arrays.fill(dvb, 0f);
                Kernels.addWeightGradient(local.square[l], h, dvw, batch, ni, no, pool);
                Kernels.addBiasGradient(h, dvb, batch, no, pool);
                chainVariance(w, dvw);
                chainVariance(b, dvb);
            }
            float[] dIn = l == 0 ? dX : buffers.grad[l - 1];
            if (dIn != null) {
                Kernels.inputGradient(g, w.mean().value(), buffers.wT[l], dIn, batch, ni, no, pool);
                float[] dv = local.dxVar;
                Kernels.inputGradient(h, local.varW[l], buffers.wT[l], dv, batch, ni, no, pool);
                pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
                    for (int j = from * ni; j < to * ni; j++) {
                        dIn[j] += 2 * input[j] * dv[j];
                    }
                });
            }
            g = dIn;
        }
    }

    /** {@code out = softplus(rho)^2} of every entry of {@code a}. */
    private static void variances(GaussianArray a, float[] out) {
        for (int i = 0; i < out.length; i++) {
            double sd = a.sigma(i);
            out[i] = (float) (sd * sd);
        }
    }

    /** Adds {@code dL/drho = dL/dsigma^2 * 2 sigma * sigmoid(rho)} into the rho gradient of {@code a}. */
    private static void chainVariance(GaussianArray a, float[] dVar) {
        float[] rho = a.rho().value();
        float[] gr = a.rho().grad();
        for (int i = 0; i < dVar.length; i++) {
            double sd = a.sigma(i);
            gr[i] += (float) (dVar[i] * 2 * sd * GaussianArray.sigmoid(rho[i]));
        }
    }

    // ------------------------------------------------------------ deterministic passes

    /** Batch buffers of one network: post-activation values and gradients of each layer, and W^T scratch. */
    static final class Buffers {
        private final int[] sizes;
        private int capacity;
        final float[][] act;
        final float[][] grad;
        final float[][] wT;

        Buffers(int[] sizes) {
            this.sizes = sizes.clone();
            int layers = sizes.length - 1;
            this.act = new float[layers][];
            this.grad = new float[layers][];
            this.wT = new float[layers][];
            for (int l = 0; l < layers; l++) {
                wT[l] = new float[sizes[l] * sizes[l + 1]];
            }
        }

        void ensure(int batch) {
            if (batch <= capacity) {
                return;
            }
            for (int l = 0; l < act.length; l++) {
                act[l] = new float[batch * sizes[l + 1]];
                grad[l] = new float[batch * sizes[l + 1]];
            }
            capacity = batch;
        }
    }

    /**
     * {@code f(x)} for {@code batch} rows with weights {@code w[l]} and biases {@code b[l]}; returns
     * the output buffer ({@code batch} floats, {@code buf.act[last]}). Hidden layers apply the
     * sigmoid in place.
     */
    static float[] forward(int[] sizes, float[][] w, float[][] b, float[] x, int batch, Buffers buf, Parallel pool) {
        buf.ensure(batch);
        int last = sizes.length - 2;
        float[] in = x;
        for (int l = 0; l <= last; l++) {
            float[] out = buf.act[l];
            if (sizes[l + 1] == 1) {
                outputUnit(in, w[l], b[l][0], out, batch, sizes[l], pool);
            } else {
                Kernels.affine(in, w[l], b[l], out, batch, sizes[l], sizes[l + 1], pool);
            }
            if (l < last) {
                Kernels.activate(Activation.SIGMOID, out, out, batch * sizes[l + 1], pool);
            }
            in = out;
        }
        float[] y = buf.act[last];
        if (w.length == sizes.length) { // the skip head: y += b_s + x . w_s
            int width = sizes[0];
            float[] ws = w[last + 1];
            float bs = b[last + 1][0];
            pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
                for (int r = from; r < to; r++) {
                    y[r] += bs + Kernels.dot(x, r * width, ws, 0, width);
                }
            });
        }
        return y;
    }

    /**
     * A layer with one output unit, {@code y_r = b + x_r . w}, as one dot product per row
     * ({@link Kernels#dot}: float, lane-wise then in lane order; the same bits for any batch size
     * and thread count). The general {@link Kernels#affine} would spend a whole vector (and a
     * masked load past the end of w) on each single output.
     */
    private static void outputUnit(float[] x, float[] w, float b, float[] y, int batch, int in, Parallel pool) {
        pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                y[r] = b + Kernels.dot(x, r * in, w, 0, in);
            }
        });
    }

    /**
     * Backward of {@link #forward} with output gradient {@code dOut}: weight and bias gradients are
     * added into {@code gw[l]}, {@code gb[l]} when those are non-null; dL/dx is written into
     * {@code dX} when non-null. The gradients of hidden layers are kept in {@code buf.grad}.
     */
    static void backward(int[] sizes, float[][] w, float[] x, float[] dOut, int batch, Buffers buf, float[][] gw,
                         float[][] gb, float[] dX, Parallel pool) {
        int last = sizes.length - 2;
        float[] g = dOut;
        for (int l = last; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            if (l < last) {
                // g is dL/d(sigmoid output); to dL/d(pre-activation) in place, the derivative from the output
                Kernels.activationBackward(Activation.SIGMOID, buf.act[l], buf.act[l], g, g, batch * out, pool);
            }
            float[] input = l == 0 ? x : buf.act[l - 1];
            if (gw != null) {
                Kernels.addWeightGradient(input, g, gw[l], batch, in, out, pool);
                Kernels.addBiasGradient(g, gb[l], batch, out, pool);
            }
            float[] dIn = l == 0 ? dX : buf.grad[l - 1];
            if (dIn != null) {
                Kernels.inputGradient(g, w[l], buf.wT[l], dIn, batch, in, out, pool);
            }
            g = dIn;
        }
        if (w.length == sizes.length) { // the skip head (dOut is still the output gradient: the loop did not write it)
            int width = sizes[0];
            if (gw != null) {
                Kernels.addWeightGradient(x, dOut, gw[last + 1], batch, width, 1, pool);
                Kernels.addBiasGradient(dOut, gb[last + 1], batch, 1, pool);
            }
            if (dX != null) {
                float[] ws = w[last + 1];
                pool.forBlocks(batch, OUTPUT_BLOCK, (blk, from, to) -> {
                    for (int r = from; r < to; r++) {
                        float d = dOut[r];
                        for (int i = 0; i < width; i++) {
                            dX[r * width + i] += d * ws[i];
                        }
                    }
                });
            }
        }
    }
}
