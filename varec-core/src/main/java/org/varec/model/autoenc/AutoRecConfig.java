package org.varec.model.autoenc;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.nn.Mlp;

/**
 * Hyper-parameters of AutoRec (Sedhain et al. 2015): the registry's {@code autorec-i} (item rows)
 * and the settings {@link AutoRecTrainer} and {@link AutoRecModel} read for both orientations;
 * {@code autorec-u} declares the same parameters with its own defaults ({@link UserAutoRecConfig}).
 * See docs/neural-baselines.md for how the defaults were chosen on ML-1M.
 */
public record AutoRecConfig(
        @Param(value = "500", doc = HIDDEN_DOC)
        String hidden,
        @Param(value = "200", min = "0", max = "1e9", doc = LAMBDA_DOC)
        double lambda,
        @Param(value = "0.25", min = "0", max = "0.99", absent = "0", doc = DROPOUT_DOC)
        double dropout,
        @Param(value = "none", absent = "none", doc = CENTER_DOC)
        Center center,
        @Param(value = "0.001", min = "0", minExclusive = true, max = "10", doc = LEARNING_RATE_DOC) double learningRate,
        @Param(value = "0.93", min = "0", minExclusive = true, max = "1", doc = DECAY_DOC) double decay,
        @Param(value = "30", min = "1", max = "1000000", doc = EPOCHS_DOC) int epochs,
        @Param(value = "64", min = "0", max = "2147483647", doc = BATCH_SIZE_DOC) int batchSize)
        implements AlgorithmConfig {
    // the parameters' meanings, written once for both orientations (UserAutoRecConfig reads them)
    static final String HIDDEN_DOC = "width of the one sigmoid hidden layer (AutoRec: a single hidden layer, 500 in the paper)";
    static final String LAMBDA_DOC = "lambda of AutoRec eq. (2): (lambda/2)(||W||^2 + ||V||^2) on both weight matrices (not the biases)";
    static final String DROPOUT_DOC = "input dropout rate (the denoising corruption, as dae-cf's): in training each input rating is "
            + "dropped with this probability, the loss still covers every observed entry";
    static final String CENTER_DOC = "what the encoder subtracts from each input rating: none (AutoRec: a missing "
            + "rating is an input of 0) or mean (the training mean: a missing rating reads as an average one)";
    static final String LEARNING_RATE_DOC = "Adam step size of the first epoch";
    static final String DECAY_DOC = "learning-rate factor applied after each epoch (1 = constant)";
    static final String EPOCHS_DOC = "passes over the shuffled rows (a cap under early stopping)";
    static final String BATCH_SIZE_DOC = "rows (users for autorec-u, items for autorec-i) per Adam step; 0 = full batch";

    /** What the encoder subtracts from an input rating (the targets stay raw: the decoder bias absorbs any shift). */
    public enum Center {
        /** Nothing: the paper's input, an unobserved entry is 0. */
        NONE,
        /** The training mean. */
        MEAN
    }

    public AutoRecConfig {
        if (Mlp.parseHidden(hidden).length != 1) {
            throw new IllegalArgumentException("hidden must be one width (AutoRec has one hidden layer), got '" + hidden + "'");
        }
    }

    /** The shift of the encoder's input for a training mean {@code mean}. */
    float inputShift(double mean) {
        return center == Center.MEAN ? (float) mean : 0f;
    }

    /** The hidden width. */
    public int hiddenSize() {
        return Mlp.parseHidden(hidden)[0];
    }
}
