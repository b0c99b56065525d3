package org.varec.analysis;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.varec.stats.Normal;

/**
 * How well a model's predictive uncertainty is calibrated: for central predictive intervals of
 * nominal level {@code l} (the interval {@code mean +- z sd} with {@code z = Phi^-1((1 + l) / 2)},
 * which holds a share {@code l} of a Gaussian predictive), the share of test ratings that fell
 * inside. A calibrated model has empirical = nominal; below the diagonal it is over-confident
 * (intervals too narrow), above it under-confident. Evaluation reports the shares as metrics
 * {@code coverage_50}, {@code coverage_90}, {@code coverage_95} for models with a predictive
 * variance.
 *
 * @param nominal   nominal levels in (0, 1), ascending
 * @param empirical share of ratings inside the interval of each level, in [0, 1]
 */
public record Calibration(double[] nominal, double[] empirical) {
    /** Prefix of the coverage metric of a level: {@code coverage_90} is the empirical coverage at 0.90. */
    public static final String METRIC_PREFIX = "coverage_";

    public Calibration {
        if (nominal.length != empirical.length) {
            throw new IllegalArgumentException(nominal.length + " nominal levels, " + empirical.length + " coverages");
        }
    }

    /** The levels evaluation reports: 50, 90 and 95%. */
    public static double[] defaultLevels() {
        return new double[] {0.50, 0.90, 0.95};
    }

    /** The metric name of {@code level}: {@code coverage_} and the level in whole percent. */
    public static String metricName(double level) {
        return METRIC_PREFIX + Math.round(level * 100);
    }

    /**
     * The calibration in a set of metrics (name to value, e.g. the means of an experiment's
     * summary): every {@code coverage_NN} with NN a whole percentage and a finite value, ascending
     * by level. Empty when there are none.
     */
    public static Calibration of(Map<String, Double> metrics) {
        TreeMap<Double, Double> byLevel = new TreeMap<>();
        metrics.forEach((name, value) -> {
            if (name.startsWith(METRIC_PREFIX) && value != null && Double.isFinite(value)) {
                try {
                    byLevel.put(Integer.parseInt(name.substring(METRIC_PREFIX.length())) / 100.0, value);
                } catch (NumberFormatException notALevel) {
                    // another metric that happens to share the prefix
                }
            }
        });
        double[] nominal = new double[byLevel.size()];
        double[] empirical = new double[byLevel.size()];
        int k = 0;
        for (Map.Entry<Double, Double> e : byLevel.entrySet()) {
            nominal[k] = e.getKey();
            empirical[k++] = e.getValue();
        }
        return new Calibration(nominal, empirical);
    }

    /**
     * Measures calibration on test ratings: rating {@code actual[r]} is inside the interval of level
     * {@code l} when {@code |actual[r] - mean[r]| / sd[r] <= Phi^-1((1 + l) / 2)}, with {@code sd[r]}
     * the square root of {@code variance[r]} floored at 1e-12 (a zero variance would make every
     * interval a point).
     *
     * @param levels nominal levels in (0, 1), ascending
     */
    public static Calibration measure(float[] actual, double[] mean, double[] variance, double[] levels) {
        int n = actual.length;
        if (mean.length != n || variance.length != n) {
            throw new IllegalArgumentException(n + " ratings, " + mean.length + " means, " + variance.length + " variances");
        }
        if (n == 0) {
            throw new IllegalArgumentException("no ratings to measure calibration on");
        }
        double[] z = new double[levels.length];
        for (int l = 0; l < levels.length; l++) {
            if (!(levels[l] > 0 && levels[l] < 1) || (l > 0 && levels[l] <= levels[l - 1])) {
                throw new IllegalArgumentException("levels must ascend within (0, 1), got " + Arrays.toString(levels));
            }
            z[l] = Normal.quantile((1 + levels[l]) / 2);
        }
        long[] inside = new long[levels.length];
        for (int r = 0; r < n; r++) {
            double standardized = Math.abs(actual[r] - mean[r]) / Math.sqrt(Math.max(variance[r], 1e-12));
            for (int l = 0; l < levels.length; l++) {
                if (standardized <= z[l]) {
                    inside[l]++;
                }
            }
        }
        double[] empirical = new double[levels.length];
        for (int l = 0; l < levels.length; l++) {
            empirical[l] = inside[l] / (double) n;
        }
        return new Calibration(levels.clone(), empirical);
    }

    /** Number of levels. */
    public int size() {
        return nominal.length;
    }

    public boolean isEmpty() {
        return nominal.length == 0;
    }

    /** The largest gap {@code |empirical - nominal|} over the levels (0 when empty). */
    public double maxGap() {
        double gap = 0;
        for (int l = 0; l < nominal.length; l++) {
            gap = Math.max(gap, Math.abs(empirical[l] - nominal[l]));
        }
        return gap;
    }
}
