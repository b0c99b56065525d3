package org.varec.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load figures of {@code varec serve} on loopback (docs/server.md): starts a server on the given
 * model files in this process, then for each workload runs {@code clients} concurrent connections
 * for {@code seconds} (bounded in time and in requests, stops by itself) and prints requests per
 * second, p50 / p99 latency, errors, and the heap after a GC before and after.
 *
 * <pre>java -cp ... org.varec.server.LoadBench MODEL.varec [MODEL2.varec] [clients] [seconds]</pre>
 * (varec-bench/server-load.sh runs it on ML-1M als and vbmf models).
 */
public final class LoadBench {
    private static final int MAX_REQUESTS = 2_000_000;

    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> models = new ArrayList<>();
        int i = 0;
        for (; i < args.length && args[i].endsWith(".varec"); i++) {
            models.add(Path.of(args[i]));
        }
        int clients = i < args.length ? Integer.parseInt(args[i++]) : 16;
        int seconds = i < args.length ? Integer.parseInt(args[i]) : 10;
        try (VarecServer s = VarecServer.start(new VarecServer.Options("127.0.0.1", 0, models, null, null))) {
            HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newFixedThreadPool(clients))
                    .build();
            String base = "http://127.0.0.1:" + s.port();
            // pass 0 warms the whole HTTP stack and every code path up (JIT: the first workload measured
            // otherwise runs at a third of its speed), pass 1 measures
            for (int pass = 0; pass < 2; pass++) {
            int secs = pass == 0 ? 3 : seconds;
            boolean print = pass == 1;
            for (String name : s.modelNames()) {
                List<String> users = new ArrayList<>();
                // known users: MovieLens ids 1..1000 (every ML-1M user id up to 6040 exists)
                for (int u = 1; u <= 1000; u++) {
                    users.add(Integer.toString(u));
                }
                StringBuilder pairs = new StringBuilder("{\"model\":\"" + name + "\",\"pairs\":[");
                for (int k = 0; k < 100; k++) {
                    pairs.append(k == 0 ? "" : ",").append("{\"user\":\"").append(1 + k).append("\",\"item\":\"")
                            .append(1 + 7 * k).append("\"}");
                }
                pairs.append("]}");
                String fold = "{\"model\":\"" + name + "\",\"k\":10,\"ratings\":[{\"item\":\"1\",\"rating\":5},"
                        + "{\"item\":\"50\",\"rating\":4},{\"item\":\"260\",\"rating\":5},{\"item\":\"1196\",\"rating\":5},"
                        + "{\"item\":\"2858\",\"rating\":2}]}";
                run(http, name + " recommendations, known user", clients, secs, print, n -> HttpRequest.newBuilder(
                        URI.create(base + "/v1/users/" + users.get((int) (n % users.size())) + "/recommendations?k=10&model="
                                + name)).build());
                run(http, name + " fold-in of 5 ratings + top 10", clients, secs, print, n -> HttpRequest.newBuilder(
                        URI.create(base + "/v1/recommendations/fold-in")).POST(HttpRequest.BodyPublishers.ofString(fold)).build());
                run(http, name + " predict, batches of 100 pairs", clients, secs, print, n -> HttpRequest.newBuilder(
                        URI.create(base + "/v1/predict")).POST(HttpRequest.BodyPublishers.ofString(pairs.toString())).build());
            }
            }
        }
        System.exit(0);
    }

    private interface Requests {
        HttpRequest make(long n);
    }

    private static void run(HttpClient http, String what, int clients, int seconds, boolean print, Requests requests)
            throws Exception {
        System.gc();
        long heap0 = used();
        long[][] lat = measure(http, clients, seconds, requests);
        System.gc();
        long heap1 = used();
        int n = 0;
        long errors = 0;
        for (long[] l : lat) {
            n += (int) l[0];
            errors += l[1];
        }
        long[] all = new long[n];
        int w = 0;
        for (long[] l : lat) {
            System.arraycopy(l, 2, all, w, (int) l[0]);
            w += (int) l[0];
        }
        Arrays.sort(all);
        if (!print) {
            return;
        }
        System.out.printf(Locale.ROOT, "%-48s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  heap %d -> %d MB%n", what,
                n / (double) seconds, all[n / 2] / 1e6, all[(int) (n * 0.99)] / 1e6, errors, heap0 >> 20, heap1 >> 20);
    }

    /** Per client: [count, errors, latencies (ns)...]. */
    private static long[][] measure(HttpClient http, int clients, int seconds, Requests requests) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong counter = new AtomicLong();
        long[][] out = new long[clients][];
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads[c] = Thread.ofPlatform().start(() -> {
                long[] l = new long[2 + MAX_REQUESTS / clients];
                while (System.nanoTime() < end && l[0] < l.length - 2) {
                    long n = counter.getAndIncrement();
                    long t0 = System.nanoTime();
                    try {
                        var r = http.send(requests.make(n), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            l[1]++;
                        }
                    } catch (Exception e) {
                        l[1]++;
                    }
                    l[2 + (int) l[0]++] = System.nanoTime() - t0;
                }
                out[client] = l;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        return out;
    }

    private static long used() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
