package org.varec.recommend;

import org.varec.model.FactorModel;
import org.varec.model.RatingModel;
import org.varec.model.UserState;

/**
 * What top-N lists rank by. For a {@link FactorModel} it is "Matrix Factorization in Action"
 * section 5.3's score {@code u . v_i + alpha * b_i}: the taste match plus a small share of the
 * item's bias, so that lists are personal rather than a popularity chart (the full bias,
 * {@code alpha = 1}, ranks like the predicted rating minus the user's constant terms). The paper
 * settled on {@code alpha = 0.02}, our default. Any other model ranks by its predicted rating.
 */
public final class RankingScore {
    /** The paper's choice of alpha. */
    public static final double DEFAULT_ALPHA = 0.02;

    private RankingScore() {
    }

    /** Ranking scores of {@code user} for every item into {@code out} (length {@code numItems}). */
    public static void scoreAll(RatingModel model, UserState user, double alpha, double[] out) {
        if (!(model instanceof FactorModel fm)) {
            model.scoreAll(user, out);
            return;
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number >= 0, got " + alpha);
        }
        int k = fm.rank();
        float[] u = fm.userVector(user);
        float[] v = fm.itemFactors();
        float[] b = fm.itemBiases();
        int n = Math.min(out.length, fm.numItems());
        for (int i = 0; i < n; i++) {
            int base = i * k;
            double s = 0;
            for (int f = 0; f < k; f++) {
                s += u[f] * v[base + f];
            }
            out[i] = b == null ? s : s + alpha * b[i];
        }
    }
}
