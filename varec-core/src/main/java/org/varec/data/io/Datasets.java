package org.varec.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.varec.data.Dataset;
import org.varec.data.FeatureTable;
import org.varec.data.IdIndex;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;

/**
 * Reads rating datasets: the MovieLens releases with their side information, and any
 * {@code user item rating [timestamp]} file.
 *
 * <table>
 * <caption>formats</caption>
 * <tr><th>format</th><th>what</th><th>recognised by (auto)</th></tr>
 * <tr><td>{@code ml-100k}</td><td>u.data (tab), u.item genres and titles (Latin-1), u.user demographics;
 *     scale 1..5</td><td>a directory with {@code u.data}</td></tr>
 * <tr><td>{@code ml-1m}</td><td>ratings.dat ({@code ::}) or ratings.csv, movies.dat, users.dat; 1..5</td>
 *     <td>a directory with {@code users.dat} and ratings.dat or ratings.csv</td></tr>
 * <tr><td>{@code ml-10m}</td><td>ratings.dat ({@code ::}), movies.dat; 0.5..5</td>
 *     <td>a directory with {@code ratings.dat} and no users.dat</td></tr>
 * <tr><td>{@code ml-csv}</td><td>ML-20M, ML-25M, ml-latest(-small): ratings.csv and movies.csv with headers; 0.5..5</td>
 *     <td>a directory with {@code ratings.csv} and {@code movies.csv}</td></tr>
 * <tr><td>{@code delimited}</td><td>any {@code user item rating [timestamp]} file; delimiter and header detected;
 *     unbounded scale unless declared</td><td>any file</td></tr>
 * <tr><td>{@code adjacency}</td><td>a network as a square symmetric 0/1 matrix, one CSV row per vertex
 *     ({@link EdgeLists#readAdjacency}); read as all vertex pairs ({@link org.varec.data.Networks})</td>
 *     <td>never: give the format</td></tr>
 * <tr><td>{@code edges}</td><td>a network as an edge list, {@code i j} per line ({@link EdgeLists#read});
 *     vertices without links are absent</td><td>never: give the format</td></tr>
 * </table>
 *
 * <p>Users and items get dense indices in order of first appearance in the ratings file; catalog
 * items and users-file users that have no ratings follow. Repeated (user, item) pairs are resolved
 * by {@link ReadOptions#duplicates()} and counted in the {@link ReadReport}.
 */
public final class Datasets {
    /** Format names accepted by {@link ReadOptions#format()}. */
    public static final List<String> FORMATS = List.of("auto", "ml-100k", "ml-1m", "ml-10m", "ml-csv", "delimited",
            "adjacency", "edges");

    private Datasets() {
    }

    public static Dataset read(Path path) throws IOException {
        return read(path, ReadOptions.defaults());
    }

    /**
     * Reads {@code path} (a file or a MovieLens directory).
     *
     * @throws DataFormatException naming file and line when the data is malformed, empty or missing
     */
    public static Dataset read(Path path, ReadOptions options) throws IOException {
        if (!Files.exists(path)) {
            throw new DataFormatException(path, "no such file or directory");
        }
        String format = options.format().toLowerCase(Locale.ROOT);
        if (format.equals("auto")) {
            format = detect(path);
        }
        long t0 = System.nanoTime();
        return switch (format) {
            case "ml-100k" -> ml100k(dir(path, format), options, t0);
            case "ml-1m" -> mlDat(dir(path, format), options, true, t0);
            case "ml-10m" -> mlDat(dir(path, format), options, false, t0);
            case "ml-csv" -> mlCsv(dir(path, format), options, t0);
            case "delimited" -> delimited(path, options, t0);
            case "adjacency", "edges" -> network(path, format, options, t0);
            default -> throw new IllegalArgumentException("unknown format '" + options.format() + "'; known: "
                    + String.join(", ", FORMATS));
        };
    }

    /** The format {@code auto} resolves to for {@code path}. */
    public static String detect(Path path) {
        if (!Files.isDirectory(path)) {
            return "delimited";
        }
        boolean uData = Files.isRegularFile(path.resolve("u.data"));
        boolean ratingsDat = Files.isRegularFile(path.resolve("ratings.dat"));
        boolean ratingsCsv = Files.isRegularFile(path.resolve("ratings.csv"));
        boolean usersDat = Files.isRegularFile(path.resolve("users.dat"));
        if (uData) {
            return "ml-100k";
        }
        if (usersDat && (ratingsDat || ratingsCsv)) {
            return "ml-1m";
        }
        if (ratingsDat) {
            return "ml-10m";
        }
        if (ratingsCsv && Files.isRegularFile(path.resolve("movies.csv"))) {
            return "ml-csv";
        }
        throw new DataFormatException(path, "not a recognised MovieLens directory (expected u.data for 100K; "
                + "ratings.dat and users.dat for 1M; ratings.dat for 10M; ratings.csv and movies.csv for 20M/25M/latest); "
                + "for another file give the file itself");
    }

    private static Path dir(Path path, String format) {
        if (!Files.isDirectory(path)) {
            throw new DataFormatException(path, "format " + format + " reads a MovieLens directory, not a file");
        }
        return path;
    }

    private static Dataset ml100k(Path dir, ReadOptions o, long t0) throws IOException {
        RatingScale scale = o.scale() != null ? o.scale() : RatingScale.STARS_1_5;
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        InteractionsBuilder b = new InteractionsBuilder();
        Path data = dir.resolve("u.data");
        RatingLines.Result r = RatingLines.read(data, o, "\t", false, scale, users, items, b);
        MovieLens.Side side = null;
        if (Files.isRegularFile(dir.resolve("u.item"))) {
            side = MovieLens.readUItem(dir.resolve("u.item"), dir.resolve("u.genre")).apply(items);
        }
        FeatureTable.Builder userFeatures = null;
        if (Files.isRegularFile(dir.resolve("u.user"))) {
            userFeatures = MovieLens.readUUser(dir.resolve("u.user")).apply(users);
        }
        return assemble(name(dir), "ml-100k", dir, data, users, items, b, scale, side, userFeatures, r, o, t0);
    }

    private static Dataset mlDat(Path dir, ReadOptions o, boolean oneM, long t0) throws IOException {
        String format = oneM ? "ml-1m" : "ml-10m";
        RatingScale scale = o.scale() != null ? o.scale() : oneM ? RatingScale.STARS_1_5 : RatingScale.HALF_STARS;
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        InteractionsBuilder b = new InteractionsBuilder();
        Path data = dir.resolve("ratings.dat");
        RatingLines.Result r;
        if (Files.isRegularFile(data)) {
            r = RatingLines.read(data, o, "::", false, scale, users, items, b);
        } else {
            // the ML-1M ratings as CSV (user_id,movie_id,rating with a header), as in ../shared/data/ml-1m
            data = dir.resolve("ratings.csv");
            if (!Files.isRegularFile(data)) {
                throw new DataFormatException(dir, format + " needs ratings.dat (or ratings.csv) in the directory");
            }
            r = RatingLines.read(data, o, null, null, scale, users, items, b);
        }
        MovieLens.Side side = null;
        if (Files.isRegularFile(dir.resolve("movies.dat"))) {
            side = MovieLens.readMoviesDat(dir.resolve("movies.dat")).apply(items);
        }
        FeatureTable.Builder userFeatures = null;
        if (oneM && Files.isRegularFile(dir.resolve("users.dat"))) {
            userFeatures = MovieLens.readUsersDat(dir.resolve("users.dat")).apply(users);
        }
        return assemble(name(dir), format, dir, data, users, items, b, scale, side, userFeatures, r, o, t0);
    }

    private static Dataset mlCsv(Path dir, ReadOptions o, long t0) throws IOException {
        RatingScale scale = o.scale() != null ? o.scale() : RatingScale.HALF_STARS;
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        InteractionsBuilder b = new InteractionsBuilder();
        Path data = dir.resolve("ratings.csv");
        RatingLines.Result r = RatingLines.read(data, o, ",", null, scale, users, items, b);
        MovieLens.Side side = null;
        if (Files.isRegularFile(dir.resolve("movies.csv"))) {
            side = MovieLens.readMoviesCsv(dir.resolve("movies.csv")).apply(items);
        }
        return assemble(name(dir), "ml-csv", dir, data, users, items, b, scale, side, null, r, o, t0);
    }

    private static Dataset delimited(Path file, ReadOptions o, long t0) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, "format delimited reads a file, not a directory");
        }
        RatingScale scale = o.scale() != null ? o.scale() : RatingScale.UNBOUNDED;
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        InteractionsBuilder b = new InteractionsBuilder();
        RatingLines.Result r = RatingLines.read(file, o, null, null, scale, users, items, b);
        return assemble(baseName(file), "delimited", file, file, users, items, b, scale, null, null, r, o, t0);
    }

    private static Dataset network(Path file, String format, ReadOptions o, long t0) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, "format " + format + " reads a file, not a directory");
        }
        if (o.scale() != null) {
            throw new IllegalArgumentException("--scale does not apply to networks: pairs are 0 (no link) or 1 (link)");
        }
        org.varec.data.Graph g = format.equals("adjacency") ? EdgeLists.readAdjacency(file) : EdgeLists.read(file, o);
        long lines = format.equals("adjacency") ? g.numVertices() : g.numEdges();
        ReadReport report = new ReadReport(lines, (long) g.numVertices() * (g.numVertices() - 1) / 2, 0, List.of(), 0,
                (System.nanoTime() - t0) / 1e9);
        return org.varec.data.Networks.dataset(g, baseName(file), format, file, report);
    }

    /** The file name without a data extension. */
    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        for (String ext : List.of(".gz", ".csv", ".tsv", ".txt", ".dat", ".data")) {
            if (name.endsWith(ext) && name.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static Dataset assemble(String name, String format, Path source, Path ratingsFile, IdIndex users,
                                    IdIndex items, InteractionsBuilder b, RatingScale scale, MovieLens.Side side,
                                    FeatureTable.Builder userFeatures, RatingLines.Result r, ReadOptions o, long t0) {
        if (r.ratings() == 0) {
            throw new DataFormatException(ratingsFile, r.skipped() > 0
                    ? "no valid ratings (" + r.skipped() + " bad lines skipped, first: " + r.skippedExamples().get(0) + ")"
                    : noRatings(r));
        }
        InteractionsBuilder.Result built;
        try {
            built = b.build(users.size(), items.size(), o.duplicates());
        } catch (InteractionsBuilder.DuplicateRatingException e) {
            throw new DataFormatException(ratingsFile, "user '" + users.externalId(e.user()) + "' rates item '"
                    + items.externalId(e.item()) + "' more than once (--duplicates error); use last, first or mean");
        }
        String[] titles = side == null ? null : side.titles();
        FeatureTable itemFeatures = side == null ? null : side.genres().build();
        if (titles != null && titles.length < items.size()) {
            titles = java.util.Arrays.copyOf(titles, items.size());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ReadReport report = new ReadReport(r.lines(), built.interactions().size(), r.skipped(), r.skippedExamples(),
                built.duplicates(), seconds, r.detectedHeader());
        return new Dataset(name, format, source, users, items, built.interactions(), scale, itemFeatures,
                userFeatures == null ? null : userFeatures.build(), titles, report);
    }

    /** Why a file without bad lines gave no ratings: empty, a header alone, or only comments. */
    private static String noRatings(RatingLines.Result r) {
        if (r.detectedHeader() != null) {
            return "no ratings: its only data line, " + org.varec.util.Text.quote(r.detectedHeader())
                    + ", was taken for a header (none of its user, item and rating fields is a number); "
                    + "--no-header reads it as data";
        }
        if (r.header()) {
            return "no ratings: the file holds a header line only";
        }
        return r.lines() == 0 ? "no ratings: the file is empty" : "no ratings: the file holds only blank or comment lines";
    }

    private static String name(Path dir) {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? dir.toString() : f.toString();
    }
}
