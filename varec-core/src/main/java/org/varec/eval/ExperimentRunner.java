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
import org.varec.data.RatingMatrix;
import org.varec.data.split.Protocol;
import org.varec.data.split.Split;
import org.varec.io.Version;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.RatingModel;
import org.varec.train.StopRule;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;

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

    public static ExperimentResult run(Algorithm<?, ?> algorithm, AlgorithmConfig config, Dataset dataset,
                                       Protocol protocol, long seed, int threads, EvalOptions options,
                                       StopRule stopRule, Listener listener) throws IOException {
        String startedAt = Instant.now().toString();
        List<Split> splits = protocol.splits(dataset, seed);
        List<RunResult> runs = new ArrayList<>();
        for (int s = 0; s < splits.size(); s++) {
            Split split = splits.get(s);
            listener.onSplitStart(s, splits.size(), split);
            RunResult r = runSplit(algorithm, config, dataset, split, seed, threads, options, stopRule, listener.training());
            runs.add(r);
            listener.onSplitEnd(s, splits.size(), r);
        }
        return new ExperimentResult(Version.get(), algorithm.name(), config.toMap(),
                new ExperimentResult.DatasetInfo(dataset.name(), String.valueOf(dataset.source()), dataset.numUsers(),
                        dataset.numItems(), dataset.numRatings()),
                protocol.spec(), seed, threads, startedAt, runs, summarize(runs));
    }

    /** Trains on one split and measures it on its test part (validation, when present, is given to the trainer). */
    public static RunResult runSplit(Algorithm<?, ?> algorithm, AlgorithmConfig config, Dataset dataset, Split split,
                                     long seed, int threads, EvalOptions options, StopRule stopRule,
                                     TrainingListener trainingListener) {
        resetPeakHeap();
        RatingMatrix train = RatingMatrix.of(split.train());
        TrainingData data = new TrainingData(train, dataset.scale(), dataset.itemFeatures(), dataset.userFeatures());
        List<org.varec.train.EpochReport> history = new ArrayList<>();
        TrainingListener recording = new TrainingListener() {
            @Override
            public void onStart(String algo, int planned) {
                trainingListener.onStart(algo, planned);
            }

            @Override
            public void onEpoch(org.varec.train.EpochReport report) {
                history.add(report);
                trainingListener.onEpoch(report);
            }

            @Override
            public void onEnd(int epochs, boolean early) {
                trainingListener.onEnd(epochs, early);
            }
        };
        TrainingContext ctx = new TrainingContext(seed, threads, recording, split.validation(), stopRule);
        long t0 = System.nanoTime();
        RatingModel model = algorithm.fit(config, data, ctx);
        double fit = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Map<String, Double> metrics = Evaluator.evaluate(model, split.test(), split.train(), dataset.scale(), options,
                threads);
        double predict = (System.nanoTime() - t1) / 1e9;
        return new RunResult(split.name(), split.train().size(), split.test().size(), metrics, fit, predict,
                peakHeap(), history);
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
}
