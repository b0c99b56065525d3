package org.varec.model;

import org.varec.train.EpochTrainer;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Learns a model from training data, built from one config. A trainer only prepares a run
 * ({@link #start}: validate the data, allocate and initialise parameters) and says how to do one
 * epoch and what the current model is ({@link EpochTrainer}); the shared loop
 * ({@link Training}) does the rest: timing, listeners, validation probes, stop rules, selection,
 * history.
 */
public interface Trainer<M extends RatingModel> {
    /** Registry name of the algorithm (announced to listeners). */
    String name();

    /**
     * Prepares one run on {@code data}. Randomness comes from {@code seed} only; parallel work runs
     * on {@code pool} (whose thread count, with the seed, fixes the result). Never opens a pool of
     * its own.
     */
    EpochTrainer<M> start(TrainingData data, long seed, Parallel pool);

    /** Trains through the shared loop and returns the model (the history is in {@link Training#fit}'s result). */
    default M fit(TrainingData data, TrainingContext ctx) {
        return Training.fit(this, data, ctx, null).model();
    }
}
