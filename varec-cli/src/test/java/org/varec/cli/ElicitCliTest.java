package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElicitCliTest {
    @TempDir
    Path dir;

    Path ratings() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("user,item,rating\n");
        for (int u = 0; u < 50; u++) {
            boolean group = u % 2 == 0;
            for (int i = 0; i < 20; i++) {
                double p = (i % 2 == 0) == group ? 0.8 : 0.15;
                if (r.nextDouble() < p) {
                    sb.append(u).append(',').append(100 + i).append(',').append(1 + r.nextInt(5)).append('\n');
                }
            }
        }
        Path f = dir.resolve("r.csv");
        Files.writeString(f, sb);
        return f;
    }

    static CliRun withInput(String input, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliRun.of(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void dataThenSimulationThenLiveSession() throws Exception {
        Path m = dir.resolve("m.csv");
        CliRun d = CliRun.of("data", "elicitation", "--data", ratings().toString(), "--items", "12", "--users", "40",
                "--seed", "3", "--out", m.toString());
        assertEquals(0, d.exit(), d.err());
        assertTrue(d.out().contains("40 users x 12 items"), d.out());
        assertEquals(1 + 40 * 12, Files.readAllLines(m).size());

        Path json = dir.resolve("e.json");
        CliRun e = CliRun.of("elicit", "--data", m.toString(), "--algo", "vfm", "--set", "rank=2", "--set", "epochs=60",
                "--set", "batch_size=100000", "--set", "learning_rate=0.1", "--strategies", "random,mean,entropy",
                "--repeats", "2", "--rounds", "2", "--round-size", "2", "--threads", "1", "--json", json.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("AUC") && e.out().contains("mean - random"), e.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, j.get("strategies").get("entropy").size());
        assertEquals(4, j.get("strategies").get("mean").get(1).get("items").asInt());
        assertEquals(2, j.get("strategies").get("mean").get(1).get("auc").get("ci95").size());
        assertTrue(j.get("classification").asBoolean());
        Path fig = dir.resolve("fig4.png");
        CliRun plot = CliRun.of("plot", "elicitation", "--result", json.toString(), "--metric", "auc", "--out", fig.toString());
        assertEquals(0, plot.exit(), plot.err());
        assertTrue(Files.size(fig) > 1000);
        CliRun badPlot = CliRun.of("plot", "elicitation", "--result", m.toString(), "--out", fig.toString());
        assertEquals(2, badPlot.exit(), badPlot.err());

        Path model = dir.resolve("m.varec");
        CliRun t = CliRun.of("train", "--data", m.toString(), "--algo", "vfm", "--task", "classification",
                "--threshold", "1", "--set", "rank=2", "--set", "epochs=60", "--set", "batch_size=100000",
                "--set", "learning_rate=0.1", "--save", model.toString(), "--quiet");
        assertEquals(0, t.exit(), t.err());
        CliRun live = withInput("y\nmaybe\nn\nskip\n4\n", "elicit", "--model", model.toString(), "--interactive",
                "--questions", "3", "-n", "5");
        assertEquals(0, live.exit(), live.err());
        assertTrue(live.out().contains("Have you seen / would you rate: 1"), live.out());
        assertTrue(live.out().contains("answer y, n, skip"), live.out());
        assertTrue(live.out().contains("After 3 answers: mean predictive variance"), live.out());
        assertTrue(live.out().contains("Top 5"), live.out());
        // the input ends early: the session stops and still recommends
        CliRun eof = withInput("y\n", "elicit", "--model", model.toString(), "--interactive", "--questions", "5");
        assertEquals(0, eof.exit(), eof.err());
        assertTrue(eof.out().contains("After 1 answer:"), eof.out());
    }

    @Test
    void refusals() throws Exception {
        Path m = dir.resolve("m.csv");
        assertEquals(0, CliRun.of("data", "elicitation", "--data", ratings().toString(), "--items", "12", "--users",
                "40", "--out", m.toString()).exit());
        CliRun als = CliRun.of("elicit", "--data", m.toString(), "--algo", "als", "--repeats", "1", "--rounds", "2", "--round-size", "2", "--quiet");
        assertEquals(2, als.exit());
        assertTrue(als.err().contains("no predictive variance"), als.err());
        CliRun half = CliRun.of("elicit", "--model", m.toString());
        assertEquals(2, half.exit());
        assertTrue(half.err().contains("--interactive"), half.err());
        CliRun notBinary = CliRun.of("elicit", "--data", ratings().toString(), "--algo", "vfm", "--rounds", "2", "--round-size", "2", "--quiet");
        assertEquals(2, notBinary.exit());
        assertTrue(notBinary.err().contains("0/1"), notBinary.err());
        CliRun tooMany = CliRun.of("data", "elicitation", "--data", ratings().toString(), "--items", "12", "--users",
                "500", "--out", m.toString());
        assertEquals(2, tooMany.exit());
    }
}
