package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tune, plot sparsity and compare end to end on small files (docs/studies.md). */
class StudiesCliTest {
    @TempDir
    static Path dir;
    static Path ratings;

    /** 60 users x 40 items, biased ratings 1..5. */
    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        double[] bi = new double[40];
        for (int i = 0; i < bi.length; i++) {
            bi[i] = 2 * rnd.nextDouble() - 1;
        }
        for (int u = 0; u < 60; u++) {
            double bu = rnd.nextDouble() - 0.5;
            for (int i = 0; i < bi.length; i++) {
                if (rnd.nextDouble() < 0.5) {
                    long r = Math.max(1, Math.min(5, Math.round(3.4 + bu + bi[i] + 0.6 * (rnd.nextDouble() - 0.5))));
                    sb.append(u).append(',').append(i).append(',').append(r).append('\n');
                }
            }
        }
        ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, sb.toString());
    }

    @Test
    void tuneWritesAResumableResultThatTableReads() throws IOException {
        Path t = dir.resolve("tune.json");
        String[] args = {"tune", "--data", ratings.toString(), "--algo", "biases", "--grid", "reg_user=0.5,1e9",
            "--set", "iterations=3", "--topn", "5", "--rank-candidates", "test", "--metric", "rmse", "--threads", "1",
            "--json", t.toString()};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("best"), r.out());
        assertTrue(r.out().contains("each user's own test items"), r.out());
        JsonNode j = new ObjectMapper().readTree(t.toFile());
        assertEquals(0, j.get("tune").get("best").asInt());
        assertEquals(2, j.get("tune").get("points").size());
        assertEquals("test", j.get("ranking").get("candidates").asText());
        CliRun again = CliRun.of(args);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("finished before"), again.err());
        CliRun table = CliRun.of("table", t.toString());
        assertEquals(0, table.exit(), table.err());
        CliRun bad = CliRun.of("tune", "--data", ratings.toString(), "--algo", "biases", "--grid", "reg_user=-1");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("reg_user=-1"), bad.err());
        assertTrue(!bad.err().contains("read "), "the grid is checked before reading data: " + bad.err());
    }

    /** Classification: ratings >= 4 become 1, the grid is chosen on validation AUC, the task reaches the config. */
    @Test
    void tuneForClassificationSelectsOnAuc() throws IOException {
        Path t = dir.resolve("tune-cls.json");
        CliRun r = CliRun.of("tune", "--data", ratings.toString(), "--algo", "fm-sgd", "--grid", "rank=2,4",
                "--set", "iterations=5", "--task", "classification", "--threshold", "4", "--metric", "auc", "--threads", "1",
                "--json", t.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(t.toFile());
        assertEquals("classification", j.get("config").get("task").asText());
        assertTrue(j.get("tune").get("higher_is_better").asBoolean());
        assertTrue(j.get("tune").get("points").get(0).get("validation").has("auc"), j.toString());
        assertTrue(j.get("summary").has("auc"), j.toString());
        CliRun noThreshold = CliRun.of("tune", "--data", ratings.toString(), "--algo", "fm-sgd", "--grid", "rank=2,4",
                "--task", "classification");
        assertEquals(2, noThreshold.exit());
        CliRun refused = CliRun.of("tune", "--data", ratings.toString(), "--algo", "biases", "--grid", "reg_user=1,2",
                "--task", "classification", "--threshold", "4");
        assertEquals(2, refused.exit());
        assertTrue(!refused.err().contains("read "), "the task is checked before reading data: " + refused.err());
    }

    /**
     * Liang et al.'s protocol end to end: ratings >= 4 kept as clicks, a fifth of the users held out
     * and folded in at test time, mult-vae with its multinomial likelihood, NDCG and recall reported.
     */
    @Test
    void heldOutUsersWithImplicitFeedback() throws IOException {
        Path out = dir.resolve("liang.json");
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "mult-vae", "--set", "likelihood=multinomial",
                "--set", "epochs=3", "--set", "rank=4", "--set", "hidden=8", "--implicit", "4", "--protocol", "users:0.2",
                "--topn", "5,10", "--threads", "1", "--json", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("implicit feedback: kept"), r.err());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals("users:0.2", j.get("protocol").asText());
        double ndcg = j.get("summary").get("ndcg@10").get("mean").asDouble();
        assertTrue(ndcg > 0 && ndcg <= 1, "ndcg@10 " + ndcg);
        CliRun tune = CliRun.of("tune", "--data", ratings.toString(), "--algo", "biases", "--grid", "reg_user=1,2",
                "--protocol", "users:0.2");
        assertEquals(2, tune.exit());
        assertTrue(tune.err().contains("validation"), tune.err());
    }

    private static Path result(String name, String algorithm, String dataset, String protocol, String metric, double v)
            throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, String.format(Locale.ROOT, "{\"algorithm\": \"%s\", \"dataset\": {\"name\": \"%s\"}, "
                + "\"protocol\": \"%s\", \"seed\": 42, \"runs\": [{\"split\": \"s\", \"metrics\": {\"%s\": %s}}], "
                + "\"summary\": {\"%s\": {\"mean\": %s, \"std\": 0, \"n\": 1}}}", algorithm, dataset, protocol, metric, v,
                metric, v));
        return f;
    }

    @Test
    void compareReproducesDemsarsExampleAndDrawsTheDiagram() throws IOException {
        String[] models = {"c45", "c45-m", "c45-cf", "c45-m-cf"};
        List<String> args = new ArrayList<>(List.of("compare", "--metric", "auc", "--alpha", "0.1"));
        // Demsar 2006 Table 6 (the core's FriedmanNemenyiTest has it with dataset names), one line per dataset
        double[][] v = {{.763, .768, .771, .798}, {.599, .591, .590, .569}, {.954, .971, .968, .967},
            {.628, .661, .654, .654}, {.882, .888, .886, .898}, {.936, .931, .916, .931}, {.661, .668, .609, .685},
            {.583, .583, .563, .625}, {.775, .838, .866, .875}, {1, 1, 1, 1}, {.940, .962, .965, .962},
            {.619, .666, .614, .669}, {.972, .981, .975, .975}, {.957, .978, .946, .970}};
        for (int d = 0; d < v.length; d++) {
            for (int m = 0; m < models.length; m++) {
                args.add(result("d" + d + "-" + m + ".json", models[m], "data" + d, "holdout:0.8", "auc", v[d][m]).toString());
            }
        }
        Path png = dir.resolve("cd.png");
        Path json = dir.resolve("cd.json");
        args.addAll(List.of("--out", png.toString(), "--json", json.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("chi2_F = 9.279"), r.out());
        assertTrue(r.out().contains("F_F = 3.686"), r.out());
        assertTrue(r.out().contains("CD = 1.118"), r.out());
        assertTrue(r.out().contains("{c45-m-cf, c45-m, c45-cf} {c45-cf, c45}"), r.out());
        assertTrue(Files.size(png) > 1000);
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(3.143, j.get("mean_ranks").get(0).asDouble(), 5e-4);
        // a model missing from a block, or two values in one block, is an error naming the files
        CliRun missing = CliRun.of("compare", args.get(5), args.get(6), args.get(9), "--metric", "auc");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("every model needs a value in every block"), missing.err());
        Path dup = result("dup.json", "c45", "data0", "holdout:0.9", "auc", 0.5);
        CliRun twice = CliRun.of("compare", args.get(5), dup.toString(), args.get(6), "--metric", "auc");
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("two values of c45"), twice.err());
        CliRun finer = CliRun.of("compare", args.get(5), dup.toString(), args.get(6), "--metric", "auc", "--blocks",
                "dataset,protocol");
        assertEquals(2, finer.exit()); // now c45-m is missing from the holdout:0.9 block
        assertTrue(finer.err().contains("no result of c45-m"), finer.err());
    }

    @Test
    void sparsityPlotsTheMetricAgainstP() throws IOException {
        List<String> args = new ArrayList<>(List.of("plot", "sparsity", "--metric", "rmse"));
        for (String p : new String[] {"0.01", "0.05", "0.1"}) {
            for (String a : new String[] {"als", "biases"}) {
                args.add(result("s-" + a + p + ".json", a, "ml", "subsample:" + p, "rmse", 1 + Double.parseDouble(p)).toString());
            }
        }
        Path png = dir.resolve("s.png");
        args.addAll(List.of("--out", png.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(png) > 1000);
        Path other = result("h.json", "als", "ml", "holdout:0.8", "rmse", 0.9);
        CliRun bad = CliRun.of("plot", "sparsity", other.toString(), "--out", png.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("is not subsample:P"), bad.err());
    }
}
