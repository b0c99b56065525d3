package org.varec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.baseline.BiasesModel;

/** The probe's figures on a model whose predictions are known exactly. */
class ValidationProbeTest {
    /** mu = 3, item biases 1.5, 0.5, -0.5, -1.5: item 0 is always predicted best; no user biases. */
    private static final BiasesModel MODEL = new BiasesModel(3, new float[3], new float[] {1.5f, 0.5f, -0.5f, -1.5f}, 1);

    /** Validation: user 0 rates items 0 (5) and 2 (2); user 1 rates item 1 (4) and 3 (1); user 2 rates item 3 (5). */
    private static final Interactions VALIDATION = new Interactions(3, 4, new int[] {0, 0, 1, 1, 2},
            new int[] {0, 2, 1, 3, 3}, new float[] {5, 2, 4, 1, 5}, true);

    /** Training: user 1 rated item 0, user 2 rated items 0 and 1 (left out of their lists). */
    private static final RatingMatrix TRAIN = RatingMatrix.of(new Interactions(3, 4, new int[] {1, 2, 2},
            new int[] {0, 0, 1}, new float[] {3, 3, 3}, true));

    private static EpochReport measure(List<String> metrics) {
        EpochReport.Builder b = EpochReport.builder(1);
        new ValidationProbe(VALIDATION, RatingScale.STARS_1_5, TRAIN, metrics, 2).measure(MODEL, b);
        return b.build(0);
    }

    @Test
    void pointMetricsUseClampedPredictions() {
        // predictions 4.5, 2.5, 3.5, 1.5, 1.5 against 5, 2, 4, 1, 5
        EpochReport r = measure(List.of("rmse", "mae", "auc", "acc", "map"));
        double sse = 0.25 + 0.25 + 0.25 + 0.25 + 12.25;
        assertEquals(Math.sqrt(sse / 5), r.figure("val_rmse"), 1e-12);
        assertEquals((0.5 + 0.5 + 0.5 + 0.5 + 3.5) / 5, r.figure("val_mae"), 1e-12);
        // relevant (> 3): ratings 5, 4, 5 with scores 4.5, 3.5, 1.5; irrelevant 2, 1 with 2.5, 1.5
        // pairs (pos, neg): (4.5 > 2.5, 1.5), (3.5 > 2.5, 1.5), (1.5 < 2.5, = 1.5): 4 + 0.5 of 6
        assertEquals(4.5 / 6, r.figure("val_auc"), 1e-12);
        // a prediction above 3.5 stars is positive: 4.5 (right), 3.5 of a 4 and 1.5 of a 5 (wrong), 2.5, 1.5 (right)
        assertEquals(3.0 / 5, r.figure("val_acc"), 1e-12);
        assertFalse(Double.isNaN(r.figure("val_map")));
        assertTrue(Double.isNaN(r.figure("val_nlpd")), "not asked for");
    }

    @Test
    void rankingMetricsLeaveTrainingItemsOut() {
        EpochReport r = measure(List.of("ndcg@1", "recall@2", "precision@1"));
        // user 0: list 0, 1 | relevant {0}: hit at 1. user 1: list 1, 2 (0 was trained) | relevant {1}: hit at 1.
        // user 2: list 2, 3 (0, 1 trained) | relevant {3}: hit at 2 only
        assertEquals(2.0 / 3, r.figure("val_ndcg@1"), 1e-12);
        assertEquals(1.0, r.figure("val_recall@2"), 1e-12);
        assertEquals(2.0 / 3, r.figure("val_precision@1"), 1e-12);
    }

    @Test
    void nlpdOnlyForProbabilisticModelsAndUnknownNamesAreRefused() {
        assertTrue(Double.isNaN(measure(List.of("nlpd")).figure("val_nlpd")));
        var e = assertThrows(IllegalArgumentException.class, () -> measure(List.of("ndcg")));
        assertTrue(e.getMessage().contains("ndcg"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> measure(List.of("hits@x")));
        assertTrue(e.getMessage().contains("known"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> measure(List.of("ndcg@x")));
        assertTrue(e.getMessage().contains("whole N"), e.getMessage());
    }
}
