package org.varec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.varec.data.RatingScale;
import org.varec.io.ModelFile;
import org.varec.model.Predictive;
import org.varec.model.TrainedModel;
import org.varec.model.vb.VbmfConfig;
import org.varec.model.vb.VbmfDistributed;
import org.varec.model.vb.VbmfModel;
import org.varec.model.vb.VbmfTrainer;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

class VariationalALSTest extends SparkFixture {
    private static final Planted DATA = Planted.make(60, 40, 3, 0.5, 0.1, 7);
    private static final VbmfConfig CONFIG = VbmfConfig.defaults().withIterations(4);

    private static VbmfConfig rank3(VbmfConfig c) {
        return new VbmfConfig(3, c.covariance(), c.prior(), c.iterations(), c.tol(), c.lambda(), c.tau(), c.gamma(),
                c.learnLambda(), c.learnTau(), c.learnGamma(), c.learnMu(), c.initStdev());
    }

    private VariationalALS vb(VbmfConfig c) {
        return new VariationalALS().setConfig(rank3(c)).setNumUserBlocks(3).setNumItemBlocks(2)
                .setCheckpointInterval(-1).setSeed(5);
    }

    /** From core's initial posteriors, Spark's sweeps are core's: same posteriors, same ELBO per sweep. */
    @ParameterizedTest
    @EnumSource(VbmfConfig.Covariance.class)
    void sweepsAndElboAgreeWithCoreFromTheSameStart(VbmfConfig.Covariance cov) throws Exception {
        VbmfConfig c = rank3(CONFIG.withCovariance(cov));
        boolean full = c.fullCovariance();
        int cl = VbmfDistributed.covLength(3, full);
        int w = VariationalALS.rowWidth(3, full);
        TrainingData data = TrainingData.of(DATA.interactions(), RatingScale.UNBOUNDED);
        try (Parallel pool = new Parallel(1)) {
            EpochTrainer<VbmfModel> run = new VbmfTrainer(c).start(data, 11, pool);
            VbmfModel init = run.snapshot();
            Map<Integer, float[]> items = new HashMap<>();
            float var = (float) (c.initStdev() * c.initStdev());
            for (int i = 0; i < DATA.numItems(); i++) {
                float[] row = new float[w];
                System.arraycopy(init.itemFactors(), i * 3, row, 0, 3);
                VbmfDistributed.pack(3, full, init.itemCovariances(), i * cl, row, 3);
                row[w - 1] = var; // initial bias: mean 0, variance initStdev^2
                items.put(i, row);
            }
            VariationalALSModel fitted = vb(c).setInitialItems(items).fit(DATA.train(spark));
            double previous = Double.NEGATIVE_INFINITY;
            for (int e = 1; e <= c.iterations(); e++) {
                EpochReport.Builder b = EpochReport.builder(e);
                run.epoch(e, b);
                double coreElbo = b.build(0).figure("elbo");
                double sparkElbo = fitted.history().get(e - 1).figure("elbo");
                assertEquals(coreElbo, sparkElbo, 1e-6 * Math.abs(coreElbo), "ELBO of sweep " + e);
                assertTrue(sparkElbo >= previous - 1e-6 * Math.abs(previous), "ELBO fell at sweep " + e);
                previous = sparkElbo;
            }
            VbmfModel core = run.snapshot();
            double worst = 0;
            float[] packed = new float[VbmfDistributed.packedLength(3, full)];
            float[] cv = new float[cl];
            for (Row r : fitted.userPosteriors().collectAsList()) {
                int u = r.getInt(0);
                List<Float> m = r.getList(1);
                List<Float> v = r.getList(2);
                assertEquals(packed.length, v.size());
                for (int x = 0; x < packed.length; x++) {
                    packed[x] = v.get(x);
                }
                VbmfDistributed.unpack(3, full, packed, 0, cv, 0);
                for (int x = 0; x < 3; x++) {
                    worst = Math.max(worst, Math.abs(m.get(x) - core.userFactors()[u * 3 + x]));
                }
                for (int x = 0; x < cl; x++) {
                    worst = Math.max(worst, Math.abs(cv[x] - core.userCovariances()[u * cl + x]));
                }
                worst = Math.max(worst, Math.abs(r.getFloat(3) - core.userBiases()[u]));
            }
            assertTrue(worst < 1e-4, "largest posterior difference to core " + worst);
            assertEquals(core.lambda(), fitted.lambda(), 1e-6 * core.lambda());
        }
    }

    @Test
    void elboNeverDecreasesAndThePlantedModelIsRecovered() {
        VbmfConfig d = CONFIG;
        // start the noise precision near the truth (noise sd 0.1) so that a few sweeps suffice
        VbmfConfig c = new VbmfConfig(3, d.covariance(), d.prior(), 10, d.tol(), 50, 1, 1, true, true, true, true,
                d.initStdev());
        VariationalALSModel m = vb(c).fit(DATA.train(spark));
        List<EpochReport> h = m.history();
        for (int e = 1; e < h.size(); e++) {
            double prev = h.get(e - 1).figure("elbo");
            double now = h.get(e).figure("elbo");
            assertTrue(now >= prev - 1e-6 * Math.abs(prev), "ELBO fell at sweep " + (e + 1) + ": " + prev + " -> " + now);
        }
        VariationalALSModel.Figures f = m.evaluate(DATA.test(spark), "rating", 0.9);
        assertTrue(f.rmse() < 0.25, "held-out RMSE " + f.rmse());
        assertTrue(f.coverage() > 0.7, "90% interval coverage " + f.coverage());
        // noise sd 0.1: the learned noise precision is in its neighbourhood
        assertTrue(m.lambda() > 20, "lambda " + m.lambda());
    }

    @ParameterizedTest
    @EnumSource(VbmfConfig.Covariance.class)
    void exportedModelGivesCoresPredictiveMeansAndDeviations(VbmfConfig.Covariance cov, @TempDir Path dir)
            throws Exception {
        VariationalALSModel m = vb(CONFIG.withIterations(5).withCovariance(cov)).fit(DATA.train(spark));
        Path file = dir.resolve("vb.varec");
        m.saveVarec(file);
        TrainedModel t = ModelFile.load(file);
        assertEquals("vbmf", t.algorithm());
        assertEquals(cov == VbmfConfig.Covariance.FULL, ((VbmfModel) t.model()).fullCovariance());
        assertEquals(5, t.provenance().history().size());
        VbmfModel core = (VbmfModel) t.model();
        int[] tu = java.util.Arrays.copyOf(DATA.tu(), DATA.tu().length + 1);
        int[] ti = java.util.Arrays.copyOf(DATA.ti(), DATA.ti().length + 1);
        tu[tu.length - 1] = 999; // an unknown user: the prior's row, as core
        List<Row> rows = m.transform(Planted.frame(spark, tu, ti, new float[tu.length]))
                .select("user", "item", "prediction", "std").collectAsList();
        assertEquals(tu.length, rows.size());
        for (Row r : rows) {
            Predictive p = core.predictive(t.users().indexOf(String.valueOf(r.getInt(0))),
                    t.items().indexOf(String.valueOf(r.getInt(1))));
            assertEquals(t.scale().clamp(p.mean()), r.getDouble(2), 1e-9);
            assertEquals(p.sd(), r.getDouble(3), 1e-6);
        }
        // top-N with predictive deviations: best first, as core scores the same pairs
        List<Row> recs = m.recommendForUserSubset(Planted.frame(spark, new int[] {0, 5, 999}, new int[3], new float[3]), 4)
                .collectAsList();
        assertEquals(2, recs.size(), "unknown user 999 is left out");
        for (Row r : recs) {
            int u = t.users().indexOf(String.valueOf(r.getInt(0)));
            List<Row> top = r.getList(1);
            assertEquals(4, top.size());
            for (int q = 0; q < top.size(); q++) {
                Row e = top.get(q);
                Predictive p = core.predictive(u, t.items().indexOf(String.valueOf(e.getInt(0))));
                assertEquals(p.mean(), e.getDouble(1), 1e-9);
                assertEquals(p.sd(), e.getDouble(2), 1e-6);
                if (q > 0) {
                    assertTrue(e.getDouble(1) <= top.get(q - 1).getDouble(1));
                }
            }
        }
    }

    /** A vbmf model file read back as a Spark model predicts as the fitted one, and exports the same file. */
    @ParameterizedTest
    @EnumSource(VbmfConfig.Covariance.class)
    void importedModelFilePredictsAsTheFittedModel(VbmfConfig.Covariance cov, @TempDir Path dir) throws Exception {
        VariationalALSModel m = vb(CONFIG.withIterations(3).withCovariance(cov)).fit(DATA.train(spark));
        Path file = dir.resolve("vb.varec");
        m.saveVarec(file, DATA.train(spark));
        VarecALSTest.assertSeenAreTheTrainingPairs(ModelFile.load(file), DATA);
        VariationalALSModel back = VariationalALSModel.fromVarec(spark, ModelFile.load(file));
        assertEquals(m.lambda(), back.lambda(), 0);
        int[] tu = java.util.Arrays.copyOf(DATA.tu(), DATA.tu().length + 1);
        int[] ti = java.util.Arrays.copyOf(DATA.ti(), DATA.ti().length + 1);
        tu[tu.length - 1] = 999; // unknown user: the prior's row on both
        org.apache.spark.sql.Dataset<Row> pairs = Planted.frame(spark, tu, ti, new float[tu.length]);
        List<Row> a = m.transform(pairs).select("user", "item", "prediction", "std").orderBy("user", "item")
                .collectAsList();
        List<Row> b = back.transform(pairs).select("user", "item", "prediction", "std").orderBy("user", "item")
                .collectAsList();
        assertEquals(a.size(), b.size());
        for (int p = 0; p < a.size(); p++) {
            assertEquals(a.get(p).getDouble(2), b.get(p).getDouble(2), 0, "prediction of " + a.get(p));
            assertEquals(a.get(p).getDouble(3), b.get(p).getDouble(3), 0, "sd of " + a.get(p));
        }
        Path again = dir.resolve("again.varec");
        back.saveVarec(again);
        TrainedModel t1 = ModelFile.load(file);
        TrainedModel t2 = ModelFile.load(again);
        VbmfModel c1 = (VbmfModel) t1.model();
        VbmfModel c2 = (VbmfModel) t2.model();
        org.junit.jupiter.api.Assertions.assertArrayEquals(c1.userCovariances(), c2.userCovariances());
        org.junit.jupiter.api.Assertions.assertArrayEquals(c1.itemFactors(), c2.itemFactors());
        assertEquals(c1.predictive(0, 0).sd(), c2.predictive(0, 0).sd(), 0);
    }
}
