package org.varec.model;

import java.util.Objects;
import org.varec.data.IdIndex;
import org.varec.data.ItemCatalog;
import org.varec.data.RatingScale;
import org.varec.data.SeenItems;
import org.varec.io.Provenance;

/**
 * A model together with what it needs to serve people: the id indices that map external user and
 * item ids to the model's dense indices, the rating scale predictions are clamped to, the item
 * catalog (titles, genres), the items each trained user has rated (left out of top-N lists; may
 * be null) and provenance. This is what a model file holds.
 */
public record TrainedModel(RatingModel model, AlgorithmConfig config, IdIndex users, IdIndex items,
                           RatingScale scale, ItemCatalog catalog, SeenItems seen, Provenance provenance) {
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
        if (seen != null && seen.numUsers() != users.size()) {
            throw new IllegalArgumentException("seen items cover " + seen.numUsers() + " users, index " + users.size());
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

    /**
     * The top {@code n} items for trained external user {@code user}, leaving out what they rated,
     * ranked with the default item-bias weight ({@link org.varec.recommend.RankingScore}).
     */
    public java.util.List<org.varec.recommend.Recommendation> recommend(String user, int n) {
        return recommend(user, n, org.varec.recommend.RankingScore.DEFAULT_ALPHA);
    }

    /** As {@link #recommend(String, int)} with item-bias weight {@code alpha} (factor models only). */
    public java.util.List<org.varec.recommend.Recommendation> recommend(String user, int n, double alpha) {
        int u = users.indexOf(user);
        if (u < 0) {
            throw new IllegalArgumentException("unknown user '" + user + "' (fold in a new user from ratings instead)");
        }
        return org.varec.recommend.TopN.recommend(model, model.user(u), n, seen == null ? null : seen.of(u), alpha);
    }

    public String title(int item) {
        String t = catalog == null ? null : catalog.title(item);
        return t == null ? items.externalId(item) : t;
    }
}
