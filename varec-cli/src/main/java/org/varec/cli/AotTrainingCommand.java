package org.varec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.varec.util.FileTrees;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The training run of the JVM's ahead-of-time cache ({@code bin/varec} runs it once per build with
 * {@code -XX:AOTCacheOutput}; JEP 483/514/515). Besides loading and linking varec's classes, the run
 * is recorded with the method profiles of its hot code, so a later run starts with them: the JIT
 * compiles the training loops of the common algorithms with its optimising compiler from the first
 * epoch instead of after a second or two of interpreted and lightly optimised code. That warm-up
 * was most of the first epoch of an ALS fit on ML-1M and a large part of a short fm-mcmc run's whole
 * time (docs/benchmarks.md, "JIT warm-up").
 *
 * <p>The workload is the CLI itself on a small synthetic data set (2,000 users, 1,000 items, 100,000
 * ratings; no user data is read): a split written in both formats, then short {@code eval} runs of
 * the algorithms the benchmarks and the quick start use, through both readers; with the Vector API
 * module present (the cache of runs that add it) also the neural models that use it. Hidden: it is
 * plumbing of the launcher, not a user command. Its output is discarded; it fails only if the CLI does.
 */
@Command(name = "aot-training", hidden = true,
        description = "Workload for the JVM's ahead-of-time cache (run by bin/varec once per build).")
final class AotTrainingCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "Scratch directory (default: a new temporary one, deleted after).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("varec-aot");
        try {
            for (List<String> run : runs(work, ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent())) {
                String[] args = run.toArray(String[]::new);
                CommandLine cl = VarecCommand.commandLine(args);
                cl.setOut(new PrintWriter(Writer.nullWriter()));
                int code = cl.execute(args);
                if (code != 0) {
                    System.err.println("varec: aot-training: failed: varec " + String.join(" ", run));
                    return code;
                }
            }
            return 0;
        } finally {
            if (dir == null) {
                FileTrees.delete(work);
            }
        }
    }

    /** The runs, in order: data first, then every fit on the split it wrote. */
    static List<List<String>> runs(Path work, boolean vector) {
        String csv = work.resolve("ratings.csv").toString();
        Path split = work.resolve("split").resolve("split-1");
        List<List<String>> runs = new ArrayList<>();
        runs.add(List.of("data", "synth", "--users", "2000", "--items", "1000", "--ratings", "100000", "--threads", "1",
                "--out", csv, "-q"));
        runs.add(List.of("data", "split", "--data", csv, "--protocol", "holdout:0.9", "--seed", "1", "--libfm",
                "--out", work.resolve("split").toString(), "--force", "-q"));
        String train = split.resolve("train.tsv").toString();
        String test = split.resolve("test.tsv").toString();
        List<String[]> fits = new ArrayList<>(List.of(
                new String[] {"als", "iterations=5"},
                new String[] {"fm-mcmc", "iterations=30"},
                new String[] {"bpmf", "iterations=6", "burn_in=2"},
                new String[] {"vbmf", "iterations=5"},
                new String[] {"biasmf", "epochs=3"},
                new String[] {"svd", "rank=10"}));
        if (vector) {
            fits.add(new String[] {"nnmf", "epochs=2"});
            fits.add(new String[] {"mult-vae", "epochs=2"});
        }
        for (String[] fit : fits) {
            // one and two worker threads for the two the side-by-side benchmarks run both ways
            int maxThreads = fit[0].equals("als") || fit[0].equals("fm-mcmc") ? 2 : 1;
            for (int threads = 1; threads <= maxThreads; threads++) {
                List<String> run = new ArrayList<>(List.of("eval", "--train", train, "--test", test, "--algo", fit[0]));
                for (int i = 1; i < fit.length; i++) {
                    run.addAll(List.of("--set", fit[i]));
                }
                run.addAll(List.of("--threads", Integer.toString(threads), "--seed", "1", "-q"));
                runs.add(List.copyOf(withJson(run, work)));
            }
        }
        // the libFM reader and the grouped design of the side-by-side benchmark against libFM
        // (both sweeps: the block sweep's loops are its own)
        for (String sweep : new String[] {"coordinate", "block"}) {
            for (int threads = 1; threads <= 2; threads++) {
                runs.add(withJson(List.of("eval", "--format", "libfm", "--train", split.resolve("train.libfm").toString(),
                        "--test", split.resolve("test.libfm").toString(), "--meta", split.resolve("groups.meta").toString(),
                        "--algo", "fm-mcmc", "--set", "rank=8", "--set", "iterations=30", "--set", "sweep=" + sweep,
                        "--threads", Integer.toString(threads), "--seed", "1", "-q"), work));
            }
        }
        return runs;
    }

    /**
     * The run writing its result as JSON too ({@code --json}, as scripts and the side-by-side
     * benchmarks run it): Jackson's classes are then in the cache. Without them writing a short
     * run's JSON took 0.16 s, with them 0.10 s, the rest being Jackson's first serialization
     * (docs/benchmarks.md, "Start-up, the ALS kernel and the JIT").
     */
    private static List<String> withJson(List<String> run, Path work) {
        List<String> json = new ArrayList<>(run);
        json.addAll(List.of("--json", work.resolve("result.json").toString()));
        return List.copyOf(json);
    }
}
