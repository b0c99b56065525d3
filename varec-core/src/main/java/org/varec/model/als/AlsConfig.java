package org.varec.model.als;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;

/**
 * Hyper-parameters of ALS with biases ({@code als}) and of ALS with item side features
 * ({@code als-features}), named as in "Matrix factorization in action", eqs (4)-(5) and (11)-(12):
 * ratings {@code r ~ N(mu + u.v + b_u + b_i, 1/lambda)}, factors {@code ~ N(0, 1/tau)} (with
 * features: item factors {@code ~ N(genre prior mean, 1/tau)}), biases {@code ~ N(0, 1/gamma)}.
 * Only the ratios tau/lambda and gamma/lambda change the fitted model (they act as that many
 * pseudo-ratings of ridge); lambda alone scales the reported objective.
 */
public record AlsConfig(
        @Param(value = "10", min = "1", max = "1000", doc = "K, number of latent dimensions") int rank,
        @Param(value = "1", min = "0", minExclusive = true, max = "1e12",
                doc = "likelihood precision (rating noise 1/lambda)") double lambda,
        @Param(value = "12", min = "0", minExclusive = true, max = "1e12",
                doc = "precision of the factor prior; tau/lambda acts as pseudo-ratings of ridge") double tau,
        @Param(value = "4", min = "0", minExclusive = true, max = "1e12",
                doc = "precision of the bias prior; gamma/lambda acts as pseudo-ratings of ridge") double gamma,
        @Param(value = "50", min = "1", max = "100000", doc = "sweeps (all users, then all items)") int iterations,
        @Param(value = "0.1", min = "0", max = "100", doc = "std. deviation of the random initial factors")
        double initStdev) implements AlgorithmConfig {

    public static AlsConfig defaults() {
        return org.varec.model.ParamSpec.of(AlsConfig.class).defaults();
    }

    public AlsConfig withIterations(int n) {
        return new AlsConfig(rank, lambda, tau, gamma, n, initStdev);
    }
}
