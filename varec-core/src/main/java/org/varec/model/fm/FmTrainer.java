package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.model.RatingModel;
import org.varec.model.Trainer;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.StopRule;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * The one design pipeline of the six FM trainers (fm-sgd, fm-als, fm-mcmc, vfm, vbfm, ovbfm). An
 * algorithm supplies a run on a design matrix ({@link #run}: an {@link EpochTrainer} whose
 * snapshots are {@link FmPredictor}s) and how a predictor becomes its rating model
 * ({@link #ratingModel}); the rest is here, once:
 * <ul>
 * <li>on ratings ({@link #start}): the {@code side} setting picks the feature tables
 *     ({@link FmSide#layout}), the {@link FmLayout} lays the rating matrix out as a design matrix once,
 *     straight from its user-major arrays, and the run's snapshots and result are wrapped as the
 *     rating model (the layout's rows plus the predictor: {@link FmModel} or {@link VfmModel});</li>
 * <li>on a design matrix as it is ({@link #startDesign}, libFM files): the same run, its predictors
 *     unwrapped.</li>
 * </ul>
 * The shared loop ({@link org.varec.train.Training}) drives both; for the same design, seed and
 * thread count the predictor is the same on either path.
 *
 * @param <P> the predictor of a run ({@link FmSamples} or {@link VfmPosterior})
 * @param <M> the rating model wrapping it
 */
public abstract class FmTrainer<P extends FmPredictor, M extends RatingModel> implements Trainer<M>, FmDesignTrainer {
    private final String name;
    private final FmSide side;

    FmTrainer(String name, FmSide side) {
        this.name = name;
        this.side = side;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * Prepares a run on {@code train}. {@code numGroups} is the number of feature groups (at least
     * 1 + the largest group id; a layout may declare groups that hold no feature).
     */
    abstract EpochTrainer<P> run(SparseDesign train, int numGroups, long seed, Parallel pool);

    /** How a predictor trained on rows of {@code layout} becomes the rating model (called once per run). */
    abstract Function<P, M> ratingModel(FmLayout layout);

    @Override
    public final EpochTrainer<M> start(TrainingData data, long seed, Parallel pool) {
        FmLayout layout = side.layout(data);
        EpochTrainer<P> run = run(layout.design(data.ratings()), layout.numGroups(), seed, pool);
        return new Wrapped<>(run, ratingModel(layout));
    }

    @Override
    public final EpochTrainer<FmPredictor> startDesign(SparseDesign train, long seed, Parallel pool) {
        return new Wrapped<>(run(train, numGroups(train), seed, pool), p -> p);
    }

    /** 1 + the largest group id of the design's features (1 when it has no groups). */
    static int numGroups(SparseDesign d) {
        int g = 1;
        if (d.featureGroups() != null) {
            for (int x : d.featureGroups()) {
                g = Math.max(g, x + 1);
            }
        }
        return g;
    }

    /** The longest row of the design (at least 1, to size scratch arrays). */
    static int maxRowLength(SparseDesign d) {
        int[] off = d.offsets();
        int m = 1;
        for (int r = 0; r + 1 < off.length; r++) {
            m = Math.max(m, off[r + 1] - off[r]);
        }
        return m;
    }

    /** Fails unless every target is 0 or 1 (classification). */
    static void checkBinary(SparseDesign d) {
        for (float t : d.targets()) {
            if (t != 0f && t != 1f) {
                throw new IllegalArgumentException("task=classification needs targets 0 or 1, found " + t
                        + " (use --task classification --threshold T to binarize ratings)");
            }
        }
    }

    /** A run whose snapshots and result are those of another run, wrapped (null stays null). */
    private static final class Wrapped<P, M> implements EpochTrainer<M> {
        private final EpochTrainer<P> run;
        private final Function<? super P, ? extends M> wrap;

        Wrapped(EpochTrainer<P> run, Function<? super P, ? extends M> wrap) {
            this.run = run;
            this.wrap = wrap;
        }

        @Override
        public int plannedEpochs() {
            return run.plannedEpochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            run.epoch(epoch, figures);
        }

        @Override
        public M snapshot() {
            P p = run.snapshot();
            return p == null ? null : wrap.apply(p);
        }

        @Override
        public M result(int epochs) {
            return wrap.apply(run.result(epochs));
        }

        @Override
        public StopRule convergence() {
            return run.convergence();
        }
    }
}
