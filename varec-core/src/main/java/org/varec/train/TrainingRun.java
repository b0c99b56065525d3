package org.varec.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The bookkeeping every trainer shares: announces the start, records each epoch's report,
 * forwards it to the listener, asks the stop rule, and hands the history to the model.
 */
public final class TrainingRun {
    private final TrainingContext context;
    private final List<EpochReport> history = new ArrayList<>();
    private boolean stoppedEarly;
    private boolean finished;

    public TrainingRun(String algorithm, int plannedEpochs, TrainingContext context) {
        this.context = context;
        context.listener().onStart(algorithm, plannedEpochs);
    }

    /** Records an epoch; returns true when the stop rule says to stop now. */
    public boolean epoch(EpochReport report) {
        history.add(report);
        context.listener().onEpoch(report);
        if (context.stopRule().shouldStop(List.copyOf(history))) {
            stoppedEarly = true;
            return true;
        }
        return false;
    }

    /** Announces the end (idempotent) and returns the history. */
    public List<EpochReport> finish() {
        if (!finished) {
            finished = true;
            context.listener().onEnd(history.size(), stoppedEarly);
        }
        return List.copyOf(history);
    }

    public List<EpochReport> history() {
        return List.copyOf(history);
    }
}
