package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --task classification --threshold T} and {@code --format libfm} with the FM algorithms. */
class FmCliTest {
    @TempDir
    static Path dir;
    static Path ratings;
    static Path train;
    static Path test;
    static Path meta;

    /** Ratings driven by user and item biases plus a rank-2 interaction; the same pairs as libFM files. */
    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        int users = 60;
        int items = 40;
        double[] bu = new double[users];
        double[] bi = new double[items];
        double[][] pu = new double[users][2];
        double[][] qi = new double[items][2];
        for (int u = 0; u < users; u++) {
            bu[u] = rnd.nextDouble() - 0.5;
            pu[u][0] = rnd.nextDouble() * 2 - 1;
            pu[u][1] = rnd.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < items; i++) {
            bi[i] = 2 * rnd.nextDouble() - 1;
            qi[i][0] = rnd.nextDouble() * 2 - 1;
            qi[i][1] = rnd.nextDouble() * 2 - 1;
        }
        StringBuilder sb = new StringBuilder("user\titem\trating\n");
        StringBuilder tr = new StringBuilder();
        StringBuilder te = new StringBuilder();
        int n = 0;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < 0.5) {
                    double y = 3.3 + bu[u] + bi[i] + pu[u][0] * qi[i][0] + pu[u][1] * qi[i][1] + 0.2 * (rnd.nextDouble() - 0.5);
                    long r = Math.max(1, Math.min(5, Math.round(y)));
                    sb.append("u").append(u).append('\t').append("i").append(i).append('\t').append(r).append('\n');
                    String line = String.format(Locale.ROOT, "%.4f %d:1 %d:1%n", y, u, users + i);
                    (n++ % 5 == 0 ? te : tr).append(line);
                }
            }
        }
        ratings = dir.resolve("ratings.tsv");
        Files.writeString(ratings, sb.toString());
        train = dir.resolve("train.libfm");
        test = dir.resolve("test.libfm");
        Files.writeString(train, tr.toString());
        Files.writeString(test, te.toString());
        StringBuilder m = new StringBuilder();
        for (int f = 0; f < users + items; f++) {
            m.append(f < users ? 0 : 1).append('\n');
        }
        meta = dir.resolve("groups.meta");
        Files.writeString(meta, m.toString());
    }

    @Test
    void classificationTaskBinarizesAtThresholdAndReportsAccAucMap() throws IOException {
        for (String algo : new String[] {"fm-sgd", "fm-mcmc"}) {
            CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", algo, "--set", "dim=2",
                    "--task", "classification", "--threshold", "4", "--scale", "1:5", "--threads", "2", "--json", "-");
            assertEquals(0, r.exit(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals("classification", j.get("config").get("task").asText());
            JsonNode m = j.get("runs").get(0).get("metrics");
            assertTrue(m.get("acc").asDouble() > 0.75, algo + " " + m);
            assertTrue(m.get("auc").asDouble() > 0.8, algo + " " + m);
            assertTrue(m.has("map"), m.toString());
        }
        Path model = dir.resolve("cls.varec");
        CliRun t = CliRun.of("train", "--data", ratings.toString(), "--algo", "fm-sgd", "--task", "classification",
                "--threshold", "4", "--save", model.toString(), "-q");
        assertEquals(0, t.exit(), t.err());
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--user", "u1", "--item", "i2");
        assertEquals(0, p.exit(), p.err());
    }

    @Test
    void classificationErrors() {
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--task", "classification",
                "--threshold", "4", "-q");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("has no task parameter"), r.err());
        r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "fm-sgd", "--task", "classification", "-q");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--threshold"), r.err());
        r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "fm-als", "--task", "classification",
                "--threshold", "4", "-q");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("regression only"), r.err());
    }

    @Test
    void libFmFilesRunFmAlgorithmsDirectly() throws IOException {
        for (String algo : new String[] {"fm-mcmc", "fm-als", "fm-sgd"}) {
            CliRun r = CliRun.of("eval", "--train", train.toString(), "--test", test.toString(), "--format", "libfm",
                    "--meta", meta.toString(), "--algo", algo, "--set", "dim=2", "--threads", "2", "--json", "-");
            assertEquals(0, r.exit(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals("libfm", j.get("protocol").asText());
            assertEquals(Files.readAllLines(test).size(), j.get("runs").get(0).get("test_ratings").asInt());
            double rmse = j.get("runs").get(0).get("metrics").get("rmse").asDouble();
            assertTrue(rmse < 0.7, algo + " rmse " + rmse); // target sd about 0.9
        }
        // libFM classification: without --threshold, target > 0 is class 1 (here: ratings centred at 3.3)
        CliRun c = CliRun.of("eval", "--train", train.toString(), "--test", test.toString(), "--format", "libfm",
                "--algo", "fm-mcmc", "--set", "dim=2", "--task", "classification", "--threshold", "3.5", "--json", "-");
        assertEquals(0, c.exit(), c.err());
        JsonNode m = new ObjectMapper().readTree(c.out()).get("runs").get(0).get("metrics");
        assertTrue(m.get("auc").asDouble() > 0.85, m.toString());

        CliRun bad = CliRun.of("eval", "--train", train.toString(), "--test", test.toString(), "--format", "libfm",
                "--algo", "biases", "-q");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("cannot run on libFM"), bad.err());
        bad = CliRun.of("eval", "--data", ratings.toString(), "--format", "libfm", "--algo", "fm-als", "-q");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--train and --test"), bad.err());
    }

    /** 'varec data split --libfm' writes the FM rows as libFM files that 'eval --format libfm' reads back. */
    @Test
    void splitWritesLibFmFilesForTheSameSplit() throws IOException {
        Path out = dir.resolve("libfm-splits");
        CliRun s = CliRun.of("data", "split", "--data", ratings.toString(), "--protocol", "holdout:0.8", "--out",
                out.toString(), "--libfm", "-q");
        assertEquals(0, s.exit(), s.err());
        Path d = out.resolve("split-1");
        long trainRows = Files.readAllLines(d.resolve("train.tsv")).size();
        assertEquals(trainRows, Files.readAllLines(d.resolve("train.libfm")).size());
        java.util.List<String> features = Files.readAllLines(d.resolve("features.txt"));
        assertEquals(Files.readAllLines(d.resolve("groups.meta")).size(), features.size());
        assertEquals(100, features.size()); // 60 users + 40 items
        assertTrue(features.get(0).startsWith("user="), features.get(0));
        assertTrue(features.get(99).startsWith("item="), features.get(99));
        CliRun viaLibFm = CliRun.of("eval", "--train", d.resolve("train.libfm").toString(), "--test",
                d.resolve("test.libfm").toString(), "--format", "libfm", "--meta", d.resolve("groups.meta").toString(),
                "--algo", "fm-als", "--threads", "1", "--json", "-");
        assertEquals(0, viaLibFm.exit(), viaLibFm.err());
        CliRun viaRatings = CliRun.of("eval", "--train", d.resolve("train.tsv").toString(), "--test",
                d.resolve("test.tsv").toString(), "--algo", "fm-als", "--threads", "1", "--json", "-");
        assertEquals(0, viaRatings.exit(), viaRatings.err());
        double a = new ObjectMapper().readTree(viaLibFm.out()).get("runs").get(0).get("metrics").get("rmse").asDouble();
        double b = new ObjectMapper().readTree(viaRatings.out()).get("runs").get(0).get("metrics").get("rmse").asDouble();
        assertEquals(b, a, 0.05, "same split through libFM files and through ratings");
    }
}
