package org.varec.model.nnmf;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.model.Task;
import org.varec.nn.BayesianDense;
import org.varec.nn.Mlp;

/**
 * Hyper-parameters of Bayesian neural network matrix factorization ({@code bnnmf}; NNMF paper,
 * sec. 3, see {@code docs/nnmf.md}): ratings {@code X_nm ~ N(f_theta(x_nm), sigma^2)} with the
 * inputs {@code x_nm = [U_n, V_m, U'_n1 o V'_m1, ..., U'_nD o V'_mD, s_m]} of eq. (2)/(3),
 * zero-mean Gaussian priors with learned variances on U, V, U', V' and on every weight and bias of
 * f_theta, and a mean-field Gaussian q over all of them fitted by stochastic variational
 * inference. {@code hidden=} (empty) is the paper's VI(0), the linear model; {@code hidden=50,50,50}
 * is VI(3); {@code side=item} adds the genre indicators (VI(0)+S, VI(3)+S).
 *
 * <p>For networks (NNMF paper, sec. 4, eq. (4)): {@code task=classification} replaces the Gaussian
 * by a Bernoulli likelihood of 0/1 targets with probability {@code sigmoid(f_theta(x_nm))} (the
 * model then predicts link probabilities), and {@code shared_embeddings=true} gives every vertex
 * one set of features used on both sides ({@code U_n = V_n}, {@code U'_n = V'_n}), which needs
 * as many users as items. {@code task} is the canonical name of the choice between a rating and
 * a class-1 probability ({@link Task}, as fm-sgd, fm-mcmc and vfm spell it), so it is also set by
 * {@code --task classification}.
 *
 * <p>The paper fixes K, D, K', the network, Adam and the batch sizes; the optimisation schedule
 * (step size 0.01 rather than the paper's 0.001, its decay, the KL warm-up, the damped prior
 * updates, per-factor prior variances, the initial posterior scales) is ours: docs/nnmf.md says
 * why, with the measurements.
 */
public record BnnmfConfig(
        @Param(value = "10", min = "1", max = "1000", doc = "K, length of the embeddings U_n and V_m") int rank,
        @Param(value = "60", min = "1", max = "1000", doc = "D, number of element-wise products U'_nd o V'_md")
        int products,
        @Param(value = "1", min = "1", max = "100", doc = "K', length of each U'_nd and V'_md") int productRank,
        @Param(value = "50,50,50", doc = "hidden layer widths, comma-separated, sigmoid units (empty: the linear "
                + "model VI(0))") String hidden,
        @Param(value = "none", doc = "side information: none, or item (the item's genre indicators, group "
                + "'genre', concatenated to the input)") Side side,
        @Param(value = "regression", doc = "regression (Gaussian likelihood N(f, sigma^2), learned noise variance; "
                + "predicts the rating) or classification (Bernoulli likelihood of 0/1 targets with probability "
                + "sigmoid(f), e.g. network links; predicts that probability)") Task task,
        @Param(value = "false", doc = "one embedding per vertex on both sides (U = V, U' = V', the paper's network "
                + "model); needs as many users as items (a network's vertices)") boolean sharedEmbeddings,
        @Param(value = "600", min = "1", max = "1000000",
                doc = "passes over the shuffled training ratings after the pretraining, if any (each batch: a network "
                        + "step, then an embedding step)")
        int epochs,
        @Param(value = "0", min = "0", max = "1000000", absent = "0", doc = "epochs of the linear model VI(0) (one "
                + "linear layer in place of the hidden ones) on the embeddings before the network's epochs, whose q "
                + "of U, V, U', V' then starts the network's run, with the step-size schedule restarted (as convncf's "
                + "pretrain; 0: none; needs hidden layers)") int pretrain,
        @Param(value = "false", absent = "false", doc = "a linear skip head: the output is x . w_s + b_s (the linear "
                + "model VI(0), learned prior) plus the network, whose output layer starts at 0 (a residual on the "
                + "linear model); with pretrain the head starts at the pretrained linear layer, so that the network's "
                + "run starts at the VI(0) solution (needs hidden layers)") boolean skip,
        @Param(value = "0", min = "0", max = "1000000", absent = "0", doc = "epoch of the run (counting the "
                + "pretraining's) from which q is averaged over the steps (Polyak; means averaged, variances averaged "
                + "as variances) for the returned model; 0: off, the last iterate (vfm's spelling; its 0 differs). "
                + "Must lie in the network's epochs") int averageFrom,
        @Param(value = "0", min = "0", max = "100000000", doc = "ratings per minibatch (0: full batch, as the "
                + "paper on ML-100K; the paper used 30000 on ML-1M)") int batchSize,
        @Param(value = "1", min = "1", max = "1000", absent = "1", doc = "reparameterised draws of q per step (each "
                + "step's data-term gradient is the mean over the draws; the KL terms are exact), for the network "
                + "step and the embedding step alike; each draw costs a forward and backward pass") int mcSamples,
        @Param(value = "weights", absent = "weights", doc = "how a step draws the network's noise: weights (one "
                + "draw of every weight and bias shared by the batch, Blundell et al. 2015) or local (each "
                + "layer's pre-activations drawn from their Gaussian given the layer's input, independently per "
                + "rating: the same expected gradient with less variance, Kingma, Salimans and Welling 2015; two "
                + "matrix products per layer instead of one; not with skip=true)")
        BayesianDense.Reparameterisation reparameterisation,
        @Param(value = "0.01", min = "0", minExclusive = true, max = "1",
                doc = "Adam step size for every variational mean and rho and the log noise variance (the paper: "
                        + "0.001)") double learningRate,
        @Param(value = "0.3", min = "0", max = "1", doc = "share of the epochs at the end over which the step "
                + "size decays linearly to lr_floor times its start (0: constant)") double lrDecay,
        @Param(value = "0.1", min = "0", max = "1", doc = "the step size at the end of the decay, as a share of "
                + "learning_rate") double lrFloor,
        @Param(value = "100", min = "0", max = "1000000", doc = "epochs over which the weight of the KL terms "
                + "rises linearly to 1 (0: full weight from the start)") int klWarmup,
        @Param(value = "0.02", min = "0", minExclusive = true, max = "1", doc = "share (in log space) by which "
                + "each prior variance moves from its start (1) to its type-II ML value per epoch (1: the closed "
                + "form at once)") double priorRate,
        @Param(value = "factors", doc = "entries sharing a prior variance: array (one per array U, V, U', V', "
                + "as the paper), products (one per product d of U', V') or factors (also one per column of U, V); "
                + "every weight matrix and bias has one") PriorScope priorScope,
        @Param(value = "0", min = "0", max = "100", absent = "0", doc = "prior variance of every network weight "
                + "matrix, held fixed (0: learned by type-II ML like every other prior variance, the paper); "
                + "a small value regularises the network more than the learned priors do") double weightPriorVar,
        @Param(value = "0.1", min = "0", max = "10", doc = "std. deviation of the random initial embedding means")
        double initStdev,
        @Param(value = "0.1", min = "0", minExclusive = true, max = "10",
                doc = "initial posterior std. deviation softplus(rho) of every embedding entry")
        double initPosteriorSd,
        @Param(value = "0.01", min = "0", minExclusive = true, max = "10",
                doc = "initial posterior std. deviation softplus(rho) of every network weight and bias")
        double initWeightPosteriorSd,
        @Param(value = "30", min = "1", max = "100000",
                doc = "Monte Carlo draws of q behind each predictive mean and variance of a network or the Bernoulli "
                        + "model, and the draws a fold-in steps against (the linear Gaussian model, VI(0), predicts its "
                        + "exact moments)") int predictSamples,
        @Param(value = "200", min = "0", max = "1000000", doc = "SVI steps of a fold-in (only the new user's q moves)")
        int foldInSteps,
        @Param(value = "0.05", min = "0", minExclusive = true, max = "1",
                doc = "initial Adam step size of a fold-in (decays linearly to 0 over its steps)")
        double foldInLearningRate) implements AlgorithmConfig {

    /** Which entries of the embedding tables share a prior variance. */
    public enum PriorScope {
        ARRAY, PRODUCTS, FACTORS
    }

    /** Side information of the item input. */
    public enum Side {
        NONE, ITEM
    }

    public BnnmfConfig {
        int layers = Mlp.parseHidden(hidden).length; // validates
        if (pretrain > 0 && layers == 0) {
            throw new IllegalArgumentException("bnnmf pretrain=" + pretrain + " pretrains the embeddings of a network "
                    + "with the linear model, but hidden= (empty) is the linear model itself: set hidden layers or "
                    + "pretrain=0");
        }
        if (skip && layers == 0) {
            throw new IllegalArgumentException("bnnmf skip=true adds a linear head beside the hidden layers, but "
                    + "hidden= (empty) is the linear model itself: set hidden layers or skip=false");
        }
        if (skip && reparameterisation == BayesianDense.Reparameterisation.LOCAL) {
            throw new IllegalArgumentException("bnnmf skip=true has no local reparameterisation: set "
                    + "reparameterisation=weights or skip=false");
        }
        if (averageFrom != 0 && (averageFrom <= pretrain || averageFrom > pretrain + epochs)) {
            throw new IllegalArgumentException("bnnmf average_from=" + averageFrom + " must be 0 (off) or an epoch of "
                    + "the network's run, " + (pretrain + 1) + ".." + (pretrain + epochs) + " (pretrain=" + pretrain
                    + ", epochs=" + epochs + ")");
        }
    }

    public static BnnmfConfig defaults() {
        return ParamSpec.of(BnnmfConfig.class).defaults();
    }

    /** The hidden layer widths ({@code ""} gives none). */
    public int[] hiddenSizes() {
        return Mlp.parseHidden(hidden);
    }

    /** Whether the likelihood is Bernoulli on the logit f (task=classification). */
    public boolean classification() {
        return task == Task.CLASSIFICATION;
    }

    /** D K', the length of a user's (or item's) U' row. */
    public int productWidth() {
        return products * productRank;
    }
}
