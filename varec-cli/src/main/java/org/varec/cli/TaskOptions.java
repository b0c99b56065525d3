package org.varec.cli;

import java.util.Locale;
import org.varec.data.Dataset;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Params;
import org.varec.model.Task;
import picocli.CommandLine.Option;

/**
 * {@code --task regression|classification} and {@code --threshold T}, shared by eval and train:
 * the command-line face of {@link Task}. Classification turns every rating {@code >= T} into 1 and
 * every other into 0 before anything else ({@link Dataset#binarized}), sets the algorithm's
 * {@code task} parameter ({@link org.varec.model.Algorithm#parseConfig(Params, Task)}, which refuses
 * algorithms without one) and adds ACC, AUC and MAP; models then predict the probability of class 1.
 */
final class TaskOptions {
    @Option(names = "--task", paramLabel = "TASK",
            description = "regression (default) or classification: ratings >= --threshold become 1, others 0; "
                    + "the algorithm's task parameter is set (it needs one, e.g. fm-sgd, fm-mcmc, vfm) "
                    + "and ACC, AUC, MAP are reported.")
    String task;

    @Option(names = "--threshold", paramLabel = "T",
            description = "With --task classification: a rating >= T is class 1, below T class 0 (e.g. 4 on 1..5 stars). "
                    + "On libFM files it may be left out: then target > 0 is class 1, as libFM reads -1/1 targets.")
    Double threshold;

    /** The task asked for, or null when --task was not given (the algorithm's own task parameter then decides). */
    Task task() {
        if (task == null) {
            if (threshold != null) {
                throw new IllegalArgumentException("--threshold needs --task classification");
            }
            return null;
        }
        Task t;
        try {
            t = Task.parse(task.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--task must be regression or classification, got '" + task + "'");
        }
        if (t == Task.REGRESSION && threshold != null) {
            throw new IllegalArgumentException("--threshold needs --task classification");
        }
        return t;
    }

    boolean classification() {
        return task() == Task.CLASSIFICATION;
    }

    /** The algorithm's config for the task (an error when the algorithm cannot do it). */
    AlgorithmConfig config(AlgoOptions algo) {
        return algo.algorithm().parseConfig(Params.parse(algo.set), task());
    }

    /** Ratings data for the task: binarized at the threshold for classification. */
    Dataset apply(Dataset d) {
        if (!classification()) {
            return d;
        }
        if (threshold == null) {
            throw new IllegalArgumentException("--task classification needs --threshold T (ratings >= T are class 1)");
        }
        return d.binarized(threshold);
    }
}
