package org.varec.optim;

/**
 * Stochastic gradient descent with heavy-ball momentum (Polyak 1964; the form of Sutskever et al.
 * 2013 and PyTorch) over {@link org.varec.nn.ParamArray}s, lazily on sparse rows (see
 * {@link Optimizer}):
 * <pre>
 *   u = mu u + g          x -= lr * u
 * </pre>
 * u starts at 0; {@code mu = 0} is plain SGD. A sparse row that is not touched keeps its velocity
 * and does not move (dense momentum would keep moving it by {@code lr mu^s u}). Float state.
 */
public final class SgdMomentum extends LazyRowOptimizer {
    private final float lr;
    private final float mu;

    public SgdMomentum(double lr, double momentum) {
        super(1);
        if (!(lr > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("bad SGD settings lr=" + lr + " momentum=" + momentum);
        }
        this.lr = (float) lr;
        this.mu = (float) momentum;
    }

    @Override
    void update(float[] x, float[] g, State s, int from, int to, int t, boolean clear) {
        float[] u = s.m;
        for (int e = from; e < to; e++) {
            float ue = mu * u[e] + g[e];
            if (clear) {
                g[e] = 0f;
            }
            u[e] = ue;
            x[e] -= lr * ue;
        }
    }
}
