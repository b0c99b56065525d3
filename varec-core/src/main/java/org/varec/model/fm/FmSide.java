package org.varec.model.fm;

import java.util.Locale;
import org.varec.data.FeatureTable;
import org.varec.train.TrainingData;

/**
 * Which side information an FM trained on ratings uses (parameter {@code side}): {@code none}
 * (user and item ids only: the default), {@code user} (plus user features, e.g. demographics),
 * {@code item} (plus item features, e.g. genres) or {@code both}. Each feature group of a table
 * becomes a group of the FM (its own prior in fm-mcmc); multi-valued groups get 1/count values.
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

    /** The user table to use (null when not asked for or the data has none). */
    public FeatureTable users(TrainingData d) {
        return this == USER || this == BOTH ? d.userFeatures() : null;
    }

    public FeatureTable items(TrainingData d) {
        return this == ITEM || this == BOTH ? d.itemFeatures() : null;
    }

    /** libFM's {@code regular}: one value for all, or {@code r0,r1,r2} (global bias, linear, factors). */
    static double[] parseRegular(String s) {
        String[] parts = s.split(",");
        double[] r = new double[3];
        try {
            if (parts.length == 1) {
                java.util.Arrays.fill(r, Double.parseDouble(parts[0].trim()));
            } else if (parts.length == 3) {
                for (int i = 0; i < 3; i++) {
                    r[i] = Double.parseDouble(parts[i].trim());
                }
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter regular must be r or r0,r1,r2 (numbers >= 0), got '" + s + "'");
        }
        for (double v : r) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("parameter regular must be r or r0,r1,r2 (numbers >= 0), got '" + s + "'");
            }
        }
        return r;
    }

    static String formatRegular(double[] r) {
        return r[0] == r[1] && r[1] == r[2] ? Double.toString(r[0]) : r[0] + "," + r[1] + "," + r[2];
    }
}
