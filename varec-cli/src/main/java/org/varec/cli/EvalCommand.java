package org.varec.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.data.SparseDesign;
import org.varec.data.io.LibFm;
import org.varec.eval.DesignExperiment;
import org.varec.data.split.ExplicitSplit;
import org.varec.data.split.Protocol;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import org.varec.eval.EvalOptions;
import org.varec.eval.ExperimentResult;
import org.varec.eval.ExperimentRunner;
import org.varec.eval.RunResult;
import org.varec.eval.Summary;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Task;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingListener;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate an algorithm under a protocol: per-split metrics, then mean and std over splits.",
                "Either --data with --protocol, or --train and --test files split elsewhere."})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--data", paramLabel = "PATH", description = "Dataset directory or rating file.")
        Path data;

        @ArgGroup(exclusive = false)
        Files files;
    }

    static final class Files {
        @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training ratings made elsewhere.")
        Path train;

        @Option(names = "--test", required = true, paramLabel = "FILE", description = "Test ratings made elsewhere.")
        Path test;
    }

    @Option(names = "--protocol", paramLabel = "SPEC", defaultValue = "holdout:0.8",
            description = "holdout:0.8 (default), holdout:0.9x5, holdout:0.7,0.15,0.15, kfold:5, folds:u1..u5, "
                    + "folds:ua, subsample:0.05 (see docs/protocols.md). Ignored with --train/--test.")
    String protocol;

    @Mixin
    AlgoOptions algo;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TaskOptions taskOptions;

    @Option(names = "--meta", paramLabel = "FILE",
            description = "With --format libfm: libFM's group file (line f holds the group of feature f).")
    Path meta;

    @Mixin
    RankOptions rank;

    @Option(names = "--classify", paramLabel = "T",
            description = "Also ACC, AUC and MAP for the binary target rating >= T.")
    Double classify;

    @Option(names = "--no-clamp", description = "Do not clamp predictions into the rating scale.")
    boolean noClamp;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--json", paramLabel = "FILE", description = "Write results as JSON (schema: docs/results-json.md); '-' for stdout.")
    String json;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        boolean quiet = root.quiet;
        Algorithm<?, ?> algorithm = algo.algorithm();
        AlgorithmConfig config = taskOptions.config(algo);
        boolean classification = taskOptions.classification();
        if (classification && classify != null) { // checked before reading any data
            throw new IllegalArgumentException("--classify is for regression models; with --task classification "
                    + "ACC, AUC and MAP are reported anyway");
        }
        if (json != null) {
            if (!"-".equals(json)) {
                // results of a long run must not be lost to a path that cannot be written
                org.varec.util.AtomicFiles.checkWritable(java.nio.file.Path.of(json));
            }
            Json.prepare(sampleResult());
        }
        if (dataOptions.libFm()) {
            return libFm(algorithm, config, classification, err, quiet);
        }
        if (meta != null) {
            throw new IllegalArgumentException("--meta needs --format libfm");
        }
        // everything that can be checked without the data is checked before reading it
        int threads = algo.threads();
        Protocol parsed = input.data != null ? Protocols.parse(protocol) : null;
        EvalOptions options = rank.apply(EvalOptions.forTask(classification ? Task.CLASSIFICATION : Task.REGRESSION,
                rank.topN, rank.relevance(dataOptions.implicit != null), classify, !noClamp));
        Dataset dataset;
        Protocol proto;
        if (input.data != null) {
            dataset = taskOptions.apply(dataOptions.read(input.data, err, quiet));
            proto = parsed;
        } else {
            Dataset train = taskOptions.apply(dataOptions.readRatings(input.files.train, err, quiet));
            Dataset test = taskOptions.apply(dataOptions.readRatings(input.files.test, err, quiet));
            ExplicitSplit explicit = ExplicitSplit.of(train, test);
            // side information is matched to the combined index (the training file's ids first)
            dataset = dataOptions.withSideInformation(explicit.dataset(), err, quiet);
            proto = explicit;
        }
        TrainingContext training = selection.context(TrainingContext.of(algo.seed, threads));
        ExperimentResult result = ExperimentRunner.run(algorithm, config, dataset, proto, training,
                options, new ExperimentRunner.Listener() {
                    private int total;

                    @Override
                    public void onSplitStart(int index, int total, Split split) {
                        this.total = total;
                        if (!quiet) {
                            err.printf(Locale.ROOT, "split %d/%d (%s): %,d train, %,d test ratings%n", index + 1, total,
                                    split.name(), split.train().size(), split.test().size());
                        }
                    }

                    @Override
                    public TrainingListener training() {
                        return new ConsoleTrainingListener(err, quiet, "  ");
                    }

                    @Override
                    public void onSplitEnd(int index, int total, RunResult r) {
                        undefinedMetrics(r, index, total, err);
                        if (!quiet) {
                            StringBuilder sb = new StringBuilder("  ");
                            r.metrics().forEach((k, v) -> sb.append(k).append('=').append(Console.num(v)).append("  "));
                            sb.append(String.format(Locale.ROOT, "fit %.2fs", r.fitSeconds()));
                            if (r.modelEpoch() != r.history().size()) {
                                sb.append("  (model of epoch ").append(r.modelEpoch()).append(')');
                            }
                            err.println(sb);
                        }
                    }
                });
        report(result);
        return 0;
    }

    /**
     * A warning line (also with --quiet: it is no progress) for each metric a split leaves
     * undefined (NaN), so that a missing or NaN figure in the table is explained.
     */
    static void undefinedMetrics(RunResult r, int index, int total, PrintStream err) {
        r.metrics().forEach((k, v) -> {
            if (Double.isNaN(v)) {
                String why = k.equals("auc") || k.equals("map") || k.equals("acc")
                        ? "its test ratings are all in one class (--classify)"
                        : k.startsWith("ndcg@") || k.startsWith("precision@") || k.startsWith("recall@")
                        ? "no test user has a relevant rating (--relevance)"
                        : "it has no test rating to measure it on";
                err.printf(Locale.ROOT, "varec: warning: %s is undefined on split %d/%d (%s): %s%n", k, index + 1,
                        total, r.split(), why);
            }
        });
    }

    /** {@code --format libfm}: train an FM on the libFM train file, measure on the test file, designs as they are. */
    private Integer libFm(Algorithm<?, ?> algorithm, AlgorithmConfig config, boolean classification, PrintStream err,
                          boolean quiet) throws java.io.IOException {
        if (input.files == null) {
            throw new IllegalArgumentException("--format libfm needs --train and --test libFM files (no --data/--protocol)");
        }
        if (!rank.topN.isEmpty()) {
            throw new IllegalArgumentException("--topn needs users and items: not available on libFM files");
        }
        algorithm.designTrainer(config); // fail before reading when the algorithm cannot train on designs
        if (selection.given()) {
            throw new IllegalArgumentException("--select, --patience and --restore-best need validation ratings: "
                    + "not available on libFM files");
        }
        long t0 = System.nanoTime();
        SparseDesign train = LibFm.read(input.files.train, dataOptions.readOptions());
        SparseDesign test = LibFm.read(input.files.test, dataOptions.readOptions());
        int[] groups = meta == null ? null
                : LibFm.readGroups(meta, Math.max(train.numFeatures(), test.numFeatures()));
        SparseDesign[] both = DesignExperiment.align(train, test, groups);
        train = both[0];
        test = both[1];
        if (classification) {
            train = DesignExperiment.binarize(train, taskOptions.threshold);
            test = DesignExperiment.binarize(test, taskOptions.threshold);
        }
        if (!quiet) {
            err.printf(Locale.ROOT, "read libFM %s: %,d rows; %s: %,d rows; %,d features%s in %.2fs%n",
                    input.files.train.getFileName(), train.numRows(), input.files.test.getFileName(), test.numRows(),
                    train.numFeatures(), groups == null ? "" : ", groups from " + meta.getFileName(),
                    (System.nanoTime() - t0) / 1e9);
        }
        ExperimentResult result = DesignExperiment.run(algorithm, config, input.files.train.getFileName().toString(),
                input.files.train.toString(), train, test, classification, algo.seed, algo.threads(),
                new ConsoleTrainingListener(err, quiet, "  "));
        if (!quiet) {
            StringBuilder sb = new StringBuilder("  ");
            result.runs().get(0).metrics().forEach((k, v) -> sb.append(k).append('=').append(Console.num(v)).append("  "));
            sb.append(String.format(Locale.ROOT, "fit %.2fs", result.runs().get(0).fitSeconds()));
            err.println(sb);
        }
        report(result);
        return 0;
    }

    /**
     * An ExperimentResult with one of each nested record and map, for {@link Json#prepare}: its
     * serializers are those of every result this command writes.
     */
    static ExperimentResult sampleResult() {
        org.varec.train.EpochReport epoch = org.varec.train.EpochReport.builder(1).put("loss", 1).build(0);
        RunResult run = new RunResult("split", 1, 1, Map.of("rmse", 1.0), 0, 0, 0, List.of(epoch), 1, false);
        return new ExperimentResult("", "", Map.of("rank", 1), new ExperimentResult.DatasetInfo("", "", 1, 1, 1, 1L),
                "", 0, 1, "", List.of(run), Map.of("rmse", Summary.of(new double[] {1})),
                new ExperimentResult.Ranking("unrated", 2, 3.5));
    }

    private void report(ExperimentResult result) throws java.io.IOException {
        PrintStream err = System.err;
        boolean quiet = root.quiet;
        // the table first: if writing the JSON fails after all, the results are still on screen
        if (!"-".equals(json)) {
            printSummary(System.out, result);
        }
        if (json != null) {
            Json.write(result, json);
            if (!quiet && !"-".equals(json)) {
                err.println("wrote " + json);
            }
        }
    }

    static void printSummary(PrintStream out, ExperimentResult r) {
        if ("libfm".equals(r.protocol())) { // a design matrix: rows and features, no users or items
            out.printf(Locale.ROOT, "%s on %s (libFM: %,d training rows, %,d features), seed %d, %d thread%s%n",
                    r.algorithm(), r.dataset().name(), r.dataset().ratings(), r.dataset().items(), r.seed(), r.threads(),
                    r.threads() == 1 ? "" : "s");
        } else if (r.dataset().links() != null) {
            out.printf(Locale.ROOT, "%s on network %s (%,d vertices, %,d pairs, %,d links), protocol %s, seed %d, %d thread%s%n",
                    r.algorithm(), r.dataset().name(), r.dataset().users(), r.dataset().ratings(), r.dataset().links(),
                    r.protocol(), r.seed(), r.threads(), r.threads() == 1 ? "" : "s");
        } else {
            out.printf(Locale.ROOT, "%s on %s (%,d users, %,d items, %,d ratings), protocol %s, seed %d, %d thread%s%n",
                r.algorithm(), r.dataset().name(), r.dataset().users(), r.dataset().items(), r.dataset().ratings(),
                r.protocol(), r.seed(), r.threads(), r.threads() == 1 ? "" : "s");
        }
        if (r.ranking() != null) {
            out.printf(Locale.ROOT, "ranking: %s%n", rankingLine(r.ranking()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Summary> e : r.summary().entrySet()) {
            Summary s = e.getValue();
            rows.add(List.of(e.getKey(), Console.num(s.mean()), Console.num(s.std()), Integer.toString(s.n())));
        }
        Console.table(out, List.of("metric", "mean", "std", "runs"), rows);
    }

    /** What the ranking metrics were computed over, in words. */
    static String rankingLine(ExperimentResult.Ranking k) {
        String r = k.relevance() == Math.rint(k.relevance()) ? Long.toString((long) k.relevance()) : Double.toString(k.relevance());
        return "test".equals(k.candidates())
                ? String.format(Locale.ROOT, "each user's own test items (users with >= %d test ratings), relevant = rating > %s",
                        k.minTest(), r)
                : String.format(Locale.ROOT, "all items unrated in training, relevant = test rating > %s", r);
    }
}
