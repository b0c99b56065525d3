package org.varec.model.ncf;

import java.util.List;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.nn.Mlp;
import org.varec.nn.ParamArray;

/**
 * Hyper-parameters of NeuMF ({@code ncf}; He et al. 2017), see {@link NeuMfNetwork},
 * {@link EmbeddingNetTrainer} and docs/ncf.md. {@code rank} is K, the size of each of the GMF
 * and MLP embeddings; {@code hidden} the ReLU layers of the MLP tower (empty: GMF only). The
 * defaults are the point of the VAE-BMF paper's grid (Table 2) that was best on ML-1M validation
 * RMSE: no hidden layer (the grid has 0 to 2) and reg 0.2.
 */
public record NcfConfig(
        @Param(value = "32", min = "1", max = "10000", doc = "K, size of the GMF and of the MLP embeddings") int rank,
        @Param(value = "", doc = "MLP tower: ReLU layer widths, comma-separated, e.g. 64,32,16 (empty, the default: "
                + "GMF only, best on ML-1M validation, docs/ncf.md)")
        String hidden,
        @Param(value = "0.2", min = "0", max = "1e6", doc = "L2 penalty on user and item embeddings (per rating)")
        double reg,
        @Param(value = "0", min = "0", max = "1e6",
                doc = "L2 penalty on the network weights (per rating, like reg; biases are not penalised)")
        double regNet,
        @Param(value = "true", doc = "learned user and item biases added to the network's output (explicit ratings)")
        boolean biases,
        @Param(value = "0.002", min = "0", minExclusive = true, max = "10", doc = "Adam step size of the first epoch")
        double learningRate,
        @Param(value = "1", min = "0", minExclusive = true, max = "1",
                doc = "learning-rate factor applied after each epoch (1 = constant)") double decay,
        @Param(value = "40", min = "1", max = "100000",
                doc = "passes over the shuffled training ratings (a cap: use early stopping)") int epochs,
        @Param(value = "1024", min = "1", max = "1000000", doc = "ratings per Adam step") int batchSize,
        @Param(value = "0.1", min = "0", max = "100", doc = "embeddings start as N(0, init_stdev^2)")
        double initStdev) implements NetSettings {

    public NcfConfig {
        Mlp.parseHidden(hidden);
    }

    public static NcfConfig defaults() {
        return ParamSpec.of(NcfConfig.class).defaults();
    }

    @Override
    public String algorithm() {
        return "ncf";
    }

    @Override
    public List<ParamArray> newParams() {
        return NeuMfNetwork.newParams(rank, Mlp.parseHidden(hidden));
    }

    @Override
    public PairNetwork network(List<ParamArray> params) {
        return new NeuMfNetwork(rank, Mlp.parseHidden(hidden), biases, params);
    }
}
