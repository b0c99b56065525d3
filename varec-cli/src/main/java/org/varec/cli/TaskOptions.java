package org.varec.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Params;
import picocli.CommandLine.Option;

/**
 * {@code --task regression|classification} and {@code --threshold T}, shared by eval and train.
 * Classification turns every rating {@code >= T} into 1 and every other into 0 before anything
 * else (splits, training, metrics), passes {@code task=classification} to the algorithm (which
 * must have a {@code task} parameter) and adds ACC, AUC and MAP; models then predict the
 * probability of class 1.
 */
final class TaskOptions {
    @Option(names = "--task", paramLabel = "TASK",
            description = "regression (default) or classification: ratings >= --threshold become 1, others 0; "
                    + "task=classification is passed to the algorithm (it needs a task parameter, e.g. fm-sgd, fm-mcmc) "
                    + "and ACC, AUC, MAP are reported.")
    String task;

    @Option(names = "--threshold", paramLabel = "T",
            description = "With --task classification: a rating >= T is class 1, below T class 0 (e.g. 4 on 1..5 stars). "
                    + "On libFM files it may be left out: then target > 0 is class 1, as libFM reads -1/1 targets.")
    Double threshold;

    boolean classification() {
        if (task == null) {
            if (threshold != null) {
                throw new IllegalArgumentException("--threshold needs --task classification");
            }
            return false;
        }
        return switch (task.toLowerCase(Locale.ROOT)) {
            case "regression" -> {
                if (threshold != null) {
                    throw new IllegalArgumentException("--threshold needs --task classification");
                }
                yield false;
            }
            case "classification" -> true;
            default -> throw new IllegalArgumentException("--task must be regression or classification, got '" + task + "'");
        };
    }

    /** The algorithm's config with {@code task} set from {@code --task} (an error when the algorithm has no such parameter). */
    AlgorithmConfig config(AlgoOptions algo) {
        Algorithm<?, ?> a = algo.algorithm();
        if (task == null) {
            return algo.config();
        }
        String value = classification() ? "classification" : "regression";
        boolean hasTask = a.params().stream().anyMatch(p -> p.name().equals("task"));
        if (!hasTask) {
            if (value.equals("regression")) {
                return algo.config();
            }
            throw new IllegalArgumentException("algorithm " + a.name() + " has no task parameter: it cannot do "
                    + "classification (use an FM algorithm such as fm-sgd or fm-mcmc)");
        }
        List<String> set = new ArrayList<>();
        for (String s : algo.set) {
            if (s.trim().startsWith("task=")) {
                if (!s.trim().substring(5).trim().equalsIgnoreCase(value)) {
                    throw new IllegalArgumentException("--set " + s + " contradicts --task " + task);
                }
                continue;
            }
            set.add(s);
        }
        set.add("task=" + value);
        return a.parseConfig(Params.parse(set));
    }

    /** Ratings data with classification: ratings >= threshold become 1, others 0, on the scale 0..1. */
    Dataset apply(Dataset d) {
        if (!classification()) {
            return d;
        }
        if (threshold == null) {
            throw new IllegalArgumentException("--task classification needs --threshold T (ratings >= T are class 1)");
        }
        Interactions r = d.ratings();
        float[] v = new float[r.size()];
        double t = threshold;
        for (int i = 0; i < v.length; i++) {
            v[i] = r.values()[i] >= t ? 1f : 0f;
        }
        Interactions b = new Interactions(r.numUsers(), r.numItems(), r.users(), r.items(), v, r.sortedByUser());
        return new Dataset(d.name(), d.format(), d.source(), d.users(), d.items(), b, new RatingScale(0, 1),
                d.itemFeatures(), d.userFeatures(), d.itemTitles(), d.report());
    }
}
