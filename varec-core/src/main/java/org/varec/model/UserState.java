package org.varec.model;

/**
 * A user as a model sees it: either a trained user or one folded in from a few ratings without
 * retraining. Each model has its own implementation (a bias, a factor row, a posterior...).
 */
public interface UserState {
    /** Dense index of a trained user, or -1 for a folded-in one. */
    int user();
}
