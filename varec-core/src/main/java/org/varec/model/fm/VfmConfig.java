package org.varec.model.fm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.Task;

/**
 * Hyper-parameters of the variational factorization machine ({@code vfm}, Vie, Rigaux and Kashima).
 * See {@link VfmTrainer} and docs/vfm.md. libFM's {@code dim} and {@code learn_rate} are accepted as
 * aliases of {@code rank} and {@code learning_rate}; model files from before the rename of
 * {@code samples} to {@code mc_samples} still load.
 */
public record VfmConfig(
        @Param(value = "10", min = "0", max = "1000", aliases = "dim", doc = "latent dimensions d") int rank,
        @Param(value = "200", min = "1", max = "1000000", doc = "passes over the shuffled training rows") int epochs,
        @Param(value = "16384", min = "1", max = "2147483647", doc = "rows per mini-batch (one Adam step)")
        int batchSize,
        @Param(value = "0.02", min = "1e-9", max = "10", aliases = "learn_rate", doc = "Adam step size")
        double learningRate,
        @Param(value = "1", min = "1", max = "10000", legacy = "samples",
                doc = "reparameterised Monte Carlo samples S per row of the expected log-likelihood") int mcSamples,
        @Param(value = "0.1", min = "0", max = "100", doc = "embedding means start as N(0, init_stdev^2)")
        double initStdev,
        @Param(value = "regression",
                doc = "regression (Gaussian) or classification (Bernoulli with sigmoid, targets 0/1)") Task task,
        @Param(value = "none", doc = "side information groups: none, user, item or both") FmSide side,
        @Param(value = "0", min = "0", max = "1000000", doc = "epoch from which iterates are averaged (Polyak) "
                + "for the returned model (0 = epochs/2 + 1)") int averageFrom) implements AlgorithmConfig {

    public boolean classification() {
        return task == Task.CLASSIFICATION;
    }

    /** The first averaged epoch. */
    int firstAveragedEpoch() {
        return averageFrom > 0 ? averageFrom : epochs / 2 + 1;
    }
}
