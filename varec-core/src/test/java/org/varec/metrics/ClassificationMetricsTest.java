package org.varec.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varec.metrics.ClassificationMetrics.accuracy;
import static org.varec.metrics.ClassificationMetrics.auc;
import static org.varec.metrics.ClassificationMetrics.averagePrecision;

import org.junit.jupiter.api.Test;
import org.varec.stats.Rng;

class ClassificationMetricsTest {

    @Test
    void matchesScikitLearnDocumentationExample() {
        // sklearn: average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333...,
        //          roc_auc_score(same) = 0.75
        float[] y = {0, 0, 1, 1};
        double[] s = {0.1, 0.4, 0.35, 0.8};
        assertEquals(0.8333333333333333, averagePrecision(y, s), 1e-15);
        assertEquals(0.75, auc(y, s), 1e-15);
    }

    @Test
    void tiesFormOneThreshold() {
        // y = [1,0,1,0,1], s = [0.9,0.9,0.5,0.5,0.2]; P = 3 positives, N = 2 negatives.
        // AP: thresholds in decreasing order
        //   t=0.9: predicted {0,1}: TP=1 FP=1, precision 1/2, recall 1/3
        //   t=0.5: predicted {0..3}: TP=2 FP=2, precision 1/2, recall 2/3
        //   t=0.2: predicted all:    TP=3 FP=2, precision 3/5, recall 1
        //   AP = (1/3)(1/2) + (1/3)(1/2) + (1/3)(3/5) = 1/6 + 1/6 + 1/5 = 8/15
        // AUC, pair counting over the 3 x 2 (positive, negative) pairs, ties half:
        //   pos 0.9 vs neg 0.9: 1/2, vs 0.5: 1; pos 0.5 vs 0.9: 0, vs 0.5: 1/2; pos 0.2: 0, 0
        //   = 2 / 6 = 1/3. With average ranks (ascending): 0.2 -> 1, the 0.5s -> 2.5, the 0.9s -> 4.5;
        //   positive rank sum 1 + 2.5 + 4.5 = 8, U = 8 - 3*4/2 = 2, AUC = 2 / (3*2) = 1/3.
        float[] y = {1, 0, 1, 0, 1};
        double[] s = {0.9, 0.9, 0.5, 0.5, 0.2};
        assertEquals(8.0 / 15, averagePrecision(y, s), 1e-15);
        assertEquals(1.0 / 3, auc(y, s), 1e-15);
    }

    @Test
    void allTiedAndReversedAndPerfect() {
        // one threshold holding everything: precision 2/4 at recall 1 -> AP 0.5; every pair tied -> AUC 0.5
        assertEquals(0.5, averagePrecision(new float[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.5, 0.5}), 1e-15);
        assertEquals(0.5, auc(new float[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.5, 0.5}), 1e-15);
        // reversed: the positive comes after the negative -> AUC 0, AP = 1 * (1/2)
        assertEquals(0.0, auc(new float[] {1, 0}, new double[] {0.1, 0.9}));
        assertEquals(0.5, averagePrecision(new float[] {1, 0}, new double[] {0.1, 0.9}), 1e-15);
        assertEquals(1.0, auc(new float[] {0, 1, 1}, new double[] {-3, 2, 7}));
        assertEquals(1.0, averagePrecision(new float[] {0, 1, 1}, new double[] {-3, 2, 7}));
        // -0.0 and 0.0 are the same score
        assertEquals(0.5, auc(new float[] {1, 0}, new double[] {-0.0, 0.0}));
        assertEquals(0.5, averagePrecision(new float[] {1, 0}, new double[] {0.0, -0.0}));
        // infinities are ordinary scores
        assertEquals(1.0, auc(new float[] {1, 0}, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}));
    }

    @Test
    void oneClassIsNaNAndBadInputIsRefused() {
        assertTrue(Double.isNaN(auc(new float[] {1, 1}, new double[] {0.2, 0.3})));
        assertTrue(Double.isNaN(auc(new float[] {0, 0}, new double[] {0.2, 0.3})));
        assertTrue(Double.isNaN(averagePrecision(new float[] {1, 1}, new double[] {0.2, 0.3})));
        assertTrue(Double.isNaN(averagePrecision(new float[] {0, 0}, new double[] {0.2, 0.3})));
        assertThrows(IllegalArgumentException.class, () -> auc(new float[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> auc(new float[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> auc(new float[] {2, 0}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> averagePrecision(new float[] {1, 0}, new double[] {Double.NaN, 2}));
        assertThrows(IllegalArgumentException.class, () -> accuracy(new float[] {0.5f}, new double[] {1}, 0.5));
    }

    @Test
    void accuracyUsesStrictlyGreaterThanThreshold() {
        // predictions at 0.5: [1, 0, 0, 0] (0.5 is not > 0.5); correct: yes, yes, no, yes
        assertEquals(0.75, accuracy(new float[] {1, 0, 1, 0}, new double[] {0.9, 0.5, 0.5, 0.1}, 0.5));
        assertEquals(1.0, accuracy(new float[] {1, 0}, new double[] {0.3, -0.3}, 0.0));
    }

    @Test
    void agreesWithQuadraticDefinitionsOnRandomTiedData() {
        Rng r = new Rng(17);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + r.nextInt(60);
            float[] y = new float[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(3) == 0 ? 1 : 0;
                s[i] = r.nextInt(6) / 5.0; // few distinct values: many ties
            }
            double bruteAuc = bruteAuc(y, s);
            double bruteAp = bruteAp(y, s);
            if (Double.isNaN(bruteAuc)) {
                assertTrue(Double.isNaN(auc(y, s)));
                assertTrue(Double.isNaN(averagePrecision(y, s)));
            } else {
                assertEquals(bruteAuc, auc(y, s), 1e-12);
                assertEquals(bruteAp, averagePrecision(y, s), 1e-12);
            }
        }
    }

    /** Pairs (positive, negative): 1 when the positive scores higher, 1/2 when tied. */
    private static double bruteAuc(float[] y, double[] s) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    sum += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0);
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** sum over distinct thresholds t, decreasing, of (R(t) - R(previous t)) * P(t), predicting score >= t. */
    private static double bruteAp(float[] y, double[] s) {
        double[] thresholds = java.util.Arrays.stream(s).distinct().sorted().toArray();
        int positives = 0;
        for (float v : y) {
            positives += v == 1 ? 1 : 0;
        }
        double ap = 0;
        double prevRecall = 0;
        for (int k = thresholds.length - 1; k >= 0; k--) {
            int tp = 0;
            int predicted = 0;
            for (int i = 0; i < y.length; i++) {
                if (s[i] >= thresholds[k]) {
                    predicted++;
                    tp += y[i] == 1 ? 1 : 0;
                }
            }
            double recall = (double) tp / positives;
            ap += (recall - prevRecall) * tp / predicted;
            prevRecall = recall;
        }
        return ap;
    }
}
