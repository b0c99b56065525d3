package org.varec.model.ncf;

import java.util.List;
import org.varec.model.AlgorithmConfig;
import org.varec.nn.ParamArray;

/**
 * What the shared trainer and model of the embedding networks need from a config ({@link NcfConfig},
 * {@link ConvNcfConfig}): the network, the per-rating L2 penalty on embedding rows and the
 * optimiser settings. Each config declares its parameters once; this only reads them.
 */
public interface NetSettings extends AlgorithmConfig {
    /** Registry name. */
    String algorithm();

    /** Zero parameter arrays of the network, in the network's (and the model file's) order. */
    List<ParamArray> newParams();

    /** The network over {@code params} (shared, not copied). */
    PairNetwork network(List<ParamArray> params);

    /** Per-rating L2 penalty on the user and item embedding rows. */
    double reg();

    /** Per-rating L2 penalty on the network's weight matrices (not on biases). */
    double regNet();

    /** Whether a user bias and an item bias end the rows (added to the output). */
    boolean biases();

    /**
     * Epochs of biased matrix factorisation on the embedding rows before the network's epochs
     * ({@link EmbeddingNetTrainer}); 0 where the config has no such parameter.
     */
    default int pretrain() {
        return 0;
    }

    double learningRate();

    /** Factor applied to the Adam step after each epoch (1: constant). */
    double decay();

    int epochs();

    int batchSize();

    double initStdev();
}
