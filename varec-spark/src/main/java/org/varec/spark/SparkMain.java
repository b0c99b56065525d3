package org.varec.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.varec.model.ParamSpec;
import org.varec.model.Params;
import org.varec.model.als.AlsConfig;
import org.varec.model.vb.VbmfConfig;
import org.varec.train.EpochReport;

/**
 * {@code varec-spark train}: fits {@code als} ({@link VarecALS}) or {@code vbmf} ({@link VariationalALS})
 * on ratings from any path Spark reads (CSV or Parquet; local, HDFS, S3...), prints one line per
 * sweep, optionally evaluates on a test file and writes a varec model file. The main class of the
 * {@code spark-submit} jar too (there {@code --master} comes from spark-submit).
 *
 * <pre>
 *   train --data PATH [--test PATH] --algo als|vbmf [--set name=value]... [--save FILE]
 *         [--master local[2]] [--format csv|parquet] [--sep ,] [--header true|false]
 *         [--user-col C --item-col C --rating-col C] [--blocks N] [--checkpoint-dir DIR] [--seed N]
 * </pre>
 * {@code --set} takes core's parameter names ({@code rank}, {@code iterations}, {@code lambda}...,
 * as {@code varec train}). CSV without a header names its first three columns user, item, rating.
 * Errors are one line on stderr and exit code 2.
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("varec-spark: error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("varec-spark: error: " + e);
            System.exit(2);
        }
    }

    static final String USAGE = "usage: varec-spark train --data PATH [--test PATH] --algo als|vbmf [--set name=value]..."
            + " [--save FILE] [--master local[2]] [--format csv|parquet] [--sep ,] [--header true|false]"
            + " [--user-col C] [--item-col C] [--rating-col C] [--blocks N] [--checkpoint-dir DIR] [--seed N]";

    static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bench")) {
            return bench(args);
        }
        if (args.length == 0 || !args[0].equals("train")) {
            System.err.println(USAGE);
            return args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
        }
        Map<String, String> o = new LinkedHashMap<>();
        List<String> sets = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            String k = args[a];
            if (!k.startsWith("--") || a + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value at '" + k + "'; " + USAGE);
            }
            String v = args[++a];
            if (k.equals("--set")) {
                sets.add(v);
            } else {
                o.put(k.substring(2), v);
            }
        }
        for (String k : o.keySet()) {
            if (!List.of("data", "test", "algo", "save", "master", "format", "sep", "header", "user-col", "item-col",
                    "rating-col", "blocks", "checkpoint-dir", "seed").contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k + "; " + USAGE);
            }
        }
        String data = require(o, "data");
        String algo = o.getOrDefault("algo", "als");
        if (!algo.equals("als") && !algo.equals("vbmf")) {
            throw new IllegalArgumentException("--algo must be als or vbmf, got '" + algo + "'");
        }
        Params params = Params.parse(sets);
        SparkSession.Builder b = SparkSession.builder().appName("varec-spark " + algo);
        if (o.containsKey("master")) {
            b.master(o.get("master"));
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[2]");
        }
        SparkSession spark = b.getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            if (o.containsKey("checkpoint-dir")) {
                spark.sparkContext().setCheckpointDir(o.get("checkpoint-dir"));
            }
            Dataset<Row> train = read(spark, data, o);
            Dataset<Row> test = o.containsKey("test") ? read(spark, o.get("test"), o) : null;
            int blocks = Integer.parseInt(o.getOrDefault("blocks", String.valueOf(spark.sparkContext().defaultParallelism())));
            long seed = Long.parseLong(o.getOrDefault("seed", "42"));
            int interval = spark.sparkContext().getCheckpointDir().isEmpty() ? -1 : 10;
            if (algo.equals("als")) {
                AlsConfig c = ParamSpec.of(AlsConfig.class).parse(params, false);
                VarecALSModel m = new VarecALS().setConfig(c).setNumBlocks(blocks).setSeed(seed)
                        .setCheckpointInterval(interval).fit(train);
                report(m.history());
                if (test != null) {
                    VarecALSModel.Figures f = m.evaluate(test, "rating");
                    System.out.printf(Locale.ROOT, "test: rmse %.4f  mae %.4f  n %d%n", f.rmse(), f.mae(), f.count());
                }
                if (o.containsKey("save")) {
                    m.saveVarec(Path.of(o.get("save")), train);
                }
            } else {
                VbmfConfig c = ParamSpec.of(VbmfConfig.class).parse(params, false);
                VariationalALSModel m = new VariationalALS().setConfig(c).setNumBlocks(blocks).setSeed(seed)
                        .setCheckpointInterval(interval).fit(train);
                report(m.history());
                if (test != null) {
                    VariationalALSModel.Figures f = m.evaluate(test, "rating", 0.95);
                    System.out.printf(Locale.ROOT, "test: rmse %.4f  mae %.4f  nlpd %.4f  coverage95 %.4f  n %d%n",
                            f.rmse(), f.mae(), f.nlpd(), f.coverage(), f.count());
                }
                if (o.containsKey("save")) {
                    m.saveVarec(Path.of(o.get("save")), train);
                }
            }
            if (o.containsKey("save")) {
                System.out.println("saved " + o.get("save"));
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    /**
     * {@code bench --data PATH [--iters N] [--rank K] [--blocks N] [--master M] [--algos mllib,als,vbmf]}:
     * seconds per iteration of MLlib's ALS, VarecALS and VariationalALS (diagonal) on the same cached
     * ratings in one session: each fitted with 2 and with N iterations; per iteration = the difference
     * / (N-2), for wall seconds and for shuffle bytes written (so setup and JIT warm-up cancel out).
     */
    static int bench(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int a = 1; a + 1 < args.length; a += 2) {
            o.put(args[a].replaceFirst("^--", ""), args[a + 1]);
        }
        SparkSession spark = SparkSession.builder().appName("varec-spark bench")
                .master(o.getOrDefault("master", "local[2]")).getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            Dataset<Row> d = read(spark, require(o, "data"), o).selectExpr("cast(user as int) user",
                    "cast(item as int) item", "cast(rating as float) rating").cache();
            long n = d.count();
            int iters = Integer.parseInt(o.getOrDefault("iters", "10"));
            int rank = Integer.parseInt(o.getOrDefault("rank", "10"));
            int blocks = Integer.parseInt(o.getOrDefault("blocks", String.valueOf(spark.sparkContext().defaultParallelism())));
            System.out.printf(Locale.ROOT, "bench: %d ratings, rank %d, %d iterations, %d blocks, master %s%n", n, rank,
                    iters, blocks, spark.sparkContext().master());
            java.util.concurrent.atomic.AtomicLong shuffled = new java.util.concurrent.atomic.AtomicLong();
            spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                    if (end.taskMetrics() != null) {
                        shuffled.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
                    }
                }
            });
            for (String algo : o.getOrDefault("algos", "mllib,als,vbmf").split(",")) {
                double[] sec = new double[2];
                long[] bytes = new long[2];
                int[] its = {2, iters};
                for (int rep = 0; rep < 2; rep++) { // 2 iterations, then N: the difference is N-2 iterations
                    int it = its[rep];
                    spark.sparkContext().listenerBus().waitUntilEmpty();
                    long b0 = shuffled.get();
                    long t0 = System.nanoTime();
                    switch (algo) {
                        case "mllib" -> new org.apache.spark.ml.recommendation.ALS().setRank(rank).setMaxIter(it)
                                .setRegParam(0.1).setNumBlocks(blocks).setUserCol("user").setItemCol("item")
                                .setRatingCol("rating").setCheckpointInterval(-1).setSeed(42).fit(d);
                        case "als" -> new VarecALS().setRank(rank).setMaxIter(it).setNumBlocks(blocks)
                                .setCheckpointInterval(-1).fit(d);
                        case "vbmf" -> new VariationalALS().setRank(rank).setMaxIter(it).setNumBlocks(blocks)
                                .setCheckpointInterval(-1).fit(d);
                        default -> throw new IllegalArgumentException("unknown algo " + algo);
                    }
                    sec[rep] = (System.nanoTime() - t0) / 1e9;
                    spark.sparkContext().listenerBus().waitUntilEmpty();
                    bytes[rep] = shuffled.get() - b0;
                }
                int extra = iters - 2;
                System.out.printf(Locale.ROOT, "%-6s fit(%d) %.2f s  fit(2) %.2f s  per iteration %.3f s  "
                        + "shuffle write per iteration %.0f bytes%n", algo, iters, sec[1], sec[0],
                        (sec[1] - sec[0]) / extra, (bytes[1] - bytes[0]) / (double) extra);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static String require(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required; " + USAGE);
        }
        return v;
    }

    private static void report(List<EpochReport> h) {
        for (EpochReport r : h) {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "sweep %3d  %7.3f s", r.epoch(), r.seconds()));
            r.figures().forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %s %.6g", k, v)));
            System.out.println(s);
        }
    }

    /**
     * Ratings as (user, item, rating) columns: Parquet (or {@code --format parquet}) by column names,
     * CSV with a header by names (userId/movieId are accepted for MovieLens' ratings.csv) or, without
     * one, the first three columns.
     */
    static Dataset<Row> read(SparkSession spark, String path, Map<String, String> o) {
        String format = o.getOrDefault("format", path.endsWith(".parquet") ? "parquet" : "csv");
        Dataset<Row> d;
        if (format.equals("parquet")) {
            d = spark.read().parquet(path);
        } else if (format.equals("csv")) {
            boolean header = Boolean.parseBoolean(o.getOrDefault("header", "true"));
            DataFrameReader r = spark.read().option("header", header).option("sep", o.getOrDefault("sep", ","))
                    .option("inferSchema", "false");
            d = r.csv(path);
            if (!header) {
                String[] names = d.columns();
                if (names.length < 3) {
                    throw new IllegalArgumentException(path + ": fewer than 3 columns (user, item, rating)");
                }
                d = d.withColumnRenamed(names[0], "user").withColumnRenamed(names[1], "item")
                        .withColumnRenamed(names[2], "rating");
            }
        } else {
            throw new IllegalArgumentException("--format must be csv or parquet, got '" + format + "'");
        }
        String u = o.getOrDefault("user-col", has(d, "userId") ? "userId" : "user");
        String i = o.getOrDefault("item-col", has(d, "movieId") ? "movieId" : "item");
        String r = o.getOrDefault("rating-col", "rating");
        for (String c : new String[] {u, i, r}) {
            if (!has(d, c)) {
                throw new IllegalArgumentException(path + ": no column '" + c + "' (columns: " + String.join(", ",
                        d.columns()) + "); name them with --user-col/--item-col/--rating-col or --header false");
            }
        }
        return d.select(d.col(u).as("user"), d.col(i).as("item"), d.col(r).as("rating"));
    }

    private static boolean has(Dataset<Row> d, String c) {
        return List.of(d.columns()).contains(c);
    }
}
