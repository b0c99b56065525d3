package org.varec.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.data.Dataset;
import org.varec.data.Fingerprint;
import org.varec.data.split.Protocol;
import org.varec.data.split.Split;
import org.varec.io.Version;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Params;
import org.varec.model.Task;
import org.varec.train.Selection;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingListener;
import org.varec.util.AtomicFiles;

/**
 * Validation grid search, as the VAE-BMF paper tunes every model (section 4.3: "the optimization of
 * the hyper-parameters ... is based on the validation RMSE"), for any registered algorithm:
 * <ol>
 *   <li>every grid point (the product of the grid's value lists, combined with the fixed
 *       {@code --set} parameters) is parsed through the algorithm's config before anything is
 *       fitted, so a bad value fails at once;</li>
 *   <li>each point is fitted on the train part of every split of the protocol and measured on its
 *       validation part by {@link Evaluator} (the trainer also sees the validation ratings, for early
 *       stopping as in {@code eval}); its score is the mean of the metric over the splits;</li>
 *   <li>the best point (lowest for errors, highest for ranking and classification scores:
 *       {@link Selection#higherIsBetter}; ties to the earlier point, NaN never best) is refitted on the
 *       train part of every split and measured on the test part, as {@code eval} would: that is the
 *       reported result. Refitting on train (not train + validation) reports exactly the model that
 *       was selected: the same data, seed and threads give the same fit, so its validation score is
 *       the one that won, and the test score is that of the validation-selected model, as the paper
 *       reports.</li>
 * </ol>
 * Test ratings are never looked at before the choice is made.
 *
 * <p>A point whose fit fails (training diverged, a combination the trainer refuses, any other
 * runtime error) does not end the search: it is recorded in the grid table with its error and no
 * validation figures, is never chosen, and is not refitted when the search resumes (the same data,
 * seed and threads would fail the same way). Only when every point failed does the search fail,
 * naming the errors.
 *
 * <p>Resumable: with a file, each finished point is written to it (atomically) as soon as it ends,
 * and a later run with the same {@link Key} (algorithm, fixed parameters, grid, metric, evaluation
 * and training options, protocol, seed, threads and the data's fingerprint) skips the points found
 * there; a different key is an error naming what differs. The file is a {@code varec eval --json}
 * result of the chosen point (so {@code table}, {@code compare} and {@code plot sparsity} read it)
 * plus a {@code tune} object with the key, the grid table and the chosen index.
 */
public final class GridSearch {
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private GridSearch() {
    }

    /**
     * A grid: parameter names and the values each takes, in the order given.
     *
     * @param values name to its values (as {@code --set} would take them), at least one each
     */
    public record Grid(Map<String, List<String>> values) {
        public Grid {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("the grid is empty; give it as 'name=v1,v2;name2=v3,v4'");
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            values = java.util.Collections.unmodifiableMap(copy);
        }

        /** Parses {@code rank=10,25,50;reg=0,0.01,0.1}: parameters separated by ';', values by ','. */
        public static Grid parse(String spec) {
            Map<String, List<String>> m = new LinkedHashMap<>();
            for (String part : spec.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("grid part '" + part.trim() + "' must look like name=v1,v2,...");
                }
                String name = part.substring(0, eq).trim();
                List<String> vs = new ArrayList<>();
                for (String v : part.substring(eq + 1).split(",")) {
                    if (v.isBlank()) {
                        throw new IllegalArgumentException("grid parameter " + name + " has an empty value in '"
                                + part.trim() + "'");
                    }
                    vs.add(v.trim());
                }
                if (m.put(name, vs) != null) {
                    throw new IllegalArgumentException("grid parameter " + name + " is given twice");
                }
            }
            return new Grid(m);
        }

        /** Every point, the last parameter varying fastest. */
        public List<Map<String, String>> points() {
            List<Map<String, String>> out = new ArrayList<>();
            out.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> p : out) {
                    for (String v : e.getValue()) {
                        Map<String, String> q = new LinkedHashMap<>(p);
                        q.put(e.getKey(), v);
                        next.add(q);
                    }
                }
                out = next;
            }
            return out;
        }
    }

    /**
     * What must be equal for finished points of a file to be reused.
     *
     * @param evaluation what the metrics mean (cut-offs, candidates, relevance, clamping)
     * @param training   the training options beyond seed and threads (early stopping, selection)
     * @param data       the dataset's name and the fingerprint of its ratings
     */
    public record Key(String algorithm, Map<String, String> fixed, Map<String, List<String>> grid, String metric,
                      String evaluation, String training, String protocol, long seed, int threads, String data) {
    }

    /**
     * One grid point measured on validation.
     *
     * @param index      its position in {@link Grid#points()}
     * @param params     the grid values of the point
     * @param validation each metric's mean over the splits' validation parts (empty when it failed)
     * @param fitSeconds total training seconds over the splits
     * @param error      why its fit failed, or null
     */
    public record Point(int index, Map<String, String> params, Map<String, Double> validation, double fitSeconds,
                        String finishedAt, String error) {
        public Point(int index, Map<String, String> params, Map<String, Double> validation, double fitSeconds,
                     String finishedAt) {
            this(index, params, validation, fitSeconds, finishedAt, null);
        }

        /** Whether the point's fit failed. */
        public boolean failed() {
            return error != null;
        }
    }

    /**
     * The search: the key, the grid table (all points in grid order once finished), the chosen index
     * and its full config, the metric's direction.
     */
    public record Tune(Key key, boolean higherIsBetter, List<Point> points, Integer best,
                       Map<String, Object> bestConfig) {
    }

    /** The tune file: the chosen point's result measured on test, and the search. */
    public record Result(ExperimentResult chosen, Tune tune) {
    }

    /** Hears about the search as it runs (the CLI prints progress from it). */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A point starts fitting ({@code resumed}: taken from the file, not fitted). */
        default void onPoint(int index, int total, Map<String, String> params, boolean resumed) {
        }

        default void onPointEnd(int index, int total, Point point) {
        }

        /** The chosen point is refitted on train and measured on test. */
        default void onRefit(Point best) {
        }

        default TrainingListener training() {
            return TrainingListener.NONE;
        }
    }

    /**
     * Runs (or resumes) the search.
     *
     * @param fixed    the {@code --set} parameters kept the same for every point
     * @param metric   the validation metric to select on (a key of {@link Evaluator}'s output,
     *                 e.g. {@code rmse}, {@code ndcg@20}); a ranking metric's cut-off is added to
     *                 {@code options} when missing
     * @param training seed, threads and stop rule of every fit (its listener is replaced)
     * @param trainingNote a description of the training options that is part of the key
     * @param file     the tune file to resume from and write to, or null
     */
    public static Result run(Algorithm<?, ?> algorithm, List<String> fixed, Grid grid, Dataset dataset,
                             Protocol protocol, TrainingContext training, String trainingNote, EvalOptions options,
                             String metric, Path file, Listener listener) throws IOException {
        return run(algorithm, fixed, null, grid, dataset, protocol, training, trainingNote, options, metric, file, listener);
    }

    /**
     * {@link #run(Algorithm, List, Grid, Dataset, Protocol, TrainingContext, String, EvalOptions, String, Path, Listener)}
     * for a task: every point's config is parsed for {@code task} (null: the algorithm's own task
     * parameter decides); with {@link Task#CLASSIFICATION} the dataset must already be 0/1
     * ({@link Dataset#binarized}) and {@code options} those of the task ({@link EvalOptions#forTask}).
     */
    public static Result run(Algorithm<?, ?> algorithm, List<String> fixed, Task task, Grid grid, Dataset dataset,
                             Protocol protocol, TrainingContext training, String trainingNote, EvalOptions options,
                             String metric, Path file, Listener listener) throws IOException {
        boolean higher = Selection.higherIsBetter(metric);
        options = withMetric(options, metric);
        Params fixedParams = Params.parse(fixed);
        List<Map<String, String>> points = grid.points();
        List<AlgorithmConfig> configs = configs(algorithm, fixed, task, grid);
        algorithm.requireInput(dataset);
        options.requireWithin(ExperimentRunner.observedRange(dataset));
        List<Split> splits = protocol.splits(dataset, training.seed());
        for (Split s : splits) {
            if (s.validation() == null) {
                throw new IllegalArgumentException("tuning needs validation ratings, but protocol " + protocol.spec()
                        + " has none (split " + s.name() + "); use holdout:0.7,0.15,0.15 or subsample:P");
            }
        }
        Map<String, String> fixedMap = new LinkedHashMap<>();
        for (String k : fixedParams.keys()) {
            fixedMap.put(k, fixedParams.getString(k, null));
        }
        Key key = new Key(algorithm.name(), fixedMap, grid.values(), metric,
                (task == null ? "" : "task=" + task.name().toLowerCase(java.util.Locale.ROOT) + " ") + describe(options),
                trainingNote,
                protocol.spec(), training.seed(), training.threads(),
                dataset.name() + " " + Fingerprint.of(dataset.ratings()));
        String startedAt = Instant.now().toString();
        Point[] done = new Point[points.size()];
        if (file != null && Files.exists(file)) {
            resume(file, key, points, done);
        } else if (file != null) {
            AtomicFiles.checkWritable(file); // a long search must not be lost to an unwritable path
        }

        TrainingContext ctx = training.withListener(listener.training());
        for (int i = 0; i < points.size(); i++) {
            if (done[i] != null) {
                listener.onPoint(i, points.size(), points.get(i), true);
                continue;
            }
            listener.onPoint(i, points.size(), points.get(i), false);
            List<RunResult> runs = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (Split s : splits) {
                    // measured on validation: the test part is not touched before the choice
                    Split onValidation = new Split(s.name(), s.train(), s.validation(), s.validation());
                    runs.add(ExperimentRunner.runSplit(algorithm, configs.get(i), dataset, onValidation, ctx, options));
                }
                done[i] = measured(i, points.get(i), runs, metric, algorithm.name());
            } catch (RuntimeException e) {
                if (runs.size() == splits.size()) {
                    throw e; // every fit ended: the metric is missing, which no other point would change
                }
                // one bad point (diverged, refused) must not cost the points already fitted or still to come
                String error = (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + (splits.size() > 1 ? " (split " + (runs.size() + 1) + " of " + splits.size() + ")" : "");
                done[i] = new Point(i, points.get(i), Map.of(), (System.nanoTime() - start) / 1e9,
                        Instant.now().toString(), error);
            }
            listener.onPointEnd(i, points.size(), done[i]);
            if (file != null) {
                write(file, null, new Tune(key, higher, finished(done), null, null), startedAt);
            }
        }

        int best = best(done, metric, higher);
        Point chosen = done[best];
        listener.onRefit(chosen);
        AlgorithmConfig config = configs.get(best);
        List<RunResult> runs = new ArrayList<>();
        for (Split s : splits) {
            runs.add(ExperimentRunner.runSplit(algorithm, config, dataset, s, ctx, options));
        }
        ExperimentResult result = new ExperimentResult(Version.get(), algorithm.name(), config.toMap(),
                ExperimentResult.DatasetInfo.of(dataset),
                protocol.spec(), training.seed(), training.threads(), startedAt, runs,
                ExperimentRunner.summarize(runs), options.ranking());
        Tune tune = new Tune(key, higher, List.of(done), best, config.toMap());
        if (file != null) {
            write(file, result, tune, startedAt);
        }
        return new Result(result, tune);
    }

    /** A point whose fits all ended: each metric's mean over the splits, the total fit seconds. */
    private static Point measured(int index, Map<String, String> params, List<RunResult> runs, String metric,
                                  String algorithm) {
        Map<String, Double> mean = new LinkedHashMap<>();
        ExperimentRunner.summarize(runs).forEach((k, v) -> {
            if (!k.endsWith("_seconds")) {
                mean.put(k, v.mean());
            }
        });
        if (!mean.containsKey(metric)) {
            throw new IllegalArgumentException(algorithm + " does not report " + metric + " on validation; "
                    + "it reports " + String.join(", ", mean.keySet()));
        }
        double fit = runs.stream().mapToDouble(RunResult::fitSeconds).sum();
        return new Point(index, params, mean, fit, Instant.now().toString());
    }

    /**
     * The config of every grid point, in grid order, each parsed through the algorithm's config
     * (defaults, ranges, unknown names): call it before reading data so that a bad value fails at
     * once, naming its point.
     */
    public static List<AlgorithmConfig> configs(Algorithm<?, ?> algorithm, List<String> fixed, Grid grid) {
        return configs(algorithm, fixed, null, grid);
    }

    /** {@link #configs(Algorithm, List, Grid)} for a task (null: the algorithm's own task parameter). */
    public static List<AlgorithmConfig> configs(Algorithm<?, ?> algorithm, List<String> fixed, Task task, Grid grid) {
        Params fixedParams = Params.parse(fixed);
        for (String name : grid.values().keySet()) {
            if (fixedParams.has(name)) {
                throw new IllegalArgumentException(name + " is both fixed (--set) and in the grid; give it once");
            }
        }
        List<AlgorithmConfig> configs = new ArrayList<>();
        for (Map<String, String> p : grid.points()) {
            configs.add(configOf(algorithm, fixed, task, p));
        }
        return configs;
    }

    /** The index of the best point on {@code metric}: ties to the earlier point, NaN never best. */
    static int best(Point[] points, String metric, boolean higher) {
        int best = -1;
        for (int i = 0; i < points.length; i++) {
            double v = points[i].validation().getOrDefault(metric, Double.NaN);
            if (Double.isNaN(v)) {
                continue;
            }
            double b = best < 0 ? Double.NaN : points[best].validation().get(metric);
            if (best < 0 || (higher ? v > b : v < b)) {
                best = i;
            }
        }
        if (best < 0) {
            List<String> errors = new ArrayList<>();
            for (Point p : points) {
                if (p.failed() && errors.size() < 3) {
                    errors.add(p.params() + ": " + p.error());
                }
            }
            throw new IllegalArgumentException("no grid point has a defined validation " + metric
                    + (errors.isEmpty() ? "" : "; the fits failed, e.g. " + String.join("; ", errors)));
        }
        return best;
    }

    private static AlgorithmConfig configOf(Algorithm<?, ?> algorithm, List<String> fixed, Task task,
                                            Map<String, String> point) {
        List<String> items = new ArrayList<>(fixed);
        point.forEach((k, v) -> items.add(k + "=" + v));
        try {
            return algorithm.parseConfig(Params.parse(items), task);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grid point " + point + ": " + e.getMessage(), e);
        }
    }

    /** {@code options} with the cut-off of a ranking {@code metric} added when missing. */
    static EvalOptions withMetric(EvalOptions options, String metric) {
        int at = metric.indexOf('@');
        if (at < 0) {
            return options;
        }
        int n;
        try {
            n = Integer.parseInt(metric.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metric " + metric + ": the cut-off after '@' must be an integer");
        }
        if (options.topN().contains(n)) {
            return options;
        }
        List<Integer> ns = new ArrayList<>(options.topN());
        ns.add(n);
        return options.withTopN(ns);
    }

    private static String describe(EvalOptions o) {
        return "topn=" + o.topN() + " relevance=" + o.relevanceThreshold() + " candidates=" + o.candidates().spec()
                + (o.candidates() == EvalOptions.Candidates.TEST ? " min_test=" + o.rankMinTest() : "")
                + " classify=" + o.classifyThreshold() + " clamp=" + o.clamp();
    }

    private static List<Point> finished(Point[] done) {
        List<Point> out = new ArrayList<>();
        for (Point p : done) {
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Fills {@code done} from the file's finished points after checking its key equals {@code key}. */
    private static void resume(Path file, Key key, List<Map<String, String>> points, Point[] done) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot resume from it, not a readable tune file ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); remove it or choose another --json");
        }
        JsonNode tune = root == null ? null : root.get("tune");
        if (tune == null || !tune.has("key") || !tune.has("points")) {
            throw new IllegalArgumentException(file + ": exists but is not a 'varec tune' file; remove it or choose another --json");
        }
        JsonNode want = JSON.readTree(JSON.writeValueAsString(key)); // as read back: numbers typed as the file's
        JsonNode have = tune.get("key");
        List<String> diff = new ArrayList<>();
        want.fieldNames().forEachRemaining(f -> {
            if (!want.get(f).equals(have.get(f))) {
                diff.add(f + " (file: " + have.get(f) + ", now: " + want.get(f) + ")");
            }
        });
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException(file + ": was written by a different search, cannot resume: "
                    + String.join("; ", diff) + "; remove it or choose another --json");
        }
        for (JsonNode p : tune.get("points")) {
            int i = p.path("index").asInt(-1);
            Map<String, String> params = new LinkedHashMap<>();
            p.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            if (i < 0 || i >= points.size() || !points.get(i).equals(params)) {
                throw new IllegalArgumentException(file + ": grid point " + i + " " + params + " does not match the grid");
            }
            Map<String, Double> val = new LinkedHashMap<>();
            p.path("validation").fields().forEachRemaining(e -> val.put(e.getKey(),
                    e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
            JsonNode error = p.get("error");
            done[i] = new Point(i, params, val, p.path("fit_seconds").asDouble(), p.path("finished_at").asText(),
                    error == null || error.isNull() ? null : error.asText());
        }
    }

    /** Writes the tune file atomically: the chosen result's fields (when known) and {@code tune}. */
    private static void write(Path file, ExperimentResult result, Tune tune, String startedAt) throws IOException {
        ObjectNode root;
        if (result != null) {
            root = JSON.valueToTree(result);
        } else {
            root = JSON.createObjectNode();
            root.put("varec_version", Version.get());
            root.put("algorithm", tune.key().algorithm());
            root.put("protocol", tune.key().protocol());
            root.put("started_at", startedAt);
        }
        root.set("tune", JSON.valueToTree(tune));
        AtomicFiles.write(file, out -> JSON.writer()
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, root));
    }
}
