package org.varec.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.elicit.ElicitationData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "elicitation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build the VFM paper's Movie10k-style matrix for 'varec elicit': the --items most-rated items,",
                "then --users random users who rated at least one but not all of them; cell = 1 if the user rated",
                "the item, else 0. Writes the complete binary matrix as user,item,label lines (docs/elicitation.md)."})
final class ElicitationDataCommand implements Callable<Integer> {
    @ParentCommand
    DataCommand parent;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Dataset directory or rating file.")
    Path data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--items", defaultValue = "100", description = "Most-rated items kept (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--users", defaultValue = "100", description = "Users drawn (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the user draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        boolean quiet = parent.root.quiet;
        Dataset d = dataOptions.readRatings(data, System.err, quiet);
        ElicitationData m = ElicitationData.build(d, items, users, seed);
        m.write(out);
        long ones = m.ones();
        System.out.printf(Locale.ROOT, "wrote %s: %d users x %d items, %,d ones (%.1f%%); %,d users qualified%n", out,
                m.numUsers(), m.numItems(), ones, 100.0 * ones / ((long) m.numUsers() * m.numItems()), m.eligible());
        return 0;
    }
}
