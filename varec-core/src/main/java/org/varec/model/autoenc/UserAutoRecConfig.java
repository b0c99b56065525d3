package org.varec.model.autoenc;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;

/**
 * Hyper-parameters of U-AutoRec ({@code autorec-u}): the parameters of {@link AutoRecConfig} with
 * the same spellings and meanings, and defaults of their own, chosen on the validation RMSE of
 * ML-1M {@code holdout:0.7,0.15,0.15} (docs/neural-baselines.md). A user row is a sparse input of
 * about a hundred of 3,706 items: with the paper's raw input (missing = 0) the network overfits
 * within a few epochs, while the input centred at the training mean and corrupted by dropout
 * generalises (validation RMSE 0.9056 -> 0.8712). I-AutoRec's defaults stay the paper's input.
 */
public record UserAutoRecConfig(
        @Param(value = "500", doc = "width of the one sigmoid hidden layer (AutoRec: a single hidden layer, 500 in the paper)")
        String hidden,
        @Param(value = "200", min = "0", max = "1e9",
                doc = "lambda of AutoRec eq. (2): (lambda/2)(||W||^2 + ||V||^2) on both weight matrices (not the biases)")
        double lambda,
        @Param(value = "0.5", min = "0", max = "0.99",
                doc = "input dropout rate (the denoising corruption, as dae-cf's): in training each input rating is "
                        + "dropped with this probability, the loss still covers every observed entry")
        double dropout,
        @Param(value = "mean", doc = "what the encoder subtracts from each input rating: none (AutoRec: a missing "
                + "rating is an input of 0) or mean (the training mean: a missing rating reads as an average one)")
        AutoRecConfig.Center center,
        @Param(value = "0.001", min = "0", minExclusive = true, max = "10", doc = "Adam step size of the first epoch") double learningRate,
        @Param(value = "0.93", min = "0", minExclusive = true, max = "1",
                doc = "learning-rate factor applied after each epoch (1 = constant)") double decay,
        @Param(value = "40", min = "1", max = "1000000",
                doc = "passes over the shuffled rows (a cap under early stopping)") int epochs,
        @Param(value = "64", min = "0", max = "2147483647",
                doc = "rows (users for autorec-u, items for autorec-i) per Adam step; 0 = full batch") int batchSize)
        implements AlgorithmConfig {

    public UserAutoRecConfig {
        settings(hidden, lambda, dropout, center, learningRate, decay, epochs, batchSize); // validates hidden
    }

    private static AutoRecConfig settings(String hidden, double lambda, double dropout, AutoRecConfig.Center center,
                                          double learningRate, double decay, int epochs, int batchSize) {
        return new AutoRecConfig(hidden, lambda, dropout, center, learningRate, decay, epochs, batchSize);
    }

    /** The same values as the shared settings record the trainer and model read. */
    public AutoRecConfig settings() {
        return settings(hidden, lambda, dropout, center, learningRate, decay, epochs, batchSize);
    }
}
