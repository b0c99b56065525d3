package org.varec.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varec.server.ServerFixture.get;
import static org.varec.server.ServerFixture.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VarecServerTest {
    static final String TOKEN = "0123456789abcdef-test-token";
    @TempDir
    static Path dir;
    static Path als;
    static Path vbmf;
    static VarecServer server;

    @BeforeAll
    static void start() throws IOException {
        als = ServerFixture.model(dir, "als", "als", "rank=4");
        vbmf = ServerFixture.model(dir, "vbmf", "vbmf", "rank=4");
        server = VarecServer.start(new VarecServer.Options("127.0.0.1", 0, List.of(als, vbmf), TOKEN,
                dir.resolve("feedback.log")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthReadyModelsAndMetrics() throws Exception {
        assertEquals(200, get(server, "/health").status());
        var ready = get(server, "/ready");
        assertEquals(200, ready.status());
        JsonNode models = get(server, "/v1/models").json().get("models");
        assertEquals("als", models.get(0).get("name").asText());
        assertTrue(models.get(0).get("default").asBoolean());
        assertFalse(models.get(0).get("bayesian").asBoolean());
        assertTrue(models.get(1).get("bayesian").asBoolean());
        assertEquals(80, models.get(1).get("users").asInt());
        assertEquals("vbmf", models.get(1).get("provenance").get("algorithm").asText());
        var metrics = get(server, "/metrics");
        assertTrue(metrics.text().contains("varec_http_requests_seconds_count{method=\"GET\",route=\"/health\",status=\"200\"}"),
                metrics.text());
        assertTrue(metrics.text().contains("varec_model_load_seconds"));
        assertTrue(metrics.text().contains("jvm_memory_used_bytes"), metrics.text());
    }

    @Test
    void recommendationsForKnownAndFoldedInUsers() throws Exception {
        var r = get(server, "/v1/users/u0/recommendations?k=5&model=vbmf");
        assertEquals(200, r.status(), r.text());
        JsonNode items = r.json().get("items");
        assertEquals(5, items.size());
        for (JsonNode it : items) {
            assertTrue(it.has("sd") && it.get("lower").asDouble() < it.get("upper").asDouble());
            assertEquals(0, Integer.parseInt(it.get("item").asText().substring(1)) % 2, "u0 likes even items: " + it);
        }
        var f = post(server, "/v1/recommendations/fold-in",
                "{\"ratings\":[{\"item\":\"i1\",\"rating\":5},{\"item\":\"i3\",\"rating\":5},{\"item\":\"i0\",\"rating\":1},"
                        + "{\"item\":\"nope\",\"rating\":3}],\"k\":4}");
        assertEquals(200, f.status(), f.text());
        assertEquals(3, f.json().get("used").asInt());
        assertEquals("nope", f.json().get("unknown_items").get(0).asText());
        for (JsonNode it : f.json().get("items")) {
            assertEquals(1, Integer.parseInt(it.get("item").asText().substring(1)) % 2, "odd lover: " + it);
        }
        var p = post(server, "/v1/predict", "{\"pairs\":[{\"user\":\"u0\",\"item\":\"i2\"},{\"user\":\"who\",\"item\":\"i2\"}]}");
        assertEquals(200, p.status());
        assertTrue(p.json().get("predictions").get(0).get("known_user").asBoolean());
        assertFalse(p.json().get("predictions").get(1).get("known_user").asBoolean());
        var s = get(server, "/v1/items/i0/similar?k=3");
        assertEquals(200, s.status(), s.text());
        assertEquals(3, s.json().get("items").size());
        assertEquals(200, get(server, "/v1/items/polarizing?k=3&min_ratings=1").status());
        var next = post(server, "/v1/elicit/next", "{\"model\":\"vbmf\",\"strategy\":\"variance\",\"n\":3,"
                + "\"answers\":[{\"item\":\"i1\",\"rating\":5}],\"exclude\":[\"i2\"]}");
        assertEquals(200, next.status(), next.text());
        Set<String> asked = new java.util.HashSet<>();
        next.json().get("items").forEach(x -> asked.add(x.get("item").asText()));
        assertEquals(3, asked.size());
        assertFalse(asked.contains("i1") || asked.contains("i2"));
    }

    @Test
    void badRequestsGetA4xxWithAMessage() throws Exception {
        String[][] gets = {
            {"/v1/users/nobody/recommendations", "404"}, {"/v1/users/u0/recommendations?k=0", "400"},
            {"/v1/users/u0/recommendations?k=99999", "400"}, {"/v1/users/u0/recommendations?k=x", "400"},
            {"/v1/users/u0/recommendations?alpha=NaN", "400"}, {"/v1/users/u0/recommendations?exclude_seen=maybe", "400"},
            {"/v1/users/u0/recommendations?model=zzz", "404"}, {"/v1/items/zzz/similar", "404"}, {"/nothing", "404"},
        };
        for (String[] g : gets) {
            var r = get(server, g[0]);
            assertEquals(Integer.parseInt(g[1]), r.status(), g[0] + " -> " + r.text());
            assertTrue(r.json().get("error").asText().length() > 5, r.text());
            assertFalse(r.text().contains("Exception") || r.text().contains("\tat "), r.text());
        }
        String[] bodies = {"", "{", "[1]", "{\"pairs\":5}", "{\"pairs\":[{\"user\":\"u0\"}]}",
            "{\"pairs\":[{\"user\":{\"a\":1},\"item\":\"i0\"}]}", "{\"pairs\":[7]}"};
        for (String b : bodies) {
            var r = post(server, "/v1/predict", b);
            assertEquals(400, r.status(), b + " -> " + r.text());
        }
        assertEquals(400, post(server, "/v1/recommendations/fold-in", "{\"ratings\":[{\"item\":\"i0\",\"rating\":\"five\"}]}").status());
        assertEquals(400, post(server, "/v1/elicit/next", "{\"model\":\"als\",\"strategy\":\"variance\"}").status());
        assertEquals(413, post(server, "/v1/predict", "{\"pairs\":\"" + "x".repeat(2 << 20) + "\"}").status());
        StringBuilder many = new StringBuilder("{\"pairs\":[");
        for (int k = 0; k <= VarecServer.MAX_BATCH; k++) {
            many.append(k == 0 ? "" : ",").append("{\"user\":\"u0\",\"item\":\"i0\"}");
        }
        var big = post(server, "/v1/predict", many.append("]}").toString());
        assertEquals(400, big.status(), big.text());
        assertTrue(big.json().get("error").asText().contains("at most"));
        // control characters in client input are quoted, never echoed raw
        var ctl = get(server, "/v1/users/%1B%5B31mred/recommendations");
        assertEquals(404, ctl.status());
        assertFalse(ctl.text().contains("\u001b"), ctl.text());
    }

    /** A few hundred random and mutated requests: every answer is JSON with a status below 500. */
    @Test
    void fuzzedRequestsNeverGetA500() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        String[] paths = {"/v1/predict", "/v1/recommendations/fold-in", "/v1/elicit/next", "/v1/feedback",
            "/v1/models/als/reload"};
        String[] seeds = {"{\"pairs\":[{\"user\":\"u0\",\"item\":\"i2\"}]}", "{\"ratings\":[{\"item\":\"i1\",\"rating\":5}],\"k\":3}",
            "{\"answers\":[{\"item\":\"i1\",\"label\":1}],\"strategy\":\"random\",\"n\":2}",
            "{\"user\":\"u9\",\"item\":\"i3\",\"rating\":4}", "{\"file\":\"als.varec\"}"};
        String junk = "{}[]\":,0123456789.-eE+truefalsenull\\u\u0000\u00e9 abc";
        for (int n = 0; n < 300; n++) {
            int p = rnd.nextInt(paths.length);
            StringBuilder b = new StringBuilder(seeds[rnd.nextInt(seeds.length)]);
            for (int m = rnd.nextInt(4); m >= 0; m--) {
                int at = rnd.nextInt(b.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> b.insert(at, junk.charAt(rnd.nextInt(junk.length())));
                    case 1 -> {
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                    }
                    default -> b.replace(Math.min(at, b.length()), Math.min(at + 3, b.length()),
                            String.valueOf(junk.charAt(rnd.nextInt(junk.length()))));
                }
            }
            var r = post(server, paths[p] + (rnd.nextInt(5) == 0 ? "?k=" + rnd.nextInt(-5, 3000) : ""), b.toString());
            assertTrue(r.status() < 500, paths[p] + " " + b + " -> " + r.status() + " " + r.text());
            assertTrue(r.json() != null && (r.status() < 400 || r.json().has("error")), b + " -> " + r.text());
        }
        var g = get(server, "/v1/users/%FF%FE/recommendations?k=%00");
        assertTrue(g.status() < 500, g.text());
    }

    @Test
    void reloadNeedsTheTokenStaysInItsDirectoryAndRefusesCorruptFiles() throws Exception {
        assertEquals(401, post(server, "/v1/models/als/reload", "").status());
        assertEquals(401, post(server, "/v1/models/als/reload", "", "wrong-token-0123456789").status());
        var ok = post(server, "/v1/models/als/reload", "", TOKEN);
        assertEquals(200, ok.status(), ok.text());
        var out = post(server, "/v1/models/als/reload", "{\"file\":\"../../etc/passwd\"}", TOKEN);
        assertEquals(403, out.status(), out.text());
        Path bad = dir.resolve("broken.varec");
        byte[] bytes = Files.readAllBytes(als);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(bad, bytes);
        var refused = post(server, "/v1/models/als/reload", "{\"file\":\"broken.varec\"}", TOKEN);
        assertEquals(422, refused.status(), refused.text());
        assertTrue(refused.json().get("error").asText().contains("still serving"));
        assertEquals(200, get(server, "/v1/users/u0/recommendations").status());
        var swap = post(server, "/v1/models/als/reload", "{\"file\":\"vbmf.varec\"}", TOKEN);
        assertEquals(200, swap.status(), swap.text());
        assertTrue(get(server, "/v1/users/u0/recommendations?model=als").json().get("items").get(0).has("sd"));
        assertEquals(200, post(server, "/v1/models/als/reload", "{\"file\":\"als.varec\"}", TOKEN).status());
    }

    @Test
    void feedbackIsLoggedFoldedInAtOnceAndReplayed() throws Exception {
        assertEquals(401, post(server, "/v1/feedback", "{\"user\":\"new1\",\"item\":\"i1\",\"rating\":5}").status());
        assertEquals(404, get(server, "/v1/users/new1/recommendations").status());
        var f = post(server, "/v1/feedback", "{\"model\":\"als\",\"user\":\"new1\",\"item\":\"i1\",\"rating\":5}", TOKEN);
        assertEquals(200, f.status(), f.text());
        post(server, "/v1/feedback", "{\"model\":\"als\",\"user\":\"new1\",\"item\":\"i3\",\"rating\":5}", TOKEN);
        var recs = get(server, "/v1/users/new1/recommendations?k=3");
        assertEquals(200, recs.status(), recs.text());
        List<String> before = new ArrayList<>();
        recs.json().get("items").forEach(x -> before.add(x.get("item").asText()));
        assertFalse(before.contains("i1") || before.contains("i3"));
        // a trained user's feedback moves their list at once
        List<String> u0 = new ArrayList<>();
        get(server, "/v1/users/u0/recommendations?k=5").json().get("items").forEach(x -> u0.add(x.get("item").asText()));
        post(server, "/v1/feedback", "{\"user\":\"u0\",\"item\":\"" + u0.get(0) + "\",\"rating\":1}", TOKEN);
        List<String> after = new ArrayList<>();
        get(server, "/v1/users/u0/recommendations?k=5").json().get("items").forEach(x -> after.add(x.get("item").asText()));
        assertNotEquals(u0, after);
        assertFalse(after.contains(u0.get(0)));
        // a second server on the same log knows new1
        try (VarecServer again = VarecServer.start(new VarecServer.Options("127.0.0.1", 0, List.of(als), TOKEN,
                dir.resolve("feedback.log")))) {
            var r = get(again, "/v1/users/new1/recommendations?k=3");
            assertEquals(200, r.status(), r.text());
            List<String> replayed = new ArrayList<>();
            r.json().get("items").forEach(x -> replayed.add(x.get("item").asText()));
            assertEquals(before, replayed);
        }
    }

    @Test
    void pageIsServed() throws Exception {
        var page = get(server, "/");
        assertEquals(200, page.status());
        assertTrue(page.text().contains("<script src=\"/app.js\">"));
        assertEquals(200, get(server, "/app.js").status());
        assertEquals(200, get(server, "/style.css").status());
    }

    @Test
    void refusesBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> new VarecServer.Options("127.0.0.1", 0, List.of(), null, null));
        assertThrows(IOException.class, () -> VarecServer.start(new VarecServer.Options("127.0.0.1", 0,
                List.of(dir.resolve("missing.varec")), null, null)));
    }
}
