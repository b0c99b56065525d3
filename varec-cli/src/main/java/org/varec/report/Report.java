package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.knowm.xchart.internal.chartpart.IChart;
import org.varec.analysis.DatasetOverview;
import org.varec.analysis.ItemGenres;
import org.varec.analysis.PolarizingItems;
import org.varec.analysis.TrainingHistory;
import org.varec.data.Dataset;
import org.varec.io.Provenance;
import org.varec.io.Version;
import org.varec.model.BlockModel;
import org.varec.model.FactorModel;
import org.varec.model.TrainedModel;
import org.varec.train.EpochReport;

/**
 * {@code varec report}: one HTML page ({@code index.html}) with its charts beside it, viewable
 * without a network: the dataset overview, training curves, embedding maps and polarizing items
 * of factor models, and experiment tables with a calibration plot. See docs/reports.md.
 */
public final class Report {
    private Report() {
    }

    /** A model file and what it holds. */
    public record Model(Path file, TrainedModel model) {
    }

    /** A {@code varec eval --json} result file and its content. */
    public record Result(Path file, JsonNode json) {
    }

    /**
     * How the report is drawn.
     *
     * @param genres     genres to colour in the embedding maps (may be empty)
     * @param minRatings items with fewer training ratings are left out of maps and polarizing lists
     * @param labels     titles labelled on each map
     * @param polarizing items in each polarizing list
     * @param width      chart width in pixels
     * @param height     chart height in pixels
     * @param svg        charts as SVG instead of PNG
     */
    public record Options(List<String> genres, int minRatings, int labels, int polarizing, int width, int height,
                          boolean svg) {
        public Options {
            genres = genres == null ? List.of() : List.copyOf(genres);
            if (minRatings < 0) {
                throw new IllegalArgumentException("--min-ratings must be >= 0, got " + minRatings);
            }
            if (labels < 0) {
                throw new IllegalArgumentException("--labels must be >= 0, got " + labels);
            }
            if (polarizing < 1) {
                throw new IllegalArgumentException("--polarizing must be >= 1, got " + polarizing);
            }
            if (width < 100 || width > 10000 || height < 100 || height > 10000) {
                throw new IllegalArgumentException("--width and --height must be within 100..10000 pixels, got "
                        + width + "x" + height);
            }
        }
    }

    /**
     * A label per input file: its name without extension; where that repeats, its name; where that
     * repeats too, its path.
     */
    public static List<String> labels(List<Path> files) {
        List<String> stems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            int dot = n.lastIndexOf('.');
            names.add(n);
            stems.add(dot > 0 ? n.substring(0, dot) : n);
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            if (stems.indexOf(stems.get(k)) == stems.lastIndexOf(stems.get(k))) {
                out.add(stems.get(k));
            } else if (names.indexOf(names.get(k)) == names.lastIndexOf(names.get(k))) {
                out.add(names.get(k));
            } else {
                out.add(files.get(k).toString());
            }
        }
        return out;
    }

    /**
     * Writes {@code dir/index.html} and its images; returns the files written, the page first.
     * Sections that do not apply to an input (a model without item vectors, results without
     * coverage) say so on the page; {@code warn} hears about each.
     */
    public static List<Path> write(Dataset d, List<Model> models, List<Result> results, Options o, Path dir,
                                   Consumer<String> warn) throws IOException {
        Files.createDirectories(dir);
        List<Path> all = new ArrayList<>();
        models.forEach(m -> all.add(m.file()));
        results.forEach(r -> all.add(r.file()));
        List<String> labels = labels(all);
        checkGenres(d, models, o.genres());
        Writer w = new Writer(dir, o);

        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .raw(Html.esc("varec report: " + d.name())).raw("</title>\n<style>\n").raw(CSS).raw("</style>\n</head>\n<body>\n");
        h.el("h1", "varec report: " + d.name());
        h.p("Made by varec " + Version.get() + " at " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " from "
                + d.source() + (models.isEmpty() ? "" : ", " + models.size() + " model(s)")
                + (results.isEmpty() ? "" : ", " + results.size() + " experiment result(s)") + ".");
        h.raw("<nav><a href=\"#data\">Dataset</a>")
                .raw(models.isEmpty() && results.isEmpty() ? "" : " · <a href=\"#training\">Training</a>")
                .raw(models.isEmpty() || !d.isNetwork() ? "" : " · <a href=\"#blocks\">Blocks</a>")
                .raw(models.isEmpty() ? "" : " · <a href=\"#maps\">Embedding maps</a> · <a href=\"#polarizing\">Polarizing items</a>")
                .raw(results.isEmpty() ? "" : " · <a href=\"#experiments\">Experiments</a>").raw("</nav>\n");

        dataset(h, w, d);

        List<TrainingHistory> histories = new ArrayList<>();
        for (int k = 0; k < models.size(); k++) {
            histories.add(TrainingHistory.of(labels.get(k), models.get(k).model()));
        }
        for (int k = 0; k < results.size(); k++) {
            TrainingHistory hr = ResultJson.history(labels.get(models.size() + k) + " (split 1)", results.get(k).json());
            if (!hr.epochs().isEmpty()) {
                histories.add(hr);
            }
        }
        if (!models.isEmpty() || !results.isEmpty()) {
            training(h, w, models, labels, histories);
        }
        if (!models.isEmpty() && d.isNetwork()) {
            blocks(h, w, d, models, labels, o, warn);
        }
        if (!models.isEmpty()) {
            maps(h, w, d, models, labels, o, warn);
            polarizing(h, w, d, models, labels, o, warn);
        }
        if (!results.isEmpty()) {
            experiments(h, w, results, labels.subList(models.size(), labels.size()), warn);
        }
        h.raw("</body>\n</html>\n");

        Path page = dir.resolve("index.html");
        byte[] html = h.toString().getBytes(StandardCharsets.UTF_8);
        org.varec.util.AtomicFiles.write(page, out -> out.write(html));
        List<Path> out = new ArrayList<>();
        out.add(page);
        out.addAll(w.written);
        return out;
    }

    /** Every genre asked for must exist somewhere (the dataset or a model's catalog). */
    private static void checkGenres(Dataset d, List<Model> models, List<String> genres) {
        if (genres.isEmpty()) {
            return;
        }
        Set<String> known = new TreeSet<>();
        for (Model m : models) {
            String[] g = ItemGenres.of(m.model(), d);
            if (g != null) {
                known.addAll(ItemGenres.known(g));
            }
        }
        if (models.isEmpty() && d.itemFeatures() != null && d.itemFeatures().groupNames().contains("genre")) {
            for (int i = 0; i < d.numItems(); i++) {
                known.addAll(d.itemFeatures().labels(i, "genre"));
            }
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException("--genres: " + d.name() + " has no item genres");
        }
        for (String g : genres) {
            Figures.matchGenre(g, known);
        }
    }

    /** Writes charts into the report directory under unique, safe names. */
    private static final class Writer {
        final Path dir;
        final Options o;
        final List<Path> written = new ArrayList<>();
        final Set<String> names = new LinkedHashSet<>();

        Writer(Path dir, Options o) {
            this.dir = dir;
            this.o = o;
        }

        /** Saves {@code chart} as {@code base.png} (or .svg) and returns the file name. */
        String save(IChart chart, String base) throws IOException {
            String safe = base.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
            if (safe.isEmpty()) {
                safe = "chart";
            }
            String name = safe;
            for (int k = 2; names.contains(name); k++) {
                name = safe + "-" + k;
            }
            names.add(name);
            String file = name + (o.svg() ? ".svg" : ".png");
            Charts.save(chart, dir.resolve(file));
            written.add(dir.resolve(file));
            return file;
        }
    }

    private static void dataset(Html h, Writer w, Dataset d) throws IOException {
        DatasetOverview o = DatasetOverview.of(d);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("users", String.format(Locale.ROOT, "%,d (%,d with ratings)", o.users(), o.usersWithRatings())));
        rows.add(List.of("items", String.format(Locale.ROOT, "%,d (%,d with ratings)", o.items(), o.itemsWithRatings())));
        rows.add(List.of("ratings", String.format(Locale.ROOT, "%,d", o.ratings())));
        rows.add(List.of("density", String.format(Locale.ROOT, "%.4f%% of the user x item matrix is rated", 100 * o.density())));
        rows.add(List.of("sparsity", String.format(Locale.ROOT, "%.4f%%", 100 * (1 - o.density()))));
        rows.add(List.of("rating scale", d.scale().toString()));
        rows.add(List.of("rating mean ± sd", String.format(Locale.ROOT, "%.3f ± %.3f", o.mean(), o.sd())));
        rows.add(List.of("ratings per user", String.format(Locale.ROOT, "median %s, max %,d", count(o.medianPerUser()),
                o.maxPerUser())));
        rows.add(List.of("ratings per item", String.format(Locale.ROOT, "median %s, max %,d", count(o.medianPerItem()),
                o.maxPerItem())));
        if (d.itemFeatures() != null) {
            rows.add(List.of("item side information", String.join(", ", d.itemFeatures().groupNames())));
        }
        if (d.userFeatures() != null) {
            rows.add(List.of("user side information", String.join(", ", d.userFeatures().groupNames())));
        }
        h.h2("data", "Dataset: " + d.name());
        h.table(List.of("property", "value"), rows, null, 99);
        if (o.ratings() == 0) {
            h.p("The dataset has no ratings: no charts.");
            return;
        }
        h.gridStart();
        String hist = w.save(Figures.ratingHistogram(d, w.o.width(), w.o.height()), "ratings");
        h.figure(hist, "rating histogram", w.o.width(), w.o.height(), "How often each rating value occurs.");
        String pop = w.save(Figures.popularity(d, w.o.width(), w.o.height()), "popularity");
        h.figure(pop, "item popularity and user activity, log-log", w.o.width(), w.o.height(),
                "Ratings per item and per user, sorted from the largest, on log-log axes: the long tails.");
        h.gridEnd();
    }

    /** A count that may be a half (a median): without decimals when it is whole. */
    private static String count(double m) {
        return m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
    }

    private static void training(Html h, Writer w, List<Model> models, List<String> labels, List<TrainingHistory> histories)
            throws IOException {
        h.h2("training", "Training");
        if (!models.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (int k = 0; k < models.size(); k++) {
                TrainedModel m = models.get(k).model();
                Provenance p = m.provenance();
                List<EpochReport> hist = p.history();
                String last = "";
                if (!hist.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    hist.get(hist.size() - 1).figures().forEach((n, v) -> parts.add(n + " " + num(v)));
                    last = String.join(", ", parts);
                }
                rows.add(List.of(labels.get(k), m.algorithm(),
                        m.model() instanceof FactorModel fm ? Integer.toString(fm.rank()) : "-",
                        config(p.config()), String.valueOf(p.dataset()), String.format(Locale.ROOT, "%,d", p.ratings()),
                        Integer.toString(hist.size()), String.format(Locale.ROOT, "%.3g", p.fitSeconds()), last));
            }
            h.table(List.of("model", "algorithm", "K", "config", "trained on", "ratings", "epochs", "fit seconds",
                    "last epoch"), rows, null, 99);
        }
        List<String> figures = TrainingHistory.figures(histories);
        if (figures.isEmpty()) {
            h.p("No training history: the models and results hold no per-epoch reports.");
            return;
        }
        h.p("Each figure the trainers reported per epoch, one line per model (eval results: their first split). "
                + "Errors (RMSE, MAE) share one chart; losses and ELBOs are defined per algorithm, so they get a chart "
                + "per algorithm.");
        h.gridStart();
        for (String f : figures) {
            if (TrainingHistory.comparableAcrossAlgorithms(f)) {
                historyChart(h, w, histories, f, "history-" + f, f + " per epoch");
                continue;
            }
            Set<String> algorithms = new LinkedHashSet<>();
            histories.forEach(hs -> algorithms.add(hs.algorithm()));
            for (String a : algorithms) {
                List<TrainingHistory> same = histories.stream().filter(hs -> hs.algorithm().equals(a) && hs.curve(f) != null)
                        .toList();
                if (!same.isEmpty()) {
                    historyChart(h, w, same, f, "history-" + f + "-" + a, f + " per epoch, " + a);
                }
            }
        }
        h.gridEnd();
    }

    private static void historyChart(Html h, Writer w, List<TrainingHistory> histories, String f, String file, String title)
            throws IOException {
        var chart = Figures.history(histories, f, w.o.width(), w.o.height());
        chart.setTitle(title);
        chart.getStyler().setYAxisLogarithmic(TrainingHistory.spansOrdersOfMagnitude(histories, f));
        String name = w.save(chart, file);
        h.figure(name, title, w.o.width(), w.o.height(), null);
    }

    private static String config(Map<String, Object> c) {
        List<String> parts = new ArrayList<>();
        c.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    private static String num(double v) {
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.6g", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** For a network: each block model's picture (adjacency matrix by group, group sizes). */
    private static void blocks(Html h, Writer w, Dataset d, List<Model> models, List<String> labels, Options o,
                               Consumer<String> warn) throws IOException {
        h.h2("blocks", "Blocks");
        h.p("The adjacency matrix of " + d.name() + " with rows and columns ordered by each block model's MAP groups "
                + "(largest first; within a group by degree), group boundaries drawn and every block shaded by its "
                + "link probability; the group sizes beside it.");
        int bw = Math.max(o.width(), 1100);
        int bh = Math.max(o.height(), 760);
        for (int k = 0; k < models.size(); k++) {
            TrainedModel m = models.get(k).model();
            String label = labels.get(k);
            if (!(m.model() instanceof BlockModel)) {
                note(h, warn, label + " (" + m.algorithm() + ") has no vertex groups: no block picture.");
                continue;
            }
            h.h3(label);
            try {
                String file = w.save(Figures.blocks(m, label, d, bw, bh), "blocks-" + label);
                h.figure(file, "blocks of " + label, bw, bh, null);
            } catch (IllegalArgumentException e) {
                note(h, warn, label + ": no block picture (" + e.getMessage() + ").");
            }
        }
    }

    private static void maps(Html h, Writer w, Dataset d, List<Model> models, List<String> labels, Options o,
                             Consumer<String> warn) throws IOException {
        h.h2("maps", "Embedding maps");
        h.p("Items in two dimensions: a rank-2 model's item vectors as they are, otherwise the first two principal "
                + "components of the item vectors" + (o.genres().isEmpty() ? "" : "; items of the chosen genres in colour")
                + ". Items with at least " + o.minRatings() + " training ratings; the outermost titles are labelled.");
        for (int k = 0; k < models.size(); k++) {
            TrainedModel m = models.get(k).model();
            String label = labels.get(k);
            h.h3(label);
            if (!(m.model() instanceof FactorModel fm)) {
                note(h, warn, label + " (" + m.algorithm() + ") has no item vectors: no map.");
                continue;
            }
            if (fm.rank() < 2) {
                note(h, warn, label + " has rank " + fm.rank() + ": a map needs at least 2 latent dimensions.");
                continue;
            }
            try {
                var chart = Figures.embeddings(m, label, ItemGenres.of(m, d),
                        new Figures.MapOptions(o.genres(), o.minRatings(), o.labels()), o.width(), o.height());
                String file = w.save(chart, "embeddings-" + label);
                h.figure(file, "item embeddings of " + label, o.width(), o.height(), null);
            } catch (IllegalArgumentException e) {
                note(h, warn, label + ": no map (" + e.getMessage() + ").");
            }
        }
    }

    private static void polarizing(Html h, Writer w, Dataset d, List<Model> models, List<String> labels, Options o,
                                   Consumer<String> warn) throws IOException {
        h.h2("polarizing", "Polarizing and least polarizing items");
        h.p("A long item vector ||v_item|| means the predicted rating depends strongly on who rates the item "
                + "(polarizing); a short one that everybody rates it about the same (\"Matrix Factorization in Action\", "
                + "5.2). Items with at least " + o.minRatings() + " training ratings; histograms of their ratings in "
                + d.name() + ".");
        for (int k = 0; k < models.size(); k++) {
            TrainedModel m = models.get(k).model();
            String label = labels.get(k);
            h.h3(label);
            if (!(m.model() instanceof FactorModel)) {
                note(h, warn, label + " (" + m.algorithm() + ") has no item vectors: no polarizing items.");
                continue;
            }
            h.gridStart();
            for (boolean most : new boolean[] {true, false}) {
                try {
                    Figures.Polarizing p = Figures.polarizing(m, label, d, most, o.polarizing(), o.minRatings(),
                            o.width(), o.height());
                    List<List<String>> rows = new ArrayList<>();
                    for (PolarizingItems.Item it : p.data().items()) {
                        rows.add(List.of(it.id(), it.title(), it.genres() == null ? "" : it.genres().replace("|", ", "),
                                String.format(Locale.ROOT, "%.3f", it.norm()), String.format(Locale.ROOT, "%,d", it.ratings()),
                                Double.isNaN(it.meanRating()) ? "-" : String.format(Locale.ROOT, "%.2f", it.meanRating())));
                    }
                    h.raw("<div>\n");
                    h.el("h4", (most ? "Most" : "Least") + " polarizing");
                    String file = w.save(p.chart(), (most ? "polarizing-" : "least-polarizing-") + label);
                    h.figure(file, (most ? "most" : "least") + " polarizing items of " + label, o.width(), o.height(), null);
                    h.table(List.of("item", "title", "genres", "||v_item||", "ratings", "mean rating"), rows, null, 3);
                    h.raw("</div>\n");
                } catch (IllegalArgumentException e) {
                    note(h, warn, label + ": no " + (most ? "" : "least ") + "polarizing items (" + e.getMessage() + ").");
                }
            }
            h.gridEnd();
        }
    }

    private static void experiments(Html h, Writer w, List<Result> results, List<String> labels, Consumer<String> warn)
            throws IOException {
        h.h2("experiments", "Experiments");
        List<JsonNode> json = results.stream().map(Result::json).toList();
        ResultTable t = ResultTable.of(json, null);
        List<String> header = new ArrayList<>(List.of("file"));
        header.addAll(t.header());
        List<List<String>> rows = new ArrayList<>();
        boolean[][] bold = new boolean[t.rows()][header.size()];
        for (int r = 0; r < t.rows(); r++) {
            List<String> row = new ArrayList<>(List.of(labels.get(r)));
            row.addAll(t.row(r, s -> s));
            rows.add(row);
            for (int c = 0; c < t.metrics().size(); c++) {
                bold[r][4 + c] = t.best(r, c);
            }
        }
        h.p("Mean ± standard deviation over each protocol's splits; the best value of each column among results on the "
                + "same dataset and protocol in bold (lowest error, NLPD and time; highest accuracy and ranking metrics; "
                + "coverage closest to nominal).");
        h.table(header, rows, bold, 4);
        List<JsonNode> withCoverage = new ArrayList<>();
        List<String> covLabels = new ArrayList<>();
        for (int r = 0; r < json.size(); r++) {
            if (Figures.hasCoverage(json.get(r))) {
                withCoverage.add(json.get(r));
                covLabels.add(labels.get(r) + " (" + json.get(r).path("algorithm").asText() + ")");
            }
        }
        h.h3("Calibration");
        if (withCoverage.isEmpty()) {
            note(h, warn, "No result has interval coverage metrics (coverage_50/90/95): only models with a predictive "
                    + "variance report them. No calibration plot.");
            return;
        }
        String file = w.save(Figures.calibration(withCoverage, covLabels, w.o.width(), w.o.height()), "calibration");
        h.figure(file, "calibration of predictive intervals", w.o.width(), w.o.height(),
                "Share of test ratings inside the central predictive interval against its nominal level; "
                        + "on the diagonal a model's uncertainty is calibrated, below it over-confident.");
    }

    private static void note(Html h, Consumer<String> warn, String text) {
        h.raw("<p class=\"note\">").raw(Html.esc(text)).raw("</p>\n");
        warn.accept(text);
    }

    private static final String CSS = """
            body { font-family: sans-serif; max-width: 1400px; margin: 2em auto; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
            nav { margin: 1em 0; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; } td.num, th.num { text-align: right; white-space: nowrap; }
            figure { margin: 1em 0; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
            .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 1.5em; }
            .grid table { font-size: 0.8em; }
            figcaption { color: #555; font-size: 0.9em; }
            .note { color: #8a5a00; }
            """;
}
