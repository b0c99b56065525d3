package org.varec.model.sbm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.nn.Mlp;

/**
 * Hyper-parameters of the Dirichlet-process stochastic block model ({@code sbm}; NNMF paper,
 * sec. 4, eqs. 4-9 and Algorithm 1; see {@code docs/networks.md}): every vertex i belongs to a group
 * Z_i drawn from a stick-breaking prior truncated at T groups, each group c has features U_c
 * (length K) and U'_c1..U'_cD (length K' each), and a pair links with probability
 * {@code sigmoid(f_theta([U_a, U_b, U'_a1 o U'_b1, ..., U'_aD o U'_bD]))} for groups a, b. Mean-field
 * q: Mult(eta_i) per vertex, Beta(rho_c1, rho_c2) per stick, Gaussian per feature and weight.
 *
 * <p>{@code hidden=} (empty, the default) is the paper's linear variant. The paper takes K, D, K'
 * and the optimiser from its sec. 3.1; the schedule (step size, Monte Carlo draws, the damped
 * stick and prior updates, the truncation needed on this network) is ours: docs/networks.md
 * gives the reasons and the measurements.
 */
public record SbmConfig(
        @Param(value = "7", min = "2", max = "1000", doc = "T, truncation of the stick-breaking prior: the most groups "
                + "the model can use (the paper: 7)") int truncation,
        @Param(value = "10", min = "0", max = "1000", doc = "K, length of the group features U_c") int rank,
        @Param(value = "60", min = "0", max = "1000", doc = "D, number of element-wise products U'_ad o U'_bd")
        int products,
        @Param(value = "1", min = "1", max = "100", doc = "K', length of each U'_cd") int productRank,
        @Param(value = "", doc = "hidden layer widths of f_theta, comma-separated, sigmoid units (empty: the linear "
                + "model, as the paper)") String hidden,
        @Param(value = "500", min = "1", max = "1000000", doc = "passes over the training pairs (Algorithm 1 "
                + "iterations for a full batch)") int epochs,
        @Param(value = "0", min = "0", max = "100000000", doc = "pairs per minibatch O_b of Algorithm 1 (0: all "
                + "training pairs at once)") int batchSize,
        @Param(value = "0.05", min = "0", minExclusive = true, max = "1",
                doc = "Adam step size of the features' and weights' variational means and rhos (the paper's 0.001 "
                        + "leaves the groups' link rates far from their data within the epochs)") double learningRate,
        @Param(value = "4", min = "1", max = "10000", legacy = "samples", doc = "Monte Carlo draws of q(U, U', theta) "
                + "per step, for the Bernoulli term of eq. (9) and the gradient") int mcSamples,
        @Param(value = "spectral", doc = "starting groups: spectral (regularised spectral clustering of the training "
                + "links into T groups) or random (eta_i drawn from a flat Dirichlet)") Init init,
        @Param(value = "50", min = "0", max = "1000000", doc = "epochs at the start in which only the features and "
                + "network learn, the groups held at their start (without it the first eq. (9) step sees "
                + "untrained, interchangeable groups and merges them)") int warmup,
        @Param(value = "1", min = "0", minExclusive = true, max = "1000", doc = "initial DP concentration alpha")
        double alpha,
        @Param(value = "true", doc = "learn alpha by type-I maximum likelihood (eq. 6 under q(V)); false keeps it "
                + "fixed") boolean learnAlpha,
        @Param(value = "1", min = "0", minExclusive = true, max = "1", doc = "step of the natural-gradient update "
                + "of q(V): the share of the way to its coordinate optimum per step (1: the closed form)")
        double stickRate,
        @Param(value = "0.02", min = "0", minExclusive = true, max = "1", doc = "share (in log space) by which "
                + "each prior variance moves from its start (1) to its type-II ML value per epoch (1: the closed "
                + "form at once)") double priorRate,
        @Param(value = "0.1", min = "0", max = "10", doc = "std. deviation of the random initial feature means")
        double initStdev,
        @Param(value = "0.1", min = "0", minExclusive = true, max = "10",
                doc = "initial posterior std. deviation softplus(rho) of every feature entry") double initPosteriorSd,
        @Param(value = "0.01", min = "0", minExclusive = true, max = "10",
                doc = "initial posterior std. deviation softplus(rho) of every network weight and bias")
        double initWeightPosteriorSd,
        @Param(value = "100", min = "1", max = "100000", doc = "Monte Carlo draws of q behind the saved "
                + "group-to-group link probabilities") int predictSamples) implements AlgorithmConfig {

    /** How the groups start. */
    public enum Init {
        SPECTRAL, RANDOM
    }

    public SbmConfig {
        Mlp.parseHidden(hidden); // validates
        if (rank == 0 && products == 0) {
            throw new IllegalArgumentException("rank and products cannot both be 0: the groups would have no features");
        }
    }

    public static SbmConfig defaults() {
        return ParamSpec.of(SbmConfig.class).defaults();
    }

    /** The hidden layer widths ({@code ""} gives none). */
    public int[] hiddenSizes() {
        return Mlp.parseHidden(hidden);
    }

    /** Width of the network input, 2K + D K'. */
    public int inputWidth() {
        return 2 * rank + products * productRank;
    }
}
