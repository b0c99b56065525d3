package org.varec.model;

import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

/**
 * Learns a model from training data. A trainer is built from one config; it reports one
 * {@link org.varec.train.EpochReport} per epoch through the context's listener.
 */
@FunctionalInterface
public interface Trainer<M extends RatingModel> {
    M fit(TrainingData data, TrainingContext context);
}
