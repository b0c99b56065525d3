package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.varec.nn.GaussianArrayTest.assertClose;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GaussianLikelihoodTest {
    private static final double H = 1e-5;

    /** -log N(y | mu, e^t) summed, in double. */
    private static double nll(float[] y, double[] mu, double t) {
        double l = 0;
        for (int b = 0; b < y.length; b++) {
            double r = y[b] - mu[b];
            l += 0.5 * Math.log(2 * Math.PI) + 0.5 * t + r * r / (2 * Math.exp(t));
        }
        return l;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void lossAndGradientsMatchFiniteDifferences(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(40);
        GaussianLikelihood lik = new GaussianLikelihood("noise", 0.05 + 2 * rnd.nextDouble());
        float[] y = new float[n];
        float[] mu = new float[n];
        double[] muD = new double[n];
        for (int b = 0; b < n; b++) {
            y[b] = (float) (3 + rnd.nextGaussian());
            mu[b] = (float) (3 + rnd.nextGaussian());
            muD[b] = mu[b];
        }
        double weight = 0.25 + rnd.nextDouble();
        float[] dMu = new float[n];
        double t = lik.logVariance().value()[0];
        double loss = lik.lossAndGradient(y, mu, dMu, n, weight);
        assertEquals(weight * nll(y, muD, t), loss, 1e-9 * Math.abs(loss));
        assertEquals(nll(y, muD, t), lik.loss(y, mu, n), 1e-9 * Math.abs(loss));
        assertClose(weight * (nll(y, muD, t + H) - nll(y, muD, t - H)) / (2 * H), lik.logVariance().grad()[0], "dt");
        for (int b = 0; b < n; b++) {
            double[] plus = muD.clone();
            double[] minus = muD.clone();
            plus[b] += H;
            minus[b] -= H;
            assertClose(weight * (nll(y, plus, t) - nll(y, minus, t)) / (2 * H), dMu[b], "dmu" + b);
        }
    }
}
