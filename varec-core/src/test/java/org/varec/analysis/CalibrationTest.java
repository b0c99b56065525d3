package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varec.stats.Rng;

class CalibrationTest {
    private static final int N = 40_000;

    /**
     * Test ratings drawn from the predictive itself, {@code y_r ~ N(m_r, s_r^2)} with varied means and
     * variances, and the predictive reported with standard deviation {@code s_r * scale}.
     */
    private static Calibration predictive(long seed, double scale, double[] levels) {
        Rng rng = new Rng(seed);
        float[] actual = new float[N];
        double[] mean = new double[N];
        double[] variance = new double[N];
        for (int r = 0; r < N; r++) {
            mean[r] = 1 + 4 * rng.nextDouble();
            double sd = 0.2 + rng.nextDouble();
            actual[r] = (float) (mean[r] + sd * rng.nextGaussian());
            variance[r] = sd * scale * sd * scale;
        }
        return Calibration.measure(actual, mean, variance, levels);
    }

    @Test
    void aPerfectlyCalibratedPredictiveCoversItsNominalShare() {
        double[] levels = {0.1, 0.5, 0.8, 0.9, 0.95, 0.99};
        Calibration c = predictive(1, 1, levels);
        assertArrayEquals(levels, c.nominal());
        for (int l = 0; l < levels.length; l++) {
            // binomial standard error of a share over N ratings; allow four of them (and the float rounding of y)
            double se = Math.sqrt(levels[l] * (1 - levels[l]) / N);
            assertEquals(levels[l], c.empirical()[l], 4 * se + 1e-4, "level " + levels[l]);
        }
        assertTrue(c.maxGap() < 0.01, "max gap " + c.maxGap());
    }

    @Test
    void overConfidenceFallsBelowTheDiagonalAndUnderConfidenceAbove() {
        double[] levels = Calibration.defaultLevels();
        Calibration narrow = predictive(2, 0.5, levels);
        Calibration wide = predictive(2, 2, levels);
        for (int l = 0; l < levels.length; l++) {
            assertTrue(narrow.empirical()[l] < levels[l] - 0.1, "over-confident at " + levels[l]);
            assertTrue(wide.empirical()[l] > levels[l] + 0.03, "under-confident at " + levels[l]);
        }
        // intervals half as wide hold the share of a Gaussian within z/2: at 90%, 2 Phi(0.822) - 1 = 0.589
        assertEquals(0.589, narrow.empirical()[1], 0.01);
    }

    @Test
    void coverageIsReadFromMetricsAscendingByLevel() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rmse", 0.9);
        metrics.put("coverage_95", 0.93);
        metrics.put("coverage_50", 0.47);
        metrics.put("coverage_90", 0.86);
        metrics.put("coverage_xx", 0.5);
        metrics.put("coverage_80", Double.NaN);
        Calibration c = Calibration.of(metrics);
        assertArrayEquals(new double[] {0.5, 0.9, 0.95}, c.nominal());
        assertArrayEquals(new double[] {0.47, 0.86, 0.93}, c.empirical());
        assertEquals(0.04, c.maxGap(), 1e-12);
        assertTrue(Calibration.of(Map.of("rmse", 1.0)).isEmpty());
        assertEquals("coverage_95", Calibration.metricName(0.95));
    }

    @Test
    void badInputsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.measure(new float[] {1}, new double[] {1}, new double[] {1}, new double[] {0.9, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.measure(new float[] {1}, new double[] {1}, new double[] {1}, new double[] {1.0}));
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.measure(new float[] {1, 2}, new double[] {1}, new double[] {1}, new double[] {0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.measure(new float[0], new double[0], new double[0], new double[] {0.5}));
    }
}
