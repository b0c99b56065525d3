package org.varec.model.vae;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.nn.Mlp;

/**
 * Hyper-parameters of the VAE-based Bayesian MF with cross-feedback and attention ({@code vaebmf};
 * VAE-BMF paper, sec. 3, Algorithm 1; see {@link VaeBmfTrainer} and docs/vaebmf.md). The paper's
 * symbols: K = {@code rank}, K' = {@code intermediate_rank}, the L' hidden layers of each input
 * branch = {@code branch_hidden} (widths M(l')), the L hidden layers after the concatenation =
 * {@code hidden} (widths M(l)), beta_u, beta_v = {@code beta_u}, {@code beta_v}, B_U, B_V =
 * {@code user_batch}, {@code item_batch}. The rest the paper leaves open; each is a parameter here
 * and docs/vaebmf.md says why its default.
 *
 * <p><b>Presets.</b> {@code preset=a..e} are the convergence variants of sec. 4.6 and override the
 * switches and layer counts they name (whatever else is set): A no cross-feedback, L' = 0; B
 * cross-feedback without attention, L' = 0, L = 0; C no cross-feedback, L' = 1; D cross-feedback
 * without attention, L' = 1, L = 0; E cross-feedback and attention, L' = 1, L = 0 (A and C: L = 0
 * too, the paper does not say). A one-layer branch is {@code branch_hidden} = its first width (or
 * {@code intermediate_rank} when empty).
 */
public record VaeBmfConfig(
        @Param(value = "25", min = "1", max = "1000", doc = "K, length of the user and item embeddings u_i, v_j (25: "
                + "with K' = 75, one network per side, dropout 0.6 and weight decay 0.2 the best of the ML-1M validation "
                + "RMSEs measured, docs/vaebmf.md, eighth pass)")
        int rank,
        @Param(value = "75", min = "1", max = "10000", doc = "K', width of each branch's output (the intermediate "
                + "embeddings H_(L'+1), G_(L'+1) concatenated into S); 75 with K = 25 (docs/vaebmf.md, eighth pass)")
        int intermediateRank,
        @Param(value = "", doc = "hidden widths M(l') of the L' ReLU layers of each input branch after its sparse "
                + "input layer, comma-separated (empty: L' = 0, the default: better on ML-1M validation than one "
                + "layer of 50, and half the cost; docs/vaebmf.md)") String branchHidden,
        @Param(value = "", doc = "hidden widths M(l) of the L ReLU layers after the concatenation, comma-separated "
                + "(empty: L = 0, the heads are linear maps of S)") String hidden,
        @Param(value = "true", doc = "the observed-rating branches (false: the ablation 'no data input')")
        boolean dataInput,
        @Param(value = "true", doc = "the latent-input branches fed with the other side's samples (false: the "
                + "ablation 'no cross feedback', which also removes attention)") boolean crossFeedback,
        @Param(value = "true", doc = "attention of the mean and variance heads over the rated items' (users') "
                + "samples, eqs. (9)-(10) with a softmax (false: the ablation 'no attention')") boolean attention,
        @Param(value = "true", doc = "the mean head's attention averages the samples weighted by the row's centred "
                + "ratings, c = sum_j a_j (x_ij - c0) v_j (c0 the decoder offset), instead of eq. (10)'s sum_j a_j v_j "
                + "(false; true is a deviation that lowered the ML-1M validation RMSE by 0.005: docs/vaebmf.md; "
                + "ignored with data_input=false, whose encoders read no rating values)")
        boolean attentionRatings,
        @Param(value = "none", doc = "convergence variant of sec. 4.6 (a..e): overrides data_input, "
                + "cross_feedback, attention, branch_hidden and hidden as docs/vaebmf.md lists; none: as set")
        Preset preset,
        @Param(value = "true", doc = "one network with both heads per side (true, half the cost of two, and as accurate on ML-1M "
                + "with weight decay: docs/vaebmf.md, eighth pass; false: separate networks for the "
                + "means and the variances, as the paper's experiments)") boolean sharedEncoder,
        @Param(value = "true", doc = "scale each encoder input row (ratings and latent input) by 1/sqrt(its number "
                + "of entries), as Mult-VAE normalises its input (false: raw, as eq. (8))") boolean inputNorm,
        @Param(value = "false", doc = "subtract the decoder offset c (the training mean with center=true, else 0) "
                + "from each observed input rating before the scaling, so that the input says above or below average "
                + "(false: the raw ratings, as eq. (8))") boolean inputCenter,
        @Param(value = "false", absent = "false", doc = "add R r_i to the mean, r_i the ridge solution "
                + "(V_i^T V_i + tau I)^-1 V_i^T (x_i - c0) of the row's ratings on the other side's samples "
                + "(the conditional mean of u_i given V under its prior with unit noise precision, computed as data) and R a learned K x K map started at 0 "
                + "(not in the paper; needs data_input and cross_feedback, ignored otherwise; docs/vaebmf.md)")
        boolean ridgeInput,
        @Param(value = "0.6", min = "0", max = "0.99", absent = "0", doc = "entry dropout rate of the encoders' inputs "
                + "in training: each rated entry of a batch row is dropped with this probability from the observed "
                + "input, the latent input and the attention (it looks unrated; the kept entries of both inputs are "
                + "scaled by 1/(1 - rate), inverted dropout); the posteriors after each iteration and the model "
                + "encode without it (0: none; 0.5, Mult-VAE's rate, lowered the ML-1M validation RMSE by 0.005 with "
                + "decay 0.97 over 80 iterations: docs/vaebmf.md, fourth pass; 0.6 with K = 25, seventh pass)")
        double dropout,
        @Param(value = "0.1", min = "0", max = "100", doc = "beta_u, weight of the users' KL terms in eq. (7) "
                + "(0.1: best of 0.01, 0.1, 1 on ML-1M validation; docs/vaebmf.md)") double betaU,
        @Param(value = "0.1", min = "0", max = "100", doc = "beta_v, weight of the items' KL terms in eq. (7)")
        double betaV,
        @Param(value = "1", min = "1e-6", max = "1e6", doc = "precision of the N(0, I/tau) priors of u_i and v_j")
        double tau,
        @Param(value = "1", min = "1e-6", max = "1e6", doc = "noise precision of the Gaussian likelihood: "
                + "initial value, or fixed with learn_lambda=false") double lambda,
        @Param(value = "true", doc = "learn lambda = N / sum E[(r - pred)^2] after each iteration (the ELBO's "
                + "maximiser)") boolean learnLambda,
        @Param(value = "true", doc = "decode r = mean + u.v with the training mean (false: r = u.v as eq. (7))")
        boolean center,
        @Param(value = "1", min = "1", max = "100", doc = "reparameterised Monte Carlo samples of (u, v) per step")
        int mcSamples,
        @Param(value = "100", min = "1", max = "1000000", doc = "B_U, users per batch") int userBatch,
        @Param(value = "100", min = "1", max = "1000000", doc = "B_V, items per batch") int itemBatch,
        @Param(value = "sequential", doc = "sequential (default): a step per user batch (items' samples fixed), "
                + "then per item batch, about 2 (I + J) encodings an iteration; nested: Algorithm 1, one step per "
                + "(user batch, item batch) on the ratings between them, both encoders (about 38x the cost on ML-1M)")
        Schedule schedule,
        @Param(value = "80", min = "1", max = "1000000", doc = "iterations of Algorithm 1 (one pass over all "
                + "batches, then the samples are redrawn; a cap under early stopping)") int epochs,
        @Param(value = "0.001", min = "0", minExclusive = true, max = "1", doc = "Adam step size")
        double learningRate,
        @Param(value = "0.2", min = "0", max = "100", absent = "0", doc = "decoupled weight decay of the encoders' "
                + "weights (AdamW: each step multiplies the weights it updates by 1 - step size x weight_decay; biases "
                + "are not decayed; 0: none; not in the paper; 0.2 lowered the ML-1M test RMSE by 0.0016-0.0029 over "
                + "three splits, docs/vaebmf.md, eighth pass)") double weightDecay,
        @Param(value = "0.97", min = "0", minExclusive = true, max = "1", absent = "1",
                doc = "learning-rate factor applied after each epoch (1 = constant)") double decay,
        @Param(value = "0", min = "0", max = "0.999", absent = "0", doc = "the model predicts from an exponential "
                + "moving average of the iterations' posterior means and variances: this weight on the previous "
                + "average (0: the last iteration's posteriors)") double average,
        @Param(value = "0.1", min = "0", max = "10", doc = "std. deviation of the initial samples U, V "
                + "(Algorithm 1 line 2) and of the encoders' first posteriors") double initStdev) implements AlgorithmConfig {

    /** The sec. 4.6 variants. */
    public enum Preset {
        NONE, A, B, C, D, E
    }

    /** Algorithm 1's nested loop, or the alternating (sequential) one of sec. 3.3. */
    public enum Schedule {
        NESTED, SEQUENTIAL
    }

    public VaeBmfConfig {
        Mlp.parseHidden(branchHidden);
        Mlp.parseHidden(hidden);
        if (preset != null && preset != Preset.NONE) {
            int[] b = Mlp.parseHidden(branchHidden);
            String one = b.length > 0 ? Integer.toString(b[0]) : Integer.toString(intermediateRank);
            dataInput = true;
            crossFeedback = preset == Preset.B || preset == Preset.D || preset == Preset.E;
            attention = preset == Preset.E;
            branchHidden = preset == Preset.A || preset == Preset.B ? "" : one;
            hidden = "";
        }
        if (!dataInput && !crossFeedback) {
            throw new IllegalArgumentException("vaebmf needs an input: data_input and cross_feedback cannot both "
                    + "be false");
        }
    }

    public static VaeBmfConfig defaults() {
        return ParamSpec.of(VaeBmfConfig.class).defaults();
    }

    /** Whether attention is in the computation: it attends over the latent inputs, so needs them. */
    public boolean usesAttention() {
        return attention && crossFeedback;
    }

    public int[] branchSizes() {
        return Mlp.parseHidden(branchHidden);
    }

    public int[] hiddenSizes() {
        return Mlp.parseHidden(hidden);
    }
}
