package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Link prediction from the command line: network formats, eval, train, save, predict, refusal. */
class NetworkCliTest {
    @TempDir
    static Path dir;
    static Path adjacency;

    /** 60 vertices in 3 planted groups (vertex % 3), links 0.4 within and 0.03 across, as a 0/1 matrix. */
    @BeforeAll
    static void writeNetwork() throws IOException {
        int n = 60;
        boolean[][] a = new boolean[n][n];
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a[i][j] = a[j][i] = rnd.nextDouble() < (i % 3 == j % 3 ? 0.4 : 0.03);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sb.append(j > 0 ? "," : "").append(a[i][j] ? 1 : 0);
            }
            sb.append('\n');
        }
        adjacency = dir.resolve("net.csv");
        Files.writeString(adjacency, sb.toString());
    }

    @Test
    void evalReportsLinkMetricsForANetwork() throws IOException {
        Path json = dir.resolve("sbm.json");
        CliRun r = CliRun.of("eval", "--data", adjacency.toString(), "--format", "adjacency", "--algo", "sbm",
                "--set", "epochs=300", "--set", "warmup=10", "--protocol", "holdout:0.9x2", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("60 vertices"), r.err());
        assertTrue(r.out().contains("on network net (60 vertices, 1,770 pairs"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.get("dataset").get("links").asLong() > 0);
        JsonNode s = j.get("summary");
        for (String m : new String[] {"rmse", "auc", "loglik", "acc", "map"}) {
            assertTrue(s.has(m), m);
        }
        // the best possible AUC on this planted network is about 0.82 (87% of links are within groups)
        assertTrue(s.get("auc").get("mean").asDouble() > 0.75, s.toString());
        assertTrue(!s.has("nlpd"));
    }

    @Test
    void ratingModelsRunOnTheSymmetricMatrix() {
        CliRun r = CliRun.of("eval", "--data", adjacency.toString(), "--format", "adjacency", "--algo", "svd",
                "--set", "rank=5", "--protocol", "holdout:0.9");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("auc"), r.out());
    }

    @Test
    void trainSavePredictALink() {
        Path model = dir.resolve("sbm.varec");
        CliRun t = CliRun.of("train", "--data", adjacency.toString(), "--format", "adjacency", "--algo", "sbm",
                "--set", "epochs=60", "--set", "warmup=10", "--save", model.toString());
        assertEquals(0, t.exit(), t.err());
        CliRun within = CliRun.of("predict", "--model", model.toString(), "--user", "3", "--item", "9");
        CliRun across = CliRun.of("predict", "--model", model.toString(), "--user", "3", "--item", "10");
        assertEquals(0, within.exit(), within.err());
        double pw = Double.parseDouble(within.out().trim().split("\\s+")[2]);
        double pa = Double.parseDouble(across.out().trim().split("\\s+")[2]);
        assertTrue(pw > 0.2 && pa < 0.1, pw + " " + pa);
    }

    @Test
    void blockModelsRefuseRatingsAndMalformedNetworksNameTheLine() throws IOException {
        Path ratings = dir.resolve("r.tsv");
        Files.writeString(ratings, "u1\ti1\t4\nu2\ti1\t3\nu2\ti2\t5\n");
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "sbm");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--format adjacency"), r.err());
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "0,1,0\n1,0,1\n0,0,0\n");
        CliRun b = CliRun.of("eval", "--data", bad.toString(), "--format", "adjacency", "--algo", "sbm");
        assertEquals(2, b.exit(), b.err());
        assertTrue(b.err().contains("bad.csv:2") && b.err().contains("not symmetric"), b.err());
    }
}
