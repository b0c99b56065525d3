package org.varec.train;

import java.util.Objects;
import org.varec.data.FeatureTable;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;

/**
 * What a trainer learns from: the training ratings in both orientations, the declared scale and
 * optional side information (rows indexed like the rating matrix).
 */
public record TrainingData(RatingMatrix ratings, RatingScale scale, FeatureTable itemFeatures,
                           FeatureTable userFeatures) {
    public TrainingData {
        Objects.requireNonNull(ratings, "ratings");
        Objects.requireNonNull(scale, "scale");
    }

    public static TrainingData of(Interactions train, RatingScale scale) {
        return new TrainingData(RatingMatrix.of(train), scale, null, null);
    }

    public int numUsers() {
        return ratings.numUsers();
    }

    public int numItems() {
        return ratings.numItems();
    }
}
