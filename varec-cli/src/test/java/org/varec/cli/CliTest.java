package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    static Path dir;
    static Path ratings;

    /** 60 users x 40 items, biased ratings 1..5, tab-separated with a header. */
    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] bu = new double[60];
        double[] bi = new double[40];
        for (int u = 0; u < bu.length; u++) {
            bu[u] = rnd.nextDouble() - 0.5;
        }
        for (int i = 0; i < bi.length; i++) {
            bi[i] = 2 * rnd.nextDouble() - 1;
        }
        StringBuilder sb = new StringBuilder("user\titem\trating\n");
        for (int u = 0; u < bu.length; u++) {
            for (int i = 0; i < bi.length; i++) {
                if (rnd.nextDouble() < 0.4) {
                    long r = Math.max(1, Math.min(5, Math.round(3.4 + bu[u] + bi[i] + 0.4 * (rnd.nextDouble() - 0.5))));
                    sb.append("u").append(u).append('\t').append("i").append(i).append('\t').append(r).append('\n');
                }
            }
        }
        ratings = dir.resolve("ratings.tsv");
        Files.writeString(ratings, sb.toString());
    }

    @Test
    void trainAddsAServeFeedbackLog() throws IOException {
        Path log = dir.resolve("feedback.log");
        Files.writeString(log, "biases\tnewcomer\ti1\t5.0\nbiases\tu0\ti2\t1.0\n");
        Path model = dir.resolve("fb.varec");
        CliRun r = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--scale", "1:5", "--feedback",
                log.toString(), "--save", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("added 2 feedback ratings"), r.err());
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--user", "newcomer", "--item", "i1");
        assertEquals(0, p.exit(), p.err());
        assertFalse(p.out().contains("unknown user"), p.out());
        Files.writeString(log, "biases\tu0\tno-such-item\t4.0\n");
        CliRun bad = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--scale", "1:5", "--feedback",
                log.toString(), "--save", model.toString());
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("feedback.log:1") && bad.err().contains("no-such-item"), bad.err());
    }

    @Test
    void evalPrintsTableAndWritesDocumentedJson() throws IOException {
        Path json = dir.resolve("out/result.json");
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--set", "reg_user=2",
                "--protocol", "holdout:0.8x3", "--seed", "7", "--threads", "2", "--scale", "1:5", "--json", json.toString(),
                "--topn", "5", "--classify", "4");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("rmse"), r.out());
        assertTrue(r.err().contains("split 3/3"), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("biases", j.get("algorithm").asText());
        assertEquals(2.0, j.get("config").get("reg_user").asDouble());
        assertEquals(60, j.get("dataset").get("users").asInt());
        assertEquals(40, j.get("dataset").get("items").asInt());
        assertTrue(j.get("dataset").get("ratings").asInt() > 500);
        assertEquals("holdout:0.8x3", j.get("protocol").asText());
        assertEquals(7, j.get("seed").asInt());
        assertEquals(3, j.get("runs").size());
        JsonNode run = j.get("runs").get(0);
        assertTrue(run.get("metrics").get("rmse").asDouble() < 0.8);
        assertTrue(run.get("metrics").has("ndcg@5"), run.toString());
        assertTrue(run.get("metrics").has("auc"), run.toString());
        assertTrue(run.get("fit_seconds").asDouble() >= 0);
        assertTrue(run.get("history").size() > 0);
        JsonNode rmse = j.get("summary").get("rmse");
        assertTrue(rmse.has("mean") && rmse.has("std"));

        // same seed, same numbers
        Path json2 = dir.resolve("out/result2.json");
        CliRun again = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--set", "reg_user=2",
                "--protocol", "holdout:0.8x3", "--seed", "7", "--threads", "1", "--scale", "1:5", "--json", json2.toString(), "-q");
        assertEquals(0, again.exit(), again.err());
        assertEquals("", again.err());
        JsonNode j2 = new ObjectMapper().readTree(json2.toFile());
        assertEquals(rmse.get("mean").asDouble(), j2.get("summary").get("rmse").get("mean").asDouble(), 0.0);
    }

    /** --select on a validation metric, --patience and --restore-best reach the shared loop and the JSON. */
    @Test
    void selectionOnAValidationMetricStopsAndRestoresTheBestEpoch() throws IOException {
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biasmf", "--set", "rank=3",
                "--set", "epochs=60", "--protocol", "holdout:0.6,0.2,0.2", "--scale", "1:5", "--threads", "2",
                "--select", "ndcg@5", "--patience", "2", "--restore-best", "--json", "-", "-q");
        assertEquals(0, r.exit(), r.err());
        JsonNode run = new ObjectMapper().readTree(r.out()).get("runs").get(0);
        JsonNode history = run.get("history");
        int best = 0;
        double bestValue = -1;
        for (JsonNode e : history) {
            assertTrue(e.get("figures").has("val_rmse"), e.toString());
            double v = e.get("figures").get("val_ndcg@5").asDouble();
            if (v > bestValue) {
                bestValue = v;
                best = e.get("epoch").asInt();
            }
        }
        assertEquals(best, run.get("model_epoch").asInt());
        assertEquals(history.size() < 60, run.get("stopped_early").asBoolean());
        // the runs were selected on validation ratings: a protocol without them is refused
        CliRun bad = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--protocol", "holdout:0.8",
                "--scale", "1:5", "--patience", "2", "-q");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("validation"), bad.err());
        bad = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--protocol", "holdout:0.6,0.2,0.2",
                "--scale", "1:5", "--select", "alpha", "-q");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("alpha"), bad.err());
    }

    /**
     * --lr-patience reaches the loop: nnmf reports step_scale each epoch, and drops it after a
     * stall; an algorithm that cannot restart, --lr-factor alone and a missing --restore-best are refused.
     */
    @Test
    void stepSizeDropOnAPlateauReachesTheLoop() throws IOException {
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "nnmf", "--set", "rank=2",
                "--set", "products=2", "--set", "hidden=4", "--set", "epochs=40", "--set", "learning_rate=0.05",
                "--protocol", "holdout:0.6,0.2,0.2", "--scale", "1:5", "--threads", "1", "--patience", "6",
                "--restore-best", "--lr-patience", "1", "--lr-factor", "0.25", "--json", "-", "-q");
        assertEquals(0, r.exit(), r.err());
        JsonNode history = new ObjectMapper().readTree(r.out()).get("runs").get(0).get("history");
        assertEquals(1.0, history.get(0).get("figures").get("step_scale").asDouble());
        double last = history.get(history.size() - 1).get("figures").get("step_scale").asDouble();
        assertTrue(last < 1, "no drop in " + history.size() + " epochs");
        String[] base = {"eval", "--data", ratings.toString(), "--protocol", "holdout:0.6,0.2,0.2", "--scale", "1:5",
                "--threads", "1", "-q"};
        CliRun bad = CliRun.of(concat(base, "--algo", "biasmf", "--restore-best", "--lr-patience", "2"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("cannot restart"), bad.err());
        bad = CliRun.of(concat(base, "--algo", "nnmf", "--restore-best", "--lr-factor", "0.5"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--lr-factor needs --lr-patience"), bad.err());
        bad = CliRun.of(concat(base, "--algo", "nnmf", "--lr-patience", "2"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--restore-best"), bad.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** train holds out a share of the ratings for early stopping when asked; without it selecting on validation is refused. */
    @Test
    void trainStopsEarlyOnAHeldOutShare() throws IOException {
        Path model = dir.resolve("early.varec");
        CliRun r = CliRun.of("train", "--data", ratings.toString(), "--algo", "biasmf", "--set", "rank=3",
                "--set", "epochs=200", "--scale", "1:5", "--validation-share", "0.1", "--patience", "3",
                "--restore-best", "--save", model.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode history = new ObjectMapper().readTree(r.out()).get("provenance").get("history");
        assertTrue(history.size() < 200, "ran " + history.size() + " epochs");
        assertTrue(history.get(0).get("figures").has("val_rmse"), history.get(0).toString());
        CliRun bad = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--scale", "1:5",
                "--patience", "3", "--save", dir.resolve("x.varec").toString(), "-q");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--validation-share"), bad.err());
    }

    /** One spelling per parameter; libFM's names are documented aliases; ranges and choices are shown. */
    @Test
    void algosListsCanonicalNamesRangesAndAliases() throws IOException {
        CliRun r = CliRun.of("algos");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("(also dim"), r.out());
        assertTrue(r.out().contains("(also learn_rate"), r.out());
        assertTrue(r.out().contains("diagonal|full"), r.out());
        // one algorithm by name; an unknown name is an error naming the known ones
        CliRun one = CliRun.of("algos", "vaebmf");
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().startsWith("vaebmf "), one.out());
        assertFalse(one.out().contains("\nbpmf "), one.out());
        CliRun bad = CliRun.of("algos", "nosuch");
        assertTrue(bad.exit() != 0);
        assertTrue(bad.err().contains("unknown algorithm 'nosuch'"), bad.err());
        JsonNode j = new ObjectMapper().readTree(CliRun.of("algos", "--json").out());
        for (JsonNode a : j) {
            for (JsonNode p : a.get("params")) {
                assertFalse(List.of("dim", "learn_rate", "keep").contains(p.get("name").asText()), p.toString());
            }
        }
        // an alias is accepted, the canonical name is what is stored
        CliRun e = CliRun.of("eval", "--data", ratings.toString(), "--algo", "fm-sgd", "--set", "dim=2",
                "--set", "learn_rate=0.02", "--protocol", "holdout:0.8", "--scale", "1:5", "--json", "-", "-q");
        assertEquals(0, e.exit(), e.err());
        JsonNode config = new ObjectMapper().readTree(e.out()).get("config");
        assertEquals(2, config.get("rank").asInt());
        assertEquals(0.02, config.get("learning_rate").asDouble());
    }

    @Test
    void evalOnSplitFilesMadeElsewhere() throws IOException {
        Path splits = dir.resolve("splits");
        CliRun s = CliRun.of("data", "split", "--data", ratings.toString(), "--protocol", "holdout:0.75", "--out", splits.toString());
        assertEquals(0, s.exit(), s.err());
        Path train = splits.resolve("split-1/train.tsv");
        Path test = splits.resolve("split-1/test.tsv");
        assertTrue(Files.exists(train) && Files.exists(test));
        CliRun r = CliRun.of("eval", "--train", train.toString(), "--test", test.toString(), "--algo", "mean", "--json", "-");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("explicit", j.get("protocol").asText());
        assertEquals(Files.readAllLines(test).size(), j.get("runs").get(0).get("test_ratings").asInt());
    }

    @Test
    void trainPredictRecommendAndFoldIn() throws IOException {
        Path model = dir.resolve("m/biases.varec");
        CliRun t = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--save", model.toString(), "--scale", "1:5");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("saved"), t.out());
        assertTrue(Files.size(model) > 100);

        CliRun p = CliRun.of("predict", "--model", model.toString(), "--user", "u3", "--item", "i5");
        assertEquals(0, p.exit(), p.err());
        double v = Double.parseDouble(p.out().trim().split("\t")[2]);
        assertTrue(v >= 1 && v <= 5);

        Path pairs = dir.resolve("pairs.txt");
        Files.writeString(pairs, "# user item\nu1 i1\nu2,i3\nnobody i1\n");
        CliRun pj = CliRun.of("predict", "--model", model.toString(), "--pairs", pairs.toString(), "--json");
        assertEquals(0, pj.exit(), pj.err());
        JsonNode arr = new ObjectMapper().readTree(pj.out());
        assertEquals(3, arr.size());
        assertFalse(arr.get(2).get("known_user").asBoolean());

        CliRun rec = CliRun.of("recommend", "--model", model.toString(), "--user", "u3", "-n", "5", "--json");
        assertEquals(0, rec.exit(), rec.err());
        JsonNode list = new ObjectMapper().readTree(rec.out());
        assertEquals(5, list.size());
        assertEquals(1, list.get(0).get("rank").asInt());

        CliRun fold = CliRun.of("recommend", "--model", model.toString(), "--rate", "i1=5,i2=4", "-n", "3");
        assertEquals(0, fold.exit(), fold.err());
        assertTrue(fold.out().contains("new user with 2 ratings"), fold.out());
        assertFalse(fold.out().contains(" i1 "), "rated items are left out: " + fold.out());
    }

    @Test
    void factorModelRecommendsWithAlphaAndListsItems() throws IOException {
        Path model = dir.resolve("m/als.varec");
        CliRun t = CliRun.of("train", "--data", ratings.toString(), "--algo", "als", "--set", "rank=3", "--set", "iterations=5",
                "--save", model.toString(), "--scale", "1:5", "-q");
        assertEquals(0, t.exit(), t.err());

        CliRun rec = CliRun.of("recommend", "--model", model.toString(), "--user", "u3", "-n", "4", "--alpha", "1", "--json");
        assertEquals(0, rec.exit(), rec.err());
        JsonNode list = new ObjectMapper().readTree(rec.out());
        assertEquals(4, list.size());
        // alpha = 1 ranks like the predicted rating
        for (int k = 1; k < list.size(); k++) {
            assertTrue(list.get(k - 1).get("predicted").asDouble() >= list.get(k).get("predicted").asDouble() - 1e-9, rec.out());
        }

        CliRun pol = CliRun.of("items", "--model", model.toString(), "--polarizing", "-n", "3", "--min-ratings", "5", "--json");
        assertEquals(0, pol.exit(), pol.err());
        JsonNode p = new ObjectMapper().readTree(pol.out());
        assertEquals(3, p.size());
        assertTrue(p.get(0).get("norm").asDouble() >= p.get(2).get("norm").asDouble());
        assertTrue(p.get(0).get("ratings").asInt() >= 5);

        CliRun sim = CliRun.of("items", "--model", model.toString(), "--similar", "i1", "-n", "2");
        assertEquals(0, sim.exit(), sim.err());
        assertTrue(sim.out().contains("cosine"), sim.out());

        CliRun none = CliRun.of("items", "--model", model.toString(), "--similar", "nosuch");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("item 'nosuch' is not known"), none.err());

        Path biases = dir.resolve("m/b.varec");
        assertEquals(0, CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--save", biases.toString(), "-q").exit());
        CliRun noFactors = CliRun.of("items", "--model", biases.toString(), "--polarizing");
        assertEquals(2, noFactors.exit());
        assertTrue(noFactors.err().contains("has no item vectors"), noFactors.err());
    }

    @Test
    void tableOfSeveralResultsBoldsTheBestPerDataset() throws IOException {
        Path a = dir.resolve("t/mean.json");
        Path b = dir.resolve("t/biases.json");
        for (Path p : new Path[] {a, b}) {
            String algo = p.getFileName().toString().replace(".json", "");
            CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", algo, "--protocol", "holdout:0.8x2",
                    "--json", p.toString(), "-q");
            assertEquals(0, r.exit(), r.err());
        }
        CliRun t = CliRun.of("table", a.toString(), b.toString(), "--metrics", "rmse,mae");
        assertEquals(0, t.exit(), t.err());
        List<String> lines = t.out().strip().lines().toList();
        assertEquals(4, lines.size(), t.out());
        assertEquals("| dataset | algorithm | protocol | rmse | mae |", lines.get(0));
        assertTrue(lines.get(3).contains("| biases |") && lines.get(3).contains("| **"), t.out());
        assertFalse(lines.get(2).contains("**"), t.out());

        Path junk = dir.resolve("t/junk.json");
        Files.writeString(junk, "{\"x\": 1}");
        CliRun bad = CliRun.of("table", junk.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("junk.json: not a 'varec eval --json' result"), bad.err());
    }

    @Test
    void predictPrintsIntervalsForBayesianModels() throws IOException {
        Path model = dir.resolve("m/vbmf.varec");
        CliRun t = CliRun.of("train", "--data", ratings.toString(), "--algo", "vbmf", "--set", "rank=3",
                "--save", model.toString(), "--scale", "1:5", "--threads", "2");
        assertEquals(0, t.exit(), t.err());

        CliRun p = CliRun.of("predict", "--model", model.toString(), "--user", "u3", "--item", "i5", "--level", "0.8");
        assertEquals(0, p.exit(), p.err());
        String[] f = p.out().trim().split("\t");
        assertTrue(f[3].startsWith("mean ") && f[4].startsWith("sd ") && f[5].startsWith("80% ["), p.out());

        Path pairs = dir.resolve("vb-pairs.txt");
        Files.writeString(pairs, "u1 i1\nu2,i3\nnobody i1\n");
        CliRun pj = CliRun.of("predict", "--model", model.toString(), "--pairs", pairs.toString(), "--json",
                "--level", "0.9");
        assertEquals(0, pj.exit(), pj.err());
        JsonNode arr = new ObjectMapper().readTree(pj.out());
        assertEquals(3, arr.size());
        double z = org.varec.stats.Normal.quantile(0.95);
        for (JsonNode row : arr) {
            double mean = row.get("mean").asDouble();
            double sd = row.get("sd").asDouble();
            assertTrue(sd > 0, row.toString());
            assertEquals(mean - z * sd, row.get("lower").asDouble(), 1e-9);
            assertEquals(mean + z * sd, row.get("upper").asDouble(), 1e-9);
            assertEquals(0.9, row.get("level").asDouble());
        }
        // an unknown user is the prior: a wider interval than a trained one for the same item
        assertTrue(arr.get(2).get("sd").asDouble() > arr.get(0).get("sd").asDouble(), arr.toString());
    }

    @Test
    void sideInformationFromDelimitedFilesFeedsFactorizationMachines() throws IOException {
        Path items = dir.resolve("side/items.csv");
        Files.createDirectories(items.getParent());
        StringBuilder sb = new StringBuilder("item,kind,shade\n");
        for (int i = 0; i < 40; i++) {
            sb.append('i').append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append(',')
                    .append(i % 3 == 0 ? "light|dark" : "").append('\n');
        }
        sb.append("unknown-item,odd,dark\n");
        Files.writeString(items, sb.toString());
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "fm-als", "--set", "side=item", "--set", "dim=2",
                "--item-features", items.toString(), "--protocol", "holdout:0.8", "--json", "-");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("side information " + items + ": 40 rows, groups [kind, shade], 1 unknown ids skipped"),
                r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("runs").get(0).get("metrics").get("rmse").asDouble() < 1.0, r.out());

        Path bad = dir.resolve("side/bad.csv");
        Files.writeString(bad, "item,kind\ni1,odd,extra\n");
        CliRun e = CliRun.of("eval", "--data", ratings.toString(), "--algo", "fm-als", "--set", "side=item",
                "--item-features", bad.toString(), "-q");
        assertEquals(2, e.exit());
        assertTrue(e.err().contains("bad.csv:2: expected 2 fields as in the header, got 3"), e.err());
    }

    @Test
    void errorsAreOneLineWithExitCode2() throws IOException {
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "nosuch");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("varec: error: unknown algorithm 'nosuch'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "1\t1\t5\n2\t1\tfive\n");
        r = CliRun.of("eval", "--data", bad.toString(), "--algo", "mean", "-q");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.tsv:2:"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r.err());

        r = CliRun.of("eval", "--data", bad.toString(), "--algo", "mean", "-q", "--debug");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("\tat "), "stack trace with --debug: " + r.err());

        Path notModel = dir.resolve("not-a-model.varec");
        Files.writeString(notModel, "hello ".repeat(20));
        r = CliRun.of("recommend", "--model", notModel.toString(), "--user", "1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a varec model file"), r.err());

        r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--set", "reg_user=-3");
        assertEquals(2, r.exit());
        assertTrue(r.err().toLowerCase(Locale.ROOT).contains("reg_user"), r.err());

        r = CliRun.of("eval", "--algo", "biases");
        assertEquals(2, r.exit());
    }
}
