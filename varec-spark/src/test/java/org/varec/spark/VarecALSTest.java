package org.varec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.RatingScale;
import org.varec.io.ModelFile;
import org.varec.io.Provenance;
import org.varec.model.TrainedModel;
import org.varec.model.als.AlsConfig;
import org.varec.model.als.AlsModel;
import org.varec.model.als.AlsTrainer;
import org.varec.train.EpochReport;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

class VarecALSTest extends SparkFixture {
    private static final Planted DATA = Planted.make(60, 40, 3, 0.5, 0.1, 7);
    private static final AlsConfig CONFIG = new AlsConfig(3, 100, 2, 2, 3, 0.1);

    private VarecALS als(AlsConfig c) {
        return new VarecALS().setConfig(c).setNumUserBlocks(3).setNumItemBlocks(2).setCheckpointInterval(-1).setSeed(5);
    }

    /** The strongest check: from core's initial factors, Spark's sweeps are core's sweeps. */
    @Test
    void sweepsAgreeWithCoreFromTheSameStart() throws Exception {
        TrainingData data = TrainingData.of(DATA.interactions(), RatingScale.UNBOUNDED);
        try (Parallel pool = new Parallel(1)) {
            AlsTrainer.Run run = AlsTrainer.plain(CONFIG).start(data, 11, pool);
            AlsModel init = run.snapshot();
            TrainedModel start = new TrainedModel(AlsModel.of(CONFIG, init.globalMean(), init.userFactors().clone(),
                    init.itemFactors().clone(), init.userBiases().clone(), init.itemBiases().clone()), CONFIG,
                    Planted.index(DATA.numUsers()), Planted.index(DATA.numItems()), RatingScale.UNBOUNDED, null, null,
                    new Provenance("als", CONFIG.toMap(), "t", DATA.numUsers(), DATA.numItems(), 0, "", 11, 1, "", "", 0,
                            List.of()));
            VarecALSModel spark0 = VarecALSModel.fromVarec(spark, start);
            VarecALSModel fitted = als(CONFIG).setInitialModel(spark0).fit(DATA.train(spark));
            for (int e = 0; e < CONFIG.iterations(); e++) {
                run.epoch(e + 1, EpochReport.builder(e + 1));
            }
            AlsModel core = run.snapshot();
            Map<Integer, float[]> users = VarecALSModel.rowsById(fitted.userFactors(), 3);
            Map<Integer, float[]> items = fitted.itemRows();
            assertEquals(DATA.numUsers(), users.size());
            assertEquals(DATA.numItems(), items.size());
            double worst = 0;
            for (int u = 0; u < DATA.numUsers(); u++) {
                for (int x = 0; x < 3; x++) {
                    worst = Math.max(worst, Math.abs(users.get(u)[x] - core.userFactors()[u * 3 + x]));
                }
                worst = Math.max(worst, Math.abs(users.get(u)[3] - core.userBiases()[u]));
            }
            for (int i = 0; i < DATA.numItems(); i++) {
                for (int x = 0; x < 3; x++) {
                    worst = Math.max(worst, Math.abs(items.get(i)[x] - core.itemFactors()[i * 3 + x]));
                }
                worst = Math.max(worst, Math.abs(items.get(i)[3] - core.itemBiases()[i]));
            }
            assertTrue(worst < 1e-4, "largest parameter difference to core " + worst);
            assertEquals(core.globalMean(), fitted.globalMean(), 1e-9);
        }
    }

    @Test
    void recoversThePlantedModel() {
        VarecALSModel m = als(new AlsConfig(3, 100, 2, 2, 15, 0.1)).fit(DATA.train(spark));
        VarecALSModel.Figures f = m.evaluate(DATA.test(spark), "rating");
        assertEquals(DATA.tr().length, f.count());
        // noise sd is 0.1; the ratings' own spread is about 1.1
        assertTrue(f.rmse() < 0.2, "held-out RMSE " + f.rmse());
        assertTrue(f.mae() <= f.rmse());
    }

    @Test
    void resultDoesNotDependOnTheBlockCounts() {
        AlsConfig c = new AlsConfig(3, 100, 2, 2, 4, 0.1);
        Map<Integer, float[]> a = VarecALSModel.rowsById(als(c).setNumBlocks(1).fit(DATA.train(spark)).userFactors(), 3);
        Map<Integer, float[]> b = VarecALSModel.rowsById(als(c).setNumUserBlocks(3).setNumItemBlocks(2)
                .fit(DATA.train(spark)).userFactors(), 3);
        for (int u = 0; u < DATA.numUsers(); u++) {
            for (int x = 0; x <= 3; x++) {
                assertEquals(a.get(u)[x], b.get(u)[x], 1e-4);
            }
        }
    }

    @Test
    void exportedModelPredictsTheSameInCoreAndImportsBack(@TempDir Path dir) throws Exception {
        VarecALSModel m = als(new AlsConfig(3, 100, 2, 2, 5, 0.1)).fit(DATA.train(spark));
        Path file = dir.resolve("m.varec");
        m.saveVarec(file, DATA.train(spark));
        TrainedModel core = ModelFile.load(file);
        assertEquals("als", core.algorithm());
        assertSeenAreTheTrainingPairs(core, DATA);
        assertEquals(DATA.r().length, core.provenance().ratings());
        assertEquals(5, core.provenance().history().size());
        // test pairs plus an unknown user and an unknown item
        int[] tu = append(DATA.tu(), 999, 0);
        int[] ti = append(DATA.ti(), 0, 999);
        float[] tr = new float[tu.length];
        List<Row> out = m.transform(Planted.frame(spark, tu, ti, tr)).select("user", "item", "prediction").collectAsList();
        List<Row> back = VarecALSModel.fromVarec(spark, core).transform(Planted.frame(spark, tu, ti, tr))
                .select("user", "item", "prediction").collectAsList();
        assertEquals(tu.length, out.size());
        assertEquals(tu.length, back.size());
        for (List<Row> rows : List.of(out, back)) {
            for (Row r : rows) {
                double expected = core.predict(String.valueOf(r.getInt(0)), String.valueOf(r.getInt(1)));
                assertEquals(expected, r.getDouble(2), 1e-12, "user " + r.getInt(0) + " item " + r.getInt(1));
            }
        }
    }

    /** The model file's seen items are exactly the distinct (user, item) pairs of the training data. */
    static void assertSeenAreTheTrainingPairs(TrainedModel t, Planted data) {
        org.varec.data.SeenItems seen = t.seen();
        org.junit.jupiter.api.Assertions.assertNotNull(seen, "seen items exported");
        assertEquals(t.users().size(), seen.numUsers());
        java.util.Set<Long> pairs = new java.util.HashSet<>();
        for (int q = 0; q < data.u().length; q++) {
            pairs.add(((long) data.u()[q] << 32) | data.i()[q]);
            assertTrue(seen.contains(t.users().indexOf(String.valueOf(data.u()[q])),
                    t.items().indexOf(String.valueOf(data.i()[q]))), "rated pair " + q + " is seen");
        }
        assertEquals(pairs.size(), seen.items().length);
        // core's top-N (varec recommend, the server) leaves a user's rated items out
        String first = String.valueOf(data.u()[0]);
        int u = t.users().indexOf(first);
        List<org.varec.recommend.Recommendation> top = t.recommend(first, t.items().size());
        assertEquals(t.items().size() - seen.of(u).length, top.size());
        for (org.varec.recommend.Recommendation r : top) {
            assertTrue(!seen.contains(u, r.item()), "rated item " + r.item() + " recommended");
        }
    }

    private static int[] append(int[] a, int... more) {
        int[] b = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, b, a.length, more.length);
        return b;
    }

    @Test
    void badInputGivesClearErrors() {
        StructType strings = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.StringType);
        List<Row> rows = new ArrayList<>(List.of(RowFactory.create(1, 2, "4.5"), RowFactory.create(1, 3, "abc")));
        Dataset<Row> nonNumeric = spark.createDataFrame(rows, strings);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> als(CONFIG).fit(nonNumeric));
        assertTrue(e.getMessage().contains("1 ratings in 'rating' that are not finite numbers"), e.getMessage());
        assertTrue(e.getMessage().contains("'abc'"), e.getMessage());

        List<Row> nulls = List.of(RowFactory.create(1, 2, 4f), RowFactory.create(null, 3, 3f));
        e = assertThrows(IllegalArgumentException.class, () -> als(CONFIG).fit(spark.createDataFrame(nulls,
                Planted.SCHEMA)));
        assertTrue(e.getMessage().contains("1 null ids in userCol 'user'"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> als(CONFIG).fit(spark.createDataFrame(List.of(),
                Planted.SCHEMA)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> als(CONFIG).setUserCol("who").fit(DATA.train(spark)));
        assertTrue(e.getMessage().contains("no column 'who'"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> als(CONFIG).setRank(0).fit(DATA.train(spark)));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
    }

    @Test
    void checkpointingNeedsADirectoryAndKeepsLongRunsShallow(@TempDir Path dir) throws Exception {
        VarecALS longRun = als(CONFIG.withIterations(30)).setNumBlocks(2).setCheckpointInterval(3);
        if (spark.sparkContext().getCheckpointDir().isEmpty()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> longRun.fit(DATA.train(spark)));
            assertTrue(e.getMessage().contains("setCheckpointDir"), e.getMessage());
        }
        spark.sparkContext().setCheckpointDir(Files.createDirectories(dir.resolve("cp")).toString());
        VarecALSModel m = longRun.fit(DATA.train(spark));
        assertEquals(30, m.history().size());
        assertTrue(m.evaluate(DATA.test(spark), "rating").rmse() < 0.3);
    }
}
