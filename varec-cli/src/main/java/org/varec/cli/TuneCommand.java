package org.varec.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.data.split.Protocol;
import org.varec.data.split.Protocols;
import org.varec.eval.EvalOptions;
import org.varec.eval.GridSearch;
import org.varec.model.Algorithm;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The CLI face of {@link GridSearch}: parse, print progress and the grid table, write the JSON. */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grid search on validation: fits every grid point on train, measures it on validation, "
                + "refits the best on train and reports its test metrics (docs/studies.md).",
                "Resumable: with --json, finished points are kept in the file and not refitted."})
final class TuneCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Dataset directory or rating file.")
    Path data;

    @Option(names = "--grid", required = true, paramLabel = "GRID",
            description = "Values to try, e.g. 'rank=10,25,50;reg=0,0.01,0.1' (every combination; --set fixes others).")
    String grid;

    @Option(names = "--protocol", paramLabel = "SPEC", defaultValue = "holdout:0.7,0.15,0.15",
            description = "A protocol with a validation part: holdout:0.7,0.15,0.15 (default) or subsample:P.")
    String protocol;

    @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "rmse",
            description = "Validation metric to select on: rmse (default), mae, nlpd, ndcg@N, recall@N, precision@N... "
                    + "(lowest wins for errors, highest for scores).")
    String metric;

    @Mixin
    AlgoOptions algo;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    RankOptions rank;

    @Mixin
    SelectionOptions selection;

    @Mixin
    TaskOptions taskOptions;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Tune file: written after every point (atomically) and resumed from when it exists.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        boolean quiet = root.quiet;
        Algorithm<?, ?> algorithm = algo.algorithm();
        GridSearch.Grid parsedGrid = GridSearch.Grid.parse(grid);
        Protocol proto = Protocols.parse(protocol);
        String m = metric.trim().toLowerCase(Locale.ROOT);
        org.varec.train.Selection.higherIsBetter(m); // everything that can be checked is checked before reading data
        org.varec.model.Task task = taskOptions.task();
        GridSearch.configs(algorithm, algo.set, task, parsedGrid);
        if (json != null) {
            org.varec.util.AtomicFiles.checkWritable(json);
        }
        EvalOptions options = rank.apply(EvalOptions.forTask(taskOptions.classification()
                ? org.varec.model.Task.CLASSIFICATION : org.varec.model.Task.REGRESSION, rank.topN, rank.relevance(dataOptions.implicit != null), null, true));
        TrainingContext training = selection.context(TrainingContext.of(algo.seed, algo.threads()));
        Dataset dataset = taskOptions.apply(dataOptions.read(data, err, quiet));
        int total = parsedGrid.points().size();
        GridSearch.Result r = GridSearch.run(algorithm, algo.set, task, parsedGrid, dataset, proto, training,
                selection.describe(), options, m, json, new GridSearch.Listener() {
                    @Override
                    public void onPoint(int index, int n, Map<String, String> params, boolean resumed) {
                        if (!quiet) {
                            err.printf(Locale.ROOT, "point %d/%d %s%s%n", index + 1, n, params,
                                    resumed ? ": finished before, taken from " + json : "");
                        }
                    }

                    @Override
                    public void onPointEnd(int index, int n, GridSearch.Point p) {
                        if (p.failed()) {
                            err.printf(Locale.ROOT, "  failed: %s (the search goes on)%n", p.error());
                        } else if (!quiet) {
                            err.printf(Locale.ROOT, "  validation %s=%s  fit %.2fs%n", m,
                                    Console.num(p.validation().get(m)), p.fitSeconds());
                        }
                    }

                    @Override
                    public void onRefit(GridSearch.Point best) {
                        if (!quiet) {
                            err.printf(Locale.ROOT, "best on validation: %s (%s=%s); refitting on train, measuring on test%n",
                                    best.params(), m, Console.num(best.validation().get(m)));
                        }
                    }

                    @Override
                    public TrainingListener training() {
                        return new ConsoleTrainingListener(err, quiet, "  ");
                    }
                });
        System.out.printf(Locale.ROOT, "%s on %s, protocol %s, seed %d: %d grid points, selected on validation %s%n",
                algorithm.name(), dataset.name(), proto.spec(), algo.seed, total, m);
        List<String> names = new ArrayList<>(parsedGrid.values().keySet());
        List<String> header = new ArrayList<>(names);
        header.add("val " + m);
        header.add("fit s");
        header.add("");
        List<List<String>> rows = new ArrayList<>();
        for (GridSearch.Point p : r.tune().points()) {
            List<String> row = new ArrayList<>();
            names.forEach(n -> row.add(p.params().get(n)));
            row.add(p.failed() ? "failed" : Console.num(p.validation().get(m)));
            row.add(String.format(Locale.ROOT, "%.2f", p.fitSeconds()));
            row.add(p.index() == r.tune().best() ? "best" : p.failed() ? p.error() : "");
            rows.add(row);
        }
        Console.table(System.out, header, rows);
        System.out.println();
        System.out.println("test metrics of the chosen point (refitted on train):");
        EvalCommand.printSummary(System.out, r.chosen());
        if (json != null && !quiet) {
            err.println("wrote " + json);
        }
        return 0;
    }
}
