package org.varec.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.varec.io.Version;
import org.varec.util.FileTrees;
import org.varec.util.ProgressListener;

/**
 * Downloads a {@link KnownDataset} into a data directory, once.
 *
 * <p>{@link #ensure} returns {@code dataDir/<directory>} at once when it already holds the
 * dataset's key files (no request is made). Otherwise it downloads the ZIP to a hidden temporary
 * file in {@code dataDir} (streaming, reporting bytes), verifies its checksum, unpacks it into a
 * hidden temporary directory (refusing entries that would land outside it), and renames the
 * dataset directory into place in one atomic step. Temporary files are deleted on every failure,
 * so a failed or interrupted download never leaves a directory that later looks complete.
 *
 * <p>Every failure is a {@link FetchException} whose message says what went wrong and how to get
 * the data by hand.
 */
public final class DatasetFetcher {
    /** Where GroupLens serves the MovieLens ZIPs. */
    public static final URI GROUPLENS = URI.create("https://files.grouplens.org/datasets/movielens/");

    private static final int BUFFER = 1 << 16;
    private static final long PROGRESS_STEP = 1 << 20;

    /**
     * How to download.
     *
     * @param connectTimeout  limit for opening the connection
     * @param readTimeout     limit for the response headers to arrive, and for the body to go
     *                        without any data before the download is abandoned as stalled
     * @param allowUnverified accept a ZIP for which no checksum is known (and, for rolling
     *                        datasets such as ml-latest, one whose checksum differs from the
     *                        recorded one); never accepts a mismatch for a fixed dataset
     */
    public record Options(Duration connectTimeout, Duration readTimeout, boolean allowUnverified) {
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
            }
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive, got " + readTimeout);
            }
        }

        /** 30 s to connect, 60 s without data, verified downloads only. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofSeconds(60), false);
        }

        public Options withAllowUnverified(boolean v) {
            return new Options(connectTimeout, readTimeout, v);
        }

        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(connect, read, allowUnverified);
        }
    }

    /**
     * What {@link #fetch} did.
     *
     * @param directory  the dataset directory
     * @param downloaded false when the dataset was already there
     * @param sha256     SHA-256 of the downloaded ZIP (null when nothing was downloaded)
     * @param verified   true when the ZIP matched the recorded checksum (false when nothing was
     *                   downloaded, or when it was accepted unverified)
     */
    public record Result(Path directory, boolean downloaded, String sha256, boolean verified) {
    }

    private final URI baseUrl;
    private final Options options;

    /** Downloads from GroupLens with {@link Options#defaults()}. */
    public DatasetFetcher() {
        this(GROUPLENS, Options.defaults());
    }

    /**
     * @param baseUrl the directory URL the ZIPs are under (GroupLens, a mirror, or a test server)
     */
    public DatasetFetcher(URI baseUrl, Options options) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.options = Objects.requireNonNull(options, "options");
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("base URL must be http or https, got " + baseUrl);
        }
        String s = baseUrl.toString();
        this.baseUrl = URI.create(s.endsWith("/") ? s : s + "/");
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public Options options() {
        return options;
    }

    /** Where {@code dataset} lives (or will) under {@code dataDir}. */
    public static Path location(KnownDataset dataset, Path dataDir) {
        return dataDir.resolve(dataset.directory());
    }

    /** True when {@code dataDir/<directory>} holds all the dataset's key files. */
    public static boolean isPresent(KnownDataset dataset, Path dataDir) {
        Path dir = location(dataset, dataDir);
        for (String f : dataset.keyFiles()) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    /** {@link #ensure(KnownDataset, Path, ProgressListener)} for the dataset called {@code name}. */
    public Path ensure(String name, Path dataDir, ProgressListener progress) throws IOException {
        return ensure(KnownDatasets.get(name), dataDir, progress);
    }

    /**
     * The dataset's directory under {@code dataDir}, downloading and unpacking it first when it is
     * not there.
     *
     * @param progress told {@code (bytes downloaded, ZIP size)} while downloading (size {@code -1}
     *                 when the server does not say)
     */
    public Path ensure(KnownDataset dataset, Path dataDir, ProgressListener progress) throws IOException {
        return fetch(dataset, dataDir, progress).directory();
    }

    /** As {@link #ensure(KnownDataset, Path, ProgressListener)}, also saying what was done. */
    public Result fetch(KnownDataset dataset, Path dataDir, ProgressListener progress) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dataDir, "dataDir");
        ProgressListener listener = ProgressListener.orNone(progress);
        Path dir = dataDir.toAbsolutePath().normalize();
        Path target = location(dataset, dir);
        if (isPresent(dataset, dir)) {
            return new Result(target, false, null, false);
        }
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new FetchException(target + " exists but is not a complete " + dataset.name() + " dataset (it lacks "
                    + missing(dataset, dir) + "); remove it, or finish unpacking " + dataset.zipName()
                    + " there, and try again");
        }
        Files.createDirectories(dir);
        URI url = dataset.url(baseUrl);
        Path zip = Files.createTempFile(dir, "." + dataset.name() + "-", ".zip.part");
        Path staging = null;
        try {
            Digests d = download(url, zip, dataset, dir, listener);
            boolean verified = verify(dataset, url, d);
            staging = Files.createTempDirectory(dir, "." + dataset.name() + "-unzip-");
            unzip(zip, staging, url);
            Files.deleteIfExists(zip);
            Path unpacked = staging.resolve(dataset.directory());
            for (String f : dataset.keyFiles()) {
                if (!Files.isRegularFile(unpacked.resolve(f))) {
                    throw new FetchException("the ZIP from " + url + " does not contain " + dataset.directory() + "/" + f
                            + "; it is not the expected " + dataset.name() + " archive");
                }
            }
            try {
                moveIntoPlace(unpacked, target);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (!isPresent(dataset, dir)) { // another process may have finished first
                    throw new FetchException("could not move the unpacked dataset to " + target
                            + ": something else is there now; remove it and try again", e);
                }
            }
            return new Result(target, true, d.sha256, verified);
        } finally {
            cleanUp(zip, staging);
        }
    }

    /** Best effort: a failure to delete must not hide the failure that got us here. */
    private static void cleanUp(Path zip, Path staging) {
        try {
            Files.deleteIfExists(zip);
        } catch (IOException | RuntimeException ignored) {
            // left as a hidden .part file; harmless, and never mistaken for a dataset
        }
        if (staging != null) {
            try {
                FileTrees.delete(staging);
            } catch (IOException | RuntimeException ignored) {
                // as above: a hidden directory that never becomes the dataset directory
            }
        }
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // same directory, so this only happens on unusual file systems; a plain rename is next best
            Files.move(from, to);
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static String missing(KnownDataset dataset, Path dataDir) {
        Path d = location(dataset, dataDir);
        return dataset.keyFiles().stream().filter(f -> !Files.isRegularFile(d.resolve(f))).findFirst().orElse("?");
    }

    private String manualHint(KnownDataset dataset, Path dataDir) {
        return "; download it yourself and unzip it into " + dataDir + " (so that " + dataDir.resolve(dataset.directory())
                .resolve(dataset.keyFiles().get(0)) + " exists)";
    }

    private record Digests(long bytes, String sha256, String md5) {
    }

    private Digests download(URI url, Path zip, KnownDataset dataset, Path dataDir, ProgressListener listener)
            throws IOException {
        String hint = manualHint(dataset, dataDir);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        ScheduledExecutorService watchdog = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(options.readTimeout())
                    .header("User-Agent", "varec/" + Version.get())
                    .GET()
                    .build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + url);
            } catch (IOException e) {
                throw new FetchException("could not download " + url + ": " + reason(e) + hint, e);
            }
            if (response.statusCode() != 200) {
                response.body().close();
                throw new FetchException("could not download " + url + ": the server answered HTTP "
                        + response.statusCode() + hint);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
            MessageDigest sha = Checksum.digest(Checksum.SHA_256);
            MessageDigest md5 = dataset.checksum() != null && dataset.checksum().algorithm().equals(Checksum.MD5)
                    ? Checksum.digest(Checksum.MD5) : null;

            // stall detection: the body read blocks without limit, so a watchdog interrupts it
            Thread reader = Thread.currentThread();
            AtomicLong lastData = new AtomicLong(System.nanoTime());
            AtomicInteger state = new AtomicInteger(RUNNING);
            long limit = options.readTimeout().toNanos();
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "varec-fetch-watchdog");
                t.setDaemon(true);
                return t;
            });
            long tick = Math.max(10, Math.min(1000, options.readTimeout().toMillis() / 4));
            watchdog.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastData.get() > limit && state.compareAndSet(RUNNING, STALLED)) {
                    reader.interrupt();
                }
            }, tick, tick, TimeUnit.MILLISECONDS);

            long done = 0;
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(zip)) {
                listener.progress(0, length);
                byte[] buf = new byte[BUFFER];
                long reported = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    lastData.set(System.nanoTime());
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    if (md5 != null) {
                        md5.update(buf, 0, n);
                    }
                    done += n;
                    if (done - reported >= PROGRESS_STEP) {
                        listener.progress(done, length);
                        reported = done;
                    }
                }
            } catch (IOException e) {
                if (!state.compareAndSet(RUNNING, FINISHED)) {
                    Thread.interrupted(); // the watchdog's interrupt, not the caller's
                    throw new FetchException("could not download " + url + ": no data received for "
                            + options.readTimeout().toSeconds() + " s after " + done + " bytes" + hint, e);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while downloading " + url);
                }
                throw new FetchException("could not download " + url + ": " + reason(e) + " after " + done + " bytes"
                        + hint, e);
            }
            if (!state.compareAndSet(RUNNING, FINISHED)) {
                Thread.interrupted(); // stalled just as the data ended: the data is complete
            }
            listener.progress(done, length);
            if (length >= 0 && done != length) {
                throw new FetchException("could not download " + url + ": the connection ended after " + done + " of "
                        + length + " bytes" + hint);
            }
            HexFormat hex = HexFormat.of();
            return new Digests(done, hex.formatHex(sha.digest()), md5 == null ? null : hex.formatHex(md5.digest()));
        } finally {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            client.shutdownNow();
        }
    }

    private static final int RUNNING = 0;
    private static final int STALLED = 1;
    private static final int FINISHED = 2;

    private static String reason(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "the server did not answer in time";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused or unreachable" + (m == null || m.isBlank() ? "" : " (" + m + ")");
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + m;
        }
        if (m == null || m.isBlank()) {
            Throwable c = e.getCause();
            return c != null && c.getMessage() != null ? kind + ": " + c.getMessage() : kind;
        }
        return m;
    }

    /** Checks the digest; returns true when verified, false when accepted unverified. */
    private boolean verify(KnownDataset dataset, URI url, Digests d) throws FetchException {
        Checksum expected = dataset.checksum();
        if (expected == null) {
            if (options.allowUnverified()) {
                return false;
            }
            throw new FetchException("no published checksum known for " + dataset.name() + "; computed sha256 = "
                    + d.sha256 + " (" + d.bytes + " bytes from " + url + "). Allow unverified downloads to accept it");
        }
        String got = expected.algorithm().equals(Checksum.MD5) ? d.md5 : d.sha256;
        if (expected.hex().equals(got)) {
            return true;
        }
        if (dataset.rolling() && options.allowUnverified()) {
            return false;
        }
        String algo = expected.algorithm().equals(Checksum.MD5) ? "md5" : "sha256";
        String advice = dataset.rolling()
                ? " GroupLens updates " + dataset.name() + " from time to time, so the recorded checksum may be out of"
                + " date; allow unverified downloads to accept this file."
                : " The download is corrupt or not the original file; try again, or download it yourself.";
        throw new ChecksumMismatchException("checksum mismatch for " + dataset.zipName() + " from " + url + ": expected "
                + algo + " " + expected.hex() + ", got " + got + " (" + d.bytes + " bytes)." + advice, expected, got);
    }

    /** Unpacks {@code zip} into {@code into}, refusing entries whose path leaves it. */
    static void unzip(Path zip, Path into, URI from) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long size = Files.size(zip);
        // guard against decompression bombs: MovieLens ZIPs expand about 4-6 times
        long budget = Math.max(1L << 30, 64 * size);
        long written = 0;
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path out = safeResolve(root, e.getName(), from);
                if (out.equals(root)) {
                    if (e.isDirectory()) {
                        continue; // a "./" entry
                    }
                    throw new FetchException("the ZIP from " + from + " has an unsafe entry '" + e.getName()
                            + "'; refusing it");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zf.getInputStream(e); OutputStream os = Files.newOutputStream(out,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[BUFFER];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        written += n;
                        if (written > budget) {
                            throw new FetchException("the ZIP from " + from + " unpacks to more than " + budget
                                    + " bytes; refusing it as unsafe");
                        }
                        os.write(buf, 0, n);
                    }
                } catch (FileAlreadyExistsException ex) {
                    throw new FetchException("the ZIP from " + from + " holds " + e.getName() + " twice; refusing it", ex);
                }
            }
        } catch (ZipException e) {
            throw new FetchException("the file from " + from + " is not a readable ZIP (" + e.getMessage() + ")", e);
        }
    }

    private static Path safeResolve(Path root, String name, URI from) throws FetchException {
        if (name.isEmpty() || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 || name.startsWith("/")
                || (name.length() > 1 && name.charAt(1) == ':')) {
            throw new FetchException("the ZIP from " + from + " has an unsafe entry '" + name + "'; refusing it");
        }
        Path out = root.resolve(name).normalize();
        if (!out.startsWith(root)) {
            throw new FetchException("the ZIP from " + from + " has an entry '" + name
                    + "' that would land outside the target directory; refusing it");
        }
        return out;
    }

}
