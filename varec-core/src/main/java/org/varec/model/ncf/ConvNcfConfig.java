package org.varec.model.ncf;

import java.util.List;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.nn.ParamArray;

/**
 * Hyper-parameters of ConvNCF ({@code convncf}; He et al. 2018), see {@link ConvNcfNetwork},
 * {@link EmbeddingNetTrainer} and docs/ncf.md. The K x K interaction map (padded to the next power
 * of two S) goes through log2 S convolutions of {@code channels} channels. The defaults (reg 0.1,
 * 15 epochs of MF pretraining, then 1 network epoch, step decay 0.97) were best on ML-1M
 * validation RMSE (docs/ncf.md).
 */
public record ConvNcfConfig(
        @Param(value = "32", min = "1", max = "1024",
                doc = "K, embedding size (the map is K x K, zero-padded to the next power of two)") int rank,
        @Param(value = "32", min = "1", max = "4096", doc = "channels of every 2x2 stride-2 convolution") int channels,
        @Param(value = "0.1", min = "0", max = "1e6", doc = "L2 penalty on user and item embeddings (per rating)")
        double reg,
        @Param(value = "0", min = "0", max = "1e6",
                doc = "L2 penalty on the network weights (per rating, like reg; biases are not penalised)")
        double regNet,
        @Param(value = "true", doc = "learned user and item biases added to the network's output (explicit ratings)")
        boolean biases,
        @Param(value = "0.002", min = "0", minExclusive = true, max = "10", doc = "Adam step size of the first epoch")
        double learningRate,
        @Param(value = "0.97", min = "0", minExclusive = true, max = "1", absent = "1",
                doc = "learning-rate factor applied after each epoch (1 = constant)") double decay,
        @Param(value = "1", min = "1", max = "100000",
                doc = "passes of the network over the shuffled training ratings, after the pretraining (after 10-15 MF "
                        + "epochs the network overfits from its 2nd on ML-1M)") int epochs,
        @Param(value = "15", min = "0", max = "100000", absent = "0",
                doc = "epochs of biased MF on the embeddings before the network's epochs (r = mean + b_u + b_i + p_u . q_i; "
                        + "He et al. 2018 start ConvNCF from MF embeddings)") int pretrain,
        @Param(value = "256", min = "1", max = "1000000", doc = "ratings per Adam step") int batchSize,
        @Param(value = "0.1", min = "0", max = "100", doc = "embeddings start as N(0, init_stdev^2)")
        double initStdev) implements NetSettings {

    public static ConvNcfConfig defaults() {
        return ParamSpec.of(ConvNcfConfig.class).defaults();
    }

    @Override
    public String algorithm() {
        return "convncf";
    }

    @Override
    public List<ParamArray> newParams() {
        return ConvNcfNetwork.newParams(rank, channels);
    }

    @Override
    public PairNetwork network(List<ParamArray> params) {
        return new ConvNcfNetwork(rank, channels, biases, params);
    }
}
