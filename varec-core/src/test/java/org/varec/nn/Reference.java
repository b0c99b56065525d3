package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.varec.stats.Rng;

/**
 * Double-precision references for the gradient checks: the textbook forward computations, written
 * independently of the kernels, and central finite differences on them.
 */
final class Reference {
    private Reference() {
    }

    static float[] gaussian(Rng rng, int n, double sd) {
        float[] v = new float[n];
        for (int e = 0; e < n; e++) {
            v[e] = (float) (sd * rng.nextGaussian());
        }
        return v;
    }

    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int e = 0; e < v.length; e++) {
            d[e] = v[e];
        }
        return d;
    }

    /** y = x W + b (b may be null) in double. */
    static double[] affine(double[] x, double[] w, double[] b, int batch, int in, int out) {
        double[] y = new double[batch * out];
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[i * out + o];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    static double activation(Activation f, double x) {
        return switch (f) {
            case IDENTITY -> x;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(x, 0);
            case SOFTPLUS -> Math.log1p(Math.exp(x));
        };
    }

    static double[] activation(Activation f, double[] x) {
        double[] y = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            y[e] = activation(f, x[e]);
        }
        return y;
    }

    static double dot(double[] a, float[] b) {
        double s = 0;
        for (int e = 0; e < a.length; e++) {
            s += a[e] * b[e];
        }
        return s;
    }

    /**
     * Central differences of {@code loss} with respect to every element of {@code at} (perturbed in
     * place and restored): step {@code h (1 + |x|)}.
     */
    static double[] numericGradient(double[] at, ToDoubleFunction<double[]> loss, double h) {
        double[] g = new double[at.length];
        for (int e = 0; e < at.length; e++) {
            double x = at[e];
            double step = h * (1 + Math.abs(x));
            at[e] = x + step;
            double up = loss.applyAsDouble(at);
            at[e] = x - step;
            double down = loss.applyAsDouble(at);
            at[e] = x;
            g[e] = (up - down) / (2 * step);
        }
        return g;
    }

    /** Every analytic (float) derivative within {@code abs + rel |numeric|} of the numeric one. */
    static void assertGradient(String what, float[] analytic, double[] numeric, double abs, double rel) {
        for (int e = 0; e < numeric.length; e++) {
            double tol = abs + rel * Math.abs(numeric[e]);
            int idx = e;
            assertTrue(Math.abs(analytic[e] - numeric[e]) <= tol,
                    () -> what + "[" + idx + "]: analytic " + analytic[idx] + " vs numeric " + numeric[idx]);
        }
    }

    /** Within {@code ulps} float ulps of the larger magnitude, or within {@code abs}. */
    static void assertCloseUlps(String what, float[] expected, float[] actual, int n, int ulps, float abs) {
        for (int e = 0; e < n; e++) {
            float tol = Math.max(abs, ulps * Math.max(Math.ulp(expected[e]), Math.ulp(actual[e])));
            int idx = e;
            assertTrue(Math.abs(expected[e] - actual[e]) <= tol,
                    () -> what + "[" + idx + "]: " + expected[idx] + " vs " + actual[idx]);
        }
    }
}
