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
        @Param(value = "500", doc = AutoRecConfig.HIDDEN_DOC)
        String hidden,
        @Param(value = "200", min = "0", max = "1e9", doc = AutoRecConfig.LAMBDA_DOC)
        double lambda,
        @Param(value = "0.5", min = "0", max = "0.99", absent = "0", doc = AutoRecConfig.DROPOUT_DOC)
        double dropout,
        @Param(value = "mean", absent = "none", doc = AutoRecConfig.CENTER_DOC)
        AutoRecConfig.Center center,
        @Param(value = "0.001", min = "0", minExclusive = true, max = "10", doc = AutoRecConfig.LEARNING_RATE_DOC) double learningRate,
        @Param(value = "0.93", min = "0", minExclusive = true, max = "1", doc = AutoRecConfig.DECAY_DOC) double decay,
        @Param(value = "40", min = "1", max = "1000000", doc = AutoRecConfig.EPOCHS_DOC) int epochs,
        @Param(value = "64", min = "0", max = "2147483647", doc = AutoRecConfig.BATCH_SIZE_DOC) int batchSize)
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
