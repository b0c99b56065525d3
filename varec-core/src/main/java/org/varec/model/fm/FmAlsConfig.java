package org.varec.model.fm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.Task;

/**
 * fm-als: a factorization machine by alternating least squares / coordinate descent (libFM's
 * {@code -method als}), regression only; see {@link FmAlsTrainer}. libFM's {@code dim} is accepted
 * as an alias of {@code rank}.
 */
public record FmAlsConfig(
        @Param(value = "8", min = "0", max = "10000", aliases = "dim",
                doc = "k, the factor dimension (0: a linear model)") int rank,
        @Param(value = "20", min = "1", max = "1000000", doc = "sweeps over all parameters") int iterations,
        @Param(value = "0.1", min = "0", max = "100", doc = "standard deviation of the initial factors")
        double initStdev,
        @Param(value = "0,10,10", doc = "L2 penalties on the sum of squared errors (libFM syntax): r for all, "
                + "or r0,r1,r2 (global bias, linear weights, factors)") String regular,
        @Param(value = "regression", choices = "regression",
                doc = "regression only (fm-sgd and fm-mcmc also classify)") Task task,
        @Param(value = "none", doc = "side information: none, user, item or both") FmSide side,
        @Param(value = "coordinate", doc = "coordinate: one parameter at a time, as libFM; block: each "
                + "feature's (w_j, v_j) solved jointly (exact block minimiser, fewer passes over the data)")
        FmSweep sweep)
        implements AlgorithmConfig {

    public FmAlsConfig {
        regular = FmPenalties.canonical(regular);
    }

    /** The penalties {@code r0, r1, r2} that {@code regular} spells (a fresh array). */
    public double[] penalties() {
        return FmPenalties.parse(regular);
    }
}
