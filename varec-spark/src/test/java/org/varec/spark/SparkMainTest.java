package org.varec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.io.ModelFile;
import org.varec.model.TrainedModel;

/** The launcher's entry point: CSV and Parquet in, a varec model file out; bad options refused. */
class SparkMainTest {
    @Test
    void trainsFromCsvAndParquetAndWritesVarecModelFiles(@TempDir Path dir) throws Exception {
        Planted p = Planted.make(30, 20, 2, 0.6, 0.1, 3);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int q = 0; q < p.u().length; q++) {
            csv.append(p.u()[q]).append(',').append(p.i()[q]).append(',').append(p.r()[q]).append(",0\n");
        }
        Path data = Files.writeString(dir.resolve("ratings.csv"), csv);
        Path model = dir.resolve("als.varec");
        assertEquals(0, SparkMain.run(new String[] {"train", "--master", "local[2]", "--data", data.toString(),
                "--algo", "als", "--set", "rank=2", "--set", "iterations=3", "--save", model.toString()}));
        TrainedModel t = ModelFile.load(model);
        assertEquals("als", t.algorithm());
        assertEquals(p.u().length, t.provenance().ratings());
        VarecALSTest.assertSeenAreTheTrainingPairs(t, p);

        SparkSession s = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        Path parquet = dir.resolve("ratings.parquet");
        try {
            s.read().option("header", true).csv(data.toString()).write().parquet(parquet.toString());
        } finally {
            s.stop();
        }
        Path vb = dir.resolve("vb.varec");
        assertEquals(0, SparkMain.run(new String[] {"train", "--data", parquet.toString(), "--algo", "vbmf",
                "--set", "rank=2", "--set", "iterations=3", "--save", vb.toString()}));
        assertEquals("vbmf", ModelFile.load(vb).algorithm());
    }

    @Test
    void badOptionsAreRefusedBeforeSparkStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkMain.run(new String[] {"train", "--data", "x.csv", "--algo", "bpmf"}));
        assertTrue(e.getMessage().contains("als or vbmf"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkMain.run(new String[] {"train", "--data", "x.csv", "--nope", "1"}));
        assertTrue(e.getMessage().contains("unknown option --nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkMain.run(new String[] {"train", "--algo", "als"}));
        assertTrue(e.getMessage().contains("--data is required"), e.getMessage());
    }
}
