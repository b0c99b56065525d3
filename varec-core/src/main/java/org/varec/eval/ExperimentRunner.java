package org.varec.eval;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.Networks;
import org.varec.data.RatingMatrix;
import org.varec.data.split.Protocol;
import org.varec.data.split.Split;
import org.varec.io.Version;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.RatingModel;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;
import org.varec.train.TrainingResult;

/**
 * Runs algorithm x protocol x seed: for each split, trains, measures, and times; then summarises
 * every metric as mean and standard deviation over the splits.
 */
public final class ExperimentRunner {
    /** Hears about splits as they run (the CLI prints progress from it). */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void onSplitStart(int index, int total, Split split) {
        }

        /** Listener for the training of the split that just started. */
        default TrainingListener training() {
            return TrainingListener.NONE;
        }

        default void onSplitEnd(int index, int total, RunResult result) {
        }
    }

    private ExperimentRunner() {
    }

    /**
     * @param training seed, threads, validation metrics, stop rule and selection for every split
     *                 (its listener and validation data are replaced per split)
     */
    public static ExperimentResult run(Algorithm<?, ?> algorithm, AlgorithmConfig config, Dataset dataset,
                                       Protocol protocol, TrainingContext training, EvalOptions options,
                                       Listener listener) throws IOException {
        long seed = training.seed();
        int threads = training.threads();
        algorithm.requireInput(dataset);
        options.requireWithin(observedRange(dataset)); // before any training: an undefined metric is no result
        String startedAt = Instant.now().toString();
        List<Split> splits = protocol.splits(dataset, seed);
        List<RunResult> runs = new ArrayList<>();
        for (int s = 0; s < splits.size(); s++) {
            Split split = splits.get(s);
            listener.onSplitStart(s, splits.size(), split);
            RunResult r = runSplit(algorithm, config, dataset, split, training.withListener(listener.training()), options);
            runs.add(r);
            listener.onSplitEnd(s, splits.size(), r);
        }
        return new ExperimentResult(Version.get(), algorithm.name(), config.toMap(),
                ExperimentResult.DatasetInfo.of(dataset),
                protocol.spec(), seed, threads, startedAt, runs, summarize(runs), options.ranking());
    }

    /** Trains on one split and measures it on its test part (validation, when present, is given to the trainer). */
    public static RunResult runSplit(Algorithm<?, ?> algorithm, AlgorithmConfig config, Dataset dataset, Split split,
                                     TrainingContext training, EvalOptions options) {
        int threads = training.threads();
        resetPeakHeap();
        if (dataset.isNetwork() && !options.links()) {
            options = options.forLinks();
        }
        // a network trains on each training pair in both orientations (Networks); test pairs stay i < j
        Interactions trainRatings = dataset.isNetwork() ? Networks.mirror(split.train()) : split.train();
        RatingMatrix train = RatingMatrix.of(trainRatings);
        TrainingData data = new TrainingData(train, dataset.scale(), dataset.itemFeatures(), dataset.userFeatures());
        if (training.selection() != null && training.selection().figure().startsWith("val_")
                && split.validation() == null && training.validationShare() == 0) {
            throw new IllegalArgumentException("selecting on " + training.selection().figure() + " needs validation "
                    + "ratings, but split " + split.name() + " has none; use a protocol with a validation part "
                    + "(holdout:0.7,0.15,0.15 or subsample:P) or hold out a share of the training ratings");
        }
        TrainingContext ctx = training.withValidation(split.validation(), training.validationMetrics());
        TrainingResult<? extends RatingModel> result = algorithm.fit(config, data, ctx);
        RatingModel model = result.model();
        double fit = result.seconds();
        long t1 = System.nanoTime();
        Map<String, Double> metrics = Evaluator.evaluate(model, split.test(), trainRatings, split.foldIn(),
                dataset.scale(), options, threads);
        double predict = (System.nanoTime() - t1) / 1e9;
        return new RunResult(split.name(), split.train().size(), split.test().size(), metrics, fit, predict,
                peakHeap(), result.history(), result.modelEpoch(),
                result.stoppedEarly());
    }

    /** Mean and std per metric over runs, in the metrics' order of first appearance. */
    public static Map<String, Summary> summarize(List<RunResult> runs) {
        Map<String, Summary> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (RunResult r : runs) {
            for (String k : r.metrics().keySet()) {
                if (!names.contains(k)) {
                    names.add(k);
                }
            }
        }
        names.add("fit_seconds");
        names.add("predict_seconds");
        for (String name : names) {
            double[] v = runs.stream().mapToDouble(r -> switch (name) {
                case "fit_seconds" -> r.fitSeconds();
                case "predict_seconds" -> r.predictSeconds();
                default -> r.metrics().getOrDefault(name, Double.NaN);
            }).toArray();
            out.put(name, Summary.of(v));
        }
        return out;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of heap pools' peak usage since the last reset (an upper bound of the true peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The smallest and largest rating of the data (the declared scale may be unbounded). */
    static org.varec.data.RatingScale observedRange(Dataset d) {
        float[] v = d.ratings().values();
        if (v.length == 0) {
            return null;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new org.varec.data.RatingScale(lo, hi);
    }
}
