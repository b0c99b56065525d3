package org.varec.optim;

import org.varec.nn.Kernels;

/**
 * Adam (Kingma and Ba 2014, Algorithm 1) over {@link org.varec.nn.ParamArray}s, lazily on sparse
 * rows (see {@link Optimizer}), with the bias correction of each row's own step count {@code t}:
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   x -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * the same rule as the double-block {@link Adam} of the factorization machines, which it leaves
 * unchanged. Moments are float (like the parameters); the corrections are computed in double once
 * per row.
 *
 * <p><b>Weight decay</b> ({@link #withWeightDecay}, 0 by default): decoupled, as AdamW (Loshchilov
 * and Hutter 2019, Algorithm 2): before its Adam update each updated element of a weight array
 * (not of a bias array, {@code *.b}) is multiplied by {@code 1 - lr wd}, with {@code lr} the current
 * step size. Lazily, like the update: a sparse row decays on the steps that update it. Unlike an L2
 * term in the loss it is not rescaled by the moments, so rarely and often updated weights shrink
 * alike per step.
 */
public final class ParamAdam extends LazyRowOptimizer {
    private float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final double b1;
    private final double b2;
    private float weightDecay;

    public ParamAdam(double lr, double beta1, double beta2, double eps) {
        super(2);
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("bad Adam settings lr=" + lr + " b1=" + beta1 + " b2=" + beta2 + " eps=" + eps);
        }
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.b1 = beta1;
        this.b2 = beta2;
    }

    /** The step size of the following steps (a schedule; the moments are kept). */
    public void setLearningRate(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("bad Adam step size " + lr);
        }
        this.lr = (float) lr;
        this.cached = 0;
    }

    /** Sets the decoupled weight decay {@code wd >= 0} (class comment); returns this optimiser. */
    public ParamAdam withWeightDecay(double wd) {
        if (!(wd >= 0) || Double.isInfinite(wd)) {
            throw new IllegalArgumentException("bad weight decay " + wd);
        }
        this.weightDecay = (float) wd;
        return this;
    }

    /** The usual defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. */
    public static ParamAdam of(double lr) {
        return new ParamAdam(lr, 0.9, 0.999, 1e-8);
    }

    /** Per step number t (index t): the step size {@code lr / (1 - b1^t)} and {@code 1 / (1 - b2^t)}, as floats. */
    private float[] stepSizes = new float[1];
    private float[] invC2s = new float[1];
    /** Entries of {@link #stepSizes} valid for the current step size. */
    private int cached;

    @Override
    void beforeStep(int maxStep) {
        // two Math.pow per row and step were a tenth of a VAE-BMF iteration: tabulate them (same values)
        if (maxStep >= stepSizes.length) {
            int len = Math.max(maxStep + 1, 2 * stepSizes.length);
            stepSizes = java.util.Arrays.copyOf(stepSizes, len);
            invC2s = java.util.Arrays.copyOf(invC2s, len);
        }
        for (int t = Math.max(1, cached); t <= maxStep; t++) {
            stepSizes[t] = (float) (lr / (1 - Math.pow(b1, t)));
            invC2s[t] = (float) (1 / (1 - Math.pow(b2, t)));
        }
        cached = Math.max(cached, maxStep + 1);
    }

    @Override
    boolean stepsFactored() {
        return true;
    }

    @Override
    void updateRank1(float[] x, State s, int from, int rows, int cols, org.varec.nn.ParamArray.FactoredGrad f, int q,
                     int c0, int t) {
        Kernels.adamRank1(x, s.m, s.v, from, rows, cols, f.coef(), q * f.block() + c0, f.dir(), q * cols, beta1,
                1f - beta1, beta2, 1f - beta2, stepSizes[t], invC2s[t], eps, keep(s));
    }

    @Override
    void update(float[] x, float[] g, State s, int from, int to, int t, boolean clear) {
        Kernels.adam(x, g, s.m, s.v, from, to, beta1, 1f - beta1, beta2, 1f - beta2, stepSizes[t], invC2s[t], eps,
                keep(s), clear);
    }

    /** The factor {@code 1 - lr wd} of a weight array's updated elements (1 without decay or for biases), in the kernel's update. */
    private float keep(State s) {
        return weightDecay == 0 || !s.decays ? 1f : 1f - lr * weightDecay;
    }
}
