package org.varec.model.fm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;

/**
 * Hyper-parameters of the online variational Bayes FM ({@code ovbfm}, regression; see
 * {@link OvbfmTrainer}). Step sizes follow Robbins-Monro: {@code rho_t = (t + delay)^-forget}.
 * libFM's {@code dim} is accepted as an alias of {@code rank}.
 */
public record OvbfmConfig(
        @Param(value = "5", min = "0", max = "1000", aliases = "dim", doc = "latent dimensions d") int rank,
        @Param(value = "20", min = "1", max = "1000000", doc = "passes over the shuffled training rows") int epochs,
        @Param(value = "10000", min = "1", max = "2147483647",
                doc = "rows per mini-batch (one natural-gradient step)") int batchSize,
        @Param(value = "0.6", min = "0.5", max = "1", doc = "step size rho_t = (t + delay)^-forget") double forget,
        @Param(value = "1", min = "0", max = "1e9", doc = "step size delay tau in rho_t = (t + tau)^-forget")
        double delay,
        @Param(value = "0.1", min = "0", max = "100", doc = "embedding means start as N(0, init_stdev^2)")
        double initStdev,
        @Param(value = "none", doc = "side information groups: none, user, item or both") FmSide side)
        implements AlgorithmConfig {
}
