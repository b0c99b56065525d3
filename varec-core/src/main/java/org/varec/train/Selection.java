package org.varec.train;

import java.util.Locale;

/**
 * Which epoch report figure decides "better", in which direction, and whether the loop returns
 * the model of the best epoch instead of the last one.
 *
 * @param figure        the figure, e.g. {@code val_rmse}, {@code val_ndcg@10}, {@code elbo}
 * @param higherIsBetter its direction ({@link #of} infers it from the name)
 * @param restoreBest   return the best epoch's model (needs a way to copy snapshots)
 */
public record Selection(String figure, boolean higherIsBetter, boolean restoreBest) {
    public Selection {
        if (figure == null || figure.isBlank()) {
            throw new IllegalArgumentException("selection figure must be named");
        }
    }

    /**
     * A selection on {@code figure}, direction from its name: errors, losses and densities' negative
     * logs ({@code rmse}, {@code mae}, {@code nlpd}, {@code loss}) are lower-is-better; ranking and
     * classification scores and the ELBO ({@code ndcg@N}, {@code recall@N}, {@code precision@N},
     * {@code auc}, {@code acc}, {@code map}, {@code elbo}, {@code loglik}, {@code coverage...}) are higher-is-better.
     */
    public static Selection of(String figure, boolean restoreBest) {
        return new Selection(figure, higherIsBetter(figure), restoreBest);
    }

    /** The direction of a figure by its name; an error for a name whose direction is unknown. */
    public static boolean higherIsBetter(String figure) {
        String f = figure.toLowerCase(Locale.ROOT);
        String base = f.startsWith("val_") ? f.substring(4) : f.startsWith("train_") ? f.substring(6) : f;
        int at = base.indexOf('@');
        if (at >= 0) {
            base = base.substring(0, at);
        }
        return switch (base) {
            case "rmse", "mae", "nlpd", "loss", "objective" -> false;
            case "ndcg", "recall", "precision", "auc", "acc", "map", "elbo", "loglik" -> true;
            default -> throw new IllegalArgumentException("cannot tell whether higher or lower " + figure
                    + " is better; select on rmse, mae, nlpd, loss, ndcg@N, recall@N, precision@N, auc, acc, map, elbo or loglik");
        };
    }

    /** Whether {@code a} is better than {@code b} by more than {@code minDelta}. */
    public boolean better(double a, double b, double minDelta) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return higherIsBetter ? a > b + minDelta : a < b - minDelta;
    }
}
