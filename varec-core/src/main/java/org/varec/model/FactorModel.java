package org.varec.model;

/**
 * A rating model built on user and item latent factors: {@code r_ui ~ mu + b_u + b_i + u . v}.
 * Recommendation features that look inside the factors (polarizing items by {@code ||v_i||},
 * similar items by cosine, embedding maps, cold-start scoring with an item-bias weight) work on
 * any model that implements it, whatever trained it (ALS, SGD, SVD, variational Bayes...).
 *
 * <p>Arrays are row-major ({@code itemFactors()[i * rank() + f]}) and returned without copying:
 * callers must not modify them.
 */
public interface FactorModel extends RatingModel {
    /** Number of latent dimensions K. */
    int rank();

    /** Item factors, {@code numItems() x rank()} row-major (for Bayesian models: posterior means). */
    float[] itemFactors();

    /** User factors, {@code numUsers() x rank()} row-major (for Bayesian models: posterior means). */
    float[] userFactors();

    /** Item biases (length {@code numItems()}), or null when the model has none. */
    float[] itemBiases();

    /** Global offset mu (0 when the model has none). */
    double globalMean();

    /** The latent vector of a user state (trained or folded in), length {@link #rank()}; a copy. */
    float[] userVector(UserState user);
}
