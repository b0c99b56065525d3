package org.varec.optim;

/**
 * RMSProp (Tieleman and Hinton 2012, lecture 6e) over {@link org.varec.nn.ParamArray}s, lazily on
 * sparse rows (see {@link Optimizer}):
 * <pre>
 *   v = rho v + (1 - rho) g^2          x -= lr * g / (sqrt(v) + eps)
 * </pre>
 * with v starting at 0 and eps outside the square root (PyTorch's form; TensorFlow 1 started v at
 * 1 and put eps inside). No momentum, no centring. Float state.
 */
public final class RmsProp extends LazyRowOptimizer {
    private float lr;
    private final float rho;
    private final float eps;

    public RmsProp(double lr, double rho, double eps) {
        super(1);
        if (!(lr > 0) || !(rho >= 0 && rho < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("bad RMSProp settings lr=" + lr + " rho=" + rho + " eps=" + eps);
        }
        this.lr = (float) lr;
        this.rho = (float) rho;
        this.eps = (float) eps;
    }

    /** The step size of the following steps (a schedule; the running averages v are kept). */
    public void setLearningRate(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("bad RMSProp step size " + lr);
        }
        this.lr = (float) lr;
    }

    /** rho = 0.9, eps = 1e-8. */
    public static RmsProp of(double lr) {
        return new RmsProp(lr, 0.9, 1e-8);
    }

    @Override
    void update(float[] x, float[] g, State s, int from, int to, int t, boolean clear) {
        float[] v = s.m;
        float om = 1f - rho;
        for (int e = from; e < to; e++) {
            float ge = g[e];
            if (clear) {
                g[e] = 0f;
            }
            float ve = rho * v[e] + om * ge * ge;
            v[e] = ve;
            x[e] -= lr * ge / ((float) Math.sqrt(ve) + eps);
        }
    }
}
