package org.varec.eval;

import org.varec.metrics.ClassificationMetrics;
import org.varec.metrics.RankingMetrics;
import org.varec.metrics.RegressionMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.varec.data.SparseDesign;
import org.varec.model.Predictive;
import org.varec.model.fm.FmPredictor;
import org.varec.util.Parallel;

/**
 * Measures an FM predictor on a design matrix (e.g. a libFM test file): the Dataset-free
 * counterpart of {@link Evaluator}. Regression: RMSE and MAE with predictions clamped to the
 * training targets' range (as libFM does), and for every FM the NLPD and 50/90/95% interval
 * coverage of the unclamped predictive distribution. Classification (targets 0/1): ACC (probability
 * > 0.5 is class 1), AUC, MAP (average precision) and the RMSE of the probabilities.
 */
public final class DesignEvaluator {
    private DesignEvaluator() {
    }

    /**
     * The test rows' predictive distributions are computed in fixed row blocks on {@code pool}
     * (each row on its own: the metrics do not depend on the thread count; ML-1M's 200,000 test rows
     * against 100 kept fm-mcmc samples take 0.6 s on one thread).
     */
    public static Map<String, Double> evaluate(FmPredictor model, SparseDesign test, boolean classification,
                                               double minTarget, double maxTarget, Parallel pool) {
        int n = test.numRows();
        if (n == 0) {
            throw new IllegalArgumentException("no test rows");
        }
        int[] off = test.offsets();
        int maxLen = 1;
        for (int r = 0; r < n; r++) {
            maxLen = Math.max(maxLen, off[r + 1] - off[r]);
        }
        int bufLen = maxLen;
        double[] mean = new double[n];
        double[] var = new double[n];
        pool.forBlocks(n, 4096, (b, from, to) -> {
            int[] idx = new int[bufLen];
            float[] val = new float[bufLen];
            for (int r = from; r < to; r++) {
                int len = off[r + 1] - off[r];
                System.arraycopy(test.features(), off[r], idx, 0, len);
                System.arraycopy(test.values(), off[r], val, 0, len);
                Predictive p = model.predictive(idx, val, len);
                mean[r] = p.mean();
                var[r] = p.variance();
            }
        });
        float[] actual = test.targets();
        Map<String, Double> out = new LinkedHashMap<>();
        if (classification) {
            out.put("rmse", RegressionMetrics.rmse(actual, mean));
            out.put("acc", ClassificationMetrics.accuracy(actual, mean, 0.5));
            out.put("auc", ClassificationMetrics.auc(actual, mean));
            out.put("map", ClassificationMetrics.averagePrecision(actual, mean));
            return out;
        }
        double[] clamped = new double[n];
        for (int r = 0; r < n; r++) {
            clamped[r] = Math.max(minTarget, Math.min(maxTarget, mean[r]));
        }
        out.put("rmse", RegressionMetrics.rmse(actual, clamped));
        out.put("mae", RegressionMetrics.mae(actual, clamped));
        double nlpd = 0;
        for (int r = 0; r < n; r++) {
            nlpd -= org.varec.stats.Normal.logPdf(actual[r], mean[r], Math.max(var[r], 1e-12));
        }
        out.put("nlpd", nlpd / n);
        Evaluator.putCoverage(out, actual, mean, var);
        return out;
    }
}
