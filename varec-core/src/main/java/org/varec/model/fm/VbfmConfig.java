package org.varec.model.fm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;

/**
 * Hyper-parameters of the batch variational Bayes FM ({@code vbfm}, regression; see
 * {@link VbfmTrainer}). libFM's {@code dim} is accepted as an alias of {@code rank}.
 */
public record VbfmConfig(
        @Param(value = "5", min = "0", max = "1000", aliases = "dim", doc = "latent dimensions d") int rank,
        @Param(value = "60", min = "1", max = "1000000",
                doc = "coordinate-ascent sweeps (the ELBO never decreases)") int iterations,
        @Param(value = "0.1", min = "0", max = "100", doc = "embedding means start as N(0, init_stdev^2)")
        double initStdev,
        @Param(value = "none", doc = "side information groups: none, user, item or both") FmSide side)
        implements AlgorithmConfig {
}
