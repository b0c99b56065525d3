package org.varec.model.mf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Biased matrix factorization {@code r_ui ~ mu + b_u + b_i + p_u . q_i} (Koren, Bell and Volinsky,
 * 2009) trained by stochastic gradient descent. The objective is
 * <pre>
 *   J = sum_(u,i) [ (r_ui - mu - b_u - b_i - p_u.q_i)^2 + reg (|p_u|^2 + |q_i|^2) + reg_bias (b_u^2 + b_i^2) ]
 * </pre>
 * (penalties counted once per rating, as the per-rating SGD update applies them).
 *
 * @param rank         latent dimensions K
 * @param learningRate SGD step size in the first epoch
 * @param reg          penalty on the factors p_u, q_i
 * @param regBias      penalty on the biases b_u, b_i
 * @param epochs       passes over the training ratings
 * @param initStdev    factors start as N(0, init_stdev^2); biases start at 0
 * @param decay        the learning rate is multiplied by this after every epoch
 */
public record BiasMfConfig(int rank, double learningRate, double reg, double regBias, int epochs, double initStdev,
                           double decay) implements AlgorithmConfig {
    public static final int RANK = 100;
    public static final double LEARNING_RATE = 0.01;
    public static final double REG = 0.06;
    public static final double REG_BIAS = 0.01;
    public static final int EPOCHS = 100;
    public static final double INIT_STDEV = 0.01;
    public static final double DECAY = 0.98;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("rank", String.valueOf(RANK), "latent dimensions K"),
            new ParamDoc("learning_rate", String.valueOf(LEARNING_RATE), "SGD step size in the first epoch"),
            new ParamDoc("reg", String.valueOf(REG), "L2 penalty on user and item factors (per rating)"),
            new ParamDoc("reg_bias", String.valueOf(REG_BIAS), "L2 penalty on user and item biases (per rating)"),
            new ParamDoc("epochs", String.valueOf(EPOCHS), "passes over the shuffled training ratings"),
            new ParamDoc("init_stdev", String.valueOf(INIT_STDEV), "factors start as N(0, init_stdev^2), biases at 0"),
            new ParamDoc("decay", String.valueOf(DECAY), "learning-rate factor applied after each epoch (1 = constant)"));

    public BiasMfConfig {
        Params.checkRange("rank", rank, 1, 10_000);
        Params.checkRange("learning_rate", learningRate, 1e-12, 1);
        Params.checkRange("reg", reg, 0, 1e6);
        Params.checkRange("reg_bias", regBias, 0, 1e6);
        Params.checkRange("epochs", epochs, 1, 100_000);
        Params.checkRange("init_stdev", initStdev, 0, 10);
        Params.checkRange("decay", decay, 1e-6, 1);
    }

    public static BiasMfConfig defaults() {
        return new BiasMfConfig(RANK, LEARNING_RATE, REG, REG_BIAS, EPOCHS, INIT_STDEV, DECAY);
    }

    public static BiasMfConfig from(Params p) {
        return new BiasMfConfig(p.getInt("rank", RANK), p.getDouble("learning_rate", LEARNING_RATE),
                p.getDouble("reg", REG), p.getDouble("reg_bias", REG_BIAS), p.getInt("epochs", EPOCHS),
                p.getDouble("init_stdev", INIT_STDEV), p.getDouble("decay", DECAY));
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("learning_rate", learningRate);
        m.put("reg", reg);
        m.put("reg_bias", regBias);
        m.put("epochs", epochs);
        m.put("init_stdev", initStdev);
        m.put("decay", decay);
        return m;
    }
}
