package org.varec.model.fm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * fm-sgd: a factorization machine by stochastic gradient descent (libFM's {@code -method sgd}).
 *
 * @param dim        k, the factor dimension (libFM {@code dim}), default 8
 * @param iterations epochs over the shuffled training rows, default 50
 * @param initStdev  standard deviation of the initial factors, default 0.1
 * @param learnRate  SGD step size, default 0.01
 * @param regular    L2 penalties (global bias, linear, factors), default 0,0.1,0.1
 * @param task       regression (squared loss) or classification (logistic loss)
 * @param side       side information: none, user, item, both
 */
public record FmSgdConfig(int dim, int iterations, double initStdev, double learnRate, double[] regular, FmTask task,
                          FmSide side) implements AlgorithmConfig {
    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("dim", "8", "factor dimension k"),
            new ParamDoc("iterations", "50", "epochs over the shuffled training rows"),
            new ParamDoc("init_stdev", "0.1", "standard deviation of the initial factors"),
            new ParamDoc("learn_rate", "0.01", "SGD step size"),
            new ParamDoc("regular", "0,0.1,0.1", "L2 penalties: r (all) or r0,r1,r2 (global bias, linear, factors)"),
            new ParamDoc("task", "regression", "regression (squared loss) or classification (logistic loss, predicts P(class 1))"),
            new ParamDoc("side", "none", "side information: none, user, item, both"));

    public FmSgdConfig {
        Params.checkRange("dim", dim, 0, 10_000);
        Params.checkRange("iterations", iterations, 1, 1_000_000);
        Params.checkRange("init_stdev", initStdev, 0, 1e6);
        Params.checkRange("learn_rate", learnRate, 1e-12, 1e6);
        regular = regular.clone();
    }

    public static FmSgdConfig from(Params p) {
        return new FmSgdConfig(p.getInt("dim", 8), p.getInt("iterations", 50), p.getDouble("init_stdev", 0.1),
                p.getDouble("learn_rate", 0.01), FmSide.parseRegular(p.getString("regular", "0,0.1,0.1")),
                FmTask.parse(p.getString("task", "regression")), FmSide.parse(p.getString("side", "none")));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FmSgdConfig c && toMap().equals(c.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public double[] regular() {
        return regular.clone();
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("iterations", iterations);
        m.put("init_stdev", initStdev);
        m.put("learn_rate", learnRate);
        m.put("regular", FmSide.formatRegular(regular));
        m.put("task", task.label());
        m.put("side", side.label());
        return m;
    }
}
