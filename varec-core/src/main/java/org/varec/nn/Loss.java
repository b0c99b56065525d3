package org.varec.nn;

import org.varec.util.Parallel;

/**
 * Losses of a batch of network outputs against targets, with their gradient. All arrays are
 * {@code batch x cols} row-major; {@code weight} (same shape, or null for all 1) weighs each
 * element's term, so a 0/1 mask gives "observed entries only" losses (AutoRec) and a constant
 * gives a mean. {@link #evaluate} returns the weighted <b>sum</b> over the batch and overwrites
 * {@code dOut} with its gradient with respect to the outputs; callers scale both as they need.
 *
 * <p>Precision: each term and its gradient are computed in double from the float inputs; the sum
 * is accumulated in double, over fixed blocks of rows added in block order, so the value depends on
 * neither the thread count nor the kernel implementation.
 */
public enum Loss {
    /**
     * Half squared error {@code 1/2 sum w (y - t)^2}, gradient {@code w (y - t)}: the negative
     * log-likelihood of a unit-variance Gaussian, up to a constant.
     */
    SQUARED_ERROR {
        @Override
        double rows(float[] y, float[] t, float[] w, float[] d, int from, int to, int cols) {
            double s = 0;
            for (int e = from * cols; e < to * cols; e++) {
                double we = w == null ? 1.0 : w[e];
                double r = (double) y[e] - t[e];
                s += 0.5 * we * r * r;
                d[e] = (float) (we * r);
            }
            return s;
        }
    },
    /**
     * Bernoulli negative log-likelihood on logits z with targets t in [0, 1] (binary cross-entropy
     * with logits): {@code sum w [softplus(z) - t z]}, computed as
     * {@code max(z, 0) - t z + log1p(e^-|z|)} (no overflow); gradient {@code w (sigmoid(z) - t)}.
     */
    LOGISTIC {
        @Override
        double rows(float[] y, float[] t, float[] w, float[] d, int from, int to, int cols) {
            double s = 0;
            for (int e = from * cols; e < to * cols; e++) {
                double we = w == null ? 1.0 : w[e];
                double z = y[e];
                double te = t[e];
                double ez = Math.exp(-Math.abs(z));
                s += we * (Math.max(z, 0) - te * z + Math.log1p(ez));
                double sig = z >= 0 ? 1 / (1 + ez) : ez / (1 + ez);
                d[e] = (float) (we * (sig - te));
            }
            return s;
        }
    },
    /**
     * Multinomial negative log-likelihood of a row of counts t under the softmax of the row's
     * logits z (Mult-VAE, Liang et al. 2018, eq. 3):
     * {@code -sum_j w_j t_j log softmax(z)_j}, with {@code log softmax(z)_j = z_j - lse(z)} and the
     * log-sum-exp taken about the row maximum. Gradient
     * {@code (sum_i w_i t_i) softmax(z)_j - w_j t_j}. Weights weigh the target terms; every logit
     * of the row stays in the softmax.
     */
    MULTINOMIAL {
        @Override
        double rows(float[] y, float[] t, float[] w, float[] d, int from, int to, int cols) {
            double s = 0;
            for (int r = from; r < to; r++) {
                int o = r * cols;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, y[o + j]);
                }
                double sumExp = 0;
                double mass = 0;
                double dotWtz = 0;
                for (int j = 0; j < cols; j++) {
                    sumExp += Math.exp(y[o + j] - max);
                    double wt = (w == null ? 1.0 : w[o + j]) * t[o + j];
                    mass += wt;
                    dotWtz += wt * y[o + j];
                }
                double lse = max + Math.log(sumExp);
                s += mass * lse - dotWtz;
                for (int j = 0; j < cols; j++) {
                    double wt = (w == null ? 1.0 : w[o + j]) * t[o + j];
                    d[o + j] = (float) (mass * Math.exp(y[o + j] - lse) - wt);
                }
            }
            return s;
        }
    };

    /** Rows {@code [from, to)}: their loss terms (summed) and gradients. */
    abstract double rows(float[] y, float[] t, float[] w, float[] d, int from, int to, int cols);

    /**
     * The weighted loss of {@code batch} rows of {@code cols} outputs {@code y} against targets
     * {@code t}, summed; writes d loss / d y into {@code dOut}. {@code weight} may be null.
     */
    public double evaluate(float[] y, float[] t, float[] weight, float[] dOut, int batch, int cols, Parallel pool) {
        int rowsPerBlock = Math.max(1, Kernels.ELEMENT_BLOCK / cols);
        return pool.sumBlocks(batch, rowsPerBlock, (blk, from, to) -> rows(y, t, weight, dOut, from, to, cols));
    }
}
