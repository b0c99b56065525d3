package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.varec.report.ResultTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One table from several {@code varec eval --json} files: a row per (dataset, algorithm,
 * protocol), a column per metric with mean ± std over the runs; in Markdown the best value of
 * each column among rows of the same dataset and protocol is bold (lowest for errors, NLPD and seconds; highest for ACC, AUC, MAP and ranking
 * metrics; closest to nominal for interval coverage). The table itself is {@link ResultTable}, shared
 * with {@code varec report}.
 */
@Command(name = "table", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Puts the results of several 'varec eval --json' files in one table (Markdown or text),",
                "best value of each metric in bold."})
final class TableCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result files written by 'varec eval --json'.")
    List<Path> files;

    @Option(names = "--metrics", split = ",", paramLabel = "M",
            description = "Metrics to show, in order (default: every metric found, then fit_seconds).")
    List<String> metrics;

    @Option(names = "--format", defaultValue = "markdown", paramLabel = "F",
            description = "markdown (default) or text.")
    String format;

    @Override
    public Integer call() {
        boolean md = format.equalsIgnoreCase("markdown");
        if (!md && !format.equalsIgnoreCase("text")) {
            throw new IllegalArgumentException("--format must be markdown or text, got '" + format + "'");
        }
        ResultTable table = ResultTable.of(ResultTable.readAll(files), metrics);
        if (md) {
            table.markdown().forEach(System.out::println);
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (int r = 0; r < table.rows(); r++) {
                rows.add(table.row(r, s -> s));
            }
            Console.table(System.out, table.header(), rows);
        }
        return 0;
    }
}
