package org.varec.model.nnmf;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.nn.Activation;
import org.varec.nn.Mlp;

/**
 * Hyper-parameters of neural network matrix factorization ({@code nnmf}; Dziugaite and Roy 2015,
 * NNMF paper eq. (2)); see {@link NnmfTrainer} and docs/nnmf.md. The network
 * {@code f: R^(2K + D K' + S) -> R} has the hidden layers of {@code hidden} with
 * {@code activation} and a linear output.
 *
 * <p>{@code products} is D, the number of element-wise products {@code U'_nd o V'_md} fed to the
 * network (the paper's D, or D' in Kampman and Heaukulani): it counts the inputs it creates,
 * {@code products x product_rank} of them, where a bare "d" would be read as a dimension.
 */
public record NnmfConfig(
        @Param(value = "10", min = "1", max = "1000",
                doc = "K, length of U_n and V_m (the inputs that play the user and item biases)") int rank,
        @Param(value = "60", min = "0", max = "10000",
                doc = "D, number of element-wise products U'_nd o V'_md in the network input (0: none)") int products,
        @Param(value = "1", min = "1", max = "1000", doc = "K', length of each U'_nd and V'_md") int productRank,
        @Param(value = "50,50,50",
                doc = "hidden layer widths, comma-separated (empty: f is linear)") String hidden,
        @Param(value = "sigmoid", doc = "activation of the hidden layers (the output unit is linear)")
        Activation activation,
        @Param(value = "50", min = "0", max = "1e9",
                doc = "lambda of eq. (2): L2 penalty on U, V, U', V' (not on the network)") double lambda,
        @Param(value = "0", min = "0", max = "1e6", doc = "L2 penalty on the network weights, per rating like "
                + "ncf's (reg_net ||W||^2 per training rating; biases are not penalised; 0, the paper's: none)")
        double regNet,
        @Param(value = "0.001", min = "0", minExclusive = true, max = "10", doc = "RMSProp step size")
        double learningRate,
        @Param(value = "1", min = "1e-6", max = "1",
                doc = "learning-rate factor applied after each epoch (1 = constant)") double decay,
        @Param(value = "0", min = "0", max = "0.999", doc = "the model is an exponential moving average of the "
                + "iterates (embeddings and network), updated after every step: this weight on the previous "
                + "average per epoch, a^(b/n) per batch of b of the n ratings (0: the last iterate)") double average,
        @Param(value = "60", min = "1", max = "1000000",
                doc = "passes over the shuffled training ratings (a cap under early stopping: see docs/nnmf.md)")
        int epochs,
        @Param(value = "1024", min = "0", max = "2147483647",
                doc = "ratings per alternating step pair (network, then embeddings); 0 = full batch") int batchSize,
        @Param(value = "0.1", min = "0", max = "100", doc = "U, V, U', V' start as N(0, init_stdev^2)")
        double initStdev,
        @Param(value = "none", choices = {"none", "item"},
                doc = "side information: none, or item genres (group 'genre') concatenated to the item input")
        String side) implements AlgorithmConfig {

    public NnmfConfig {
        Mlp.parseHidden(hidden);
    }

    public static NnmfConfig defaults() {
        return org.varec.model.ParamSpec.of(NnmfConfig.class).defaults();
    }

    /** Whether item genres are part of the input. */
    public boolean itemSide() {
        return "item".equals(side);
    }

    /** D K', the length of a user's {@code U'_n} row. */
    public int productWidth() {
        return Math.multiplyExact(products, productRank);
    }

    /** The hidden widths parsed from {@link #hidden}. */
    public int[] hiddenSizes() {
        return Mlp.parseHidden(hidden);
    }

    public NnmfConfig withEpochs(int n) {
        return new NnmfConfig(rank, products, productRank, hidden, activation, lambda, regNet, learningRate, decay,
                average, n, batchSize, initStdev, side);
    }
}
