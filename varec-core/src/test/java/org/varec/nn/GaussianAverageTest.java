package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.util.Parallel;

class GaussianAverageTest {

    /**
     * After t iterates the average holds, per entry, the arithmetic mean of the means and of the
     * variances softplus(rho)^2 (computed here in double from the iterates kept aside); with one
     * iterate it is that iterate; prior variances (and groups) and shape are the source's; 1 and
     * 2 threads give the same bits.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void averagesMeansAndVariancesOfTheIterates(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 3 + rnd.nextInt(40);
        int cols = 2 * (1 + rnd.nextInt(5));
        GaussianArray q = GaussianArrayTest.randomArray(rnd, rows, cols, seed % 2 == 0);
        q.setPriorVariance(0.3);
        if (seed == 3) {
            q.usePriorGroups(2);
            q.setGroupPriorVariance(0, 0.07);
        }
        int steps = 1 + rnd.nextInt(6);
        double[] sumMean = new double[q.size()];
        double[] sumVar = new double[q.size()];
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            GaussianAverage a = new GaussianAverage(q);
            assertSame(q, a.average(), "nothing averaged yet: the source");
            GaussianAverage b = new GaussianAverage(q);
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < q.size(); i++) { // the next iterate
                    q.mean().value()[i] += (float) rnd.nextGaussian();
                    q.rho().value()[i] = (float) (-8 + 11 * rnd.nextDouble());
                    double s = GaussianArray.softplus(q.rho().value()[i]);
                    sumMean[i] += q.mean().value()[i];
                    sumVar[i] += s * s;
                }
                a.add(one);
                b.add(two);
            }
            assertEquals(steps, a.count());
            GaussianArray avg = a.average();
            GaussianArray avg2 = b.average();
            assertEquals(q.rows(), avg.rows());
            assertEquals(q.cols(), avg.cols());
            assertEquals(q.isSparse(), avg.isSparse());
            assertEquals(q.name(), avg.name());
            for (int c = 0; c < cols; c++) {
                assertEquals(q.priorVariance(c), avg.priorVariance(c), 0, "column " + c);
            }
            assertEquals(q.priorGroupWidth(), avg.priorGroupWidth());
            for (int i = 0; i < q.size(); i++) {
                double m = sumMean[i] / steps;
                double v = sumVar[i] / steps;
                assertEquals(m, avg.mean().value()[i], 1e-6 * Math.max(1, Math.abs(m)), "mean " + i);
                assertEquals(Math.sqrt(v), avg.sigma(i), 2e-6 * Math.sqrt(v), "sigma " + i);
                if (steps == 1) {
                    assertEquals(q.mean().value()[i], avg.mean().value()[i], 0);
                }
                assertEquals(avg.mean().value()[i], avg2.mean().value()[i], 0);
                assertEquals(avg.rho().value()[i], avg2.rho().value()[i], 0);
            }
        }
    }
}
