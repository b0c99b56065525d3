package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code varec report} and {@code varec plot} on a small synthetic MovieLens-100K-shaped dataset. */
class ReportTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path als2;
    static Path als3;
    static Path biases;
    static Path evalAls;
    static Path evalBiases;
    static Path evalCoverage;

    /** ML-100K genre columns used: Children's (4), Drama (8), Horror (11). */
    private static final int CHILDREN = 4;
    private static final int DRAMA = 8;
    private static final int HORROR = 11;

    /**
     * 80 users x 30 items in ML-100K layout (u.data, u.item): items 0-9 Children's, 10-19 Horror,
     * 20-29 Drama; users like one kind or the other (a planted rank-2 taste), ratings 1..5.
     */
    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("tiny-ml");
        Files.createDirectories(data);
        SplittableRandom rnd = new SplittableRandom(3);
        int users = 80;
        int items = 30;
        StringBuilder u = new StringBuilder();
        for (int user = 1; user <= users; user++) {
            double taste = rnd.nextDouble() * 2 - 1; // > 0 likes Children's, < 0 likes Horror
            for (int item = 1; item <= items; item++) {
                if (rnd.nextDouble() > 0.6) {
                    continue;
                }
                int kind = (item - 1) / 10;
                double mean = 3.2 + (kind == 0 ? 1.3 * taste : kind == 1 ? -1.3 * taste : 0.3) + 0.5 * (rnd.nextDouble() - 0.5);
                long r = Math.max(1, Math.min(5, Math.round(mean)));
                u.append(user).append('\t').append(item).append('\t').append(r).append('\t').append(880000000 + item).append('\n');
            }
        }
        Files.writeString(data.resolve("u.data"), u.toString());
        StringBuilder it = new StringBuilder();
        for (int item = 1; item <= items; item++) {
            int kind = (item - 1) / 10;
            int genre = kind == 0 ? CHILDREN : kind == 1 ? HORROR : DRAMA;
            String title = (kind == 0 ? "Cartoon " : kind == 1 ? "Scream " : "Tears ") + item + " (1995)";
            it.append(item).append('|').append(title).append("|01-Jan-1995||http://example.org/").append(item);
            for (int g = 0; g < 19; g++) {
                it.append('|').append(g == genre ? '1' : '0');
            }
            it.append('\n');
        }
        Files.writeString(data.resolve("u.item"), it.toString(), StandardCharsets.ISO_8859_1);

        Path models = dir.resolve("models");
        als2 = models.resolve("als2.varec");
        als3 = models.resolve("als3.varec");
        biases = models.resolve("biases.varec");
        ok("train", "--data", data.toString(), "--algo", "als", "--set", "rank=2", "--set", "iterations=6", "--save", als2.toString(), "-q");
        ok("train", "--data", data.toString(), "--algo", "als", "--set", "rank=3", "--set", "iterations=4", "--save", als3.toString(), "-q");
        ok("train", "--data", data.toString(), "--algo", "biases", "--save", biases.toString(), "-q");
        evalAls = dir.resolve("results/als.json");
        evalBiases = dir.resolve("results/biases.json");
        ok("eval", "--data", data.toString(), "--algo", "als", "--set", "rank=2", "--set", "iterations=4",
                "--protocol", "holdout:0.8x2", "--json", evalAls.toString(), "-q");
        ok("eval", "--data", data.toString(), "--algo", "biases", "--protocol", "holdout:0.8x2", "--json", evalBiases.toString(), "-q");
        // a result as a model with a predictive variance writes it (coverage per nominal level)
        ObjectMapper om = new ObjectMapper();
        ObjectNode j = (ObjectNode) om.readTree(evalAls.toFile());
        j.put("algorithm", "bayes-like");
        ObjectNode summary = (ObjectNode) j.get("summary");
        double[][] cov = {{50, 0.47}, {90, 0.86}, {95, 0.93}};
        for (double[] c : cov) {
            summary.putObject("coverage_" + (int) c[0]).put("mean", c[1]).put("std", 0.01).put("n", 2);
        }
        evalCoverage = dir.resolve("results/bayes.json");
        om.writeValue(evalCoverage.toFile(), j);
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r.err());
        return r;
    }

    private static CliRun fails(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("varec: error: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        return r;
    }

    private static BufferedImage png(Path file, int width, int height) throws IOException {
        assertTrue(Files.size(file) > 1000, file + " is too small");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a readable PNG");
        assertEquals(width, img.getWidth(), file.toString());
        assertEquals(height, img.getHeight(), file.toString());
        return img;
    }

    @Test
    void reportIsWellFormedHtmlReferencingOnlyFilesBesideIt() throws Exception {
        Path out = dir.resolve("report");
        CliRun r = ok("report", "--data", data.toString(), "--model", als2.toString(), "--model", als3.toString(),
                "--model", biases.toString(), "--eval", evalAls.toString(), "--eval", evalBiases.toString(),
                "--eval", evalCoverage.toString(), "--genres", "Children's,horror", "--min-ratings", "5", "--out", out.toString());
        assertTrue(r.out().contains("index.html"), r.out());
        assertTrue(r.err().contains("biases") && r.err().contains("no item vectors"), r.err());
        Path page = out.resolve("index.html");
        String html = Files.readString(page);

        // strict check: the page parses as XML (every element closed, attributes quoted, entities known)
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(page.toFile());
        assertEquals("html", doc.getDocumentElement().getTagName());
        assertEquals(1, doc.getElementsByTagName("head").getLength());
        assertEquals(1, doc.getElementsByTagName("body").getLength());

        // every image is a file beside the page; nothing is fetched from elsewhere
        NodeList imgs = doc.getElementsByTagName("img");
        List<String> srcs = new ArrayList<>();
        for (int k = 0; k < imgs.getLength(); k++) {
            String src = ((Element) imgs.item(k)).getAttribute("src");
            srcs.add(src);
            assertFalse(src.contains("/") || src.contains(":"), "not a file beside the page: " + src);
            png(out.resolve(src), 800, 500);
        }
        for (String tag : List.of("link", "script", "iframe")) {
            assertEquals(0, doc.getElementsByTagName(tag).getLength(), "no <" + tag + ">");
        }
        NodeList links = doc.getElementsByTagName("a");
        for (int k = 0; k < links.getLength(); k++) {
            assertTrue(((Element) links.item(k)).getAttribute("href").startsWith("#"), "only links within the page");
        }
        // the sections the issue asks for
        for (String want : List.of("ratings.png", "popularity.png", "history-train_rmse.png", "history-loss-als.png",
                "embeddings-als2.png", "embeddings-als3.png", "polarizing-als2.png", "least-polarizing-als2.png",
                "calibration.png")) {
            assertTrue(srcs.contains(want), want + " in " + srcs);
        }
        assertFalse(srcs.stream().anyMatch(s -> s.startsWith("embeddings-biases")), srcs.toString());
        assertTrue(html.contains("Cartoon") || html.contains("Scream"), "polarizing tables list titles");
        // experiment table with the best value per column in bold, as varec table does in Markdown
        assertTrue(html.contains("<b>"), "best values in bold");
        assertTrue(html.contains("coverage_90"), "coverage columns in the table");
        try (var files = Files.list(out)) {
            assertEquals(srcs.size() + 1, files.count(), "nothing else written beside the page");
        }
    }

    @Test
    void reportWithDataOnlyAndSvgCharts() throws Exception {
        Path out = dir.resolve("report-svg");
        ok("report", "--data", data.toString(), "--out", out.toString(), "--svg", "-q");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("index.html").toFile());
        NodeList imgs = doc.getElementsByTagName("img");
        assertEquals(2, imgs.getLength());
        for (int k = 0; k < imgs.getLength(); k++) {
            Path svg = out.resolve(((Element) imgs.item(k)).getAttribute("src"));
            assertTrue(svg.toString().endsWith(".svg"), svg.toString());
            svgOk(svg);
        }
    }

    private static void svgOk(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // no network
        Document d = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", d.getDocumentElement().getTagName());
        assertTrue(Files.size(svg) > 1000, svg + " is too small");
    }

    @Test
    void eachPlotWritesAPngOfTheRequestedSize() throws Exception {
        Path p = dir.resolve("plots");
        String[] size = {"--width", "640", "--height", "420", "-q"};
        ok(cat(new String[] {"plot", "ratings", "--data", data.toString(), "--out", p.resolve("ratings.png").toString()}, size));
        png(p.resolve("ratings.png"), 640, 420);
        ok(cat(new String[] {"plot", "ratings", "--data", data.toString(), "--popularity", "--out", p.resolve("pop.png").toString()}, size));
        png(p.resolve("pop.png"), 640, 420);
        ok(cat(new String[] {"plot", "history", "--model", als2.toString(), "--model", als3.toString(), "--eval", evalAls.toString(),
                "--out", p.resolve("history.png").toString()}, size));
        png(p.resolve("history.png"), 640, 420);
        ok(cat(new String[] {"plot", "history", "--model", als2.toString(), "--figure", "loss", "--log-y",
                "--out", p.resolve("loss.png").toString()}, size));
        png(p.resolve("loss.png"), 640, 420);
        ok(cat(new String[] {"plot", "embeddings", "--model", als2.toString(), "--genres", "children,Horror",
                "--min-ratings", "5", "--out", p.resolve("map2.png").toString()}, size));
        png(p.resolve("map2.png"), 640, 420);
        ok(cat(new String[] {"plot", "embeddings", "--model", als3.toString(), "--min-ratings", "5",
                "--out", p.resolve("map3.png").toString()}, size));
        png(p.resolve("map3.png"), 640, 420);
        ok(cat(new String[] {"plot", "polarizing", "--model", als2.toString(), "--data", data.toString(), "--least",
                "--min-ratings", "5", "--out", p.resolve("polar.png").toString()}, size));
        png(p.resolve("polar.png"), 640, 420);
        ok(cat(new String[] {"plot", "calibration", "--eval", evalCoverage.toString(), "--eval", evalBiases.toString(),
                "--out", p.resolve("calibration.png").toString()}, size));
        png(p.resolve("calibration.png"), 640, 420);

        // continuous ratings: binned histogram
        Path floats = dir.resolve("floats.tsv");
        StringBuilder sb = new StringBuilder();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int k = 0; k < 400; k++) {
            sb.append(k % 37).append('\t').append(k % 23).append('\t').append(String.format(java.util.Locale.ROOT, "%.3f",
                    3 + rnd.nextDouble() * 2 - 1)).append('\n');
        }
        Files.writeString(floats, sb.toString());
        ok(cat(new String[] {"plot", "ratings", "--data", floats.toString(), "--out", p.resolve("floats.png").toString()}, size));
        png(p.resolve("floats.png"), 640, 420);

        ok("plot", "embeddings", "--model", als2.toString(), "--min-ratings", "0", "--out", p.resolve("map2.svg").toString(), "-q");
        svgOk(p.resolve("map2.svg"));
        ok("plot", "history", "--model", als2.toString(), "--out", p.resolve("history.svg").toString(), "-q");
        svgOk(p.resolve("history.svg"));
    }

    private static String[] cat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void inputsAreLabelledByFileNameUnambiguously() {
        assertEquals(List.of("x.varec", "x.json", "y", "a/z.varec", "b/z.varec"), org.varec.report.Report.labels(List.of(
                Path.of("a/x.varec"), Path.of("b/x.json"), Path.of("c/y.varec"), Path.of("a/z.varec"), Path.of("b/z.varec"))));
    }

    @Test
    void badInputsGiveOneClearLine() {
        Path png = dir.resolve("bad/x.png");
        fails("missing.varec: no such model file", "plot", "history", "--model", dir.resolve("missing.varec").toString(),
                "--out", png.toString());
        fails("missing.varec: no such model file", "report", "--data", data.toString(), "--model", dir.resolve("missing.varec").toString(),
                "--out", dir.resolve("bad/r").toString());
        fails("has no item vectors", "plot", "embeddings", "--model", biases.toString(), "--out", png.toString());
        fails("unknown genre 'Westerns'", "plot", "embeddings", "--model", als2.toString(), "--genres", "Westerns",
                "--out", png.toString());
        fails("unknown genre 'Westerns'", "report", "--data", data.toString(), "--model", als2.toString(),
                "--genres", "Horror,Westerns", "--out", dir.resolve("bad/r").toString(), "-q");
        fails("must end in .png or .svg", "plot", "ratings", "--data", data.toString(), "--out", dir.resolve("bad/x.jpg").toString());
        fails("no result has interval coverage", "plot", "calibration", "--eval", evalBiases.toString(), "--out", png.toString());
        fails("no history reports figure 'elbo'; there are: loss, train_rmse", "plot", "history", "--model", als2.toString(),
                "--figure", "elbo", "--out", png.toString());
        fails("--width and --height", "plot", "ratings", "--data", data.toString(), "--width", "5", "--out", png.toString());
        fails("give at least one --model or --eval", "plot", "history", "--out", png.toString());
        fails("--min-ratings must be >= 0", "report", "--data", data.toString(), "--model", als2.toString(),
                "--min-ratings", "-1", "--out", dir.resolve("bad/r").toString());
        fails("als2.varec: not a readable JSON result file", "report", "--data", data.toString(), "--eval", als2.toString(),
                "--out", dir.resolve("bad/r").toString());
        fails("nope.json: no such result file", "plot", "calibration", "--eval", dir.resolve("nope.json").toString(),
                "--out", png.toString());
        assertFalse(Files.exists(png), "nothing written on errors");
    }
}
