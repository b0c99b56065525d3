package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.varec.analysis.BlockStructure;
import org.varec.analysis.Calibration;
import org.varec.analysis.DatasetOverview;
import org.varec.analysis.ItemGenres;
import org.varec.analysis.ItemMap;
import org.varec.analysis.PolarizingItems;
import org.varec.analysis.RatingHistogram;
import org.varec.analysis.TrainingHistory;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.model.FactorModel;
import org.varec.model.TrainedModel;
import org.varec.recommend.ItemFactors;

/**
 * The charts of a report: the dataset's rating histogram and long tails, training curves, the item
 * embedding map, the rating histograms of polarizing items and the calibration of predictive
 * intervals. The numbers come from {@link org.varec.analysis}; this class draws them and names
 * the command-line options in its messages. Each method checks its input and fails with one clear
 * message ({@link IllegalArgumentException}).
 */
public final class Figures {
    private Figures() {
    }

    // ---- block models of networks ----

    /**
     * A block model's picture of network {@code d}: the adjacency matrix ordered by MAP group with
     * group boundaries and block shading, and the group sizes beside it ({@link BlockPicture}).
     */
    public static BlockPicture blocks(TrainedModel m, String label, Dataset d, int width, int height) {
        BlockStructure b = BlockStructure.of(m, d);
        String title = String.format(Locale.ROOT, "%s on %s: %,d vertices, %,d links, %d groups",
                label.equals(m.algorithm()) ? label : label + " (" + m.algorithm() + ")", d.name(), b.numVertices(),
                b.numLinks(), b.numGroups());
        return new BlockPicture(title, b.order(), b.offsets(), b.adjOffsets(), b.adjNeighbours(), b.probabilities(),
                width, height);
    }

    // ---- dataset overview ----

    /** Histogram of rating values: one bar per value, or 20 equal-width bins for continuous ratings. */
    public static CategoryChart ratingHistogram(Dataset d, int width, int height) {
        Interactions r = d.ratings();
        if (r.size() == 0) {
            throw new IllegalArgumentException("dataset " + d.name() + " has no ratings");
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        RatingHistogram h = RatingHistogram.of(r.values());
        series.put("ratings", heights(h.counts()));
        return Charts.bars("Ratings of " + d.name() + String.format(Locale.ROOT, " (%,d ratings, mean %.2f)", r.size(), r.mean()),
                "rating", "number of ratings", h.labels(), series, width, height);
    }

    private static double[] heights(long[] counts) {
        double[] out = new double[counts.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = counts[b];
        }
        return out;
    }

    /** Each count as a percentage of {@code total}. */
    private static double[] percentages(long[] counts, int total) {
        double[] out = new double[counts.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = 100 * (double) counts[b] / total;
        }
        return out;
    }

    /**
     * The long tails: ratings per item and ratings per user, each sorted from the largest, against
     * rank on log-log axes (users or items without ratings are left out).
     */
    public static XYChart popularity(Dataset d, int width, int height) {
        DatasetOverview o = DatasetOverview.of(d);
        List<Charts.Series> series = new ArrayList<>();
        series.add(rankCurve(String.format(Locale.ROOT, "items: ratings per item (%,d items)", o.itemsWithRatings()), o.itemTail()));
        series.add(rankCurve(String.format(Locale.ROOT, "users: ratings per user (%,d users)", o.usersWithRatings()), o.userTail()));
        series.removeIf(s -> s.x().length == 0);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has no ratings");
        }
        return Charts.lines("Item popularity and user activity in " + d.name() + " (log-log)", "rank (1 = most ratings)",
                "number of ratings", series, true, true, width, height);
    }

    private static Charts.Series rankCurve(String name, int[] tail) {
        double[] x = new double[tail.length];
        double[] y = new double[tail.length];
        for (int k = 0; k < tail.length; k++) {
            x[k] = k + 1;
            y[k] = tail[k];
        }
        return new Charts.Series(name, x, y);
    }

    // ---- training curves ----

    /**
     * Figure {@code figure} per epoch, one line per history; histories without that figure are
     * left out. Fails when none has it, naming the figures there are.
     */
    public static XYChart history(List<TrainingHistory> histories, String figure, int width, int height) {
        List<Charts.Series> series = new ArrayList<>();
        for (TrainingHistory h : histories) {
            TrainingHistory.Curve c = h.curve(figure);
            if (c != null) {
                series.add(new Charts.Series(c.label(), c.epochs(), c.values()));
            }
        }
        if (series.isEmpty()) {
            List<String> known = TrainingHistory.figures(histories);
            throw new IllegalArgumentException(known.isEmpty() ? NO_HISTORY
                    : "no history reports figure '" + figure + "'; there are: " + String.join(", ", known));
        }
        return Charts.lines(figure + " per epoch", "epoch", figure, series, false, false, width, height);
    }

    private static final String NO_HISTORY = "no training history to plot (the models or results hold no per-epoch reports)";

    /** The figure a history chart shows by default ({@link TrainingHistory#defaultFigure}). */
    public static String defaultFigure(List<TrainingHistory> histories) {
        String f = TrainingHistory.defaultFigure(histories);
        if (f == null) {
            throw new IllegalArgumentException(NO_HISTORY);
        }
        return f;
    }

    // ---- embedding map ----

    /** What an embedding map needs besides the model. */
    public record MapOptions(List<String> genres, int minRatings, int labels) {
        public MapOptions {
            genres = genres == null ? List.of() : List.copyOf(genres);
            if (minRatings < 0) {
                throw new IllegalArgumentException("--min-ratings must be >= 0, got " + minRatings);
            }
            if (labels < 0) {
                throw new IllegalArgumentException("--labels must be >= 0, got " + labels);
            }
        }
    }

    /**
     * Items of factor model {@code m} in two dimensions ({@link ItemMap}), items of each chosen
     * genre in their own colour over the others in grey (an item in several chosen genres takes the
     * first), and the titles of the outermost items in eight directions. Only items with at least
     * {@code minRatings} training ratings are shown when the model knows its counts.
     *
     * @param itemGenres '|'-joined genres per model item (entries may be null), or null when unknown
     */
    public static XYChart embeddings(TrainedModel m, String name, String[] itemGenres, MapOptions o, int width, int height) {
        FactorModel fm = factorModel(m, name);
        List<String> chosen = new ArrayList<>();
        if (!o.genres().isEmpty()) {
            if (itemGenres == null) {
                throw new IllegalArgumentException("--genres: " + name + " has no item genres (train on a dataset with genres, "
                        + "or give --data with them)");
            }
            java.util.Set<String> known = ItemGenres.known(itemGenres);
            for (String g : o.genres()) {
                chosen.add(matchGenre(g, known));
            }
        }
        int[] counts = m.seen() == null ? null : ItemFactors.counts(m.seen(), fm.numItems());
        boolean filtered = counts != null && o.minRatings() > 0;
        int[] items = ItemMap.itemsWithAtLeast(counts, fm.numItems(), o.minRatings());
        if (fm.rank() >= 2 && items.length < 2) {
            throw new IllegalArgumentException("only " + items.length + " item(s) to map; lower --min-ratings");
        }
        ItemMap map = ItemMap.of(fm, items);
        int n = map.size();
        int[] group = map.genreGroups(itemGenres, chosen);
        int[] size = new int[chosen.size() + 1];
        for (int g : group) {
            size[g]++;
        }
        Charts.Series background = points(chosen.isEmpty() ? "items" : "other items", map, group, chosen.size(), size);
        List<Charts.Series> groups = new ArrayList<>();
        for (int c = 0; c < chosen.size(); c++) {
            groups.add(points(chosen.get(c), map, group, c, size));
        }
        List<Charts.Label> labels = new ArrayList<>();
        for (int p : map.outermost(o.labels())) {
            labels.add(new Charts.Label(shorten(m.title(map.items()[p]), 28), map.x()[p], map.y()[p]));
        }
        String shown = !filtered ? String.format(Locale.ROOT, "%,d items", n)
                : String.format(Locale.ROOT, "%,d items with >= %d ratings", n, o.minRatings());
        return Charts.map("Item embeddings of " + name + on(m) + " (" + m.algorithm() + ", K=" + fm.rank() + "; " + shown + ")",
                axisTitle(map, 1), axisTitle(map, 2), background, groups, labels, width, height);
    }

    /** What axis 1 or 2 of a map is. */
    private static String axisTitle(ItemMap map, int axis) {
        if (!map.principalComponents()) {
            return "latent dimension " + axis;
        }
        double share = axis == 1 ? map.firstShare() : map.secondShare();
        return String.format(Locale.ROOT, "principal component %d (%.0f%% of item-vector variance)", axis, 100 * share);
    }

    private static Charts.Series points(String name, ItemMap map, int[] group, int g, int[] size) {
        double[] x = new double[size[g]];
        double[] y = new double[size[g]];
        int k = 0;
        for (int p = 0; p < group.length; p++) {
            if (group[p] == g) {
                x[k] = map.x()[p];
                y[k++] = map.y()[p];
            }
        }
        return new Charts.Series(String.format(Locale.ROOT, "%s (%,d)", name, size[g]), x, y);
    }

    // ---- polarizing items ----

    /** The items of a polarizing list and the chart of their rating histograms. */
    public record Polarizing(PolarizingItems data, CategoryChart chart) {
    }

    /**
     * The {@code n} most ({@code most}) or least polarizing items of factor model {@code m} (by
     * {@code ||v_i||}, among items with at least {@code minRatings} training ratings), with the
     * histograms of their ratings in {@code d} (matched by item id).
     */
    public static Polarizing polarizing(TrainedModel m, String name, Dataset d, boolean most, int n, int minRatings,
                                        int width, int height) {
        factorModel(m, name);
        if (n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + n);
        }
        PolarizingItems p = PolarizingItems.of(m, d, most, n, minRatings);
        if (p.items().isEmpty()) {
            throw new IllegalArgumentException("no item of " + name + " has >= " + minRatings + " ratings; lower --min-ratings");
        }
        if (!p.anyRatings()) {
            throw new IllegalArgumentException("none of the polarizing items of " + name + " has ratings in " + d.name()
                    + "; give the dataset the model was trained on");
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (PolarizingItems.Item it : p.items()) {
            if (it.ratings() == 0) {
                continue;
            }
            String key = String.format(Locale.ROOT, "%s: norm %.2f, %,d ratings", shorten(it.title(), 34), it.norm(),
                    it.ratings());
            while (series.containsKey(key)) {
                key += " ";
            }
            series.put(key, percentages(it.histogram().counts(), it.ratings()));
        }
        String title = (most ? "Most" : "Least") + " polarizing items of " + name + on(m)
                + (most ? " (largest ||v_item||)" : " (smallest ||v_item||)");
        CategoryChart c = Charts.bars(title, "rating", "% of the item's ratings", p.bins().labels(), series, width, height);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        return new Polarizing(p, c);
    }

    // ---- calibration ----

    /** Whether an eval result has interval coverage metrics ({@code coverage_NN} in its summary). */
    public static boolean hasCoverage(JsonNode result) {
        return !ResultJson.calibration(result).isEmpty();
    }

    /**
     * Nominal against empirical coverage of the central predictive intervals, one line per result
     * with coverage metrics and the diagonal of perfect calibration. Fails when no result has them.
     *
     * @param labels a label per result, same order
     */
    public static XYChart calibration(List<JsonNode> results, List<String> labels, int width, int height) {
        List<Charts.Series> series = new ArrayList<>();
        double lo = 1;
        for (int r = 0; r < results.size(); r++) {
            Calibration cal = ResultJson.calibration(results.get(r));
            if (cal.isEmpty()) {
                continue;
            }
            for (int l = 0; l < cal.size(); l++) {
                lo = Math.min(lo, Math.min(cal.nominal()[l], cal.empirical()[l]));
            }
            series.add(new Charts.Series(labels.get(r), cal.nominal(), cal.empirical()));
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no result has interval coverage metrics (coverage_50/90/95); only models "
                    + "with a predictive variance report them");
        }
        lo = Math.max(0, Math.floor(lo * 10 - 0.5) / 10);
        XYChart c = Charts.lines("Calibration of predictive intervals", "nominal coverage of the central interval",
                "empirical coverage on test ratings", series, false, false, width, height);
        XYSeries ideal = c.addSeries("ideal (empirical = nominal)", new double[] {lo, 1}, new double[] {lo, 1});
        ideal.setMarker(SeriesMarkers.NONE);
        ideal.setLineColor(Color.GRAY);
        ideal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        c.getStyler().setLegendVisible(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setXAxisMin(lo);
        c.getStyler().setXAxisMax(1.0);
        c.getStyler().setYAxisMin(lo);
        c.getStyler().setYAxisMax(1.0);
        return c;
    }

    /**
     * The sparsity study of the VAE-BMF paper (Fig. 3): {@code metric} on test against the training
     * percentage P of {@code subsample:P} results, one line per algorithm (per algorithm and dataset
     * when the results span several datasets), points sorted by P. Results of other protocols, or
     * two results for the same line and P, are errors.
     *
     * @param labels a label per result (file names), for the errors
     */
    public static XYChart sparsity(List<JsonNode> results, List<String> labels, String metric, int width, int height) {
        java.util.Set<String> datasets = new java.util.TreeSet<>();
        for (JsonNode j : results) {
            datasets.add(j.path("dataset").path("name").asText("?"));
        }
        java.util.Map<String, java.util.TreeMap<Double, Double>> lines = new java.util.LinkedHashMap<>();
        for (int r = 0; r < results.size(); r++) {
            JsonNode j = results.get(r);
            String protocol = j.path("protocol").asText("");
            if (!protocol.startsWith("subsample:")) {
                throw new IllegalArgumentException(labels.get(r) + ": protocol " + protocol + " is not subsample:P; "
                        + "the sparsity plot needs results of 'eval' or 'tune' with --protocol subsample:P");
            }
            String p = protocol.substring("subsample:".length());
            int x = p.indexOf('x');
            double percent = 100 * Double.parseDouble(x < 0 ? p : p.substring(0, x));
            JsonNode s = j.path("summary").get(metric);
            if (s == null) {
                throw new IllegalArgumentException(labels.get(r) + ": has no metric " + metric + "; it has "
                        + String.join(", ", (Iterable<String>) () -> j.path("summary").fieldNames()));
            }
            String line = j.get("algorithm").asText() + (datasets.size() > 1
                    ? " (" + j.path("dataset").path("name").asText("?") + ")" : "");
            if (lines.computeIfAbsent(line, k -> new java.util.TreeMap<>()).put(percent, s.path("mean").asDouble()) != null) {
                throw new IllegalArgumentException(labels.get(r) + ": a second result for " + line + " at P = "
                        + percent + "%");
            }
        }
        List<Charts.Series> series = new ArrayList<>();
        lines.forEach((name, pts) -> series.add(new Charts.Series(name,
                pts.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                pts.values().stream().mapToDouble(Double::doubleValue).toArray())));
        XYChart c = Charts.lines("Sparsity: test " + metric + " against the share of ratings trained on"
                        + (datasets.size() == 1 ? " (" + datasets.iterator().next() + ")" : ""),
                "training ratings P (%), the rest split equally into validation and test", "test " + metric, series,
                false, false, width, height);
        c.getStyler().setLegendVisible(true);
        return c;
    }

    // ---- helpers ----

    /** The genre of {@code known} that {@code want} names ({@link ItemGenres#match}); errors name {@code --genres}. */
    public static String matchGenre(String want, java.util.Collection<String> known) {
        try {
            return ItemGenres.match(want, known);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--genres: " + e.getMessage(), e);
        }
    }

    /** The factor model inside {@code m}, or a clear error. */
    public static FactorModel factorModel(TrainedModel m, String name) {
        if (!(m.model() instanceof FactorModel fm)) {
            throw new IllegalArgumentException("model " + name + " (" + m.algorithm()
                    + ") has no item vectors; train a factor model such as als, biasmf or svd");
        }
        return fm;
    }

    /** " on DATASET" from the model's provenance, or nothing. */
    private static String on(TrainedModel m) {
        String d = m.provenance().dataset();
        return d == null || d.isBlank() ? "" : " on " + d;
    }

    static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 1).strip() + "…";
    }
}
