package org.varec.model;

/**
 * A model that knows how sure it is: a predictive mean and variance per (user, item). Evaluation
 * adds interval coverage and negative log predictive density for such models.
 */
public interface ProbabilisticModel extends RatingModel {
    Predictive predictive(int user, int item);

    Predictive predictive(UserState user, int item);
}
