package org.varec.optim;

import java.util.List;
import org.varec.nn.ParamArray;

/**
 * Gradient clipping by global norm (Pascanu, Mikolov and Bengio 2013): when the Euclidean norm of
 * all gradients together exceeds {@code maxNorm}, every gradient is scaled by
 * {@code maxNorm / norm}, which keeps the direction of the step. Sparse arrays contribute and are
 * scaled on their touched rows only (their other rows hold no gradient). The norm is accumulated in
 * double, arrays in list order and elements in index order.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The global gradient norm of {@code params}. */
    public static double globalNorm(List<ParamArray> params) {
        double s = 0;
        for (ParamArray p : params) {
            float[] g = p.grad();
            int cols = p.cols();
            int n = p.numTouched();
            for (int k = 0; k < n; k++) {
                int from = p.touchedRow(k) * cols;
                for (int e = from; e < from + cols; e++) {
                    s += (double) g[e] * g[e];
                }
            }
        }
        return Math.sqrt(s);
    }

    /** Scales the gradients so that their global norm is at most {@code maxNorm}; returns the norm before clipping. */
    public static double clipGlobalNorm(List<ParamArray> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(params);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (ParamArray p : params) {
                float[] g = p.grad();
                int cols = p.cols();
                int n = p.numTouched();
                for (int k = 0; k < n; k++) {
                    int from = p.touchedRow(k) * cols;
                    for (int e = from; e < from + cols; e++) {
                        g[e] *= scale;
                    }
                }
            }
        }
        return norm;
    }
}
