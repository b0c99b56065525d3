package org.varec.model.autoenc;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.nn.Mlp;

/**
 * Hyper-parameters of {@code mult-vae}, the variational user autoencoder of Liang et al. 2018 with
 * the VAE-BMF paper's squared-error swap by default; see {@link UserAutoencoderTrainer} and
 * docs/neural-baselines.md.
 */
public record MultVaeConfig(
        @Param(value = "50", min = "1", max = "100000", doc = "K, dimension of the latent z") int rank,
        @Param(value = "200", doc = "encoder hidden widths before the latent, comma-separated (the decoder mirrors them; empty: none)")
        String hidden,
        @Param(value = "gaussian", doc = "gaussian: squared error on observed ratings (VAE-BMF's swap); multinomial: softmax over all items (Liang's, for ranking)")
        Likelihood likelihood,
        @Param(value = "0.5", min = "0", max = "0.99", doc = "input dropout rate (Liang et al. train Mult-VAE with it too)") double dropout,
        @Param(value = "0", min = "0", max = "1e9", doc = "L2 penalty lambda ||W||^2 on every weight matrix (not the biases)")
        double lambda,
        @Param(value = "0.2", min = "0", max = "1e6", doc = "the KL weight beta grows linearly to this cap (Liang et al.'s anneal_cap)")
        double betaMax,
        @Param(value = "500", min = "1", max = "2147483647", doc = "Adam steps over which beta grows from 0 to 1 (Liang et al.'s total_anneal_steps), capped at beta_max")
        int annealSteps,
        @Param(value = "0.001", min = "0", minExclusive = true, max = "10", doc = "Adam step size") double learningRate,
        @Param(value = "100", min = "1", max = "1000000", doc = "passes over the shuffled users (a cap under early stopping)")
        int epochs,
        @Param(value = "128", min = "0", max = "2147483647", doc = "users per Adam step; 0 = full batch") int batchSize)
        implements AlgorithmConfig {

    public MultVaeConfig {
        Mlp.parseHidden(hidden);
    }

    UserAutoencoderTrainer.Spec spec() {
        return new UserAutoencoderTrainer.Spec(true, rank, Mlp.parseHidden(hidden), likelihood, dropout, lambda,
                learningRate, epochs, batchSize, betaMax, annealSteps);
    }
}
