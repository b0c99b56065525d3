package org.varec.model.vb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Hyper-parameters of variational Bayesian matrix factorization ({@code vbmf}), see
 * {@code docs/vbmf.md}: ratings {@code r ~ N(mu + b_u + b_i + u.v, 1/lambda)}, factors
 * {@code u ~ N(0, diag(1/tau_u))}, {@code v ~ N(0, diag(1/tau_v))} (per-dimension ARD precisions),
 * biases {@code ~ N(0, 1/gamma)}. {@code lambda}, {@code tau} and {@code gamma} are the starting
 * values of the empirical-Bayes updates, or the fixed values when the matching {@code learn_*} is
 * false.
 *
 * @param rank        K (default {@value #DEFAULT_RANK})
 * @param fullCovariance true for a K x K posterior covariance per row, false for the diagonal projection
 * @param gaussianPrior  false: ARD prior N(0, diag(1/tau_k)); true (default): N(m0, P^-1) with learned mean and full precision
 * @param iterations  maximum sweeps (default {@value #DEFAULT_ITERATIONS})
 * @param tol         convergence when |dELBO| / |ELBO| < tol (default {@value #DEFAULT_TOL}; 0: run all sweeps)
 * @param lambda      noise precision, initial or fixed (default {@value #DEFAULT_LAMBDA})
 * @param tau         factor prior precision (every dimension, both sides), initial or fixed (default {@value #DEFAULT_TAU})
 * @param gamma       bias prior precision, initial or fixed (default {@value #DEFAULT_GAMMA})
 * @param learnLambda learn lambda by empirical Bayes each sweep (default true)
 * @param learnTau    learn the factor priors (ARD tau_u,k and tau_v,k, or m0 and P) each sweep (default true)
 * @param learnGamma  learn gamma each sweep (default true)
 * @param learnMu     learn the global offset mu (point estimate) each sweep; else the training mean (default true)
 * @param initStdev   standard deviation of the random initial means; also the initial posterior sd (default {@value #DEFAULT_INIT_STDEV})
 */
public record VbmfConfig(int rank, boolean fullCovariance, boolean gaussianPrior, int iterations, double tol,
                         double lambda, double tau, double gamma, boolean learnLambda, boolean learnTau,
                         boolean learnGamma, boolean learnMu, double initStdev)
        implements AlgorithmConfig {
    public static final int DEFAULT_RANK = 20;
    public static final int DEFAULT_ITERATIONS = 200;
    public static final double DEFAULT_TOL = 1e-5;
    public static final double DEFAULT_LAMBDA = 2;
    public static final double DEFAULT_TAU = 2;
    public static final double DEFAULT_GAMMA = 2;
    public static final double DEFAULT_INIT_STDEV = 0.1;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("rank", String.valueOf(DEFAULT_RANK), "K, number of latent dimensions"),
            new ParamDoc("covariance", "diagonal", "posterior covariance per row: diagonal (K variances) or full (K x K)"),
            new ParamDoc("prior", "gaussian", "factor prior: ard (N(0, diag(1/tau_k)), per-dimension precisions) or gaussian (N(m0, P^-1), learned mean and full precision)"),
            new ParamDoc("iterations", String.valueOf(DEFAULT_ITERATIONS), "maximum sweeps (all users, then all items, then hyper-parameters)"),
            new ParamDoc("tol", String.valueOf(DEFAULT_TOL), "stop when |dELBO|/|ELBO| < tol (0: run all sweeps)"),
            new ParamDoc("lambda", fmt(DEFAULT_LAMBDA), "noise precision: initial value, or fixed with learn_lambda=false"),
            new ParamDoc("tau", fmt(DEFAULT_TAU), "factor prior precision (all dimensions): initial, or fixed with learn_tau=false"),
            new ParamDoc("gamma", fmt(DEFAULT_GAMMA), "bias prior precision (users and items): initial, or fixed with learn_gamma=false"),
            new ParamDoc("learn_lambda", "true", "learn lambda = N / sum E[(r - pred)^2] each sweep"),
            new ParamDoc("learn_tau", "true", "learn the factor priors each sweep: ARD tau_k = rows / sum E[u_k^2]; gaussian m0, P (false: fixed N(0, I/tau))"),
            new ParamDoc("learn_gamma", "true", "learn gamma_u = users / sum E[b_u^2] and gamma_i = items / sum E[b_i^2] each sweep"),
            new ParamDoc("learn_mu", "true", "learn the global offset mu (ELBO-maximising point estimate) each sweep; false: the training mean"),
            new ParamDoc("init_stdev", fmt(DEFAULT_INIT_STDEV), "sd of the random initial means (and initial posterior sd)"));

    public VbmfConfig {
        Params.checkRange("rank", rank, 1, 500);
        Params.checkRange("iterations", iterations, 1, 100_000);
        Params.checkRange("tol", tol, 0, 1);
        Params.checkRange("lambda", lambda, 1e-12, 1e12);
        Params.checkRange("tau", tau, 1e-12, 1e12);
        Params.checkRange("gamma", gamma, 1e-12, 1e12);
        Params.checkRange("init_stdev", initStdev, 1e-6, 100);
    }

    public static VbmfConfig defaults() {
        return new VbmfConfig(DEFAULT_RANK, false, true, DEFAULT_ITERATIONS, DEFAULT_TOL, DEFAULT_LAMBDA, DEFAULT_TAU,
                DEFAULT_GAMMA, true, true, true, true, DEFAULT_INIT_STDEV);
    }

    public static VbmfConfig from(Params p) {
        String cov = p.getString("covariance", "diagonal").toLowerCase(Locale.ROOT);
        boolean full = switch (cov) {
            case "diagonal", "diag" -> false;
            case "full" -> true;
            default -> throw new IllegalArgumentException("parameter covariance must be diagonal or full, got '" + cov + "'");
        };
        String pr = p.getString("prior", "gaussian").toLowerCase(Locale.ROOT);
        boolean gaussian = switch (pr) {
            case "ard" -> false;
            case "gaussian" -> true;
            default -> throw new IllegalArgumentException("parameter prior must be ard or gaussian, got '" + pr + "'");
        };
        return new VbmfConfig(p.getInt("rank", DEFAULT_RANK), full, gaussian, p.getInt("iterations", DEFAULT_ITERATIONS),
                p.getDouble("tol", DEFAULT_TOL), p.getDouble("lambda", DEFAULT_LAMBDA), p.getDouble("tau", DEFAULT_TAU),
                p.getDouble("gamma", DEFAULT_GAMMA), p.getBoolean("learn_lambda", true),
                p.getBoolean("learn_tau", true), p.getBoolean("learn_gamma", true), p.getBoolean("learn_mu", true),
                p.getDouble("init_stdev", DEFAULT_INIT_STDEV));
    }

    public VbmfConfig withIterations(int n) {
        return new VbmfConfig(rank, fullCovariance, gaussianPrior, n, tol, lambda, tau, gamma, learnLambda, learnTau,
                learnGamma, learnMu, initStdev);
    }

    public VbmfConfig withCovariance(boolean full) {
        return new VbmfConfig(rank, full, gaussianPrior, iterations, tol, lambda, tau, gamma, learnLambda, learnTau,
                learnGamma, learnMu, initStdev);
    }

    public VbmfConfig withPrior(boolean gaussian) {
        return new VbmfConfig(rank, fullCovariance, gaussian, iterations, tol, lambda, tau, gamma, learnLambda, learnTau,
                learnGamma, learnMu, initStdev);
    }

    /** Same config with all hyper-parameter updates (mu, lambda, priors, gamma) switched on or off. */
    public VbmfConfig withLearning(boolean learn) {
        return new VbmfConfig(rank, fullCovariance, gaussianPrior, iterations, tol, lambda, tau, gamma, learn, learn,
                learn, learn, initStdev);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("covariance", fullCovariance ? "full" : "diagonal");
        m.put("prior", gaussianPrior ? "gaussian" : "ard");
        m.put("iterations", iterations);
        m.put("tol", tol);
        m.put("lambda", lambda);
        m.put("tau", tau);
        m.put("gamma", gamma);
        m.put("learn_lambda", learnLambda);
        m.put("learn_tau", learnTau);
        m.put("learn_gamma", learnGamma);
        m.put("learn_mu", learnMu);
        m.put("init_stdev", initStdev);
        return m;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
