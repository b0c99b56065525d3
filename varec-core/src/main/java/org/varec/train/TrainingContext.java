package org.varec.train;

import org.varec.data.Interactions;

/**
 * Everything about a training run that is not a hyper-parameter: the seed, the explicit thread
 * count, who listens, optional validation ratings (trainers then report {@code val_rmse} per
 * epoch) and the stop rule. The same (data, config, seed, threads) gives the same model.
 */
public record TrainingContext(long seed, int threads, TrainingListener listener, Interactions validation,
                              StopRule stopRule) {
    public TrainingContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (listener == null) {
            listener = TrainingListener.NONE;
        }
        if (stopRule == null) {
            stopRule = StopRule.NEVER;
        }
    }

    /** Seed 42, one thread, no listener, no validation. */
    public static TrainingContext defaults() {
        return new TrainingContext(42, 1, TrainingListener.NONE, null, StopRule.NEVER);
    }

    public static TrainingContext of(long seed, int threads) {
        return new TrainingContext(seed, threads, TrainingListener.NONE, null, StopRule.NEVER);
    }

    public TrainingContext withListener(TrainingListener l) {
        return new TrainingContext(seed, threads, l, validation, stopRule);
    }

    public TrainingContext withValidation(Interactions v) {
        return new TrainingContext(seed, threads, listener, v, stopRule);
    }

    public TrainingContext withStopRule(StopRule r) {
        return new TrainingContext(seed, threads, listener, validation, r);
    }
}
