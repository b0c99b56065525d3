package org.varec.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch (sweep, sample) of training: its number (1-based), wall seconds it took, and named
 * figures in a stable order ({@code loss}, {@code elbo}, {@code train_rmse}, {@code val_rmse}...).
 * Progress bars, history plots, early stopping and the model file's history are all built on
 * this one record.
 */
public record EpochReport(int epoch, double seconds, Map<String, Double> figures) {
    public EpochReport {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** The figure, or NaN when this epoch did not report it. */
    public double figure(String name) {
        Double v = figures.get(name);
        return v == null ? Double.NaN : v;
    }

    /** Starts a report for {@code epoch}; add figures with {@link Builder#put}. */
    public static Builder builder(int epoch) {
        return new Builder(epoch);
    }

    public static final class Builder {
        private final int epoch;
        private final Map<String, Double> figures = new LinkedHashMap<>();

        private Builder(int epoch) {
            this.epoch = epoch;
        }

        public Builder put(String name, double value) {
            figures.put(name, value);
            return this;
        }

        /** The first figure so far that is NaN or infinite, as {@code name = value}; null when all are finite. */
        public String firstNonFinite() {
            for (Map.Entry<String, Double> e : figures.entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    return e.getKey() + " = " + e.getValue();
                }
            }
            return null;
        }

        public EpochReport build(double seconds) {
            return new EpochReport(epoch, seconds, figures);
        }
    }
}
