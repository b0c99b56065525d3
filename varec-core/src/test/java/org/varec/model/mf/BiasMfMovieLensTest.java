package org.varec.model.mf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.varec.data.Dataset;
import org.varec.data.RatingMatrix;
import org.varec.data.io.Datasets;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.testing.TestData;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

/** Accuracy on real ML-100K with default hyper-parameters (skipped when the data is absent). */
class BiasMfMovieLensTest {
    /** Mean RMSE over holdout:0.9x5 (seed 42, 2 threads) as the CLI's eval computes it. */
    static double holdoutRmse(String algorithm) throws Exception {
        Path dir = TestData.require("ml-100k", "u.data");
        Dataset d = Datasets.read(dir);
        Algorithm<?, ?> a = Algorithms.get(algorithm);
        double sum = 0;
        int n = 0;
        for (Split s : Protocols.parse("holdout:0.9x5").splits(d, 42)) {
            TrainingData td = new TrainingData(RatingMatrix.of(s.train()), d.scale(), d.itemFeatures(), null);
            var m = a.fit(a.defaultConfig(), td, TrainingContext.of(42, 2)).model();
            sum += RegressionMetrics.rmse(m, s.test(), d.scale());
            n++;
        }
        return sum / n;
    }

    /** docs/biasmf-svd.md: 0.8962; target <= 0.905. */
    @Test
    void ml100kHoldoutRmse() throws Exception {
        double rmse = holdoutRmse("biasmf");
        assertTrue(rmse <= 0.905, "biasmf ML-100K holdout:0.9x5 RMSE " + rmse);
    }
}
