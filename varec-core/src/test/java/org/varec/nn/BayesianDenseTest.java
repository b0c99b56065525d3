package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.varec.nn.GaussianArrayTest.assertClose;
import static org.varec.nn.GaussianArrayTest.toDouble;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varec.nn.BayesianDense.Reparameterisation;
import org.varec.util.Parallel;

class BayesianDenseTest {
    private static final double H = 1e-5;

    static Stream<Arguments> cases() {
        return Stream.of(1L, 2L, 3L, 4L, 5L, 6L).flatMap(seed -> Stream.of(
                Arguments.of(seed, Reparameterisation.WEIGHTS),
                Arguments.of(seed, Reparameterisation.LOCAL)));
    }

    /** The double-precision reference of one stochastic forward pass with the layer's own noise, from (mu, rho) of W and b. */
    private record Reference(BayesianDense layer, double[] x, int batch, double[] c) {
        int in() {
            return layer.inputSize();
        }

        int out() {
            return layer.outputSize();
        }

        /** L = sum_bj c_bj out_bj + out_bj^2 / 2 for the given parameters and input; noise fixed. */
        double loss(double[] muW, double[] rhoW, double[] muB, double[] rhoB, double[] xs, boolean means) {
            float[] epsW = layer.weight().noise();
            float[] epsB = layer.bias().noise();
            float[] zeta = layer.localNoise();
            boolean local = layer.reparameterisation() == Reparameterisation.LOCAL;
            double loss = 0;
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < out(); j++) {
                    double y;
                    if (means) {
                        y = muB[j];
                        for (int i = 0; i < in(); i++) {
                            y += xs[r * in() + i] * muW[i * out() + j];
                        }
                    } else if (!local) {
                        y = muB[j] + GaussianArray.softplus(rhoB[j]) * epsB[j];
                        for (int i = 0; i < in(); i++) {
                            int k = i * out() + j;
                            y += xs[r * in() + i] * (muW[k] + GaussianArray.softplus(rhoW[k]) * epsW[k]);
                        }
                    } else {
                        double sb = GaussianArray.softplus(rhoB[j]);
                        double m = muB[j];
                        double v = sb * sb;
                        for (int i = 0; i < in(); i++) {
                            int k = i * out() + j;
                            double x = xs[r * in() + i];
                            double s = GaussianArray.softplus(rhoW[k]);
                            m += x * muW[k];
                            v += x * x * s * s;
                        }
                        y = m + Math.sqrt(v) * zeta[r * out() + j];
                    }
                    loss += c[r * out() + j] * y + 0.5 * y * y;
                }
            }
            return loss;
        }
    }

    /** Gradients w.r.t. weight and bias means and rhos and w.r.t. the input, against central differences in double. */
    @ParameterizedTest
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(long seed, Reparameterisation mode) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int in = 1 + rnd.nextInt(seed % 3 == 0 ? 20 : 6);
        int out = 1 + rnd.nextInt(5);
        int batch = 1 + rnd.nextInt(seed % 2 == 0 ? 130 : 9);
        BayesianDense layer = new BayesianDense("dense", in, out, mode);
        randomise(layer, rnd);
        float[] x = new float[batch * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble() < 0.1 ? 0f : (float) rnd.nextGaussian();
        }
        double[] c = new double[batch * out];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextGaussian();
        }
        for (boolean means : new boolean[] {false, true}) {
            try (Parallel pool = new Parallel(1 + rnd.nextInt(3))) {
                for (ParamArray p : layer.params()) {
                    p.zeroGrad();
                }
                if (means) {
                    layer.useMeans();
                } else {
                    layer.drawNoise(seed, 3, 1, pool);
                }
                float[] y = new float[batch * out];
                float[] dy = new float[batch * out];
                float[] dx = new float[batch * in];
                layer.forward(x, y, batch, pool);
                for (int k = 0; k < y.length; k++) {
                    dy[k] = (float) (c[k] + y[k]);
                }
                layer.backward(x, y, dy, dx, batch, pool);
                Reference ref = new Reference(layer, toDouble(x), batch, c);
                double[] muW = toDouble(layer.weight().mean().value());
                double[] rhoW = toDouble(layer.weight().rho().value());
                double[] muB = toDouble(layer.bias().mean().value());
                double[] rhoB = toDouble(layer.bias().rho().value());
                double[] xs = toDouble(x);
                String tag = mode + (means ? " means " : " sampled ");
                check(layer.weight().mean().grad(), muW, v -> ref.loss(v, rhoW, muB, rhoB, xs, means), tag + "dmuW");
                check(layer.weight().rho().grad(), rhoW, v -> ref.loss(muW, v, muB, rhoB, xs, means), tag + "drhoW");
                check(layer.bias().mean().grad(), muB, v -> ref.loss(muW, rhoW, v, rhoB, xs, means), tag + "dmuB");
                check(layer.bias().rho().grad(), rhoB, v -> ref.loss(muW, rhoW, muB, v, xs, means), tag + "drhoB");
                check(dx, xs, v -> ref.loss(muW, rhoW, muB, rhoB, v, means), tag + "dx");
                // the forward pass itself agrees with the reference (loss of the float outputs)
                double fromOutputs = 0;
                for (int k = 0; k < y.length; k++) {
                    fromOutputs += c[k] * y[k] + 0.5 * (double) y[k] * y[k];
                }
                double exact = ref.loss(muW, rhoW, muB, rhoB, xs, means);
                assertEquals(exact, fromOutputs, 1e-5 * Math.max(1, Math.abs(exact)), tag + "forward");
            }
        }
    }

    /** The same seed gives the same outputs and gradients on 1 and 3 threads. */
    @ParameterizedTest
    @MethodSource("cases")
    void resultsDoNotDependOnTheThreadCount(long seed, Reparameterisation mode) {
        float[][] first = null;
        for (int threads : new int[] {1, 3}) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int in = 30;
            int out = 4;
            int batch = 200;
            BayesianDense layer = new BayesianDense("d", in, out, mode);
            randomise(layer, rnd);
            float[] x = new float[batch * in];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            float[] y = new float[batch * out];
            float[] dx = new float[batch * in];
            try (Parallel pool = new Parallel(threads)) {
                layer.drawNoise(seed, 0, 0, pool);
                layer.forward(x, y, batch, pool);
                layer.backward(x, y, y, dx, batch, pool);
            }
            float[][] got = {y, dx, layer.weight().mean().grad(), layer.weight().rho().grad(),
                    layer.bias().mean().grad(), layer.bias().rho().grad()};
            if (first == null) {
                first = got;
            } else {
                for (int k = 0; k < got.length; k++) {
                    assertArrayEquals(first[k], got[k], mode + " array " + k);
                }
            }
        }
    }

    private static void randomise(BayesianDense layer, SplittableRandom rnd) {
        for (GaussianArray g : new GaussianArray[] {layer.weight(), layer.bias()}) {
            for (int i = 0; i < g.size(); i++) {
                g.mean().value()[i] = (float) rnd.nextGaussian();
                g.rho().value()[i] = (float) (-4 + 4.5 * rnd.nextDouble());
            }
        }
    }

    private static void check(float[] analytic, double[] at, java.util.function.Function<double[], Double> loss, String what) {
        for (int k = 0; k < at.length; k++) {
            double[] plus = Arrays.copyOf(at, at.length);
            double[] minus = Arrays.copyOf(at, at.length);
            plus[k] += H;
            minus[k] -= H;
            double fd = (loss.apply(plus) - loss.apply(minus)) / (2 * H);
            assertClose(fd, analytic[k], what + "[" + k + "]");
        }
    }
}
