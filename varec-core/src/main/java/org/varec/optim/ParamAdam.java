package org.varec.optim;

/**
 * Adam (Kingma and Ba 2014, Algorithm 1) over {@link org.varec.nn.ParamArray}s, lazily on sparse
 * rows (see {@link Optimizer}), with the bias correction of each row's own step count {@code t}:
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   x -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * the same rule as the double-block {@link Adam} of the factorization machines, which it leaves
 * unchanged. No weight decay: put L2 terms in the loss. Moments are float (like the parameters);
 * the corrections are computed in double once per row.
 */
public final class ParamAdam extends LazyRowOptimizer {
    private float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final double b1;
    private final double b2;

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
    }

    /** The usual defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. */
    public static ParamAdam of(double lr) {
        return new ParamAdam(lr, 0.9, 0.999, 1e-8);
    }

    @Override
    void update(float[] x, float[] g, State s, int from, int to, int t) {
        float[] m = s.m;
        float[] v = s.v;
        float stepSize = (float) (lr / (1 - Math.pow(b1, t)));
        float invC2 = (float) (1 / (1 - Math.pow(b2, t)));
        float om1 = 1f - beta1;
        float om2 = 1f - beta2;
        for (int e = from; e < to; e++) {
            float ge = g[e];
            float me = beta1 * m[e] + om1 * ge;
            float ve = beta2 * v[e] + om2 * ge * ge;
            m[e] = me;
            v[e] = ve;
            x[e] -= stepSize * me / ((float) Math.sqrt(ve * invC2) + eps);
        }
    }
}
