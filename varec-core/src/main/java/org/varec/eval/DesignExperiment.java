package org.varec.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.varec.data.SparseDesign;
import org.varec.io.Version;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.fm.FmDesignTrainer;
import org.varec.model.fm.FmPredictor;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingListener;
import org.varec.train.TrainingResult;
import org.varec.util.Parallel;

/**
 * Trains an FM algorithm on one design matrix and measures it on another (libFM train and test
 * files, the design as is: no users, items or rating scale), as one run of an
 * {@link ExperimentResult} with protocol {@code libfm}. Only algorithms registered with a design
 * trainer ({@link Algorithm#trainsOnDesigns()}) can run this way.
 */
public final class DesignExperiment {
    private DesignExperiment() {
    }

    /**
     * @param name           what to call the data in the result (e.g. the train file name)
     * @param classification whether targets are 0/1 classes (the config must say task=classification)
     */
    public static ExperimentResult run(Algorithm<?, ?> algorithm, AlgorithmConfig config, String name, String path,
                                       SparseDesign train, SparseDesign test, boolean classification, long seed,
                                       int threads, TrainingListener listener) {
        String startedAt = Instant.now().toString();
        FmDesignTrainer trainer = algorithm.designTrainer(config);
        TrainingContext ctx = TrainingContext.of(seed, threads).withListener(listener);
        TrainingResult<FmPredictor> result;
        long t0 = System.nanoTime();
        double fit;
        Map<String, Double> metrics;
        double predict;
        try (Parallel pool = new Parallel(threads)) {
            result = Training.run(trainer.name(), trainer.startDesign(train, seed, pool), ctx, null, null, pool);
            fit = (System.nanoTime() - t0) / 1e9;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (float t : train.targets()) {
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
            long t1 = System.nanoTime();
            metrics = DesignEvaluator.evaluate(result.model(), test, classification, lo, hi, pool);
            predict = (System.nanoTime() - t1) / 1e9;
        }
        RunResult run = new RunResult("libfm", train.numRows(), test.numRows(), metrics, fit, predict,
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(), result.history(),
                result.modelEpoch(), result.stoppedEarly());
        List<RunResult> runs = List.of(run);
        return new ExperimentResult(Version.get(), algorithm.name(), config.toMap(),
                new ExperimentResult.DatasetInfo(name, path, 0, train.numFeatures(), train.numRows()) /* users 0, items = features */, "libfm", seed,
                threads, startedAt, runs, ExperimentRunner.summarize(runs));
    }

    /**
     * The two designs over one feature space: both widened to the larger feature count (and to the
     * group file's length), with {@code groups} (may be null) padded with group 0.
     */
    public static SparseDesign[] align(SparseDesign train, SparseDesign test, int[] groups) {
        int p = Math.max(train.numFeatures(), test.numFeatures());
        if (groups != null) {
            p = Math.max(p, groups.length);
        }
        int[] g = groups == null ? null : java.util.Arrays.copyOf(groups, p);
        return new SparseDesign[] {widen(train, p, g), widen(test, p, g)};
    }

    private static SparseDesign widen(SparseDesign d, int p, int[] groups) {
        return new SparseDesign(d.targets(), d.offsets(), d.features(), d.values(), p, groups);
    }

    /** The design with targets {@code >= threshold} as 1 and others 0 (or, with a null threshold, libFM's rule: {@code > 0}). */
    public static SparseDesign binarize(SparseDesign d, Double threshold) {
        float[] t = new float[d.numRows()];
        for (int r = 0; r < t.length; r++) {
            float v = d.targets()[r];
            t[r] = (threshold == null ? v > 0 : v >= threshold) ? 1f : 0f;
        }
        return new SparseDesign(t, d.offsets(), d.features(), d.values(), d.numFeatures(), d.featureGroups());
    }
}
