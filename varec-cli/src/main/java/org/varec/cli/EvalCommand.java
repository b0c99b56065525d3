package org.varec.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
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
import org.varec.train.StopRule;
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

    @Option(names = "--topn", split = ",", paramLabel = "N",
            description = "Also Precision@N, Recall@N, NDCG@N for these N (e.g. 10,20).")
    List<Integer> topN = new ArrayList<>();

    @Option(names = "--relevance", defaultValue = "3", paramLabel = "R",
            description = "A test rating > R is relevant for ranking metrics (default: ${DEFAULT-VALUE}).")
    double relevance;

    @Option(names = "--classify", paramLabel = "T",
            description = "Also ACC, AUC and MAP for the binary target rating >= T.")
    Double classify;

    @Option(names = "--no-clamp", description = "Do not clamp predictions into the rating scale.")
    boolean noClamp;

    @Option(names = "--patience", paramLabel = "E",
            description = "Stop training when validation RMSE has not improved for E epochs (protocols with validation).")
    Integer patience;

    @Option(names = "--json", paramLabel = "FILE", description = "Write results as JSON (schema: docs/results-json.md); '-' for stdout.")
    String json;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        boolean quiet = root.quiet;
        Algorithm<?, ?> algorithm = algo.algorithm();
        AlgorithmConfig config = algo.config();
        Dataset dataset;
        Protocol proto;
        if (input.data != null) {
            dataset = dataOptions.read(input.data, err, quiet);
            proto = Protocols.parse(protocol);
        } else {
            Dataset train = dataOptions.read(input.files.train, err, quiet);
            Dataset test = dataOptions.read(input.files.test, err, quiet);
            ExplicitSplit explicit = ExplicitSplit.of(train, test);
            dataset = explicit.dataset();
            proto = explicit;
        }
        EvalOptions options = new EvalOptions(topN, relevance, classify, !noClamp);
        StopRule stop = patience == null ? StopRule.NEVER : StopRule.noImprovement("val_rmse", patience, 0);
        ExperimentResult result = ExperimentRunner.run(algorithm, config, dataset, proto, algo.seed, algo.threads(),
                options, stop, new ExperimentRunner.Listener() {
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
                        if (!quiet) {
                            StringBuilder sb = new StringBuilder("  ");
                            r.metrics().forEach((k, v) -> sb.append(k).append('=').append(Console.num(v)).append("  "));
                            sb.append(String.format(Locale.ROOT, "fit %.2fs", r.fitSeconds()));
                            err.println(sb);
                        }
                    }
                });
        if (json != null) {
            Json.write(result, json);
            if (!quiet && !"-".equals(json)) {
                err.println("wrote " + json);
            }
        }
        if (!"-".equals(json)) {
            printSummary(System.out, result);
        }
        return 0;
    }

    static void printSummary(PrintStream out, ExperimentResult r) {
        out.printf(Locale.ROOT, "%s on %s (%,d users, %,d items, %,d ratings), protocol %s, seed %d, %d thread%s%n",
                r.algorithm(), r.dataset().name(), r.dataset().users(), r.dataset().items(), r.dataset().ratings(),
                r.protocol(), r.seed(), r.threads(), r.threads() == 1 ? "" : "s");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Summary> e : r.summary().entrySet()) {
            Summary s = e.getValue();
            rows.add(List.of(e.getKey(), Console.num(s.mean()), Console.num(s.std()), Integer.toString(s.n())));
        }
        Console.table(out, List.of("metric", "mean", "std", "runs"), rows);
    }
}
