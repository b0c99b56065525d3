package org.varec.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.varec.data.synth.RatingGrid;
import org.varec.data.synth.SyntheticConfig;
import org.varec.data.synth.SyntheticRatings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a synthetic rating file shaped like MovieLens (ratings.csv layout with header):",
                "power-law item popularity and user activity, ratings from a planted low-rank model plus noise.",
                "Defaults are the ML-25M shape. Same seed, same bytes on every machine (docs/synthetic-data.md)."})
final class SynthCommand implements Callable<Integer> {
    @ParentCommand
    DataCommand parent;

    @Option(names = "--users", defaultValue = "162541", description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "59047", description = "Items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--ratings", defaultValue = "25000000", description = "Ratings, exactly (default: ${DEFAULT-VALUE}).")
    long ratings;

    @Option(names = "--rank", defaultValue = "10", description = "Rank of the planted model (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--noise", defaultValue = "0.5", description = "Noise sd before rounding (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--grid", defaultValue = "half-stars", description = "half-stars (0.5..5) or stars (1..5).")
    String grid;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: available processors); the output does not depend on it.")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        SyntheticConfig c = SyntheticConfig.of(users, items, ratings).withRank(rank).withNoiseSigma(noise)
                .withGrid(RatingGrid.parse(grid)).withSeed(seed);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (threads != null && (threads < 1 || threads > org.varec.util.Parallel.maxThreads())) {
            throw new IllegalArgumentException("--threads must be within 1.." + org.varec.util.Parallel.maxThreads()
                    + ", got " + threads);
        }
        org.varec.util.AtomicFiles.checkWritable(out); // before minutes of writing
        long t0 = System.nanoTime();
        long bytes;
        try (ConsoleProgress p = new ConsoleProgress(System.err, "synth", " ratings", 1, parent.root.quiet)) {
            bytes = SyntheticRatings.write(c, out, t, p);
        }
        System.out.printf(Locale.ROOT, "wrote %s: %,d ratings, %,d users, %,d items, %,d bytes in %.1fs%n", out,
                ratings, users, items, bytes, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
