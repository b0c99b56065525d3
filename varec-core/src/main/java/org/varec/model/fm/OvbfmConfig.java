package org.varec.model.fm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Hyper-parameters of the online variational Bayes FM ({@code ovbfm}, regression; see {@link OvbfmTrainer}).
 *
 * @param dim       latent dimensions d
 * @param epochs    passes over the shuffled training rows
 * @param batchSize rows per mini-batch (one natural-gradient step)
 * @param forget    Robbins-Monro step rho_t = (t + delay)^-forget, forget in (0.5, 1]
 * @param delay     see forget
 * @param initStdev embedding means start as N(0, init_stdev^2)
 * @param side      side information groups: none, user, item or both
 */
public record OvbfmConfig(int dim, int epochs, int batchSize, double forget, double delay, double initStdev,
                          String side) implements AlgorithmConfig {
    public static final int DIM = 5;
    public static final int EPOCHS = 20;
    public static final int BATCH_SIZE = 10_000;
    public static final double FORGET = 0.6;
    public static final double DELAY = 1;
    public static final double INIT_STDEV = 0.1;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("dim", String.valueOf(DIM), "latent dimensions d"),
            new ParamDoc("epochs", String.valueOf(EPOCHS), "passes over the shuffled training rows"),
            new ParamDoc("batch_size", String.valueOf(BATCH_SIZE), "rows per mini-batch (one natural-gradient step)"),
            new ParamDoc("forget", String.valueOf(FORGET), "step size rho_t = (t + delay)^-forget"),
            new ParamDoc("delay", String.valueOf(DELAY), "step size delay tau in rho_t = (t + tau)^-forget"),
            new ParamDoc("init_stdev", String.valueOf(INIT_STDEV), "embedding means start as N(0, init_stdev^2)"),
            new ParamDoc("side", "none", "side information groups: none, user, item or both"));

    public OvbfmConfig {
        Params.checkRange("dim", dim, 0, 1000);
        Params.checkRange("epochs", epochs, 1, 1_000_000);
        Params.checkRange("batch_size", batchSize, 1, Integer.MAX_VALUE);
        Params.checkRange("forget", forget, 0.5, 1);
        Params.checkRange("delay", delay, 0, 1e9);
        Params.checkRange("init_stdev", initStdev, 0, 10);
        side = VbfmConfig.checkSide(side);
    }

    public static OvbfmConfig from(Params p) {
        return new OvbfmConfig(p.getInt("dim", DIM), p.getInt("epochs", EPOCHS), p.getInt("batch_size", BATCH_SIZE),
                p.getDouble("forget", FORGET), p.getDouble("delay", DELAY), p.getDouble("init_stdev", INIT_STDEV),
                p.getString("side", "none"));
    }

    boolean userSide() {
        return side.equals("user") || side.equals("both");
    }

    boolean itemSide() {
        return side.equals("item") || side.equals("both");
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("forget", forget);
        m.put("delay", delay);
        m.put("init_stdev", initStdev);
        m.put("side", side);
        return m;
    }
}
