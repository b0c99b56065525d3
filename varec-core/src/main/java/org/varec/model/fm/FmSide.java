package org.varec.model.fm;

import java.util.Locale;
import org.varec.data.FeatureTable;
import org.varec.data.FmLayout;
import org.varec.train.TrainingData;

/**
 * Which side information an FM trained on ratings uses (parameter {@code side}, the same in all six
 * FM algorithms): {@code none} (user and item ids only: the default), {@code user} (plus user
 * features, e.g. demographics), {@code item} (plus item features, e.g. genres) or {@code both}.
 * Each feature group of a table becomes a group of the FM (its own prior in fm-mcmc and the
 * variational FMs); multi-valued groups get 1/count values.
 */
public enum FmSide {
    NONE, USER, ITEM, BOTH;

    public static FmSide parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "user" -> USER;
            case "item" -> ITEM;
            case "both" -> BOTH;
            default -> throw new IllegalArgumentException("parameter side must be none, user, item or both, got '" + s + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The layout of {@code data}'s (user, item) pairs with the side tables this setting asks for
     * ({@link FmModel#layout}); an error when the data has no such table.
     */
    public FmLayout layout(TrainingData data) {
        FeatureTable users = this == USER || this == BOTH ? required(data.userFeatures(), "user") : null;
        FeatureTable items = this == ITEM || this == BOTH ? required(data.itemFeatures(), "item") : null;
        return FmModel.layout(data.numUsers(), data.numItems(), users, items);
    }

    private FeatureTable required(FeatureTable t, String side) {
        if (t == null) {
            throw new IllegalArgumentException("side=" + label() + " needs " + side + " features, and the data has none"
                    + " (give them with --" + side + "-features FILE, or use another side)");
        }
        return t;
    }
}
