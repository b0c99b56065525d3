package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varec.data.Interactions;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.Predictive;
import org.varec.model.Task;
import org.varec.model.UserState;
import org.varec.stats.Rng;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;

class FmSgdTest {
    private static FmSgdConfig config(Map<String, ?> p) {
        return FmTestSupport.config(FmSgdConfig.class, p);
    }

    /** Central finite differences of the per-row objective against the hand-derived gradient. */
    private static void checkGradient(Task task, double target) {
        int k = 3;
        Rng rng = new Rng(5);
        FmParams p = FmParams.init(7, k, 0.5, rng);
        p.w0 = 0.3;
        for (int j = 0; j < 7; j++) {
            p.w[j] = (float) (0.4 * rng.nextGaussian());
        }
        int[] idx = {9, 1, 4, 6}; // a row at offset 1 of a longer array
        idx[0] = -1;
        float[] val = {0f, 1f, 0.5f, 2f};
        int from = 1;
        int n = 3;
        double[] reg = {0.1, 0.2, 0.3};
        FmSgdTrainer.RowGradient grad = new FmSgdTrainer.RowGradient(k, n);
        FmSgdTrainer.gradient(p, idx, val, from, n, target, task, reg, grad);
        double g0 = grad.w0;
        double[] gw = grad.w;
        double[] gv = grad.v;
        assertEquals(FmSgdTrainer.loss(p, idx, val, from, n, target, task, new double[3]), grad.loss, 1e-12, "row loss");
        double h = 1e-3;
        double w0 = p.w0;
        p.w0 = w0 + h;
        double lp = FmSgdTrainer.loss(p, idx, val, from, n, target, task, reg);
        p.w0 = w0 - h;
        double lm = FmSgdTrainer.loss(p, idx, val, from, n, target, task, reg);
        p.w0 = w0;
        assertEquals((lp - lm) / (2 * h), g0, 1e-5, "d/dw0");
        for (int a = 0; a < n; a++) {
            int j = idx[from + a];
            float old = p.w[j];
            p.w[j] = (float) (old + h);
            double up = FmSgdTrainer.loss(p, idx, val, from, n, target, task, reg);
            p.w[j] = (float) (old - h);
            double dn = FmSgdTrainer.loss(p, idx, val, from, n, target, task, reg);
            p.w[j] = old;
            double fd = (up - dn) / ((double) (float) (old + h) - (float) (old - h));
            assertEquals(fd, gw[a], 2e-3 * Math.max(1, Math.abs(fd)), "d/dw_" + j);
            for (int f = 0; f < k; f++) {
                float ov = p.v[j * k + f];
                float hi = (float) (ov + h);
                float lo = (float) (ov - h);
                p.v[j * k + f] = hi;
                up = FmSgdTrainer.loss(p, idx, val, from, n, target, task, reg);
                p.v[j * k + f] = lo;
                dn = FmSgdTrainer.loss(p, idx, val, from, n, target, task, reg);
                p.v[j * k + f] = ov;
                fd = (up - dn) / ((double) hi - lo);
                assertEquals(fd, gv[a * k + f], 2e-3 * Math.max(1, Math.abs(fd)), "d/dv_" + j + "," + f);
            }
        }
    }

    @Test
    void regressionGradientMatchesFiniteDifferences() {
        checkGradient(Task.REGRESSION, 3.7);
    }

    @Test
    void logisticGradientMatchesFiniteDifferences() {
        checkGradient(Task.CLASSIFICATION, 1);
        checkGradient(Task.CLASSIFICATION, 0);
    }

    @Test
    void learnsPlantedFactors() {
        PlantedFactors pf = FmTestSupport.planted(3);
        FmModel m = new FmSgdTrainer(config(Map.of("rank", 3, "iterations", 60)))
                .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 1));
        double rmse = FmTestSupport.rmse(m, pf.test());
        double base = FmTestSupport.meanRmse(pf.train(), pf.test());
        assertTrue(rmse < 0.6 * base, "fm-sgd test RMSE " + rmse + " vs mean " + base);
        Predictive p = m.predictive(0, 0);
        assertTrue(p.variance() > 0);
    }

    @Test
    void classificationPredictsProbabilities() {
        PlantedFactors pf = FmTestSupport.planted(4);
        double mu = pf.train().mean();
        Interactions train = FmTestSupport.binarize(pf.train(), mu);
        Interactions test = FmTestSupport.binarize(pf.test(), mu);
        FmModel m = new FmSgdTrainer(config(Map.of("rank", 3, "iterations", 40, "task", "classification",
                "learning_rate", 0.05))).fit(FmTestSupport.data(train), TrainingContext.of(1, 1));
        int correct = 0;
        for (int r = 0; r < test.size(); r++) {
            double p = m.predict(test.users()[r], test.items()[r]);
            assertTrue(p >= 0 && p <= 1);
            if ((p > 0.5) == (test.values()[r] == 1f)) {
                correct++;
            }
        }
        assertTrue(correct > 0.7 * test.size(), "accuracy " + correct + "/" + test.size());
        Interactions bad = pf.train();
        assertThrows(IllegalArgumentException.class, () -> new FmSgdTrainer(config(Map.of("task", "classification")))
                .fit(FmTestSupport.data(bad), TrainingContext.of(1, 1)));
    }

    @Test
    void sameSeedSameModelAndSaveLoadPredictsIdentically() throws Exception {
        PlantedFactors pf = FmTestSupport.planted(5);
        FmSgdConfig c = config(Map.of("rank", 2, "iterations", 5));
        FmModel a = new FmSgdTrainer(c).fit(FmTestSupport.data(pf.train()), TrainingContext.of(9, 1));
        FmModel b = new FmSgdTrainer(c).fit(FmTestSupport.data(pf.train()), TrainingContext.of(9, 2));
        assertArrayEquals(a.predictor().sample(0).v, b.predictor().sample(0).v);
        FmModel back = FmTestSupport.roundTrip(a);
        for (int u = -1; u < 5; u++) {
            for (int i = 0; i < 5; i++) {
                assertEquals(a.predictive(u, i), back.predictive(u, i));
            }
        }
        assertEquals(c, Algorithms.get("fm-sgd").parseConfig(Params.of(c.toMap())));
        // libFM's names are documented aliases; model files written with them still load
        assertEquals(c, config(Map.of("dim", 2, "iterations", 5, "learn_rate", 0.01)));
        assertEquals(c, Algorithms.get("fm-sgd").storedConfig(Map.of("dim", 2, "iterations", 5, "learn_rate", 0.01,
                "regular", "0.0,0.1,0.1", "task", "regression", "side", "none", "init_stdev", 0.1)));
    }

    @Test
    void foldInApproachesTrainedUser() {
        PlantedFactors pf = FmTestSupport.planted(6);
        FmModel m = new FmSgdTrainer(config(Map.of("rank", 3, "iterations", 60)))
                .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 1));
        Interactions tr = pf.train();
        int user = 7;
        int c = 0;
        for (int r = 0; r < tr.size(); r++) {
            c += tr.users()[r] == user ? 1 : 0;
        }
        int[] items = new int[c];
        float[] ratings = new float[c];
        c = 0;
        for (int r = 0; r < tr.size(); r++) {
            if (tr.users()[r] == user) {
                items[c] = tr.items()[r];
                ratings[c++] = tr.values()[r];
            }
        }
        UserState s = m.foldIn(items, ratings);
        double diff = 0;
        for (int i = 0; i < m.numItems(); i++) {
            diff += Math.abs(m.predict(s, i) - m.predict(user, i));
        }
        assertTrue(diff / m.numItems() < 0.25, "mean |fold-in - trained| " + diff / m.numItems());
    }
}
