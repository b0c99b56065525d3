package org.varec.model;

/**
 * A model that knows how sure it is: a predictive mean and variance per (user, item). Evaluation
 * adds interval coverage and negative log predictive density for such models.
 */
public interface ProbabilisticModel extends RatingModel {
    Predictive predictive(int user, int item);

    Predictive predictive(UserState user, int item);

    /**
     * Whether {@link #predict(int, int)} and {@link #predict(UserState, int)} are, bit for bit, the
     * means of {@link #predictive(int, int)} and {@link #predictive(UserState, int)}: an evaluation
     * that needs both then computes the predictive distribution once (for fm-mcmc, a pass over every
     * kept sample per rating). False unless the model says so; the registry-wide model test holds
     * every model that says so to it.
     */
    default boolean predictsPredictiveMean() {
        return false;
    }
}
