package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.model.Algorithms;

/**
 * {@code bin/varec} adds the Vector API module only for the algorithms listed in its
 * {@code vector_algos}: the list must name exactly the algorithms whose training uses the Vector API
 * kernels, or they silently run on the scalar fallback (slower, same results). Every registered
 * algorithm must be classified here, so a new one cannot be forgotten.
 */
class LauncherTest {
    /** Algorithms whose trainers run org.varec.nn's kernels or biasmf's SgdPass. */
    private static final Set<String> VECTOR = Set.of("nnmf", "bnnmf", "ncf", "convncf", "sbm", "autorec-u", "autorec-i",
            "dae-cf", "mult-vae", "vaebmf", "biasmf");
    /** Algorithms with no Vector API code. */
    private static final Set<String> SCALAR = Set.of("mean", "biases", "als", "als-features", "svd", "vbmf", "bpmf",
            "fm-sgd", "fm-als", "fm-mcmc", "vfm", "vbfm", "ovbfm", "irm");

    @Test
    void everyAlgorithmIsClassified() {
        for (String name : Algorithms.names()) {
            assertTrue(VECTOR.contains(name) ^ SCALAR.contains(name),
                    name + ": add it to VECTOR (and bin/varec's vector_algos) or SCALAR in this test");
        }
    }

    @Test
    void launcherListsTheVectorAlgorithms() throws IOException {
        Path launcher = Path.of("..", "bin", "varec");
        Matcher m = Pattern.compile("(?m)^vector_algos=\"([^\"]*)\"").matcher(Files.readString(launcher));
        assertTrue(m.find(), "no vector_algos line in " + launcher.toAbsolutePath());
        assertEquals(new TreeSet<>(VECTOR), new TreeSet<>(Arrays.asList(m.group(1).trim().split("\\s+"))));
    }

    /**
     * The launcher's ahead-of-time cache is recorded from {@code varec aot-training}; a fit of its
     * workload that stops working (a renamed parameter, say) would silently leave the launcher without
     * a cache, so the whole workload runs here.
     */
    @Test
    void aotTrainingRunsItsWholeWorkload(@TempDir Path dir) {
        CliRun run = CliRun.of("aot-training", "--dir", dir.toString());
        assertEquals(0, run.exit(), run.err());
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        List<List<String>> runs = AotTrainingCommand.runs(dir, vector);
        long fits = runs.stream().filter(r -> r.get(0).equals("eval")).count();
        assertEquals(fits, run.out().lines().filter(l -> l.startsWith("fit_seconds")).count(), run.out());
        for (String algo : List.of("als", "fm-mcmc", "bpmf", "vbmf", "biasmf", "svd")) {
            assertTrue(run.out().contains(algo + " on train"), algo + " missing from\n" + run.out());
        }
        assertTrue(Files.isRegularFile(dir.resolve("split").resolve("split-1").resolve("train.libfm")));
        assertTrue(Files.isRegularFile(dir.resolve("result.json")), "the fits write JSON (Jackson in the cache)");
    }
}
