package org.varec.model.fm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Hyper-parameters of the batch variational Bayes FM ({@code vbfm}, regression; see {@link VbfmState}).
 *
 * @param dim        latent dimensions d
 * @param iterations coordinate-ascent sweeps over every parameter (libFM's {@code iter})
 * @param initStdev  embedding means start as N(0, init_stdev^2)
 * @param side       side information groups: none, user, item or both
 */
public record VbfmConfig(int dim, int iterations, double initStdev, String side) implements AlgorithmConfig {
    public static final int DIM = 5;
    public static final int ITERATIONS = 60;
    public static final double INIT_STDEV = 0.1;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("dim", String.valueOf(DIM), "latent dimensions d"),
            new ParamDoc("iterations", String.valueOf(ITERATIONS), "coordinate-ascent sweeps (the ELBO never decreases)"),
            new ParamDoc("init_stdev", String.valueOf(INIT_STDEV), "embedding means start as N(0, init_stdev^2)"),
            new ParamDoc("side", "none", "side information groups: none, user, item or both"));

    public VbfmConfig {
        Params.checkRange("dim", dim, 0, 1000);
        Params.checkRange("iterations", iterations, 1, 1_000_000);
        Params.checkRange("init_stdev", initStdev, 0, 10);
        side = checkSide(side);
    }

    static String checkSide(String side) {
        String s = side.toLowerCase(Locale.ROOT);
        if (!List.of("none", "user", "item", "both").contains(s)) {
            throw new IllegalArgumentException("parameter side must be none, user, item or both, got '" + side + "'");
        }
        return s;
    }

    public static VbfmConfig from(Params p) {
        return new VbfmConfig(p.getInt("dim", DIM), p.getInt("iterations", ITERATIONS),
                p.getDouble("init_stdev", INIT_STDEV), p.getString("side", "none"));
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
        m.put("iterations", iterations);
        m.put("init_stdev", initStdev);
        m.put("side", side);
        return m;
    }
}
