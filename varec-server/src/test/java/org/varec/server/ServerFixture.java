package org.varec.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.varec.data.Dataset;
import org.varec.data.io.Datasets;
import org.varec.io.ModelFile;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.Params;
import org.varec.train.TrainingContext;

/** Small trained models on disk and an HTTP client for the server tests (loopback only). */
final class ServerFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixture() {
    }

    /** 80 users x 60 items with planted taste (two user types, two item types), ratings 1..5, users u0.., items i0... */
    static Path ratings(Path dir) throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("user\titem\trating\n");
        for (int u = 0; u < 80; u++) {
            for (int i = 0; i < 60; i++) {
                if (rnd.nextDouble() < 0.3) {
                    double r = (u % 2 == i % 2 ? 4.3 : 2.2) + (rnd.nextDouble() - 0.5);
                    sb.append("u").append(u).append('\t').append("i").append(i).append('\t')
                            .append(Math.max(1, Math.min(5, Math.round(r)))).append('\n');
                }
            }
        }
        Path f = dir.resolve("ratings.tsv");
        Files.writeString(f, sb.toString());
        return f;
    }

    /** Trains {@code algo} on the ratings and saves it as {@code dir/name.varec}. */
    static Path model(Path dir, String algo, String name, String... set) throws IOException {
        Dataset d = Datasets.read(ratings(dir), org.varec.data.io.ReadOptions.defaults()
                .withScale(new org.varec.data.RatingScale(1, 5)));
        var a = Algorithms.get(algo);
        var m = Fitting.fit(a, a.parseConfig(Params.parse(java.util.List.of(set))), d, d.ratings(), TrainingContext.of(1, 2));
        Path f = dir.resolve(name + ".varec");
        ModelFile.save(m, f);
        return f;
    }

    record Response(int status, JsonNode json, String text) {
    }

    static Response get(VarecServer s, String path) throws IOException, InterruptedException {
        return send(s, HttpRequest.newBuilder(uri(s, path)).GET(), null);
    }

    static Response post(VarecServer s, String path, String body) throws IOException, InterruptedException {
        return post(s, path, body, null);
    }

    static Response post(VarecServer s, String path, String body, String token) throws IOException, InterruptedException {
        return send(s, HttpRequest.newBuilder(uri(s, path)).POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    static Response send(VarecServer s, HttpRequest.Builder b, String token) throws IOException, InterruptedException {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = null;
        try {
            j = JSON.readTree(r.body());
        } catch (IOException e) {
            // not JSON (metrics, the page)
        }
        return new Response(r.statusCode(), j, r.body());
    }

    static URI uri(VarecServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }
}
