package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.io.ModelFile;
import org.varec.report.Charts;
import org.varec.report.Report;
import org.varec.report.ResultTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code varec report}: one HTML page with charts beside it (see docs/reports.md). */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes DIR/index.html with its charts beside it (no network needed to view it): the dataset,",
                "training curves, embedding maps and polarizing items of factor models, experiment tables and",
                "the calibration of predictive intervals."})
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Dataset directory or rating file.")
    Path data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (repeatable), best trained on --data.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--eval", paramLabel = "FILE", description = "Result of 'varec eval --json' (repeatable).")
    List<Path> evals = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write index.html and the charts into.")
    Path out;

    @Option(names = "--genres", split = ",", paramLabel = "G", description = "Genres to colour in embedding maps, e.g. Children's,Horror.")
    List<String> genres;

    @Option(names = "--min-ratings", defaultValue = "50", paramLabel = "M",
            description = "Maps and polarizing lists show items with at least M training ratings (default: ${DEFAULT-VALUE}).")
    int minRatings;

    @Option(names = "--labels", defaultValue = "8", paramLabel = "N", description = "Titles labelled on each map (default: ${DEFAULT-VALUE}).")
    int labels;

    @Option(names = "--polarizing", defaultValue = "4", paramLabel = "N",
            description = "Items in each polarizing list (default: ${DEFAULT-VALUE}).")
    int polarizing;

    @Option(names = "--width", defaultValue = "" + Charts.WIDTH, paramLabel = "PX", description = "Chart width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "" + Charts.HEIGHT, paramLabel = "PX", description = "Chart height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--svg", description = "Charts as SVG instead of PNG.")
    boolean svg;

    @Override
    public Integer call() throws Exception {
        Report.Options o = new Report.Options(genres, minRatings, labels, polarizing, width, height, svg);
        org.varec.util.AtomicFiles.checkWritable(out.resolve("index.html")); // before loading and drawing
        List<Report.Model> ms = new ArrayList<>();
        for (Path f : models) {
            ms.add(new Report.Model(f, ModelFile.load(f)));
        }
        List<Report.Result> rs = new ArrayList<>();
        for (Path f : evals) {
            rs.add(new Report.Result(f, ResultTable.read(f)));
        }
        Dataset d = dataOptions.read(data, System.err, root.quiet);
        List<Path> written = Report.write(d, ms, rs, o, out, msg -> {
            if (!root.quiet) {
                System.err.println("note: " + msg);
            }
        });
        System.out.println("wrote " + written.get(0) + " and " + (written.size() - 1) + " chart(s)");
        return 0;
    }
}
