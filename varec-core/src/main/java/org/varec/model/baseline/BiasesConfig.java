package org.varec.model.baseline;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;

/**
 * Regularized user and item biases around the global mean, r_ui ~ mu + b_u + b_i. The penalties
 * are in rating units: a user with n ratings gets {@code b_u = sum(residuals) / (reg_user + n)},
 * so {@code reg_user} acts as that many pseudo-ratings at zero residual (likewise for items).
 */
public record BiasesConfig(
        @Param(value = "10", min = "1", max = "100000", doc = "alternating sweeps (all users, then all items)")
        int iterations,
        @Param(value = "5", min = "0", max = "1e12",
                doc = "ridge penalty on user biases (pseudo-ratings at zero residual)") double regUser,
        @Param(value = "5", min = "0", max = "1e12", doc = "ridge penalty on item biases") double regItem)
        implements AlgorithmConfig {

    public static BiasesConfig defaults() {
        return ParamSpec.of(BiasesConfig.class).defaults();
    }
}
