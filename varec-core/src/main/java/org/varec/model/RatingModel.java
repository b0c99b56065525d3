package org.varec.model;

import java.io.DataOutput;
import java.io.IOException;

/**
 * A trained, immutable, servable rating model over dense user and item indices. Predictions for
 * a user or item index outside the trained range (-1 included) fall back to what the model knows
 * without it (e.g. the global mean plus the known bias).
 *
 * <p>Implementations are thread-safe for reading.
 */
public interface RatingModel extends org.varec.io.ModelIo.ParameterWriter {
    /** Registry name of the algorithm that produced the model, e.g. {@code biases}. */
    String algorithm();

    int numUsers();

    int numItems();

    /** Predicted rating of trained user {@code user} for item {@code item} (unclamped). */
    double predict(int user, int item);

    /** State of trained user {@code user} (or of an unknown user when out of range). */
    UserState user(int user);

    /**
     * Folds in a new user from a few (item, rating) pairs with the item side fixed: no retraining.
     * Items outside the trained range are ignored.
     */
    UserState foldIn(int[] items, float[] ratings);

    /** Predicted rating of any user state for {@code item}. */
    double predict(UserState user, int item);

    /**
     * Scores of {@code user} for every item into {@code out} (length {@link #numItems()}), for
     * ranking. The default calls {@link #predict(UserState, int)} per item; models override it
     * with a tighter loop.
     */
    default void scoreAll(UserState user, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = predict(user, i);
        }
    }

    /** Writes the model's parameters (not ids or provenance: the model file adds those). */
    @Override
    void writeParameters(DataOutput out) throws IOException;
}
