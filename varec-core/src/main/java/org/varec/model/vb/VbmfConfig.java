package org.varec.model.vb;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;

/**
 * Hyper-parameters of variational Bayesian matrix factorization ({@code vbmf}), see
 * {@code docs/vbmf.md}: ratings {@code r ~ N(mu + b_u + b_i + u.v, 1/lambda)}, factors
 * {@code u ~ N(0, diag(1/tau_u))}, {@code v ~ N(0, diag(1/tau_v))} (per-dimension ARD precisions)
 * or {@code N(m0, P^-1)} with learned mean and full precision, biases {@code ~ N(0, 1/gamma)}.
 * {@code lambda}, {@code tau} and {@code gamma} are the starting values of the empirical-Bayes
 * updates, or the fixed values when the matching {@code learn_*} is false.
 */
public record VbmfConfig(
        @Param(value = "20", min = "1", max = "500", doc = "K, number of latent dimensions") int rank,
        @Param(value = "diagonal", doc = "posterior covariance per row: diagonal (K variances) or full (K x K)")
        Covariance covariance,
        @Param(value = "gaussian", doc = "factor prior: ard (N(0, diag(1/tau_k)), per-dimension precisions) or "
                + "gaussian (N(m0, P^-1), learned mean and full precision)") FactorPrior prior,
        @Param(value = "200", min = "1", max = "100000",
                doc = "maximum sweeps (all users, then all items, then hyper-parameters)") int iterations,
        @Param(value = "1e-5", min = "0", max = "1", doc = "stop when |dELBO|/|ELBO| < tol (0: run all sweeps)")
        double tol,
        @Param(value = "2", min = "1e-12", max = "1e12",
                doc = "noise precision: initial value, or fixed with learn_lambda=false") double lambda,
        @Param(value = "2", min = "1e-12", max = "1e12",
                doc = "factor prior precision (all dimensions): initial, or fixed with learn_tau=false") double tau,
        @Param(value = "2", min = "1e-12", max = "1e12",
                doc = "bias prior precision (users and items): initial, or fixed with learn_gamma=false") double gamma,
        @Param(value = "true", doc = "learn lambda = N / sum E[(r - pred)^2] each sweep") boolean learnLambda,
        @Param(value = "true", doc = "learn the factor priors each sweep: ARD tau_k = rows / sum E[u_k^2]; "
                + "gaussian m0, P (false: fixed N(0, I/tau))") boolean learnTau,
        @Param(value = "true",
                doc = "learn gamma_u = users / sum E[b_u^2] and gamma_i = items / sum E[b_i^2] each sweep")
        boolean learnGamma,
        @Param(value = "true", doc = "learn the global offset mu (ELBO-maximising point estimate) each sweep; "
                + "false: the training mean") boolean learnMu,
        @Param(value = "0.1", min = "0", max = "100", doc = "sd of the random initial means (and initial posterior sd)")
        double initStdev) implements AlgorithmConfig {

    /** Posterior covariance of each row: K variances (the mean-field projection) or a full K x K matrix. */
    public enum Covariance {
        DIAGONAL, FULL
    }

    /** The factor prior: per-dimension ARD precisions, or a learned Gaussian with mean and full precision. */
    public enum FactorPrior {
        ARD, GAUSSIAN
    }

    public static VbmfConfig defaults() {
        return ParamSpec.of(VbmfConfig.class).defaults();
    }

    /** Whether rows carry a full K x K posterior covariance. */
    public boolean fullCovariance() {
        return covariance == Covariance.FULL;
    }

    /** Whether the factor prior is the learned Gaussian N(m0, P^-1) (else ARD). */
    public boolean gaussianPrior() {
        return prior == FactorPrior.GAUSSIAN;
    }

    public VbmfConfig withIterations(int n) {
        return new VbmfConfig(rank, covariance, prior, n, tol, lambda, tau, gamma, learnLambda, learnTau, learnGamma,
                learnMu, initStdev);
    }

    public VbmfConfig withCovariance(Covariance c) {
        return new VbmfConfig(rank, c, prior, iterations, tol, lambda, tau, gamma, learnLambda, learnTau, learnGamma,
                learnMu, initStdev);
    }

    public VbmfConfig withPrior(FactorPrior p) {
        return new VbmfConfig(rank, covariance, p, iterations, tol, lambda, tau, gamma, learnLambda, learnTau,
                learnGamma, learnMu, initStdev);
    }

    /** Same config with all hyper-parameter updates (mu, lambda, priors, gamma) switched on or off. */
    public VbmfConfig withLearning(boolean learn) {
        return new VbmfConfig(rank, covariance, prior, iterations, tol, lambda, tau, gamma, learn, learn, learn, learn,
                initStdev);
    }
}
