package org.varec.metrics;

import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.model.RatingModel;

/** Rating-prediction errors. Predictions are clamped to the rating scale when it is bounded. */
public final class RegressionMetrics {
    private RegressionMetrics() {
    }

    /** Root mean squared error of {@code predicted} against {@code actual}. */
    public static double rmse(float[] actual, double[] predicted) {
        check(actual, predicted);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - predicted[i];
            s += d * d;
        }
        return Math.sqrt(s / actual.length);
    }

    /** Mean absolute error. */
    public static double mae(float[] actual, double[] predicted) {
        check(actual, predicted);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += Math.abs(actual[i] - predicted[i]);
        }
        return s / actual.length;
    }

    /** The model's predictions for every rating in {@code test}, clamped to {@code scale}. */
    public static double[] predict(RatingModel model, Interactions test, RatingScale scale) {
        int[] u = test.users();
        int[] it = test.items();
        double[] p = new double[test.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = scale.clamp(model.predict(u[k], it[k]));
        }
        return p;
    }

    /** RMSE of the model on {@code test}, predictions clamped to {@code scale}. */
    public static double rmse(RatingModel model, Interactions test, RatingScale scale) {
        return rmse(test.values(), predict(model, test, scale));
    }

    private static void check(float[] actual, double[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("lengths differ: " + actual.length + " vs " + predicted.length);
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("no ratings to evaluate");
        }
    }
}
