package org.varec.train;

import java.util.List;

/**
 * What the loop returns: the model, the history it recorded (one report per epoch run, the only
 * copy: it goes into the model file's provenance and the results JSON), whether a stop rule ended
 * the run early, the epoch whose model was returned (the last one, or the best one under
 * selection), and the wall seconds of the whole run.
 */
public record TrainingResult<M>(M model, List<EpochReport> history, boolean stoppedEarly, int modelEpoch,
                                double seconds) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Epochs run. */
    public int epochs() {
        return history.size();
    }
}
