package org.varec.model.fm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Hyper-parameters of the variational factorization machine ({@code vfm}, Vie, Rigaux and Kashima).
 * See {@link VfmTrainer} and docs/vfm.md.
 *
 * @param dim           latent dimensions d (libFM's {@code dim})
 * @param epochs        passes over the shuffled training rows
 * @param batchSize     rows per mini-batch
 * @param learnRate     Adam step size
 * @param samples       reparameterised samples S per row for the expected log-likelihood
 * @param initStdev     posterior means of the embeddings start as N(0, init_stdev^2) (libFM's name)
 * @param task          {@code regression} (Gaussian) or {@code classification} (Bernoulli, sigmoid; targets 0/1)
 * @param side          side information as feature groups: none, user, item or both
 * @param averageFrom   Polyak averaging of the iterates starts at this epoch (0 = half-way through)
 */
public record VfmConfig(int dim, int epochs, int batchSize, double learnRate, int samples, double initStdev,
                        String task, String side, int averageFrom) implements AlgorithmConfig {
    public static final int DIM = 10;
    public static final int EPOCHS = 200;
    public static final int BATCH_SIZE = 16_384;
    public static final double LEARN_RATE = 0.02;
    public static final int SAMPLES = 1;
    public static final double INIT_STDEV = 0.1;
    public static final String TASK = "regression";
    public static final String SIDE = "none";
    public static final int AVERAGE_FROM = 0;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("dim", String.valueOf(DIM), "latent dimensions d"),
            new ParamDoc("epochs", String.valueOf(EPOCHS), "passes over the shuffled training rows"),
            new ParamDoc("batch_size", String.valueOf(BATCH_SIZE), "rows per mini-batch (Adam step)"),
            new ParamDoc("learn_rate", String.valueOf(LEARN_RATE), "Adam step size"),
            new ParamDoc("samples", String.valueOf(SAMPLES), "reparameterised samples S of the expected log-likelihood"),
            new ParamDoc("init_stdev", String.valueOf(INIT_STDEV), "embedding means start as N(0, init_stdev^2)"),
            new ParamDoc("task", TASK, "regression (Gaussian) or classification (Bernoulli with sigmoid, targets 0/1)"),
            new ParamDoc("side", SIDE, "side information groups: none, user, item or both"),
            new ParamDoc("average_from", String.valueOf(AVERAGE_FROM),
                    "epoch from which iterates are averaged for the 'mean' predictions (0 = epochs/2 + 1)"));

    public VfmConfig {
        Params.checkRange("dim", dim, 0, 1000);
        Params.checkRange("epochs", epochs, 1, 1_000_000);
        Params.checkRange("batch_size", batchSize, 1, Integer.MAX_VALUE);
        Params.checkRange("learn_rate", learnRate, 1e-9, 10);
        Params.checkRange("samples", samples, 1, 10_000);
        Params.checkRange("init_stdev", initStdev, 0, 10);
        Params.checkRange("average_from", averageFrom, 0, 1_000_000);
        task = task.toLowerCase(Locale.ROOT);
        if (!task.equals("regression") && !task.equals("classification")) {
            throw new IllegalArgumentException("parameter task must be regression or classification, got '" + task + "'");
        }
        side = side.toLowerCase(Locale.ROOT);
        if (!List.of("none", "user", "item", "both").contains(side)) {
            throw new IllegalArgumentException("parameter side must be none, user, item or both, got '" + side + "'");
        }
    }

    public static VfmConfig defaults() {
        return new VfmConfig(DIM, EPOCHS, BATCH_SIZE, LEARN_RATE, SAMPLES, INIT_STDEV, TASK, SIDE, AVERAGE_FROM);
    }

    public static VfmConfig from(Params p) {
        return new VfmConfig(p.getInt("dim", DIM), p.getInt("epochs", EPOCHS), p.getInt("batch_size", BATCH_SIZE),
                p.getDouble("learn_rate", LEARN_RATE), p.getInt("samples", SAMPLES), p.getDouble("init_stdev", INIT_STDEV),
                p.getString("task", TASK), p.getString("side", SIDE), p.getInt("average_from", AVERAGE_FROM));
    }

    public boolean classification() {
        return task.equals("classification");
    }

    boolean userSide() {
        return side.equals("user") || side.equals("both");
    }

    boolean itemSide() {
        return side.equals("item") || side.equals("both");
    }

    /** The first averaged epoch. */
    int firstAveragedEpoch() {
        return averageFrom > 0 ? averageFrom : epochs / 2 + 1;
    }

    public VfmConfig withEpochs(int e) {
        return new VfmConfig(dim, e, batchSize, learnRate, samples, initStdev, task, side, averageFrom);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("learn_rate", learnRate);
        m.put("samples", samples);
        m.put("init_stdev", initStdev);
        m.put("task", task);
        m.put("side", side);
        m.put("average_from", averageFrom);
        return m;
    }
}
