package org.varec.nn;

import java.util.List;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * A fully connected layer with a mean-field Gaussian posterior over its weights and biases
 * ("Bayes by Backprop", Blundell et al. 2015): {@code out_b = in_b W + bias}, W an
 * {@code in x out} {@link GaussianArray} (row i holds input unit i's weights to every output,
 * {@code W[i * out + j]}) and bias a {@code 1 x out} one, each with its own learned prior variance.
 *
 * <p>Three ways to run the forward pass ({@link #drawNoise}, {@link #useMeans}):
 * <ul>
 * <li><b>Weight noise</b> ({@link Reparameterisation#WEIGHTS}; Blundell et al. 2015, eq. 3 and
 * sec. 3.2): one sample {@code W = mu_W + softplus(rho_W) * eps}, {@code bias = mu_b +
 * softplus(rho_b) * eps'} shared by the whole batch, then a deterministic dense layer. Backward
 * computes dL/dW = sum_b in_b^T dOut_b, dL/dbias = sum_b dOut_b and chains them into mean and
 * rho ({@link GaussianArray#accumulateGradients}).
 * <li><b>Local reparameterisation</b> ({@link Reparameterisation#LOCAL}; Kingma, Salimans and
 * Welling 2015, "Variational Dropout and the Local Reparameterization Trick", eq. 6-7): since the
 * pre-activations are Gaussian given the input, they are sampled directly, with noise independent
 * per batch row (lower-variance gradients, same expectation):
 * <pre>
 *   m_bj = sum_i x_bi mu_ij + mu_bias_j
 *   v_bj = sum_i x_bi^2 sigma_ij^2 + sigma_bias_j^2
 *   out_bj = m_bj + sqrt(v_bj) * zeta_bj,   zeta ~ N(0, 1)
 * </pre>
 * and backward, with g = dL/dout and h_bj = g_bj zeta_bj / (2 sqrt(v_bj)) = dL/dv_bj:
 * <pre>
 *   dL/dmu_ij      = sum_b x_bi g_bj             dL/dmu_bias_j = sum_b g_bj
 *   dL/dsigma_ij   = 2 sigma_ij sum_b x_bi^2 h_bj    dL/dsigma_bias_j = 2 sigma_bias_j sum_b h_bj
 *   dL/drho        = dL/dsigma * sigmoid(rho)
 *   dL/dx_bi       = sum_j g_bj mu_ij + 2 x_bi sum_j h_bj sigma_ij^2
 * </pre>
 * Each step costs two matrix products instead of one; the batch's noise and standard deviations
 * are kept in layer-owned buffers (grown to the largest batch seen) for the backward pass, which
 * must therefore follow its own forward pass (no other forward of this layer in between).
 * <li><b>Means</b>: the deterministic layer with W = mu_W, bias = mu_b, for prediction with the
 * posterior means; backward then adds into the means' gradients only.
 * </ul>
 *
 * <p>The noise of step {@code t}, sample {@code s} is keyed by (seed, name, t, s) (see
 * {@link GaussianArray}), per weight row or, in the local mode, per batch row; so results depend
 * on the seed only, never on the thread count. Precision: float parameters and activations;
 * the sums over inputs and over the batch are in double. Work is split over fixed blocks of batch
 * rows (outputs, input gradients) and of weight rows (parameter gradients).
 *
 * <p>The matrix products here are plain scalar loops; the Vector API kernels of the deterministic
 * dense layer are the place to make them fast.
 */
public final class BayesianDense implements Layer {
    /** How a forward pass draws its randomness. */
    public enum Reparameterisation {
        /** Sample the weights once per step (Blundell et al. 2015). */
        WEIGHTS,
        /** Sample the pre-activations per batch row (Kingma, Salimans and Welling 2015). */
        LOCAL
    }

    private enum Mode { MEANS, SAMPLE }

    private static final int BATCH_BLOCK = 64;
    private static final int WEIGHT_ROW_BLOCK = 16;

    private final String name;
    private final int inSize;
    private final int outSize;
    private final Reparameterisation reparameterisation;
    private final GaussianArray weight;
    private final GaussianArray bias;
    private final long localKey;
    private Mode mode = Mode.MEANS;
    private long noiseKey;
    /** Per-parameter sums over the batch (dL/dW, dL/dsigma^2), double. */
    private final double[] accW;
    private final double[] accVarW;
    /** Local mode: sigma^2 of every weight and bias for the current forward pass. */
    private final float[] varW;
    private final float[] varBias;
    /** Local mode: zeta and sqrt(v) of the last forward pass, batch x out. */
    private float[] zeta = new float[0];
    private float[] sd = new float[0];

    public BayesianDense(String name, int inSize, int outSize, Reparameterisation reparameterisation) {
        if (inSize < 1 || outSize < 1) {
            throw new IllegalArgumentException(name + ": shape " + inSize + " -> " + outSize);
        }
        this.name = name;
        this.inSize = inSize;
        this.outSize = outSize;
        this.reparameterisation = reparameterisation;
        this.weight = GaussianArray.dense(name + ".W", inSize, outSize);
        this.bias = GaussianArray.dense(name + ".b", 1, outSize);
        this.localKey = GaussianArray.nameKey(name + ".local");
        this.accW = new double[inSize * outSize];
        this.accVarW = reparameterisation == Reparameterisation.LOCAL ? new double[inSize * outSize] : null;
        this.varW = reparameterisation == Reparameterisation.LOCAL ? new float[inSize * outSize] : null;
        this.varBias = reparameterisation == Reparameterisation.LOCAL ? new float[outSize] : null;
    }

    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return inSize;
    }

    @Override
    public int outputSize() {
        return outSize;
    }

    public Reparameterisation reparameterisation() {
        return reparameterisation;
    }

    public GaussianArray weight() {
        return weight;
    }

    public GaussianArray bias() {
        return bias;
    }

    /** Mean, rho of the weights; mean, rho of the biases: the arrays an optimiser steps. */
    @Override
    public List<ParamArray> params() {
        return List.of(weight.mean(), weight.rho(), bias.mean(), bias.rho());
    }

    /**
     * Weight means ~ N(0, meanStdev^2), bias means 0, every sigma = {@code sigma}. (Blundell et
     * al. start sigma small so that early training sees nearly deterministic weights.)
     */
    public void init(Rng rng, double meanStdev, double sigma) {
        weight.init(rng, meanStdev, sigma);
        bias.init(rng, 0, sigma);
    }

    /**
     * Makes the following forward/backward passes stochastic with the noise of sample {@code s} of
     * step {@code step}: draws W and bias (weight mode) or fixes the key of the per-row
     * pre-activation noise (local mode).
     */
    public void drawNoise(long seed, long step, int s, Parallel pool) {
        mode = Mode.SAMPLE;
        if (reparameterisation == Reparameterisation.WEIGHTS) {
            weight.draw(seed, step, s, pool);
            bias.draw(seed, step, s, pool);
        } else {
            noiseKey = Rng.deriveSeed(Rng.deriveSeed(Rng.deriveSeed(seed, localKey), step), s);
        }
    }

    /** Makes the following passes deterministic, with the posterior means. */
    public void useMeans() {
        mode = Mode.MEANS;
    }

    /** Whether forward uses the means ({@link #useMeans}) rather than noise. */
    public boolean usesMeans() {
        return mode == Mode.MEANS;
    }

    /** KL(q || p) of weights and biases with their current prior variances. */
    public double kl(Parallel pool) {
        return weight.kl(pool) + bias.kl(pool);
    }

    /** Adds {@code klWeight} times the gradient of {@link #kl} (see {@link GaussianArray} for the weight convention). */
    public void addKlGradient(double klWeight, Parallel pool) {
        weight.addKlGradient(klWeight, pool);
        bias.addKlGradient(klWeight, pool);
    }

    /** Type-II ML update of both prior variances ({@link GaussianArray#updatePriorVariance}). */
    public void updatePriorVariances(Parallel pool) {
        weight.updatePriorVariance(pool);
        bias.updatePriorVariance(pool);
    }

    /** Local-mode noise zeta of the last forward pass ({@code batch x out}); for tests. */
    float[] localNoise() {
        return zeta;
    }

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(float[] in, float[] out, int batch, Parallel pool) {
        if (mode == Mode.MEANS) {
            denseForward(in, weight.mean().value(), bias.mean().value(), out, batch, pool);
        } else if (reparameterisation == Reparameterisation.WEIGHTS) {
            denseForward(in, weight.sample().value(), bias.sample().value(), out, batch, pool);
        } else {
            localForward(in, out, batch, pool);
        }
    }

    private void denseForward(float[] in, float[] w, float[] b, float[] out, int batch, Parallel pool) {
        pool.forBlocks(batch, BATCH_BLOCK, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xo = r * inSize;
                int yo = r * outSize;
                for (int j = 0; j < outSize; j++) {
                    double s = b[j];
                    for (int i = 0; i < inSize; i++) {
                        s += (double) in[xo + i] * w[i * outSize + j];
                    }
                    out[yo + j] = (float) s;
                }
            }
        });
    }

    private void localForward(float[] in, float[] out, int batch, Parallel pool) {
        ensureBatchBuffers(batch);
        float[] mu = weight.mean().value();
        float[] rho = weight.rho().value();
        for (int k = 0; k < varW.length; k++) {
            double sigma = GaussianArray.softplus(rho[k]);
            varW[k] = (float) (sigma * sigma);
        }
        float[] muB = bias.mean().value();
        float[] rhoB = bias.rho().value();
        for (int j = 0; j < outSize; j++) {
            double sigma = GaussianArray.softplus(rhoB[j]);
            varBias[j] = (float) (sigma * sigma);
        }
        long key = noiseKey;
        pool.forBlocks(batch, BATCH_BLOCK, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                Rng rng = Rng.stream(key, r);
                int xo = r * inSize;
                int yo = r * outSize;
                for (int j = 0; j < outSize; j++) {
                    double m = muB[j];
                    double v = varBias[j];
                    for (int i = 0; i < inSize; i++) {
                        double x = in[xo + i];
                        m += x * mu[i * outSize + j];
                        v += x * x * varW[i * outSize + j];
                    }
                    double z = rng.nextGaussian();
                    double s = Math.sqrt(v);
                    zeta[yo + j] = (float) z;
                    sd[yo + j] = (float) s;
                    out[yo + j] = (float) (m + s * z);
                }
            }
        });
    }

    private void ensureBatchBuffers(int batch) {
        int n = batch * outSize;
        if (zeta.length < n) {
            zeta = new float[n];
            sd = new float[n];
        }
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void backward(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool) {
        if (mode == Mode.SAMPLE && reparameterisation == Reparameterisation.LOCAL) {
            localBackward(in, dOut, dIn, batch, pool);
            return;
        }
        boolean sampled = mode == Mode.SAMPLE;
        float[] w = sampled ? weight.sample().value() : weight.mean().value();
        float[] gW = sampled ? weight.sample().grad() : weight.mean().grad();
        float[] gB = sampled ? bias.sample().grad() : bias.mean().grad();
        // dL/dW_ij = sum_b x_bi g_bj, over fixed blocks of weight rows i, summed over b in order
        pool.forBlocks(inSize, WEIGHT_ROW_BLOCK, (blk, from, to) -> {
            java.util.Arrays.fill(accW, from * outSize, to * outSize, 0.0);
            for (int r = 0; r < batch; r++) {
                int xo = r * inSize;
                int go = r * outSize;
                for (int i = from; i < to; i++) {
                    double x = in[xo + i];
                    if (x != 0) {
                        int wo = i * outSize;
                        for (int j = 0; j < outSize; j++) {
                            accW[wo + j] += x * dOut[go + j];
                        }
                    }
                }
            }
            for (int k = from * outSize; k < to * outSize; k++) {
                gW[k] += (float) accW[k];
            }
        });
        for (int j = 0; j < outSize; j++) {
            double s = 0;
            for (int r = 0; r < batch; r++) {
                s += dOut[r * outSize + j];
            }
            gB[j] += (float) s;
        }
        if (dIn != null) {
            pool.forBlocks(batch, BATCH_BLOCK, (blk, from, to) -> {
                for (int r = from; r < to; r++) {
                    int go = r * outSize;
                    for (int i = 0; i < inSize; i++) {
                        int wo = i * outSize;
                        double s = 0;
                        for (int j = 0; j < outSize; j++) {
                            s += (double) dOut[go + j] * w[wo + j];
                        }
                        dIn[r * inSize + i] = (float) s;
                    }
                }
            });
        }
        if (sampled) {
            weight.accumulateGradients(1.0, pool);
            bias.accumulateGradients(1.0, pool);
        }
    }

    /**
     * h_bj = dL/dv_bj = g_bj zeta_bj / (2 sqrt(v_bj)) for entry {@code k = b * out + j}; 0 in the
     * degenerate case v = 0 (all sigmas underflowed), where the output does not depend on sigma.
     */
    private double dLdv(double g, int k) {
        double s = sd[k];
        return s > 0 ? g * zeta[k] / (2.0 * s) : 0.0;
    }

    private void localBackward(float[] in, float[] dOut, float[] dIn, int batch, Parallel pool) {
        float[] mu = weight.mean().value();
        float[] rho = weight.rho().value();
        float[] gMu = weight.mean().grad();
        float[] gRho = weight.rho().grad();
        pool.forBlocks(inSize, WEIGHT_ROW_BLOCK, (blk, from, to) -> {
            java.util.Arrays.fill(accW, from * outSize, to * outSize, 0.0);
            java.util.Arrays.fill(accVarW, from * outSize, to * outSize, 0.0);
            for (int r = 0; r < batch; r++) {
                int xo = r * inSize;
                int go = r * outSize;
                for (int i = from; i < to; i++) {
                    double x = in[xo + i];
                    if (x != 0) {
                        int wo = i * outSize;
                        double xx = x * x;
                        for (int j = 0; j < outSize; j++) {
                            double g = dOut[go + j];
                            accW[wo + j] += x * g;
                            accVarW[wo + j] += xx * dLdv(g, go + j);
                        }
                    }
                }
            }
            for (int k = from * outSize; k < to * outSize; k++) {
                double x = rho[k];
                double sigma = GaussianArray.softplus(x);
                gMu[k] += (float) accW[k];
                gRho[k] += (float) (accVarW[k] * 2 * sigma * GaussianArray.sigmoid(x));
            }
        });
        float[] rhoB = bias.rho().value();
        float[] gMuB = bias.mean().grad();
        float[] gRhoB = bias.rho().grad();
        for (int j = 0; j < outSize; j++) {
            double sg = 0;
            double sh = 0;
            for (int r = 0; r < batch; r++) {
                int k = r * outSize + j;
                sg += dOut[k];
                sh += dLdv(dOut[k], k);
            }
            double x = rhoB[j];
            gMuB[j] += (float) sg;
            gRhoB[j] += (float) (sh * 2 * GaussianArray.softplus(x) * GaussianArray.sigmoid(x));
        }
        if (dIn != null) {
            pool.forBlocks(batch, BATCH_BLOCK, (blk, from, to) -> {
                for (int r = from; r < to; r++) {
                    int go = r * outSize;
                    int xo = r * inSize;
                    for (int i = 0; i < inSize; i++) {
                        int wo = i * outSize;
                        double sMu = 0;
                        double sVar = 0;
                        for (int j = 0; j < outSize; j++) {
                            double g = dOut[go + j];
                            sMu += g * mu[wo + j];
                            sVar += dLdv(g, go + j) * varW[wo + j];
                        }
                        dIn[xo + i] = (float) (sMu + 2 * in[xo + i] * sVar);
                    }
                }
            });
        }
    }
}
