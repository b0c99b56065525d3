package org.varec.model;

import java.util.Objects;
import org.varec.data.IdIndex;
import org.varec.data.ItemCatalog;
import org.varec.data.RatingScale;
import org.varec.io.Provenance;

/**
 * A model together with what it needs to serve people: the id indices that map external user and
 * item ids to the model's dense indices, the rating scale predictions are clamped to, the item
 * catalog (titles, genres) and provenance. This is what a model file holds.
 */
public record TrainedModel(RatingModel model, AlgorithmConfig config, IdIndex users, IdIndex items,
                           RatingScale scale, ItemCatalog catalog, Provenance provenance) {
    public TrainedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(provenance, "provenance");
        if (model.numItems() != items.size()) {
            throw new IllegalArgumentException("model has " + model.numItems() + " items, index " + items.size());
        }
        if (catalog != null && catalog.size() != items.size()) {
            throw new IllegalArgumentException("catalog has " + catalog.size() + " items, index " + items.size());
        }
    }

    public String algorithm() {
        return model.algorithm();
    }

    /** Predicted rating for external ids, clamped to the scale; unknown ids fall back as the model defines. */
    public double predict(String user, String item) {
        return scale.clamp(model.predict(users.indexOf(user), items.indexOf(item)));
    }

    /** The state of an external user id (an unknown id gives the model's unknown-user state). */
    public UserState user(String user) {
        return model.user(users.indexOf(user));
    }

    public String title(int item) {
        String t = catalog == null ? null : catalog.title(item);
        return t == null ? items.externalId(item) : t;
    }
}
