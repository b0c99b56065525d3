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

    /**
     * Progress within a long epoch (one that has run at least {@link Training#PROGRESS_AFTER_MILLIS}
     * ms), at most every so often: {@code rows} of work done so far in epoch {@code epoch} (rows
     * solved by the run's thread pool: users, items...), and {@code rowsPerEpoch} the rows the previous
     * epoch took (0 in the first: the share done is not known yet). The one call that may come
     * from a worker thread, never two at a time.
     */
    default void onEpochProgress(int epoch, long rows, long rowsPerEpoch) {
    }

    /** Training ended after {@code epochs} epochs ({@code stoppedEarly} when a stop rule fired). */
    default void onEnd(int epochs, boolean stoppedEarly) {
    }
}
