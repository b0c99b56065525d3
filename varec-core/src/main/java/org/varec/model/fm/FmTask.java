package org.varec.model.fm;

import java.util.Locale;

/**
 * What a factorization machine predicts: {@code regression} (the rating itself, squared loss or
 * Gaussian noise) or {@code classification} (the probability of class 1; targets are 0 or 1).
 * The parameter is called {@code task} with these exact values in every FM algorithm.
 */
public enum FmTask {
    REGRESSION, CLASSIFICATION;

    public static FmTask parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "regression", "r" -> REGRESSION;
            case "classification", "c" -> CLASSIFICATION;
            default -> throw new IllegalArgumentException("parameter task must be regression or classification, got '"
                    + s + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
