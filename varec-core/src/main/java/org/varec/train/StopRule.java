package org.varec.train;

import java.util.List;

/** Decides, after each epoch, whether training should stop before its planned epochs. */
@FunctionalInterface
public interface StopRule {
    StopRule NEVER = history -> false;

    boolean shouldStop(List<EpochReport> history);

    /**
     * Stops when figure {@code name} (lower is better, e.g. {@code val_rmse}) has not improved on
     * its best by more than {@code minDelta} for {@code patience} epochs.
     */
    static StopRule noImprovement(String name, int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        return history -> {
            double best = Double.POSITIVE_INFINITY;
            int bestAt = -1;
            for (int e = 0; e < history.size(); e++) {
                double v = history.get(e).figure(name);
                if (!Double.isNaN(v) && v < best - minDelta) {
                    best = v;
                    bestAt = e;
                }
            }
            return bestAt >= 0 && history.size() - 1 - bestAt >= patience;
        };
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
