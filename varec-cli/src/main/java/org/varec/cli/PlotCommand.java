package org.varec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.IChart;
import org.varec.analysis.ItemGenres;
import org.varec.analysis.TrainingHistory;
import org.varec.data.Dataset;
import org.varec.io.ModelFile;
import org.varec.model.TrainedModel;
import org.varec.report.Charts;
import org.varec.report.Figures;
import org.varec.report.Report;
import org.varec.report.ResultJson;
import org.varec.report.ResultTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * One chart of {@code varec report} alone, as PNG or SVG (by the extension of {@code --out}).
 * See docs/reports.md.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draws one chart of 'varec report' alone, as PNG or SVG (chosen by the extension of --out)."},
        subcommands = {PlotCommand.Elicitation.class, PlotCommand.Ratings.class, PlotCommand.HistoryCmd.class, PlotCommand.Embeddings.class,
                PlotCommand.PolarizingCmd.class, PlotCommand.Calibration.class, PlotCommand.Blocks.class,
                PlotCommand.Sparsity.class})
final class PlotCommand implements Runnable {
    @ParentCommand
    VarecCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where and how large: shared by every plot. */
    static final class Output {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Image to write: FILE.png or FILE.svg.")
        Path out;

        @Option(names = "--width", defaultValue = "" + Charts.WIDTH, paramLabel = "PX", description = "Width in pixels (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--height", defaultValue = "" + Charts.HEIGHT, paramLabel = "PX", description = "Height in pixels (default: ${DEFAULT-VALUE}).")
        int height;

        void check() throws java.io.IOException {
            Charts.format(out);
            org.varec.util.AtomicFiles.checkWritable(out); // before reading or drawing anything
            if (width < 100 || width > 10000 || height < 100 || height > 10000) {
                throw new IllegalArgumentException("--width and --height must be within 100..10000 pixels, got "
                        + width + "x" + height);
            }
        }

        int save(IChart chart, boolean quiet) throws java.io.IOException {
            Charts.save(chart, out);
            if (!quiet) {
                System.err.println("wrote " + out);
            }
            return 0;
        }
    }

    static List<String> labels(List<Path> files) {
        return Report.labels(files);
    }

    @Command(name = "elicitation", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The elicitation study of 'varec elicit --json' (the VFM paper's Fig. 4): a metric of the",
                    "validation items against the number of items asked, one line per strategy with its 95% interval."})
    static final class Elicitation implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--result", required = true, paramLabel = "FILE", description = "Result of 'varec elicit --json'.")
        Path result;

        @Option(names = "--metric", defaultValue = "auc", paramLabel = "NAME",
                description = "auc (default), acc, map or variance (mean predictive variance of the validation items).")
        String metric;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            if (!java.util.List.of("auc", "acc", "map", "variance").contains(metric)) {
                throw new IllegalArgumentException("--metric must be auc, acc, map or variance, got '" + metric + "'");
            }
            com.fasterxml.jackson.databind.JsonNode j;
            try {
                j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(result + ": not JSON from 'varec elicit --json'");
            }
            if (j == null || !j.has("strategies") || !j.has("prior")) {
                throw new IllegalArgumentException(result + ": not a result of 'varec elicit --json' (no strategies)");
            }
            org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(output.width).height(output.height)
                    .title("Elicitation: " + metric + " of the validation items, " + j.path("algorithm").asText()
                            + " (" + j.path("protocol").path("repeats").asInt() + " repeats, 95% intervals)")
                    .xAxisTitle("items asked").yAxisTitle(metric).build();
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
            com.fasterxml.jackson.databind.JsonNode prior = j.get("prior").get(metric);
            var it = j.get("strategies").fields();
            while (it.hasNext()) {
                var e = it.next();
                int n = e.getValue().size() + 1;
                double[] x = new double[n];
                double[] y = new double[n];
                double[] err = new double[n];
                fill(prior, 0, x, y, err, 0);
                int k = 1;
                for (com.fasterxml.jackson.databind.JsonNode round : e.getValue()) {
                    fill(round.get(metric), round.get("items").asDouble(), x, y, err, k++);
                }
                chart.addSeries(e.getKey(), x, y, err);
            }
            return output.save(chart, parent.root.quiet);
        }

        private static void fill(com.fasterxml.jackson.databind.JsonNode m, double items, double[] x, double[] y,
                                 double[] err, int k) {
            x[k] = items;
            y[k] = m.get("mean").asDouble();
            var ci = m.get("ci95");
            err[k] = ci == null || !ci.isArray() ? 0 : (ci.get(1).asDouble() - ci.get(0).asDouble()) / 2;
        }
    }

    @Command(name = "ratings", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The rating histogram of a dataset, or (--popularity) ratings per item and per user by rank, log-log."})
    static final class Ratings implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "Dataset directory or rating file.")
        Path data;

        @Mixin
        DataOptions dataOptions;

        @Option(names = "--popularity", description = "Item popularity and user activity (log-log) instead of the histogram.")
        boolean popularity;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            Dataset d = dataOptions.read(data, System.err, parent.root.quiet);
            Chart<?, ?> c = popularity ? Figures.popularity(d, output.width, output.height)
                    : Figures.ratingHistogram(d, output.width, output.height);
            return output.save(c, parent.root.quiet);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"One training figure (loss, train_rmse, val_rmse, elbo...) per epoch, one line per model",
                    "file or eval result (its first split)."})
    static final class HistoryCmd implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--model", paramLabel = "FILE", description = "Model file (repeatable).")
        List<Path> models = new ArrayList<>();

        @Option(names = "--eval", paramLabel = "FILE", description = "Result of 'varec eval --json' (repeatable).")
        List<Path> evals = new ArrayList<>();

        @Option(names = "--figure", paramLabel = "NAME",
                description = "Figure to plot (default: val_rmse, else train_rmse, elbo, loss, whichever the histories have).")
        String figure;

        @Option(names = "--log-y", description = "Logarithmic y axis.")
        boolean logY;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            if (models.isEmpty() && evals.isEmpty()) {
                throw new IllegalArgumentException("give at least one --model or --eval file");
            }
            List<TrainingHistory> histories = histories(models, evals);
            String f = figure == null ? Figures.defaultFigure(histories) : figure;
            var chart = Figures.history(histories, f, output.width, output.height);
            chart.getStyler().setYAxisLogarithmic(logY);
            return output.save(chart, parent.root.quiet);
        }
    }

    static List<TrainingHistory> histories(List<Path> models, List<Path> evals) throws java.io.IOException {
        List<Path> all = new ArrayList<>(models);
        all.addAll(evals);
        List<String> labels = labels(all);
        List<TrainingHistory> out = new ArrayList<>();
        for (int k = 0; k < models.size(); k++) {
            out.add(TrainingHistory.of(labels.get(k), ModelFile.load(models.get(k))));
        }
        for (int k = 0; k < evals.size(); k++) {
            out.add(ResultJson.history(labels.get(models.size() + k), ResultTable.read(evals.get(k))));
        }
        return out;
    }

    @Command(name = "embeddings", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Items of a factor model in 2-D (a rank-2 model as it is, else the first two principal",
                    "components of the item vectors), chosen genres coloured, the outermost titles labelled."})
    static final class Embeddings implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file of a factor model.")
        Path model;

        @Option(names = "--data", paramLabel = "PATH", description = "Dataset with item genres, when the model file has none.")
        Path data;

        @Mixin
        DataOptions dataOptions;

        @Option(names = "--genres", split = ",", paramLabel = "G", description = "Genres to colour, e.g. Children's,Horror.")
        List<String> genres;

        @Option(names = "--min-ratings", defaultValue = "50", paramLabel = "M",
                description = "Show items with at least M training ratings (default: ${DEFAULT-VALUE}).")
        int minRatings;

        @Option(names = "--labels", defaultValue = "8", paramLabel = "N", description = "Titles to label (default: ${DEFAULT-VALUE}).")
        int labels;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            Figures.MapOptions o = new Figures.MapOptions(genres, minRatings, labels);
            TrainedModel m = ModelFile.load(model);
            Figures.factorModel(m, model.toString());
            Dataset d = data == null ? null : dataOptions.read(data, System.err, parent.root.quiet);
            var chart = Figures.embeddings(m, labels(List.of(model)).get(0), ItemGenres.of(m, d), o,
                    output.width, output.height);
            return output.save(chart, parent.root.quiet);
        }
    }

    @Command(name = "polarizing", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Rating histograms of the most (or least) polarizing items of a factor model (largest",
                    "||v_item||); the ratings come from --data, the dataset the model was trained on."})
    static final class PolarizingCmd implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file of a factor model.")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "The dataset the model was trained on.")
        Path data;

        @Mixin
        DataOptions dataOptions;

        @Option(names = "--least", description = "The least polarizing items (smallest ||v_item||).")
        boolean least;

        @Option(names = {"-n", "--count"}, defaultValue = "4", description = "How many items (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--min-ratings", defaultValue = "50", paramLabel = "M",
                description = "Consider items with at least M training ratings (default: ${DEFAULT-VALUE}).")
        int minRatings;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            TrainedModel m = ModelFile.load(model);
            Figures.factorModel(m, model.toString());
            Dataset d = dataOptions.read(data, System.err, parent.root.quiet);
            var p = Figures.polarizing(m, labels(List.of(model)).get(0), d, !least, n, minRatings, output.width, output.height);
            return output.save(p.chart(), parent.root.quiet);
        }
    }

    @Command(name = "calibration", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Nominal against empirical coverage of predictive intervals (coverage_50/90/95 of",
                    "'varec eval --json' results of models with a predictive variance)."})
    static final class Calibration implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--eval", required = true, paramLabel = "FILE", description = "Result of 'varec eval --json' (repeatable).")
        List<Path> evals;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            List<JsonNode> results = ResultTable.readAll(evals);
            var chart = Figures.calibration(results, labels(evals), output.width, output.height);
            return output.save(chart, parent.root.quiet);
        }
    }

    @Command(name = "sparsity", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The sparsity study (VAE-BMF paper, Fig. 3): a test metric against the training percentage P",
                    "of 'eval'/'tune' results under --protocol subsample:P, one line per algorithm (docs/studies.md)."})
    static final class Sparsity implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @picocli.CommandLine.Parameters(paramLabel = "RESULT", arity = "1..*",
                description = "Results of 'varec eval --json' or 'varec tune --json' under subsample:P.")
        List<Path> files;

        @Option(names = "--metric", defaultValue = "rmse", paramLabel = "NAME",
                description = "Metric of the results' summaries (default: ${DEFAULT-VALUE}; e.g. ndcg@20).")
        String metric;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            output.check();
            var chart = Figures.sparsity(ResultTable.readAll(files), labels(files), metric, output.width, output.height);
            return output.save(chart, parent.root.quiet);
        }
    }

    @Command(name = "blocks", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"A block model's picture of a network (irm, or any model with vertex groups): the",
                    "adjacency matrix with rows and columns ordered by MAP group (largest first), group boundaries",
                    "and every block shaded by its link probability, and the group sizes beside it."})
    static final class Blocks implements Callable<Integer> {
        @ParentCommand
        PlotCommand parent;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file of a block model (irm).")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "PATH",
                description = "The network the model was trained on (--format adjacency or edges).")
        Path data;

        @Mixin
        DataOptions dataOptions;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Image to write: FILE.png or FILE.svg.")
        Path out;

        @Option(names = "--width", defaultValue = "1100", paramLabel = "PX", description = "Width in pixels (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--height", defaultValue = "760", paramLabel = "PX", description = "Height in pixels (default: ${DEFAULT-VALUE}).")
        int height;

        @Override
        public Integer call() throws Exception {
            Output o = new Output();
            o.out = out;
            o.width = width;
            o.height = height;
            o.check();
            TrainedModel m = ModelFile.load(model);
            if (!(m.model() instanceof org.varec.model.BlockModel)) {
                throw new IllegalArgumentException("model " + model + " (" + m.algorithm() + ") is not a block model: "
                        + "its vertices have no groups; train one such as irm on a network");
            }
            Dataset d = dataOptions.read(data, System.err, parent.root.quiet);
            return o.save(Figures.blocks(m, labels(List.of(model)).get(0), d, width, height), parent.root.quiet);
        }
    }
}
