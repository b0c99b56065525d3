package org.varec.model.fm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.Task;

/**
 * fm-mcmc: the Bayesian factorization machine by Gibbs sampling (libFM's {@code -method mcmc}); see
 * {@link FmMcmcTrainer}. libFM's {@code dim} is accepted as an alias of {@code rank}.
 */
public record FmMcmcConfig(
        @Param(value = "8", min = "0", max = "10000", aliases = "dim",
                doc = "k, the factor dimension (0: Bayesian linear regression)") int rank,
        @Param(value = "100", min = "1", max = "1000000", doc = "Gibbs sweeps, burn-in included (libFM's iter)")
        int iterations,
        @Param(value = "5", min = "0", doc = "sweeps discarded before samples are kept (below iterations)")
        int burnIn,
        @Param(value = "100", min = "1", max = "1000000", doc = "most post-burn-in samples kept in the model "
                + "(evenly thinned): prediction cost and model size grow with it") int keepSamples,
        @Param(value = "0.1", min = "0", max = "100", doc = "standard deviation of the initial factors")
        double initStdev,
        @Param(value = "regression", doc = "regression (Gaussian noise, precision sampled) or classification "
                + "(probit, predicts P(class 1))") Task task,
        @Param(value = "none", doc = "side information: none, user, item or both") FmSide side,
        @Param(value = "coordinate", doc = "coordinate: one parameter at a time, as libFM; block: each "
                + "feature's (w_j, v_j) drawn jointly (same posterior, fewer passes over the data)") FmSweep sweep)
        implements AlgorithmConfig {

    public FmMcmcConfig {
        if (burnIn >= iterations) {
            throw new IllegalArgumentException("parameter burn_in must be below iterations (" + iterations + "), got "
                    + burnIn);
        }
    }
}
