package org.varec.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a stream of feedback posts loses nothing that was acknowledged: a server in its
 * own process takes posts from four clients, is killed with SIGKILL mid-stream, and a new server
 * on the same log replays every acknowledged rating (a torn last line is ignored).
 */
class CrashTest {
    static final String TOKEN = "crash-test-token-0123456789";
    @TempDir
    Path dir;

    @Test
    void acknowledgedFeedbackSurvivesKill9() throws Exception {
        Path model = ServerFixture.model(dir, "als", "als", "rank=4");
        Path log = dir.resolve("feedback.log");
        Process p = start(model, log);
        int port = port(p);
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        var pool = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                for (int k = 0; k < 10_000; k++) {
                    String user = "crash" + client + "_" + k;
                    String body = "{\"user\":\"" + user + "\",\"item\":\"i" + (k % 60) + "\",\"rating\":4}";
                    try {
                        var r = ServerFixture.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/v1/feedback")).header("Authorization", "Bearer " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            acknowledged.add(user);
                        }
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            }));
        }
        // kill mid-stream once enough posts are acknowledged (a fixed sleep failed on a loaded machine),
        // bounded in time so the test stops by itself
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (acknowledged.size() <= 50 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        assertTrue(acknowledged.size() > 20, "posts acknowledged before the kill: " + acknowledged.size());
        List<org.varec.data.io.FeedbackRatings.Entry> replayed = org.varec.data.io.FeedbackRatings.read(log);
        java.util.Set<String> users = new java.util.HashSet<>();
        replayed.forEach(e -> users.add(e.user()));
        for (String u : acknowledged) {
            assertTrue(users.contains(u), "acknowledged " + u + " lost");
        }
        try (VarecServer again = VarecServer.start(new VarecServer.Options("127.0.0.1", 0, List.of(model), TOKEN, log))) {
            String u = acknowledged.get(acknowledged.size() - 1);
            assertEquals(200, ServerFixture.get(again, "/v1/users/" + u + "/recommendations?k=2").status());
        }
    }

    private static Process start(Path model, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServeMain.class.getName(),
                model.toString(), log.toString(), TOKEN).redirectErrorStream(true).start();
    }

    private static int port(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("port ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("the server process printed no port");
    }
}
