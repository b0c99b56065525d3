package org.varec.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.varec.data.SparseDesign;
import org.varec.io.Version;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Trainer;
import org.varec.model.fm.FmPredictor;
import org.varec.model.fm.FmTrainer;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingListener;

/**
 * Trains an FM algorithm on one design matrix and measures it on another (libFM train and test
 * files, the design as is: no users, items or rating scale), as one run of an
 * {@link ExperimentResult} with protocol {@code libfm}. Only algorithms whose trainer is an
 * {@link FmTrainer} can run this way.
 */
public final class DesignExperiment {
    private DesignExperiment() {
    }

    /** The FM trainer of an algorithm and config, or an error naming the FM algorithms. */
    public static FmTrainer trainer(Algorithm<?, ?> algorithm, AlgorithmConfig config) {
        Trainer<?> t = algorithm.newTrainer(config);
        if (!(t instanceof FmTrainer fm)) {
            throw new IllegalArgumentException("algorithm " + algorithm.name()
                    + " cannot run on libFM design matrices; use an FM algorithm (fm-sgd, fm-als, fm-mcmc, ...)");
        }
        return fm;
    }

    /**
     * @param name           what to call the data in the result (e.g. the train file name)
     * @param classification whether targets are 0/1 classes (the config must say task=classification)
     */
    public static ExperimentResult run(Algorithm<?, ?> algorithm, AlgorithmConfig config, String name, String path,
                                       SparseDesign train, SparseDesign test, boolean classification, long seed,
                                       int threads, TrainingListener listener) {
        String startedAt = Instant.now().toString();
        FmTrainer trainer = trainer(algorithm, config);
        List<EpochReport> history = new ArrayList<>();
        TrainingListener recording = new TrainingListener() {
            @Override
            public void onStart(String algo, int planned) {
                listener.onStart(algo, planned);
            }

            @Override
            public void onEpoch(EpochReport report) {
                history.add(report);
                listener.onEpoch(report);
            }

            @Override
            public void onEnd(int epochs, boolean early) {
                listener.onEnd(epochs, early);
            }
        };
        TrainingContext ctx = TrainingContext.of(seed, threads).withListener(recording);
        long t0 = System.nanoTime();
        FmPredictor model = trainer.fitDesign(train, null, ctx);
        double fit = (System.nanoTime() - t0) / 1e9;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float t : train.targets()) {
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
        }
        long t1 = System.nanoTime();
        Map<String, Double> metrics = DesignEvaluator.evaluate(model, test, classification, lo, hi);
        double predict = (System.nanoTime() - t1) / 1e9;
        RunResult run = new RunResult("libfm", train.numRows(), test.numRows(), metrics, fit, predict,
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(), history);
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
