package org.varec.train;

import java.util.List;
import org.varec.data.Interactions;

/**
 * Everything about a training run that is not a hyper-parameter: the seed, the explicit thread
 * count, who listens, optional validation ratings with the metrics to measure on them each epoch
 * (figures {@code val_rmse}, {@code val_ndcg@10}... by {@link ValidationProbe}), the stop rule,
 * and the selection (which figure is "better", and whether the best epoch's model is returned).
 * The same (data, config, seed, threads) gives the same model.
 *
 * @param validationMetrics metric names for {@link ValidationProbe} ({@code rmse}, {@code mae},
 *                          {@code nlpd}, {@code auc}, {@code ndcg@N}, {@code recall@N}, ...);
 *                          default {@code [rmse]}
 * @param selection         null: keep the last epoch's model
 * @param validationShare   when there are no validation ratings, the share of the training ratings
 *                          held out (at random, from the seed) as validation ratings: the model is then
 *                          trained on the rest (0: none)
 * @param plateau           null: the trainer's own step sizes; else the loop drops the step size
 *                          on a plateau of the selection figure, restarting from the best epoch
 *                          (needs a selection that restores the best model)
 */
public record TrainingContext(long seed, int threads, TrainingListener listener, Interactions validation,
                              List<String> validationMetrics, StopRule stopRule, Selection selection,
                              double validationShare, PlateauSchedule plateau) {
    public TrainingContext {
        org.varec.util.Parallel.checkThreads(threads);
        if (listener == null) {
            listener = TrainingListener.NONE;
        }
        if (stopRule == null) {
            stopRule = StopRule.NEVER;
        }
        validationMetrics = validationMetrics == null || validationMetrics.isEmpty() ? List.of("rmse")
                : List.copyOf(validationMetrics);
        if (validation != null && validation.size() == 0) {
            validation = null;
        }
        if (!(validationShare >= 0 && validationShare < 1)) {
            throw new IllegalArgumentException("validation share must be in [0, 1), got " + validationShare);
        }
    }

    public TrainingContext(long seed, int threads, TrainingListener listener, Interactions validation,
                           StopRule stopRule) {
        this(seed, threads, listener, validation, null, stopRule, null, 0, null);
    }

    /** Seed 42, one thread, no listener, no validation. */
    public static TrainingContext defaults() {
        return of(42, 1);
    }

    public static TrainingContext of(long seed, int threads) {
        return new TrainingContext(seed, threads, TrainingListener.NONE, null, null, StopRule.NEVER, null, 0, null);
    }

    public TrainingContext withListener(TrainingListener l) {
        return new TrainingContext(seed, threads, l, validation, validationMetrics, stopRule, selection, validationShare, plateau);
    }

    public TrainingContext withValidation(Interactions v) {
        return new TrainingContext(seed, threads, listener, v, validationMetrics, stopRule, selection, validationShare, plateau);
    }

    /** Validation ratings and the metrics to measure on them each epoch. */
    public TrainingContext withValidation(Interactions v, List<String> metrics) {
        return new TrainingContext(seed, threads, listener, v, metrics, stopRule, selection, validationShare, plateau);
    }

    public TrainingContext withStopRule(StopRule r) {
        return new TrainingContext(seed, threads, listener, validation, validationMetrics, r, selection, validationShare, plateau);
    }

    /** Holds out {@code share} of the training ratings as validation ratings when there are none. */
    public TrainingContext withValidationShare(double share) {
        return new TrainingContext(seed, threads, listener, validation, validationMetrics, stopRule, selection, share, plateau);
    }

    public TrainingContext withSelection(Selection s) {
        return new TrainingContext(seed, threads, listener, validation, validationMetrics, stopRule, s, validationShare, plateau);
    }

    /** The loop's step-size drop on a plateau of the selection figure (null: none). */
    public TrainingContext withPlateau(PlateauSchedule p) {
        return new TrainingContext(seed, threads, listener, validation, validationMetrics, stopRule, selection,
                validationShare, p);
    }
}
