package org.varec.cli;

import java.util.ArrayList;
import java.util.List;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import picocli.CommandLine.Option;

/** Which algorithm, with which hyper-parameters, seed and threads. */
final class AlgoOptions {
    @Option(names = "--algo", required = true, paramLabel = "NAME", description = "Algorithm (see 'varec algos').")
    String algo;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Hyper-parameter, repeatable (see 'varec algos').")
    List<String> set = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "Worker threads (default: available processors). The same seed and threads give the same result.")
    Integer threads;

    Algorithm<?, ?> algorithm() {
        return Algorithms.get(algo);
    }

    AlgorithmConfig config() {
        return algorithm().parseConfig(Params.parse(set));
    }

    int threads() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        try {
            return org.varec.util.Parallel.checkThreads(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }
}
