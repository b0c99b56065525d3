package org.varec.model.mf;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;

/**
 * Biased matrix factorization {@code r_ui ~ mu + b_u + b_i + p_u . q_i} (Koren, Bell and Volinsky,
 * 2009) trained by stochastic gradient descent. The objective is
 * <pre>
 *   J = sum_(u,i) [ (r_ui - mu - b_u - b_i - p_u.q_i)^2 + reg (|p_u|^2 + |q_i|^2) + reg_bias (b_u^2 + b_i^2) ]
 * </pre>
 * (penalties counted once per rating, as the per-rating SGD update applies them). Factors start
 * as N(0, init_stdev^2), biases at 0; the learning rate of epoch e is
 * {@code learning_rate * decay^(e-1)}.
 *
 * <p>The defaults (K 100, reg 0.05, decay 0.98, 60 epochs) are the best point on the validation
 * RMSE of ML-100K and ML-1M together of a 96-point grid (docs/biasmf-svd.md, "Defaults"). They
 * suit long runs at large K; short runs at small K want less penalty and no decay (K 10, 20
 * epochs: {@code reg=0.02 decay=1}, cornac's MF defaults).
 */
public record BiasMfConfig(
        @Param(value = "100", min = "1", max = "10000", doc = "latent dimensions K") int rank,
        @Param(value = "0.01", min = "1e-12", max = "1", doc = "SGD step size in the first epoch") double learningRate,
        @Param(value = "0.05", min = "0", max = "1e6", doc = "L2 penalty on user and item factors (per rating)")
        double reg,
        @Param(value = "0.01", min = "0", max = "1e6", doc = "L2 penalty on user and item biases (per rating)")
        double regBias,
        @Param(value = "60", min = "1", max = "100000", doc = "passes over the shuffled training ratings") int epochs,
        @Param(value = "0.01", min = "0", max = "100", doc = "factors start as N(0, init_stdev^2), biases at 0")
        double initStdev,
        @Param(value = "0.98", min = "1e-6", max = "1",
                doc = "learning-rate factor applied after each epoch (1 = constant)") double decay)
        implements AlgorithmConfig {

    public static BiasMfConfig defaults() {
        return ParamSpec.of(BiasMfConfig.class).defaults();
    }
}
