package org.varec.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.model.FactorModel;
import org.varec.model.TrainedModel;
import org.varec.recommend.ItemFactors;
import org.varec.recommend.Recommendation;

/**
 * The charts of a report, from varec's own types: the dataset's rating histogram and long tails,
 * training curves, the item embedding map, the rating histograms of polarizing items and the
 * calibration of predictive intervals. Each method checks its input and fails with one clear
 * message ({@link IllegalArgumentException}).
 */
public final class Figures {
    /** More distinct rating values than this are binned. */
    private static final int MAX_CATEGORIES = 20;

    private Figures() {
    }

    // ---- dataset overview ----

    /** Histogram of rating values: one bar per value, or 20 equal-width bins for continuous ratings. */
    public static CategoryChart ratingHistogram(Dataset d, int width, int height) {
        Interactions r = d.ratings();
        if (r.size() == 0) {
            throw new IllegalArgumentException("dataset " + d.name() + " has no ratings");
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        Histogram h = histogram(r.values(), null, null);
        series.put("ratings", h.counts());
        return Charts.bars("Ratings of " + d.name() + String.format(Locale.ROOT, " (%,d ratings, mean %.2f)", r.size(), r.mean()),
                "rating", "number of ratings", h.labels(), series, width, height);
    }

    /**
     * The long tails: ratings per item and ratings per user, each sorted from the largest, against
     * rank on log-log axes (users or items without ratings are left out).
     */
    public static XYChart popularity(Dataset d, int width, int height) {
        Interactions r = d.ratings();
        int[] perItem = new int[r.numItems()];
        int[] perUser = new int[r.numUsers()];
        for (int k = 0; k < r.size(); k++) {
            perItem[r.items()[k]]++;
            perUser[r.users()[k]]++;
        }
        List<Charts.Series> series = new ArrayList<>();
        series.add(rankCurve(String.format(Locale.ROOT, "items: ratings per item (%,d items)", nonZero(perItem)), perItem));
        series.add(rankCurve(String.format(Locale.ROOT, "users: ratings per user (%,d users)", nonZero(perUser)), perUser));
        series.removeIf(s -> s.x().length == 0);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has no ratings");
        }
        return Charts.lines("Item popularity and user activity in " + d.name() + " (log-log)", "rank (1 = most ratings)",
                "number of ratings", series, true, true, width, height);
    }

    private static int nonZero(int[] c) {
        int n = 0;
        for (int v : c) {
            n += v > 0 ? 1 : 0;
        }
        return n;
    }

    private static Charts.Series rankCurve(String name, int[] counts) {
        int[] s = Arrays.stream(counts).filter(v -> v > 0).sorted().toArray();
        double[] x = new double[s.length];
        double[] y = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            x[k] = k + 1;
            y[k] = s[s.length - 1 - k];
        }
        return new Charts.Series(name, x, y);
    }

    // ---- training curves ----

    /**
     * Figure {@code figure} per epoch, one line per history; histories without that figure are
     * left out. Fails when none has it, naming the figures there are.
     */
    public static XYChart history(List<History> histories, String figure, int width, int height) {
        List<Charts.Series> series = new ArrayList<>();
        for (History h : histories) {
            Charts.Series s = h.series(figure);
            if (s != null) {
                series.add(s);
            }
        }
        if (series.isEmpty()) {
            List<String> known = History.figures(histories);
            throw new IllegalArgumentException(known.isEmpty()
                    ? "no training history to plot (the models or results hold no per-epoch reports)"
                    : "no history reports figure '" + figure + "'; there are: " + String.join(", ", known));
        }
        return Charts.lines(figure + " per epoch", "epoch", figure, series, false, false, width, height);
    }

    /** The figure a history chart shows by default: validation RMSE, else train RMSE, else the first there is. */
    public static String defaultFigure(List<History> histories) {
        List<String> known = History.figures(histories);
        for (String f : List.of("val_rmse", "train_rmse", "elbo", "loss")) {
            if (known.contains(f)) {
                return f;
            }
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException("no training history to plot (the models or results hold no per-epoch reports)");
        }
        return known.get(0);
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
     * Items of factor model {@code m} in two dimensions ({@link EmbeddingMap}), items of each
     * chosen genre in their own colour over the others in grey (an item in several chosen genres
     * takes the first), and the titles of the outermost items in eight directions. Only items
     * with at least {@code minRatings} training ratings are shown when the model knows its counts.
     *
     * @param itemGenres '|'-joined genres per model item (entries may be null), or null when unknown
     */
    public static XYChart embeddings(TrainedModel m, String name, String[] itemGenres, MapOptions o, int width, int height) {
        FactorModel fm = factorModel(m, name);
        String[] chosen = new String[o.genres().size()];
        if (!o.genres().isEmpty()) {
            if (itemGenres == null) {
                throw new IllegalArgumentException("--genres: " + name + " has no item genres (train on a dataset with genres, "
                        + "or give --data with them)");
            }
            TreeSet<String> known = new TreeSet<>();
            for (String g : itemGenres) {
                if (g != null) {
                    known.addAll(Arrays.asList(g.split("\\|")));
                }
            }
            for (int c = 0; c < chosen.length; c++) {
                chosen[c] = matchGenre(o.genres().get(c), known);
            }
        }
        int[] counts = m.seen() == null ? null : ItemFactors.counts(m.seen(), fm.numItems());
        boolean[] include = null;
        if (counts != null && o.minRatings() > 0) {
            include = new boolean[fm.numItems()];
            for (int i = 0; i < include.length; i++) {
                include[i] = counts[i] >= o.minRatings();
            }
        }
        EmbeddingMap map = EmbeddingMap.of(fm, include);
        int n = map.items().length;
        int[] group = new int[n];
        int[] size = new int[chosen.length + 1];
        for (int p = 0; p < n; p++) {
            group[p] = chosen.length;
            String g = itemGenres == null ? null : itemGenres[map.items()[p]];
            if (g != null) {
                List<String> gs = Arrays.asList(g.split("\\|"));
                for (int c = 0; c < chosen.length; c++) {
                    if (gs.contains(chosen[c])) {
                        group[p] = c;
                        break;
                    }
                }
            }
            size[group[p]]++;
        }
        Charts.Series background = points(chosen.length == 0 ? "items" : "other items", map, group, chosen.length, size);
        List<Charts.Series> groups = new ArrayList<>();
        for (int c = 0; c < chosen.length; c++) {
            groups.add(points(chosen[c], map, group, c, size));
        }
        List<Charts.Label> labels = new ArrayList<>();
        for (int p : outermost(map, o.labels())) {
            labels.add(new Charts.Label(shorten(m.title(map.items()[p]), 28), map.x()[p], map.y()[p]));
        }
        String shown = include == null ? String.format(Locale.ROOT, "%,d items", n)
                : String.format(Locale.ROOT, "%,d items with >= %d ratings", n, o.minRatings());
        return Charts.map("Item embeddings of " + name + on(m) + " (" + m.algorithm() + ", K=" + fm.rank() + "; " + shown + ")",
                map.xTitle(), map.yTitle(), background, groups, labels, width, height);
    }

    private static Charts.Series points(String name, EmbeddingMap map, int[] group, int g, int[] size) {
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

    /** Up to {@code n} distinct points, each the farthest along one of {@code n} evenly spread directions. */
    static List<Integer> outermost(EmbeddingMap map, int n) {
        List<Integer> out = new ArrayList<>();
        double sx = spread(map.x());
        double sy = spread(map.y());
        for (int d = 0; d < n; d++) {
            double a = Math.PI / 2 - 2 * Math.PI * d / n;
            double ux = Math.cos(a) / sx;
            double uy = Math.sin(a) / sy;
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < map.x().length; p++) {
                double s = map.x()[p] * ux + map.y()[p] * uy;
                if (s > bestScore && !out.contains(p)) {
                    best = p;
                    bestScore = s;
                }
            }
            if (best >= 0) {
                out.add(best);
            }
        }
        return out;
    }

    private static double spread(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max == 0 ? 1 : max;
    }

    // ---- polarizing items ----

    /** One item of a polarizing list with its rating histogram (shares of its ratings per value). */
    public record PolarItem(String id, String title, String genres, int ratings, double norm, double meanRating) {
    }

    /** The list and the chart of its rating histograms. */
    public record Polarizing(List<PolarItem> items, CategoryChart chart) {
    }

    /**
     * The {@code n} most ({@code most}) or least polarizing items of factor model {@code m} (by
     * {@code ||v_i||}, among items with at least {@code minRatings} training ratings), with the
     * histograms of their ratings in {@code d} (matched by item id).
     */
    public static Polarizing polarizing(TrainedModel m, String name, Dataset d, boolean most, int n, int minRatings,
                                        int width, int height) {
        FactorModel fm = factorModel(m, name);
        if (n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + n);
        }
        int[] counts;
        if (m.seen() != null) {
            counts = ItemFactors.counts(m.seen(), fm.numItems());
        } else {
            counts = new int[fm.numItems()];
            Arrays.fill(counts, Integer.MAX_VALUE);
        }
        List<Recommendation> list = ItemFactors.polarizing(fm, counts, minRatings, n, most);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no item of " + name + " has >= " + minRatings + " ratings; lower --min-ratings");
        }
        int[] dataItem = new int[list.size()];
        for (int k = 0; k < list.size(); k++) {
            dataItem[k] = d.items().indexOf(m.items().externalId(list.get(k).item()));
        }
        List<List<Float>> values = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            values.add(new ArrayList<>());
        }
        Interactions r = d.ratings();
        Map<Integer, Integer> slot = new java.util.HashMap<>();
        for (int k = 0; k < dataItem.length; k++) {
            if (dataItem[k] >= 0) {
                slot.put(dataItem[k], k);
            }
        }
        for (int q = 0; q < r.size(); q++) {
            Integer k = slot.get(r.items()[q]);
            if (k != null) {
                values.get(k).add(r.values()[q]);
            }
        }
        boolean any = values.stream().anyMatch(v -> !v.isEmpty());
        if (!any) {
            throw new IllegalArgumentException("none of the polarizing items of " + name + " has ratings in " + d.name()
                    + "; give the dataset the model was trained on");
        }
        // common bins: the dataset's rating values
        Histogram all = histogram(r.values(), null, null);
        Map<String, double[]> series = new LinkedHashMap<>();
        List<PolarItem> items = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            int i = list.get(k).item();
            float[] v = new float[values.get(k).size()];
            double sum = 0;
            for (int q = 0; q < v.length; q++) {
                v[q] = values.get(k).get(q);
                sum += v[q];
            }
            String itemTitle = m.title(i);
            items.add(new PolarItem(m.items().externalId(i), itemTitle, m.catalog() == null ? null : m.catalog().genres(i),
                    v.length, list.get(k).score(), v.length == 0 ? Double.NaN : sum / v.length));
            if (v.length == 0) {
                continue;
            }
            double[] h = histogram(v, all.values(), all.edges()).counts();
            for (int b = 0; b < h.length; b++) {
                h[b] = 100 * h[b] / v.length;
            }
            String key = String.format(Locale.ROOT, "%s: norm %.2f, %,d ratings", shorten(itemTitle, 34),
                    list.get(k).score(), v.length);
            while (series.containsKey(key)) {
                key += " ";
            }
            series.put(key, h);
        }
        String title = (most ? "Most" : "Least") + " polarizing items of " + name + on(m)
                + (most ? " (largest ||v_item||)" : " (smallest ||v_item||)");
        CategoryChart c = Charts.bars(title, "rating", "% of the item's ratings", all.labels(), series, width, height);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        return new Polarizing(items, c);
    }

    // ---- calibration ----

    /** Whether an eval result has interval coverage metrics ({@code coverage_NN} in its summary). */
    public static boolean hasCoverage(JsonNode result) {
        return !coverage(result).isEmpty();
    }

    private static TreeMap<Double, Double> coverage(JsonNode result) {
        TreeMap<Double, Double> out = new TreeMap<>();
        result.path("summary").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("coverage_")) {
                try {
                    double nominal = Integer.parseInt(e.getKey().substring("coverage_".length())) / 100.0;
                    out.put(nominal, e.getValue().path("mean").asDouble(Double.NaN));
                } catch (NumberFormatException ignored) {
                    // not a coverage level
                }
            }
        });
        out.values().removeIf(v -> !Double.isFinite(v));
        return out;
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
            TreeMap<Double, Double> cov = coverage(results.get(r));
            if (cov.isEmpty()) {
                continue;
            }
            double[] x = new double[cov.size()];
            double[] y = new double[cov.size()];
            int k = 0;
            for (Map.Entry<Double, Double> e : cov.entrySet()) {
                x[k] = e.getKey();
                y[k++] = e.getValue();
                lo = Math.min(lo, Math.min(e.getKey(), e.getValue()));
            }
            series.add(new Charts.Series(labels.get(r), x, y));
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

    // ---- helpers ----

    /**
     * The genre of {@code known} that {@code want} names: equal ignoring case, else the only one
     * that starts with it ignoring case and punctuation ({@code Children} finds ML-100K's
     * {@code Children's}); a clear error otherwise.
     */
    public static String matchGenre(String want, java.util.Collection<String> known) {
        String w = want.strip();
        for (String g : known) {
            if (g.equalsIgnoreCase(w)) {
                return g;
            }
        }
        String key = letters(w);
        List<String> starts = key.isEmpty() ? List.of() : known.stream().filter(g -> letters(g).startsWith(key)).toList();
        if (starts.size() == 1) {
            return starts.get(0);
        }
        throw new IllegalArgumentException("--genres: " + (starts.isEmpty() ? "unknown" : "ambiguous") + " genre '" + w
                + "'; known: " + String.join(", ", new TreeSet<>(known)));
    }

    private static String letters(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** The factor model inside {@code m}, or a clear error. */
    public static FactorModel factorModel(TrainedModel m, String name) {
        if (!(m.model() instanceof FactorModel fm)) {
            throw new IllegalArgumentException("model " + name + " (" + m.algorithm()
                    + ") has no item vectors; train a factor model such as als, biasmf or svd");
        }
        return fm;
    }

    /** '|'-joined genres per item of {@code m}: from its catalog, else from {@code d} by item id; null when neither has any. */
    public static String[] itemGenres(TrainedModel m, Dataset d) {
        String[] out = new String[m.items().size()];
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            out[i] = m.catalog() == null ? null : m.catalog().genres(i);
            if (out[i] == null && d != null && d.itemFeatures() != null && d.itemFeatures().groupNames().contains("genre")) {
                int j = d.items().indexOf(m.items().externalId(i));
                if (j >= 0) {
                    List<String> g = d.itemFeatures().labels(j, "genre");
                    out[i] = g.isEmpty() ? null : String.join("|", g);
                }
            }
            any |= out[i] != null;
        }
        return any ? out : null;
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

    /** Counts per bin: one bin per distinct value when there are few, else equal-width bins. */
    private record Histogram(List<String> labels, double[] counts, float[] values, double[] edges) {
    }

    /**
     * Histogram of {@code v}; with {@code values} (distinct values) or {@code edges} (bin edges)
     * from an earlier call, the same bins.
     */
    private static Histogram histogram(float[] v, float[] values, double[] edges) {
        if (values == null && edges == null) {
            TreeSet<Float> distinct = new TreeSet<>();
            for (float x : v) {
                distinct.add(x);
                if (distinct.size() > MAX_CATEGORIES) {
                    break;
                }
            }
            if (distinct.size() <= MAX_CATEGORIES) {
                values = new float[distinct.size()];
                int k = 0;
                for (float x : distinct) {
                    values[k++] = x;
                }
            } else {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (float x : v) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
                edges = new double[MAX_CATEGORIES + 1];
                for (int b = 0; b <= MAX_CATEGORIES; b++) {
                    edges[b] = lo + (hi - lo) * b / MAX_CATEGORIES;
                }
            }
        }
        List<String> labels = new ArrayList<>();
        double[] counts;
        if (values != null) {
            counts = new double[values.length];
            for (float x : v) {
                int b = Arrays.binarySearch(values, x);
                if (b >= 0) {
                    counts[b]++;
                }
            }
            for (float x : values) {
                labels.add(x == Math.rint(x) ? Integer.toString((int) x) : Float.toString(x));
            }
        } else {
            int bins = edges.length - 1;
            counts = new double[bins];
            double lo = edges[0];
            double width = (edges[bins] - lo) / bins;
            for (float x : v) {
                int b = width == 0 ? 0 : (int) Math.floor((x - lo) / width);
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
            for (int b = 0; b < bins; b++) {
                labels.add(String.format(Locale.ROOT, width >= 0.1 ? "%.1f" : "%.3g", (edges[b] + edges[b + 1]) / 2));
            }
        }
        return new Histogram(labels, counts, values, edges);
    }
}
