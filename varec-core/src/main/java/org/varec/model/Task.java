package org.varec.model;

import java.util.Locale;

/**
 * What a model predicts: {@code regression} (the rating itself) or {@code classification} (the
 * probability of class 1 of 0/1 targets, e.g. ratings at or above a threshold, see
 * {@link org.varec.data.Dataset#binarized}). A core concept: the experiment runner measures ACC,
 * AUC and MAP for classification, {@link Algorithm#parseConfig(Params, Task)} passes it to an
 * algorithm's {@code task} parameter (and refuses classification for algorithms without one),
 * and every algorithm that has the parameter declares it with this type.
 */
public enum Task {
    REGRESSION, CLASSIFICATION;

    public static Task parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "regression", "r" -> REGRESSION;
            case "classification", "c" -> CLASSIFICATION;
            default -> throw new IllegalArgumentException("task must be regression or classification, got '" + s + "'");
        };
    }

    /** The task of {@code config}: its {@code task} parameter, regression when it has none. */
    public static Task of(AlgorithmConfig config) {
        Object t = config.toMap().get("task");
        return t == null ? REGRESSION : parse(t.toString());
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
