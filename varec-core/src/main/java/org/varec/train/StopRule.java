package org.varec.train;

import java.util.List;

/** Decides, after each epoch, whether training should stop before its planned epochs. */
@FunctionalInterface
public interface StopRule {
    StopRule NEVER = history -> false;

    boolean shouldStop(List<EpochReport> history);

    /** Stops when either rule says so. */
    default StopRule or(StopRule other) {
        return history -> shouldStop(history) || other.shouldStop(history);
    }

    /**
     * Stops when figure {@code name} (lower is better, e.g. {@code val_rmse}) has not improved on
     * its best by more than {@code minDelta} for {@code patience} epochs.
     */
    static StopRule noImprovement(String name, int patience, double minDelta) {
        return noImprovement(new Selection(name, false, false), patience, minDelta);
    }

    /**
     * Stops when the selection's figure has not improved on its best (in the selection's
     * direction) by more than {@code minDelta} for {@code patience} epochs. Epochs without the
     * figure (e.g. MCMC burn-in) neither improve nor count as the best.
     */
    static StopRule noImprovement(Selection selection, int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        return history -> {
            int bestAt = bestEpochIndex(history, selection, minDelta);
            return bestAt >= 0 && history.size() - 1 - bestAt >= patience;
        };
    }

    /** Index in {@code history} of the first epoch that no later one beat by more than {@code minDelta}; -1 when none has the figure. */
    static int bestEpochIndex(List<EpochReport> history, Selection selection, double minDelta) {
        double best = Double.NaN;
        int bestAt = -1;
        for (int e = 0; e < history.size(); e++) {
            double v = history.get(e).figure(selection.figure());
            if (!Double.isNaN(v) && (bestAt < 0 || selection.better(v, best, minDelta))) {
                best = v;
                bestAt = e;
            }
        }
        return bestAt;
    }

    /**
     * Stops when the relative change of figure {@code name} between two epochs falls below
     * {@code epsilon} (e.g. ELBO convergence {@code |dELBO| / |ELBO| < eps}).
     */
    static StopRule relativeChange(String name, double epsilon) {
        return history -> {
            int n = history.size();
            if (n < 2) {
                return false;
            }
            double a = history.get(n - 2).figure(name);
            double b = history.get(n - 1).figure(name);
            return Math.abs(b - a) <= epsilon * Math.max(Math.abs(b), 1e-300);
        };
    }
}
