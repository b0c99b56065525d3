package org.varec.optim;

/**
 * Adam (Kingma and Ba 2014) that minimises, over a parameter vector cut into equal blocks (one
 * block per feature: its mean, scale and embedding parameters), with <b>sparse, lazy</b> updates:
 * {@link #step(double[], double[], int)} moves one block only, and a block that is not stepped
 * keeps its moments untouched (they are not decayed while the feature is absent from the batches,
 * as TensorFlow's LazyAdam does). Each block counts its own steps {@code t_b}, and the bias
 * correction uses that count:
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   x -= lr * (m / (1 - b1^t_b)) / (sqrt(v / (1 - b2^t_b)) + eps)
 * </pre>
 * so the first update of a rare feature has the same size as that of a frequent one. With every
 * block stepped every time ({@link #stepAll}) this is textbook Adam.
 *
 * <p>Not thread-safe: one optimiser per parameter vector, stepped from one thread (different
 * blocks may be stepped from different threads).
 */
public final class Adam {
    private final int blockSize;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[] m;
    private final double[] v;
    private final int[] steps;

    public Adam(int size, int blockSize, double lr, double beta1, double beta2, double eps) {
        if (blockSize < 1 || size % blockSize != 0) {
            throw new IllegalArgumentException("size " + size + " is not a multiple of block size " + blockSize);
        }
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("bad Adam settings lr=" + lr + " b1=" + beta1 + " b2=" + beta2 + " eps=" + eps);
        }
        this.blockSize = blockSize;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new double[size];
        this.v = new double[size];
        this.steps = new int[size / blockSize];
    }

    /** Adam with the usual defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. */
    public static Adam of(int size, int blockSize, double lr) {
        return new Adam(size, blockSize, lr, 0.9, 0.999, 1e-8);
    }

    public int blockSize() {
        return blockSize;
    }

    public int numBlocks() {
        return steps.length;
    }

    /** Steps taken by block {@code b}. */
    public int steps(int b) {
        return steps[b];
    }

    /** One descent step of block {@code b}: {@code x[b*bs .. (b+1)*bs)} along gradient {@code g} (same indices). */
    public void step(double[] x, double[] g, int b) {
        int t = ++steps[b];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        int from = b * blockSize;
        int to = from + blockSize;
        for (int j = from; j < to; j++) {
            double gj = g[j];
            double mj = beta1 * m[j] + (1 - beta1) * gj;
            double vj = beta2 * v[j] + (1 - beta2) * gj * gj;
            m[j] = mj;
            v[j] = vj;
            x[j] -= lr * (mj / c1) / (Math.sqrt(vj / c2) + eps);
        }
    }

    /** As {@link #step(double[], double[], int)} over float parameters (moments stay in double). */
    public void step(float[] x, double[] g, int b) {
        int t = ++steps[b];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        int from = b * blockSize;
        int to = from + blockSize;
        for (int j = from; j < to; j++) {
            double gj = g[j];
            double mj = beta1 * m[j] + (1 - beta1) * gj;
            double vj = beta2 * v[j] + (1 - beta2) * gj * gj;
            m[j] = mj;
            v[j] = vj;
            x[j] = (float) (x[j] - lr * (mj / c1) / (Math.sqrt(vj / c2) + eps));
        }
    }

    /** Dense step: every block. */
    public void stepAll(double[] x, double[] g) {
        for (int b = 0; b < steps.length; b++) {
            step(x, g, b);
        }
    }

    /** Dense step over float parameters. */
    public void stepAll(float[] x, double[] g) {
        for (int b = 0; b < steps.length; b++) {
            step(x, g, b);
        }
    }
}
