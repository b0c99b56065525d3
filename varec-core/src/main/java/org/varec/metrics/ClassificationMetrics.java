package org.varec.metrics;

import java.util.Arrays;

/**
 * Metrics for binary outcomes scored by a model (e.g. "liked" = rating &gt; 3, scored by a
 * predicted probability). Labels are {@code float} 0 or 1 (as stored by
 * {@link org.varec.data.Interactions#binarize}); scores are any real numbers, higher meaning more
 * likely positive. Formulas and tie handling are written out in {@code docs/metrics.md}.
 *
 * <p>Degenerate input: when all labels are one class, {@link #auc} and {@link #averagePrecision}
 * return {@code NaN} (there is no positive/negative pair to rank), where scikit-learn raises (AUC)
 * or returns a version-dependent value (AP: 1.0 without negatives; NaN, 0 or -0.0 without
 * positives). Empty input, mismatched
 * lengths, labels other than 0/1 and NaN scores are {@link IllegalArgumentException}s.
 */
public final class ClassificationMetrics {
    private ClassificationMetrics() {
    }

    /**
     * Fraction of examples classified correctly when score {@code > threshold} predicts 1 and
     * {@code <= threshold} predicts 0.
     */
    public static double accuracy(float[] labels01, double[] scores, double threshold) {
        check(labels01, scores);
        long correct = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] > threshold;
            if (predicted == (labels01[i] == 1f)) {
                correct++;
            }
        }
        return (double) correct / scores.length;
    }

    /**
     * Area under the ROC curve: the probability that a random positive scores above a random
     * negative, a tie counting one half. Computed as the Mann-Whitney statistic with average ranks,
     * {@code (sum of positive ranks - P(P+1)/2) / (P N)}, in O(n log n).
     *
     * @return the AUC in [0, 1], or NaN when all labels are one class
     */
    public static double auc(float[] labels, double[] scores) {
        check(labels, scores);
        double[][] split = byClass(labels, scores);
        double[] pos = split[0];
        double[] neg = split[1];
        long np = pos.length;
        long nn = neg.length;
        if (np == 0 || nn == 0) {
            return Double.NaN;
        }
        // walk the distinct scores in ascending order over both sorted arrays; a tie group
        // occupying ranks rank+1 .. rank+c gets the average rank rank + (c + 1) / 2
        int i = 0;
        int j = 0;
        long rank = 0;
        double positiveRankSum = 0;
        while (i < pos.length || j < neg.length) {
            double v = i < pos.length && (j >= neg.length || pos[i] <= neg[j]) ? pos[i] : neg[j];
            int cp = 0;
            while (i < pos.length && pos[i] == v) {
                i++;
                cp++;
            }
            int cn = 0;
            while (j < neg.length && neg[j] == v) {
                j++;
                cn++;
            }
            long c = cp + cn;
            positiveRankSum += cp * (rank + (c + 1) / 2.0);
            rank += c;
        }
        double u = positiveRankSum - np * (np + 1) / 2.0;
        return u / ((double) np * nn);
    }

    /**
     * Average precision exactly as scikit-learn's {@code average_precision_score}: over the
     * distinct score thresholds {@code t} in decreasing order, with {@code P_n} and {@code R_n} the
     * precision and recall of predicting positive when {@code score >= t},
     * {@code AP = sum_n (R_n - R_{n-1}) P_n} with {@code R_0 = 0}. Tied scores form one threshold,
     * so a tie group counts with the precision at its end. No interpolation.
     *
     * @return AP in (0, 1], or NaN when all labels are one class
     */
    public static double averagePrecision(float[] labels, double[] scores) {
        check(labels, scores);
        double[][] split = byClass(labels, scores);
        double[] pos = split[0];
        double[] neg = split[1];
        int np = pos.length;
        if (np == 0 || neg.length == 0) {
            return Double.NaN;
        }
        // walk distinct scores in decreasing order (the arrays are ascending: walk from the ends)
        int i = np - 1;
        int j = neg.length - 1;
        long tp = 0;
        long fp = 0;
        double ap = 0;
        while (i >= 0) { // after the last positive, recall no longer grows: later terms are 0
            double v = j < 0 || pos[i] >= neg[j] ? pos[i] : neg[j];
            int cp = 0;
            while (i >= 0 && pos[i] == v) {
                i--;
                cp++;
            }
            while (j >= 0 && neg[j] == v) {
                j--;
                fp++;
            }
            tp += cp;
            if (cp > 0) {
                ap += ((double) cp / np) * ((double) tp / (tp + fp));
            }
        }
        return ap;
    }

    /** Positive scores and negative scores, each sorted ascending, -0.0 folded into 0.0. */
    private static double[][] byClass(float[] labels, double[] scores) {
        int np = 0;
        for (float l : labels) {
            if (l == 1f) {
                np++;
            }
        }
        double[] pos = new double[np];
        double[] neg = new double[labels.length - np];
        int a = 0;
        int b = 0;
        for (int k = 0; k < labels.length; k++) {
            double s = scores[k] + 0.0; // -0.0 + 0.0 == +0.0: Arrays.sort orders -0.0 before 0.0
            if (labels[k] == 1f) {
                pos[a++] = s;
            } else {
                neg[b++] = s;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return new double[][] {pos, neg};
    }

    private static void check(float[] labels, double[] scores) {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException("lengths differ: " + labels.length + " labels vs " + scores.length
                    + " scores");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no examples to evaluate");
        }
        for (int k = 0; k < labels.length; k++) {
            if (labels[k] != 0f && labels[k] != 1f) {
                throw new IllegalArgumentException("label " + k + " is " + labels[k] + "; labels must be 0 or 1");
            }
            if (Double.isNaN(scores[k])) {
                throw new IllegalArgumentException("score " + k + " is NaN");
            }
        }
    }

    /**
     * Mean Bernoulli log-likelihood {@code x log p + (1 - x) log(1 - p)} of 0/1 labels under
     * probabilities {@code p} clipped to {@code [eps, 1 - eps]} (higher is better; 0 is perfect).
     */
    public static double logLikelihood(float[] labels01, double[] p, double eps) {
        if (labels01.length != p.length) {
            throw new IllegalArgumentException("labels and probabilities differ in length");
        }
        if (p.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            double q = Math.min(1 - eps, Math.max(eps, p[k]));
            s += labels01[k] > 0.5f ? Math.log(q) : Math.log1p(-q);
        }
        return s / p.length;
    }
}
