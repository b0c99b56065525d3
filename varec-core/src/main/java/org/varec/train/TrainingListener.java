package org.varec.train;

/**
 * Receives training progress. Nothing in varec-core prints: the CLI renders progress bars and
 * per-epoch lines from these calls. Calls come from the training thread, in order.
 */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    /** Training of {@code algorithm} starts; {@code plannedEpochs} may be 0 when unknown. */
    default void onStart(String algorithm, int plannedEpochs) {
    }

    default void onEpoch(EpochReport report) {
    }

    /** Training ended after {@code epochs} epochs ({@code stoppedEarly} when a stop rule fired). */
    default void onEnd(int epochs, boolean stoppedEarly) {
    }
}
