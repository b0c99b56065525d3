package org.varec.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.varec.model.TrainedModel;
import org.varec.train.EpochReport;

/**
 * One training run's per-epoch reports under a label (a model file, an experiment), as the
 * training loop recorded them: what training curves are drawn from.
 *
 * @param label     what the run is called (one line per label on a chart)
 * @param algorithm registry name of the algorithm trained
 * @param epochs    the reports, first epoch first
 */
public record TrainingHistory(String label, String algorithm, List<EpochReport> epochs) {
    /** The figures a chart of several histories shows by default, in order of preference. */
    private static final List<String> PREFERRED = List.of("val_rmse", "train_rmse", "elbo", "loss");

    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** The history stored in a model file's provenance. */
    public static TrainingHistory of(String label, TrainedModel m) {
        return new TrainingHistory(label, m.algorithm(), m.provenance().history());
    }

    /**
     * One figure of one history per epoch.
     *
     * @param label  the history's label
     * @param epochs epoch numbers (1-based) of the epochs that reported a finite value
     * @param values the values
     */
    public record Curve(String label, double[] epochs, double[] values) {
    }

    /**
     * The (epoch, value) points of figure {@code name}, leaving out epochs without a finite value;
     * null when there are none.
     */
    public Curve curve(String name) {
        int n = 0;
        for (EpochReport e : epochs) {
            n += Double.isFinite(e.figure(name)) ? 1 : 0;
        }
        if (n == 0) {
            return null;
        }
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (EpochReport e : epochs) {
            double v = e.figure(name);
            if (Double.isFinite(v)) {
                x[k] = e.epoch();
                y[k++] = v;
            }
        }
        return new Curve(label, x, y);
    }

    /** Names of the figures any of {@code histories} reports, in first-seen order. */
    public static List<String> figures(List<TrainingHistory> histories) {
        Set<String> names = new LinkedHashSet<>();
        for (TrainingHistory h : histories) {
            for (EpochReport e : h.epochs()) {
                names.addAll(e.figures().keySet());
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * The figure to show when none is asked for: {@code val_rmse}, else {@code train_rmse},
     * {@code elbo}, {@code loss}, else the first any history reports; null when they report none.
     */
    public static String defaultFigure(List<TrainingHistory> histories) {
        List<String> known = figures(histories);
        for (String f : PREFERRED) {
            if (known.contains(f)) {
                return f;
            }
        }
        return known.isEmpty() ? null : known.get(0);
    }

    /**
     * Whether figure {@code name} means the same for every algorithm (errors such as
     * {@code train_rmse}, {@code val_rmse}, {@code val_mae}), so that histories of different
     * algorithms can share a chart; losses and ELBOs are defined per algorithm.
     */
    public static boolean comparableAcrossAlgorithms(String name) {
        return name.endsWith("rmse") || name.endsWith("mae");
    }

    /**
     * Whether the values of figure {@code name} are all positive and span more than two orders of
     * magnitude (largest / smallest above 100), when a logarithmic axis reads better.
     */
    public static boolean spansOrdersOfMagnitude(List<TrainingHistory> histories, String name) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (TrainingHistory h : histories) {
            for (EpochReport e : h.epochs()) {
                double v = e.figure(name);
                if (Double.isNaN(v)) {
                    continue;
                }
                if (v <= 0) {
                    return false;
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi > 0 && hi / lo > 100;
    }
}
