package org.varec.model.svd;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;

/**
 * Truncated SVD of the centred sparse rating matrix: {@code A = R - mu} on the observed entries
 * and 0 elsewhere (missing ratings imputed at the mean), or with {@code center=biases}
 * {@code A = R - mu - b_u - b_i} with regularized biases (missing ratings imputed at the bias
 * baseline). Computed by a randomized range finder with power iterations (Halko, Martinsson and
 * Tropp, 2011). The default is {@code biases}: with {@code mean} every missing rating counts as
 * the global mean, which shrinks predictions hard towards it on sparse data (ML-100K RMSE 1.059
 * against 0.928; see docs/biasmf-svd.md).
 */
public record SvdConfig(
        @Param(value = "60", min = "1", max = "10000", doc = "singular triplets kept") int rank,
        @Param(value = "10", min = "0", max = "10000",
                doc = "extra random directions in the range finder (block width rank + oversample)") int oversample,
        @Param(value = "4", min = "0", max = "100",
                doc = "power iterations of the range finder (two sparse passes each)") int powerIters,
        @Param(value = "biases", doc = "mean: factor R - mu (missing = mean); biases: factor R - mu - b_u - b_i")
        Center center,
        @Param(value = "5", min = "0", max = "1e12",
                doc = "ridge penalty of the biases when center=biases (pseudo-ratings, as in biases)") double regBias)
        implements AlgorithmConfig {

    /** What is subtracted from the ratings before factorizing. */
    public enum Center {
        /** The global mean only. */
        MEAN,
        /** The global mean and the regularized user and item biases of the {@code biases} baseline. */
        BIASES
    }

    public static SvdConfig defaults() {
        return ParamSpec.of(SvdConfig.class).defaults();
    }

    public boolean biases() {
        return center == Center.BIASES;
    }
}
