package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varec.train.EpochReport;

class TrainingHistoryTest {
    private static EpochReport epoch(int n, Map<String, Double> figures) {
        return new EpochReport(n, 0.1, figures);
    }

    private static final TrainingHistory ALS = new TrainingHistory("a", "als", List.of(
            epoch(1, Map.of("loss", 1000.0, "train_rmse", 1.2)),
            epoch(2, Map.of("loss", 50.0, "train_rmse", Double.NaN)),
            epoch(3, Map.of("loss", 5.0, "train_rmse", 0.9))));
    private static final TrainingHistory VB = new TrainingHistory("b", "vbmf", List.of(
            epoch(1, Map.of("elbo", -900.0)), epoch(2, Map.of("elbo", -800.0))));

    @Test
    void aCurveHasTheEpochsThatReportedTheFigure() {
        TrainingHistory.Curve c = ALS.curve("train_rmse");
        assertEquals("a", c.label());
        assertArrayEquals(new double[] {1, 3}, c.epochs());
        assertArrayEquals(new double[] {1.2, 0.9}, c.values());
        assertNull(ALS.curve("elbo"));
    }

    @Test
    void figuresAndTheDefaultOne() {
        assertEquals("elbo", TrainingHistory.defaultFigure(List.of(VB)));
        assertEquals("train_rmse", TrainingHistory.defaultFigure(List.of(VB, ALS)));
        assertNull(TrainingHistory.defaultFigure(List.of(new TrainingHistory("c", "svd", List.of()))));
        assertEquals(3, TrainingHistory.figures(List.of(ALS, VB)).size());
        assertEquals("elbo", TrainingHistory.figures(List.of(ALS, VB)).get(2));
        assertTrue(TrainingHistory.comparableAcrossAlgorithms("val_rmse"));
        assertFalse(TrainingHistory.comparableAcrossAlgorithms("loss"));
    }

    @Test
    void aLogAxisSuitsPositiveValuesOverMoreThanTwoOrdersOfMagnitude() {
        assertTrue(TrainingHistory.spansOrdersOfMagnitude(List.of(ALS), "loss"));
        assertFalse(TrainingHistory.spansOrdersOfMagnitude(List.of(ALS), "train_rmse"));
        assertFalse(TrainingHistory.spansOrdersOfMagnitude(List.of(VB), "elbo"));
    }
}
