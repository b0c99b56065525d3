package org.varec.train;

/**
 * The loop's step-size schedule on a plateau of the selection figure: when the figure has not
 * improved for {@code patience} epochs (counted from the best epoch, or from the latest drop if
 * that came later), the loop hands the best epoch's model back to the trainer, which continues
 * from it with its step size times {@code factor} ({@link EpochTrainer#restart}). This is the
 * "newbob" schedule of speech recognition (reject the epochs that made validation worse, halve
 * the step; QuickNet, Kaldi) and Keras' ReduceLROnPlateau with a return to the best weights.
 * Driven by the loop's validation figures, so trainers never see validation data; the caller's
 * stop rule still ends the run (its patience counts the rejected epochs too).
 *
 * @param patience epochs without improvement before a drop (>= 1)
 * @param factor   step-size factor of a drop, in (0, 1)
 */
public record PlateauSchedule(int patience, double factor) {
    public PlateauSchedule {
        if (patience < 1) {
            throw new IllegalArgumentException("step-size patience must be >= 1, got " + patience);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("step-size factor must be in (0, 1), got " + factor);
        }
    }

    /** Whether the step should drop after {@code epoch}, the best being {@code bestEpoch} and the latest drop after {@code lastDrop} (0: none). */
    boolean dropsAfter(int epoch, int bestEpoch, int lastDrop) {
        return bestEpoch > 0 && epoch - Math.max(bestEpoch, lastDrop) >= patience;
    }
}
