package org.varec.model.fm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * fm-als: a factorization machine by alternating least squares / coordinate descent (libFM's
 * {@code -method als}), regression only.
 *
 * @param dim        k, default 8
 * @param iterations sweeps over all parameters, default 20
 * @param initStdev  standard deviation of the initial factors, default 0.1
 * @param regular    L2 penalties (global bias, linear, factors) on the sum of squared errors, default 0,10,10
 * @param task       regression only (classification is an error: use fm-sgd or fm-mcmc)
 * @param side       side information: none, user, item, both
 */
public record FmAlsConfig(int dim, int iterations, double initStdev, double[] regular, FmTask task, FmSide side)
        implements AlgorithmConfig {
    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("dim", "8", "factor dimension k"),
            new ParamDoc("iterations", "20", "sweeps over all parameters"),
            new ParamDoc("init_stdev", "0.1", "standard deviation of the initial factors"),
            new ParamDoc("regular", "0,10,10", "L2 penalties on the sum of squared errors: r or r0,r1,r2"),
            new ParamDoc("task", "regression", "regression only"),
            new ParamDoc("side", "none", "side information: none, user, item, both"));

    public FmAlsConfig {
        Params.checkRange("dim", dim, 0, 10_000);
        Params.checkRange("iterations", iterations, 1, 1_000_000);
        Params.checkRange("init_stdev", initStdev, 0, 1e6);
        regular = regular.clone();
        if (task != FmTask.REGRESSION) {
            throw new IllegalArgumentException("fm-als supports task=regression only (use fm-sgd or fm-mcmc for classification)");
        }
    }

    public static FmAlsConfig from(Params p) {
        return new FmAlsConfig(p.getInt("dim", 8), p.getInt("iterations", 20), p.getDouble("init_stdev", 0.1),
                FmSide.parseRegular(p.getString("regular", "0,10,10")), FmTask.parse(p.getString("task", "regression")),
                FmSide.parse(p.getString("side", "none")));
    }

    @Override
    public double[] regular() {
        return regular.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FmAlsConfig c && toMap().equals(c.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("iterations", iterations);
        m.put("init_stdev", initStdev);
        m.put("regular", FmSide.formatRegular(regular));
        m.put("task", task.label());
        m.put("side", side.label());
        return m;
    }
}
