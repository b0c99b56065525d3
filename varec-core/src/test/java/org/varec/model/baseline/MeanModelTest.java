package org.varec.model.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.RatingModel;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingResult;

class MeanModelTest {
    /** One epoch that reports the training mean; the loop's probe adds the validation RMSE. */
    @Test
    void oneEpochGivesTheTrainingMean() {
        PlantedFactors pf = PlantedFactors.generate(3, 40, 30, 2, 1.0, 0.4, 0.3);
        TrainingData d = TrainingData.of(pf.train(), RatingScale.UNBOUNDED);
        double mu = RatingMatrix.of(pf.train()).mean();
        Algorithm<?, ?> a = Algorithms.get("mean");
        TrainingResult<? extends RatingModel> r = a.fit(a.defaultConfig(), d,
                TrainingContext.of(1, 2).withValidation(pf.test()));
        assertEquals(1, r.epochs());
        assertEquals(mu, r.history().get(0).figure("mean"), 0.0);
        assertTrue(Double.isFinite(r.history().get(0).figure("val_rmse")), r.history().toString());
        MeanModel m = (MeanModel) r.model();
        assertEquals(mu, m.mean(), 0.0);
        assertEquals(mu, m.predict(0, 0), 0.0);
        assertEquals(mu, m.predict(m.foldIn(new int[] {1}, new float[] {5}), 7), 0.0);
        assertEquals(d.numUsers(), m.numUsers());
        assertEquals(d.numItems(), m.numItems());
    }
}
