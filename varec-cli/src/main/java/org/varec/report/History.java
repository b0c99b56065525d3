package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.varec.model.TrainedModel;
import org.varec.train.EpochReport;

/**
 * A training history to plot: a label (the model or result file), the algorithm and its per-epoch
 * reports, read from a model file's provenance or from the first run of a {@code varec eval --json}
 * result.
 */
public record History(String label, String algorithm, List<EpochReport> epochs) {
    public History {
        epochs = List.copyOf(epochs);
    }

    /** The history stored in a model file. */
    public static History of(String label, TrainedModel m) {
        return new History(label, m.algorithm(), m.provenance().history());
    }

    /** The history of the first run (split) of an eval result; empty when the runs kept none. */
    public static History of(String label, JsonNode result) {
        List<EpochReport> out = new ArrayList<>();
        JsonNode runs = result.path("runs");
        if (runs.isArray() && !runs.isEmpty()) {
            for (JsonNode e : runs.get(0).path("history")) {
                Map<String, Double> figures = new LinkedHashMap<>();
                e.path("figures").fields().forEachRemaining(f -> figures.put(f.getKey(), f.getValue().asDouble()));
                out.add(new EpochReport(e.path("epoch").asInt(out.size() + 1), e.path("seconds").asDouble(), figures));
            }
        }
        return new History(label, result.path("algorithm").asText("?"), out);
    }

    /**
     * Whether figure {@code name} means the same for every algorithm (errors such as
     * {@code train_rmse}, {@code val_rmse}, {@code val_mae}), so that histories of different
     * algorithms can share a chart; losses and ELBOs are defined per algorithm.
     */
    public static boolean comparableAcrossAlgorithms(String name) {
        return name.endsWith("rmse") || name.endsWith("mae");
    }

    /** Names of the figures any of {@code histories} reports, in first-seen order. */
    public static List<String> figures(List<History> histories) {
        Set<String> names = new LinkedHashSet<>();
        for (History h : histories) {
            for (EpochReport e : h.epochs()) {
                names.addAll(e.figures().keySet());
            }
        }
        return new ArrayList<>(names);
    }

    /** The (epoch, value) points of figure {@code name}, leaving out epochs without it; null when there are none. */
    public Charts.Series series(String name) {
        List<double[]> pts = new ArrayList<>();
        for (EpochReport e : epochs) {
            double v = e.figure(name);
            if (Double.isFinite(v)) {
                pts.add(new double[] {e.epoch(), v});
            }
        }
        if (pts.isEmpty()) {
            return null;
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = pts.get(k)[0];
            y[k] = pts.get(k)[1];
        }
        return new Charts.Series(label, x, y);
    }
}
