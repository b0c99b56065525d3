package org.varec.data.synth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.varec.data.Interactions;
import org.varec.util.Parallel;
import org.varec.util.ProgressListener;

/**
 * MovieLens-shaped synthetic ratings with a known answer: power-law item popularity and user
 * activity, at least {@link SyntheticConfig#minPerUser()} ratings per user, no (user, item) pair
 * twice, and values from a planted low-rank model {@code mean + b_u + b_i + u.v + noise} rounded
 * to the rating grid (mean about 3.5, standard deviation about 1, like MovieLens).
 *
 * <p>Two outputs draw exactly the same ratings for a config: {@link #generate} as
 * {@link Interactions} in memory (dense indices = file ids minus one), and {@link #write} as a CSV
 * in the layout of MovieLens 25M's {@code ratings.csv} ({@code userId,movieId,rating,timestamp},
 * with header, sorted by user then movie), streamed user by user in {@code O(users + items)}
 * memory. Output is identical for a seed on every machine and for any thread count: each user's
 * rows come from its own random stream (see {@code docs/synthetic-data.md}).
 */
public final class SyntheticRatings {
    /** Global offset of the planted model (the mean rating lands near 3.54 after rounding and clamping). */
    public static final double PLANTED_MEAN = 3.6;
    /** Standard deviation of the user biases. */
    public static final double USER_BIAS_SD = 0.45;
    /** Standard deviation of the item biases. */
    public static final double ITEM_BIAS_SD = 0.50;
    /** Standard deviation of the interaction {@code u.v} (factor entries scaled to give it). */
    public static final double DOT_SD = 0.70;

    /** First and last timestamp of MovieLens 25M (1995-01-09 and 2019-11-21). */
    static final long FIRST_TIME = 789_652_009L;
    static final long LAST_TIME = 1_574_327_703L;
    private static final long DAY = 86_400L;

    static final String HEADER = "userId,movieId,rating,timestamp\n";

    private SyntheticRatings() {
    }

    /** The planted model of {@code config} (the same for {@link #generate} and {@link #write}). */
    public static Planted planted(SyntheticConfig config) {
        int k = config.rank();
        // var(u.v) = k * s^4 for independent N(0, s^2) entries
        double s = Math.sqrt(DOT_SD / Math.sqrt(k));
        float[] ub = new float[config.users()];
        float[] uf = new float[config.users() * k];
        for (int u = 0; u < ub.length; u++) {
            SynthRandom r = SynthRandom.stream(config.seed(), SynthRandom.TAG_USER_PARAMS, u);
            ub[u] = (float) (USER_BIAS_SD * r.nextGaussian());
            for (int f = 0; f < k; f++) {
                uf[u * k + f] = (float) (s * r.nextGaussian());
            }
        }
        float[] ib = new float[config.items()];
        float[] vf = new float[config.items() * k];
        for (int i = 0; i < ib.length; i++) {
            SynthRandom r = SynthRandom.stream(config.seed(), SynthRandom.TAG_ITEM_PARAMS, i);
            ib[i] = (float) (ITEM_BIAS_SD * r.nextGaussian());
            for (int f = 0; f < k; f++) {
                vf[i * k + f] = (float) (s * r.nextGaussian());
            }
        }
        return new Planted(k, PLANTED_MEAN, ub, ib, uf, vf);
    }

    /** Number of ratings of each user (dense index); they sum to {@code config.ratings()}. */
    public static int[] userCounts(SyntheticConfig config) {
        return SynthModel.userCounts(config);
    }

    /** {@link #generate(SyntheticConfig, int)} on all available processors. */
    public static Interactions generate(SyntheticConfig config) {
        return generate(config, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The ratings of {@code config} in memory, sorted by user then item, over dense indices
     * {@code user = userId - 1}, {@code item = movieId - 1}. The result does not depend on
     * {@code threads}.
     *
     * @throws IllegalArgumentException when there are more ratings than an array can hold
     */
    public static Interactions generate(SyntheticConfig config, int threads) {
        Objects.requireNonNull(config, "config");
        if (config.ratings() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("ratings must be at most " + (Integer.MAX_VALUE - 16)
                    + " to generate in memory (write a file instead), got " + config.ratings());
        }
        SynthModel model = new SynthModel(config);
        int n = (int) config.ratings();
        int users = config.users();
        int[] offsets = new int[users + 1];
        for (int u = 0; u < users; u++) {
            offsets[u + 1] = offsets[u] + model.counts[u];
        }
        int[] userIdx = new int[n];
        int[] itemIdx = new int[n];
        float[] values = new float[n];
        RatingGrid grid = config.grid();
        float[] levelValue = new float[grid.levels()];
        for (int l = 0; l < levelValue.length; l++) {
            levelValue[l] = (float) grid.value(l);
        }
        ConcurrentLinkedQueue<RowSampler> samplers = new ConcurrentLinkedQueue<>();
        try (Parallel par = new Parallel(Math.max(1, threads))) {
            par.forBlocks(users, 1024, (block, from, to) -> {
                RowSampler s = samplers.poll();
                if (s == null) {
                    s = new RowSampler(model);
                }
                for (int u = from; u < to; u++) {
                    int k = s.draw(u);
                    int at = offsets[u];
                    for (int j = 0; j < k; j++) {
                        userIdx[at + j] = u;
                        itemIdx[at + j] = s.items[j];
                        values[at + j] = levelValue[s.levels[j]];
                    }
                }
                samplers.add(s);
            });
        }
        return new Interactions(users, config.items(), userIdx, itemIdx, values, true);
    }

    /** {@link #write(SyntheticConfig, Path, int, ProgressListener)} on all available processors. */
    public static long write(SyntheticConfig config, Path file, ProgressListener progress) throws IOException {
        return write(config, file, Runtime.getRuntime().availableProcessors(), progress);
    }

    /**
     * Writes the ratings of {@code config} as CSV {@code userId,movieId,rating,timestamp} (header
     * line first; ids from 1; ratings as {@code 3.5}, {@code 4.0}; Unix-second timestamps between
     * 1995 and 2019), sorted by user then movie. The file is written under a temporary name in the
     * same directory and renamed into place when complete, so an interrupted run never leaves a
     * file that looks whole. Bytes do not depend on {@code threads}.
     *
     * @param progress told {@code (ratings written, total ratings)} as blocks of users are written
     * @return the size of the file in bytes
     */
    public static long write(SyntheticConfig config, Path file, int threads, ProgressListener progress)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(file, "file");
        ProgressListener listener = ProgressListener.orNone(progress);
        int nThreads = Math.max(1, threads);
        SynthModel model = new SynthModel(config);
        // through AtomicFiles: a temp file renamed into place, links written through, mode kept
        long[] size = new long[1];
        org.varec.util.AtomicFiles.write(file, out -> size[0] = render(config, model, nThreads, out, listener));
        return size[0];
    }

    private static long render(SyntheticConfig config, SynthModel model, int nThreads, OutputStream out,
                               ProgressListener listener) throws IOException {
        ExecutorService pool = null;
        try {
            long bytes;
            int users = config.users();
            // blocks of users of roughly 256k ratings on average: big writes, bounded memory
            long perUser = Math.max(1, config.ratings() / users);
            int blockUsers = (int) Math.max(1, Math.min(users, (1L << 18) / perUser));
            int blocks = (users + blockUsers - 1) / blockUsers;
            long total = config.ratings();
            listener.progress(0, total);
            {
                byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
                out.write(header);
                bytes = header.length;
                long written = 0;
                ConcurrentLinkedQueue<BlockWriter> writers = new ConcurrentLinkedQueue<>();
                if (nThreads == 1) {
                    BlockWriter w = new BlockWriter(model);
                    for (int b = 0; b < blocks; b++) {
                        int from = b * blockUsers;
                        int to = Math.min(users, from + blockUsers);
                        Rendered r = w.render(from, to);
                        out.write(r.bytes, 0, r.length);
                        bytes += r.length;
                        written += r.ratings;
                        listener.progress(written, total);
                        checkInterrupt();
                    }
                } else {
                    AtomicInteger names = new AtomicInteger();
                    pool = Executors.newFixedThreadPool(nThreads, task -> {
                        Thread t = new Thread(task, "varec-synth-" + names.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    ArrayDeque<Future<Rendered>> pending = new ArrayDeque<>();
                    int window = 2 * nThreads;
                    int next = 0;
                    while (next < blocks || !pending.isEmpty()) {
                        while (next < blocks && pending.size() < window) {
                            int from = next * blockUsers;
                            int to = Math.min(users, from + blockUsers);
                            pending.add(pool.submit(() -> {
                                BlockWriter w = writers.poll();
                                if (w == null) {
                                    w = new BlockWriter(model);
                                }
                                try {
                                    return w.render(from, to);
                                } finally {
                                    writers.add(w);
                                }
                            }));
                            next++;
                        }
                        Rendered r = await(pending.poll());
                        out.write(r.bytes, 0, r.length);
                        bytes += r.length;
                        written += r.ratings;
                        listener.progress(written, total);
                    }
                }
            }
            return bytes;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static void checkInterrupt() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while writing synthetic ratings");
        }
    }

    private static Rendered await(Future<Rendered> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing synthetic ratings");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /** A rendered block of CSV rows. */
    private record Rendered(byte[] bytes, int length, long ratings) {
    }

    /** Renders the rows of a range of users as CSV bytes. One per thread. */
    private static final class BlockWriter {
        private final SynthModel model;
        private final RowSampler sampler;
        private final byte[][] levelText;
        private final long seed;

        BlockWriter(SynthModel model) {
            this.model = model;
            this.sampler = new RowSampler(model);
            RatingGrid grid = model.config.grid();
            levelText = new byte[grid.levels()][];
            for (int l = 0; l < levelText.length; l++) {
                // grid values are multiples of 0.5: one decimal is exact
                double v = grid.value(l);
                int tenths = (int) Math.round(v * 10);
                levelText[l] = ((tenths / 10) + "." + (tenths % 10)).getBytes(StandardCharsets.US_ASCII);
            }
            this.seed = model.config.seed();
        }

        Rendered render(int from, int to) {
            long ratings = 0;
            for (int u = from; u < to; u++) {
                ratings += model.counts[u];
            }
            // longest row: 10 + 1 + 10 + 1 + 3 + 1 + 10 + 1
            long cap = ratings * 37 + 64;
            if (cap > Integer.MAX_VALUE - 64) {
                throw new IllegalStateException("block too large");
            }
            byte[] buf = new byte[(int) cap];
            int p = 0;
            for (int u = from; u < to; u++) {
                int k = sampler.draw(u);
                // timestamps from a stream of their own: in-memory generation never draws them
                SynthRandom t = SynthRandom.stream(seed, SynthRandom.TAG_USER_TIMES, u);
                long start = FIRST_TIME + t.nextLong(LAST_TIME - FIRST_TIME);
                long span = Math.min(LAST_TIME - start, (long) (t.nextExponential() * 120 * DAY));
                int userDigits = digits(u + 1);
                for (int j = 0; j < k; j++) {
                    p = putInt(buf, p, u + 1, userDigits);
                    buf[p++] = ',';
                    int item = sampler.items[j] + 1;
                    p = putInt(buf, p, item, digits(item));
                    buf[p++] = ',';
                    byte[] text = levelText[sampler.levels[j]];
                    for (byte b : text) {
                        buf[p++] = b;
                    }
                    buf[p++] = ',';
                    long ts = start + t.nextLong(span + 1);
                    p = putInt(buf, p, ts, digits(ts));
                    buf[p++] = '\n';
                }
            }
            return new Rendered(buf, p, ratings);
        }

        private static int digits(long v) {
            int d = 1;
            while (v >= 10) {
                v /= 10;
                d++;
            }
            return d;
        }

        private static int putInt(byte[] buf, int p, long v, int digits) {
            int end = p + digits;
            for (int q = end - 1; q >= p; q--) {
                buf[q] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            return end;
        }
    }
}
