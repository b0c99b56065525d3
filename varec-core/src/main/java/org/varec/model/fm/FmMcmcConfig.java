package org.varec.model.fm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * fm-mcmc: Bayesian factorization machine by Gibbs sampling (libFM's {@code -method mcmc}).
 *
 * @param dim         k, default 8
 * @param iterations  Gibbs sweeps, default 100 (libFM {@code iter})
 * @param burnIn      sweeps discarded before averaging, default 5
 * @param keepSamples at most this many post-burn-in samples are kept in the model (evenly thinned), default 100
 * @param initStdev   standard deviation of the initial factors, default 0.1
 * @param task        regression (Gaussian noise, precision sampled) or classification (probit)
 * @param side        side information: none, user, item, both
 */
public record FmMcmcConfig(int dim, int iterations, int burnIn, int keepSamples, double initStdev, FmTask task,
                           FmSide side) implements AlgorithmConfig {
    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("dim", "8", "factor dimension k"),
            new ParamDoc("iterations", "100", "Gibbs sweeps"),
            new ParamDoc("burn_in", "5", "sweeps discarded before predictions are averaged"),
            new ParamDoc("keep_samples", "100", "most post-burn-in samples kept in the model (evenly thinned): "
                    + "prediction cost and model size grow with it"),
            new ParamDoc("init_stdev", "0.1", "standard deviation of the initial factors"),
            new ParamDoc("task", "regression", "regression or classification (probit; predicts P(class 1))"),
            new ParamDoc("side", "none", "side information: none, user, item, both"));

    public FmMcmcConfig {
        Params.checkRange("dim", dim, 0, 10_000);
        Params.checkRange("iterations", iterations, 1, 1_000_000);
        Params.checkRange("burn_in", burnIn, 0, iterations - 1);
        Params.checkRange("keep_samples", keepSamples, 1, 1_000_000);
        Params.checkRange("init_stdev", initStdev, 0, 1e6);
    }

    public static FmMcmcConfig from(Params p) {
        return new FmMcmcConfig(p.getInt("dim", 8), p.getInt("iterations", 100), p.getInt("burn_in", 5),
                p.getInt("keep_samples", 100), p.getDouble("init_stdev", 0.1),
                FmTask.parse(p.getString("task", "regression")), FmSide.parse(p.getString("side", "none")));
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", dim);
        m.put("iterations", iterations);
        m.put("burn_in", burnIn);
        m.put("keep_samples", keepSamples);
        m.put("init_stdev", initStdev);
        m.put("task", task.label());
        m.put("side", side.label());
        return m;
    }
}
