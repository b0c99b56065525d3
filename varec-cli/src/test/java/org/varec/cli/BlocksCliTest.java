package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block models on the command line: train irm on a network, its picture, its groups, the report's block section. */
class BlocksCliTest {
    @TempDir
    static Path dir;
    static Path network;
    static Path model;

    /** Three planted groups of 20 vertices (vertex v in group v % 3): links within with p 0.5, between 0.02. */
    @BeforeAll
    static void writeNetworkAndTrain() throws IOException {
        int n = 60;
        boolean[][] a = new boolean[n][n];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a[i][j] = a[j][i] = rnd.nextDouble() < (i % 3 == j % 3 ? 0.5 : 0.02);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sb.append(j == 0 ? "" : ",").append(a[i][j] ? 1 : 0);
            }
            sb.append('\n');
        }
        network = dir.resolve("planted.csv");
        Files.writeString(network, sb.toString());
        model = dir.resolve("irm.varec");
        CliRun t = CliRun.of("train", "--data", network.toString(), "--format", "adjacency", "--algo", "irm",
                "--set", "iterations=60", "--set", "burn_in=20", "--save", model.toString(), "-q");
        assertEquals(0, t.exit(), t.err());
    }

    @Test
    void plotBlocksDrawsTheMatrixAndTheGroupSizes() throws IOException {
        Path png = dir.resolve("blocks.png");
        CliRun p = CliRun.of("plot", "blocks", "--model", model.toString(), "--data", network.toString(), "--format",
                "adjacency", "--out", png.toString(), "-q");
        assertEquals(0, p.exit(), p.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1100, img.getWidth());
        assertEquals(760, img.getHeight());
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth() / 2; x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                dark += ((rgb >> 16) & 0xFF) < 60 && ((rgb >> 8) & 0xFF) < 60 && (rgb & 0xFF) < 60 ? 1 : 0;
            }
        }
        assertTrue(dark > 1000, "links drawn: " + dark + " dark pixels");

        Path svg = dir.resolve("blocks.svg");
        CliRun s = CliRun.of("plot", "blocks", "--model", model.toString(), "--data", network.toString(), "--format",
                "adjacency", "--out", svg.toString(), "--width", "900", "--height", "600", "-q");
        assertEquals(0, s.exit(), s.err());
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("width=\"900px\""), text.substring(0, 300));
    }

    @Test
    void itemsListsTheGroupsAndTheirLinkProbabilities() throws IOException {
        CliRun g = CliRun.of("items", "--model", model.toString(), "--groups");
        assertEquals(0, g.exit(), g.err());
        assertTrue(g.out().startsWith("3 groups of irm"), g.out());
        assertTrue(g.out().contains("Link probabilities between groups"), g.out());

        CliRun j = CliRun.of("items", "--model", model.toString(), "--groups", "--json");
        assertEquals(0, j.exit(), j.err());
        JsonNode root = new ObjectMapper().readTree(j.out());
        assertEquals(3, root.get("groups").size());
        for (JsonNode group : root.get("groups")) {
            assertEquals(20, group.get("size").asInt());
            Set<Integer> planted = new HashSet<>();
            group.get("members").forEach(m -> planted.add(Integer.parseInt(m.asText()) % 3));
            assertEquals(1, planted.size(), "one planted group per found group: " + group);
        }
        JsonNode p = root.get("block_probabilities");
        assertEquals(3, p.size());
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double expected = a == b ? 0.5 : 0.02;
                assertEquals(expected, p.get(a).get(b).asDouble(), a == b ? 0.1 : 0.02, "block " + a + "," + b);
            }
        }
    }

    @Test
    void otherModelsAndRatingDataAreRefusedClearly() throws IOException {
        Path svd = dir.resolve("svd.varec");
        assertEquals(0, CliRun.of("train", "--data", network.toString(), "--format", "adjacency", "--algo", "svd",
                "--set", "rank=3", "--save", svd.toString(), "-q").exit());
        CliRun p = CliRun.of("plot", "blocks", "--model", svd.toString(), "--data", network.toString(), "--format",
                "adjacency", "--out", dir.resolve("x.png").toString());
        assertEquals(2, p.exit());
        assertTrue(p.err().contains("is not a block model"), p.err());
        CliRun items = CliRun.of("items", "--model", svd.toString(), "--groups");
        assertEquals(2, items.exit());
        assertTrue(items.err().contains("is not a block model"), items.err());

        Path ratings = dir.resolve("ratings.tsv");
        Files.writeString(ratings, "1\t2\t5\n2\t3\t4\n3\t1\t2\n");
        CliRun r = CliRun.of("plot", "blocks", "--model", model.toString(), "--data", ratings.toString(), "--out",
                dir.resolve("y.png").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not a network"), r.err());
    }

    @Test
    void reportOfANetworkShowsTheBlocks() throws IOException {
        Path out = dir.resolve("report");
        CliRun r = CliRun.of("report", "--data", network.toString(), "--format", "adjacency", "--model", model.toString(),
                "--out", out.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("href=\"#blocks\"") && html.contains("blocks-irm.png"), html);
        assertTrue(Files.size(out.resolve("blocks-irm.png")) > 1000);
    }
}
