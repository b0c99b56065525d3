package org.varec.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a local HTTP server on 127.0.0.1 serving ZIPs built here; never the network. */
class DatasetFetcherTest {
    private static final String RATINGS = "userId,movieId,rating,timestamp\n1,10,4.0,964982703\n";
    private static final String MOVIES = "movieId,title,genres\n10,GoldenEye (1995),Action\n";

    @TempDir
    Path tmp;
    private Path dataDir;
    private HttpServer server;
    private URI base;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> agents = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        dataDir = tmp.resolve("data");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/datasets/movielens");
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(path);
        agents.add(ex.getRequestHeaders().getFirst("User-Agent"));
        String name = path.substring(path.lastIndexOf('/') + 1);
        try (ex) {
            if (name.equals("moved.zip")) {
                ex.getResponseHeaders().add("Location", "/datasets/movielens/ml-test.zip");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            byte[] body = files.get(name);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            if (name.equals("stall.zip")) {
                out.write(body, 0, body.length / 2);
                out.flush();
                try {
                    release.await(5, TimeUnit.SECONDS); // bounded: the test ends it sooner
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // closes short: the client must already have given up
            }
            out.write(body);
        } catch (IOException e) {
            // client went away
        }
    }

    private static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                ZipEntry entry = new ZipEntry(namesAndContents[i]);
                // a fixed time: by default an entry carries the clock (2 s resolution), and two calls across a
                // tick gave different bytes, so the checksum test failed now and then
                entry.setTimeLocal(java.time.LocalDateTime.of(2020, 1, 1, 0, 0));
                z.putNextEntry(entry);
                if (namesAndContents[i + 1] != null) {
                    z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                }
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] goodZip() throws IOException {
        return zip("ml-test/", null, "ml-test/ratings.csv", RATINGS, "ml-test/movies.csv", MOVIES,
                "ml-test/README.txt", "test data\n");
    }

    private static String hex(String algorithm, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    }

    private static KnownDataset dataset(String zipName, Checksum checksum, boolean rolling) {
        return new KnownDataset("ml-test", zipName, "ml-test", checksum, 1000, List.of("ratings.csv", "movies.csv"),
                rolling, "test dataset");
    }

    private DatasetFetcher fetcher(boolean allowUnverified) {
        return new DatasetFetcher(base, DatasetFetcher.Options.defaults().withAllowUnverified(allowUnverified)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private List<String> dataDirListing() throws IOException {
        if (!Files.exists(dataDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dataDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndUnpacksAtomically() throws Exception {
        byte[] zip = goodZip();
        files.put("ml-test.zip", zip);
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256(hex("SHA-256", zip)), false);
        List<long[]> progress = new ArrayList<>();
        DatasetFetcher.Result r = fetcher(false).fetch(d, dataDir, (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(dataDir.toAbsolutePath().resolve("ml-test"), r.directory());
        assertTrue(r.downloaded());
        assertTrue(r.verified());
        assertEquals(hex("SHA-256", zip), r.sha256());
        assertEquals(RATINGS, Files.readString(r.directory().resolve("ratings.csv")));
        assertEquals(MOVIES, Files.readString(r.directory().resolve("movies.csv")));
        assertEquals(List.of("ml-test"), dataDirListing(), "no temporary files left");
        assertEquals(List.of("/datasets/movielens/ml-test.zip"), requests);
        assertTrue(agents.get(0).startsWith("varec/"), agents.get(0));
        assertArrayEquals(new long[] {zip.length, zip.length}, progress.get(progress.size() - 1));
        assertEquals(0, progress.get(0)[0]);
    }

    @Test
    void presentDatasetMakesNoRequest() throws Exception {
        byte[] zip = goodZip();
        files.put("ml-test.zip", zip);
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256(hex("SHA-256", zip)), false);
        Path first = fetcher(false).ensure(d, dataDir, null);
        assertEquals(1, requests.size());
        Path again = fetcher(false).ensure(d, dataDir, null);
        assertEquals(first, again);
        assertEquals(1, requests.size(), "second ensure must not download");
        DatasetFetcher.Result r = fetcher(false).fetch(d, dataDir, null);
        assertFalse(r.downloaded());
        assertNull(r.sha256());

        // a dataset unpacked by hand is found too, even with nothing listening
        Path other = tmp.resolve("other");
        Files.createDirectories(other.resolve("ml-test"));
        Files.writeString(other.resolve("ml-test/ratings.csv"), RATINGS);
        Files.writeString(other.resolve("ml-test/movies.csv"), MOVIES);
        DatasetFetcher offline = new DatasetFetcher(URI.create("http://127.0.0.1:" + closedPort() + "/"),
                DatasetFetcher.Options.defaults());
        assertEquals(other.toAbsolutePath().resolve("ml-test"), offline.ensure(d, other, null));
        assertEquals(1, requests.size());
    }

    @Test
    void checksumMismatchLeavesNothing() throws Exception {
        files.put("ml-test.zip", goodZip());
        String wrong = "00".repeat(32);
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256(wrong), false);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> fetcher(true).ensure(d, dataDir, null)); // allowUnverified never excuses a fixed dataset
        assertTrue(e.getMessage().contains("expected sha256 " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("got " + hex("SHA-256", goodZip())), e.getMessage());
        assertEquals(hex("SHA-256", goodZip()), e.actualHex());
        assertEquals(List.of(), dataDirListing());
        assertFalse(DatasetFetcher.isPresent(d, dataDir));
    }

    @Test
    void rollingDatasetMismatchAcceptedOnlyWhenAllowed() throws Exception {
        files.put("ml-test.zip", goodZip());
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256("11".repeat(32)), true);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> fetcher(false).ensure(d, dataDir, null));
        assertTrue(e.getMessage().contains("updates ml-test from time to time"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
        DatasetFetcher.Result r = fetcher(true).fetch(d, dataDir, null);
        assertTrue(r.downloaded());
        assertFalse(r.verified());
    }

    @Test
    void md5ChecksumIsVerified() throws Exception {
        byte[] zip = goodZip();
        files.put("ml-test.zip", zip);
        KnownDataset d = dataset("ml-test.zip", Checksum.md5(hex("MD5", zip)), false);
        assertTrue(fetcher(false).fetch(d, dataDir, null).verified());
        Path other = tmp.resolve("other");
        KnownDataset bad = dataset("ml-test.zip", Checksum.md5("ab".repeat(16)), false);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> fetcher(false).ensure(bad, other, null));
        assertTrue(e.getMessage().contains("expected md5 " + "ab".repeat(16)), e.getMessage());
    }

    @Test
    void unknownChecksumNeedsExplicitPermission() throws Exception {
        byte[] zip = goodZip();
        files.put("ml-test.zip", zip);
        KnownDataset d = dataset("ml-test.zip", null, false);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(false).ensure(d, dataDir, null));
        assertTrue(e.getMessage().contains("no published checksum known for ml-test; computed sha256 = "
                + hex("SHA-256", zip)), e.getMessage());
        assertEquals(List.of(), dataDirListing());
        DatasetFetcher.Result r = fetcher(true).fetch(d, dataDir, null);
        assertTrue(r.downloaded());
        assertFalse(r.verified());
        assertEquals(hex("SHA-256", zip), r.sha256());
        assertTrue(DatasetFetcher.isPresent(d, dataDir));
    }

    @Test
    void http404IsAClearError() throws Exception {
        KnownDataset d = dataset("missing.zip", Checksum.sha256("00".repeat(32)), false);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(false).ensure(d, dataDir, null));
        String m = e.getMessage();
        assertTrue(m.startsWith("could not download " + base + "/missing.zip: the server answered HTTP 404"), m);
        assertTrue(m.contains("download it yourself and unzip it into " + dataDir.toAbsolutePath()), m);
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void connectionFailureIsAClearError() throws Exception {
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256("00".repeat(32)), false);
        DatasetFetcher f = new DatasetFetcher(URI.create("http://127.0.0.1:" + closedPort() + "/x/"),
                DatasetFetcher.Options.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        FetchException e = assertThrows(FetchException.class, () -> f.ensure(d, dataDir, null));
        assertTrue(e.getMessage().startsWith("could not download http://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("download it yourself"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void stalledDownloadIsAbandoned() throws Exception {
        files.put("stall.zip", goodZip());
        KnownDataset d = dataset("stall.zip", Checksum.sha256(hex("SHA-256", goodZip())), false);
        DatasetFetcher f = new DatasetFetcher(base,
                DatasetFetcher.Options.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        FetchException e = assertThrows(FetchException.class, () -> f.ensure(d, dataDir, null));
        release.countDown();
        assertTrue(e.getMessage().contains("no data received"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(4), "gave up in time");
        assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt is cleared");
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        byte[] zip = goodZip();
        files.put("ml-test.zip", zip);
        KnownDataset d = dataset("moved.zip", Checksum.sha256(hex("SHA-256", zip)), false);
        assertTrue(fetcher(false).fetch(d, dataDir, null).verified());
        assertEquals(List.of("/datasets/movielens/moved.zip", "/datasets/movielens/ml-test.zip"), requests);
    }

    @Test
    void zipSlipEntryIsRejected() throws Exception {
        byte[] evil = zip("ml-test/ratings.csv", RATINGS, "ml-test/movies.csv", MOVIES,
                "ml-test/../../evil.txt", "gotcha");
        files.put("ml-test.zip", evil);
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256(hex("SHA-256", evil)), false);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(false).ensure(d, dataDir, null));
        assertTrue(e.getMessage().contains("outside the target directory"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(dataDir.resolve("evil.txt")));
        assertEquals(List.of(), dataDirListing());

        byte[] absolute = zip("ml-test/ratings.csv", RATINGS, "/tmp/evil.txt", "gotcha");
        files.put("abs.zip", absolute);
        KnownDataset d2 = dataset("abs.zip", Checksum.sha256(hex("SHA-256", absolute)), false);
        e = assertThrows(FetchException.class, () -> fetcher(false).ensure(d2, dataDir, null));
        assertTrue(e.getMessage().contains("unsafe entry"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void zipWithoutTheKeyFilesIsRejected() throws Exception {
        byte[] wrong = zip("other/ratings.csv", RATINGS);
        files.put("ml-test.zip", wrong);
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256(hex("SHA-256", wrong)), false);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(false).ensure(d, dataDir, null));
        assertTrue(e.getMessage().contains("does not contain ml-test/ratings.csv"), e.getMessage());
        assertEquals(List.of(), dataDirListing());

        files.put("junk.zip", "this is not a zip".getBytes(StandardCharsets.UTF_8));
        KnownDataset junk = dataset("junk.zip", null, false);
        e = assertThrows(FetchException.class, () -> fetcher(true).ensure(junk, dataDir, null));
        assertTrue(e.getMessage().contains("not a readable ZIP"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void incompleteExistingDirectoryIsNotOverwritten() throws Exception {
        Files.createDirectories(dataDir.resolve("ml-test"));
        Files.writeString(dataDir.resolve("ml-test/ratings.csv"), RATINGS);
        KnownDataset d = dataset("ml-test.zip", Checksum.sha256("00".repeat(32)), false);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(false).ensure(d, dataDir, null));
        assertTrue(e.getMessage().contains("is not a complete ml-test dataset (it lacks movies.csv)"), e.getMessage());
        assertEquals(List.of(), requests);
        assertEquals(RATINGS, Files.readString(dataDir.resolve("ml-test/ratings.csv")));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
