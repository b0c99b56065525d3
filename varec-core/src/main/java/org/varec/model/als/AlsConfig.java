package org.varec.model.als;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Hyper-parameters of ALS with biases ({@code als}) and of ALS with item side features
 * ({@code als-features}), named as in "Matrix factorization in action", eqs (4)-(5) and (11)-(12):
 * ratings {@code r ~ N(mu + u.v + b_u + b_i, 1/lambda)}, factors {@code ~ N(0, 1/tau)} (with
 * features: item factors {@code ~ N(genre prior mean, 1/tau)}), biases {@code ~ N(0, 1/gamma)}.
 * Only the ratios tau/lambda and gamma/lambda change the fitted model (they act as that many
 * pseudo-ratings of ridge); lambda alone scales the reported objective.
 *
 * @param rank       K, latent dimensions (default {@value #DEFAULT_RANK})
 * @param lambda     likelihood precision (default {@value #DEFAULT_LAMBDA})
 * @param tau        precision of the factor prior (default {@value #DEFAULT_TAU})
 * @param gamma      precision of the bias prior (default {@value #DEFAULT_GAMMA})
 * @param iterations sweeps (all users, then all items [, then genre vectors]) (default {@value #DEFAULT_ITERATIONS})
 * @param initStdev  standard deviation of the random initial factors (default {@value #DEFAULT_INIT_STDEV})
 */
public record AlsConfig(int rank, double lambda, double tau, double gamma, int iterations, double initStdev)
        implements AlgorithmConfig {
    public static final int DEFAULT_RANK = 10;
    public static final double DEFAULT_LAMBDA = 1;
    public static final double DEFAULT_TAU = 12;
    public static final double DEFAULT_GAMMA = 4;
    public static final int DEFAULT_ITERATIONS = 50;
    public static final double DEFAULT_INIT_STDEV = 0.1;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("rank", String.valueOf(DEFAULT_RANK), "K, number of latent dimensions"),
            new ParamDoc("lambda", fmt(DEFAULT_LAMBDA), "likelihood precision (rating noise 1/lambda)"),
            new ParamDoc("tau", fmt(DEFAULT_TAU), "precision of the factor prior; tau/lambda acts as pseudo-ratings of ridge"),
            new ParamDoc("gamma", fmt(DEFAULT_GAMMA), "precision of the bias prior; gamma/lambda acts as pseudo-ratings of ridge"),
            new ParamDoc("iterations", String.valueOf(DEFAULT_ITERATIONS), "sweeps (all users, then all items)"),
            new ParamDoc("init_stdev", fmt(DEFAULT_INIT_STDEV), "std. deviation of the random initial factors"));

    public AlsConfig {
        Params.checkRange("rank", rank, 1, 1000);
        Params.checkRange("lambda", lambda, Double.MIN_NORMAL, 1e12);
        Params.checkRange("tau", tau, Double.MIN_NORMAL, 1e12);
        Params.checkRange("gamma", gamma, Double.MIN_NORMAL, 1e12);
        Params.checkRange("iterations", iterations, 1, 100_000);
        Params.checkRange("init_stdev", initStdev, 0, 100);
    }

    public static AlsConfig defaults() {
        return new AlsConfig(DEFAULT_RANK, DEFAULT_LAMBDA, DEFAULT_TAU, DEFAULT_GAMMA, DEFAULT_ITERATIONS,
                DEFAULT_INIT_STDEV);
    }

    public static AlsConfig from(Params p) {
        return new AlsConfig(p.getInt("rank", DEFAULT_RANK), p.getDouble("lambda", DEFAULT_LAMBDA),
                p.getDouble("tau", DEFAULT_TAU), p.getDouble("gamma", DEFAULT_GAMMA),
                p.getInt("iterations", DEFAULT_ITERATIONS), p.getDouble("init_stdev", DEFAULT_INIT_STDEV));
    }

    public AlsConfig withIterations(int n) {
        return new AlsConfig(rank, lambda, tau, gamma, n, initStdev);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("lambda", lambda);
        m.put("tau", tau);
        m.put("gamma", gamma);
        m.put("iterations", iterations);
        m.put("init_stdev", initStdev);
        return m;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
