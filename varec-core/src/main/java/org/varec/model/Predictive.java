package org.varec.model;

/**
 * A predictive distribution summarised by its mean and variance (of the rating itself, noise
 * included).
 */
public record Predictive(double mean, double variance) {
    public Predictive {
        if (!(variance >= 0)) {
            throw new IllegalArgumentException("variance must be >= 0, got " + variance);
        }
    }

    public double sd() {
        return Math.sqrt(variance);
    }
}
