package org.varec.model.fm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.Task;

/**
 * fm-sgd: a factorization machine by stochastic gradient descent (libFM's {@code -method sgd}); see
 * {@link FmSgdTrainer}. libFM's names {@code dim} and {@code learn_rate} are accepted as aliases
 * of {@code rank} and {@code learning_rate}.
 */
public record FmSgdConfig(
        @Param(value = "8", min = "0", max = "10000", aliases = "dim",
                doc = "k, the factor dimension (0: a linear model)") int rank,
        @Param(value = "50", min = "1", max = "1000000", doc = "epochs over the shuffled training rows") int iterations,
        @Param(value = "0.1", min = "0", max = "100", doc = "standard deviation of the initial factors")
        double initStdev,
        @Param(value = "0.01", min = "1e-12", max = "1e6", aliases = "learn_rate", doc = "SGD step size")
        double learningRate,
        @Param(value = "0,0.1,0.1", doc = "L2 penalties per row (libFM syntax): r for all, or r0,r1,r2 "
                + "(global bias, linear weights, factors)") String regular,
        @Param(value = "regression",
                doc = "regression (squared loss) or classification (logistic loss, predicts P(class 1))") Task task,
        @Param(value = "none", doc = "side information: none, user, item or both") FmSide side)
        implements AlgorithmConfig {

    public FmSgdConfig {
        regular = FmPenalties.canonical(regular);
    }

    /** The penalties {@code r0, r1, r2} that {@code regular} spells (a fresh array). */
    public double[] penalties() {
        return FmPenalties.parse(regular);
    }
}
