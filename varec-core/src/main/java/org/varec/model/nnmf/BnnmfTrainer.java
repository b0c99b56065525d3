package org.varec.model.nnmf;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.BayesianDense;
import org.varec.nn.GaussianArray;
import org.varec.nn.GaussianAverage;
import org.varec.nn.GaussianLikelihood;
import org.varec.nn.Loss;
import org.varec.nn.ParamArray;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Stochastic variational inference for {@code bnnmf} (NNMF paper, sec. 3; docs/nnmf.md). The
 * model: {@code X_nm ~ N(f_theta(x_nm), sigma^2)} with {@code x_nm = [U_n, V_m, U'_n o V'_m, s_m]}
 * ({@link NnmfInputs}), every entry of U, V, U', V' and every weight and bias of theta a priori
 * N(0, s_a^2) with learned variances s_a^2, and the mean-field posterior
 * {@code q = prod_i N(mu_i, softplus(rho_i)^2)} over all of them. The negative ELBO
 * <pre>
 *   -ELBO = sum_(n,m) E_q[ 1/2 log(2 pi sigma^2) + (X_nm - f_theta(x_nm))^2 / (2 sigma^2) ] + sum_a KL(q_a || N(0, s_a^2))
 * </pre>
 * is minimised by Adam ({@code learning_rate}) on every mean, rho and on log sigma^2, with
 * reparameterised one-sample gradients (Kingma and Welling 2014) and closed-form KL terms
 * ({@link GaussianArray}).
 *
 * <p><b>Networks</b> (NNMF paper, sec. 4). {@code task=classification}: the targets are 0/1 and
 * the likelihood is Bernoulli on the logit, {@code X_nm ~ Bernoulli(sigmoid(f_theta(x_nm)))}; the
 * data term is {@code E_q[softplus(f) - X_nm f]} ({@link Loss#LOGISTIC}, stable for any f), there
 * is no sigma^2, and the output bias starts at the logit of the training mean.
 * {@code shared_embeddings=true}: V is U and V' is U' (the same {@link GaussianArray}s), so the
 * input of (n, m) is {@code [U_n, U_m, U'_n o U'_m]}; a batch's vertices are drawn once per pass,
 * each row gets the gradients of both its sides, and its KL share counts its occurrences on
 * either side. A network's training data holds each pair in both orientations, so each unordered
 * pair enters the data term twice (once per input order).
 *
 * <p><b>Schedule</b> (the paper: "the neural network parameters theta and the inputs U, V, U', V'
 * ... are updated in alternating steps"). An epoch is one pass over the training ratings in
 * batches of {@code batch_size} (0: one full batch; otherwise reshuffled each epoch); on each batch
 * <ol>
 * <li>a network step: fresh draws of the batch's embedding rows and of theta, forward, backward to
 * the weights only; Adam on the means and rhos of theta and on log sigma^2;
 * <li>an embedding step on the same batch: fresh draws again (with the updated theta), backward to
 * the inputs only; Adam on the means and rhos of the batch's rows of U, V, U', V' (lazy rows).
 * </ol>
 * The step size decays linearly to {@code lr_floor} (default a tenth) of its start over the last
 * {@code lr_decay} share of the epochs.
 *
 * <p><b>Priors</b>: every variance starts at {@value #INITIAL_PRIOR_VARIANCE} and, at the end of
 * each epoch, moves the share {@code prior_rate} of the way (in log space) to its type-II maximum
 * likelihood value for the current q, {@code s^2 = mean(mu^2 + sigma^2)} over the entries sharing
 * it ({@link GaussianArray#optimalGroupVariances}; the same fixed point as
 * {@link GaussianArray#updatePriorVariance}, reached gradually, as q is). {@code prior_scope}
 * says which entries share one: per array as the paper, or per product d of U', V' (and per column
 * of U, V), so that factors the data do not support can go to their prior without pulling the
 * variance of the others down ({@link GaussianArray#usePriorGroups}). {@code weight_prior_var} > 0
 * instead holds every weight matrix's prior variance at that value: the type-II ML variance of a
 * layer is its weights' own mean square, which hardly pulls them toward 0 on large data. The KL terms are weighted
 * by a factor rising linearly from 1/{@code kl_warmup} to 1 over the first {@code kl_warmup}
 * epochs. docs/nnmf.md shows what each of these choices is for.
 *
 * <p><b>Pretraining</b> ({@code pretrain} epochs; the spelling and run layout of convncf's, which
 * starts its network from MF embeddings as He et al. 2018 do, and NeuMF's pretrained parts). The
 * first {@code pretrain} epochs fit VI(0), the linear model, with the same steps: one linear
 * Bayesian layer (drawn where a {@code hidden=} run draws its network; learned priors) stands in
 * for the hidden layers, so these epochs are exactly the {@code hidden= epochs=pretrain} run of the
 * same seed (but for {@code weight_prior_var}, which is for the hidden network only). Then that
 * layer is dropped and the network of {@code hidden} takes over for {@code epochs} epochs from its
 * usual initialisation, while q of U, V, U', V', their prior variances, their Adam moments and
 * sigma^2 carry over. The step-size schedule restarts with the
 * network's epochs (each phase decays over its own last {@code lr_decay} share); the KL warm-up
 * counts from the first epoch of the run. Snapshots (validation probes, {@code --restore-best})
 * are always the model of the config, whose network is still at its initialisation during the
 * pretraining: with early stopping, use a patience of more than {@code pretrain} epochs. With
 * {@code pretrain=0} the run draws and computes exactly what it did before the parameter existed.
 *
 * <p><b>Linear skip head</b> ({@code skip=true}; {@link BnnmfNetwork}): the output is a Bayesian
 * linear unit of the inputs plus the network, whose output layer starts at 0. At the end of a
 * pretraining the head takes over q of the pretraining's linear layer, so that the network's run
 * starts at the VI(0) solution instead of from a random network; the head keeps a learned prior
 * ({@code weight_prior_var} is for the network's weights).
 *
 * <p><b>Iterate averaging</b> ({@code average_from} > 0; Polyak and Juditsky 1992, as vfm's
 * {@code average_from}). From that epoch of the run on, after every step the q of every array of
 * the model (U, V, U', V', each weight and bias of the network) is added to a running average
 * ({@link GaussianAverage}: means averaged, variances averaged as variances), and sigma^2 to its
 * own; the snapshot (the returned model, the validation probes) is then the averaged q. Minibatch
 * SVI leaves its iterates scattered around the optimum by the gradient noise; their average is
 * closer to it than any one iterate. Training never reads the averages: with
 * {@code average_from=0} (default) the run is what it was before the parameter existed.
 *
 * <p><b>KL weights</b> (GaussianArray's conventions, so that an epoch's steps add up to -ELBO): a
 * step on B of the N training ratings weights the KL of each network array by B/N; row r of an
 * embedding table is charged (its ratings in the batch) / (its ratings in the training set) of
 * its KL. Rows without training ratings keep q equal to their prior (the ELBO optimum: no data, KL
 * 0), re-set whenever the prior variance changes.
 *
 * <p><b>Initialisation</b>: embedding means ~ N(0, init_stdev^2) with posterior sd
 * {@code init_posterior_sd}; weight means Glorot normal (times 4 before a sigmoid, Glorot and
 * Bengio 2010) with posterior sd {@code init_weight_posterior_sd}; bias means 0 except the output
 * bias at the training mean; noise variance at the training ratings' variance.
 *
 * <p>Figures per epoch: {@code elbo} (the epoch's network-step data terms, a one-draw Monte Carlo
 * estimate, minus the KL at the epoch's end), {@code train_rmse} (of those one-draw predictions: it
 * includes the parameter noise, so it is above the RMSE of the predictive mean), {@code noise_sd}.
 *
 * <p>Randomness: all from the seed; noise of step t keyed by (seed, array, t) per row
 * ({@link GaussianArray}), the shuffles by (seed, epoch). Work on the pool in fixed blocks; the
 * scatter of input gradients into embedding rows runs in batch order. The same seed gives the same
 * model for any thread count.
 */
public final class BnnmfTrainer implements Trainer<BnnmfModel> {
    /** Every prior variance starts here and moves to its type-II ML value at {@code prior_rate} per epoch. */
    static final double INITIAL_PRIOR_VARIANCE = 1.0;
    private static final int INPUT_BLOCK = 512;
    private static final long INIT_STREAM = 1;
    private static final long SHUFFLE_STREAM = 2;
    private static final long NOISE_STREAM = 3;

    private final BnnmfConfig config;

    public BnnmfTrainer(BnnmfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "bnnmf";
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /** One SVI run; see the class doc. */
    public final class Run implements EpochTrainer<BnnmfModel> {
        private final Parallel pool;
        private final long seed;
        private final long noiseSeed;
        private final int n;
        private final int k;
        private final int p;
        private final int g;
        private final int width;
        private final int[] users;
        private final int[] items;
        private final float[] values;
        private final int[] order;
        private final int[] userTotal;
        private final int[] itemTotal;
        private final boolean[] userSeen;
        private final boolean[] itemSeen;
        /** task=classification: Bernoulli likelihood on the logit (no noise variance). */
        private final boolean classification;
        /** shared_embeddings: V is U and V' is U' (one row per vertex); the "user" lists then hold the batch's vertices. */
        private final boolean shared;
        private final float[] side;
        private final NnmfInputs inputs;
        private final GaussianArray u;
        private final GaussianArray v;
        private final GaussianArray up;
        private final GaussianArray vp;
        private final GaussianArray[] tables;
        /** The model's network ({@code hidden} layers). */
        private final BnnmfNetwork net;
        /** pretrain > 0: the linear network of the pretraining epochs (VI(0)); else null. */
        private final BnnmfNetwork linear;
        /** The network the steps train: {@link #linear} in the pretraining epochs, then {@link #net}. */
        private BnnmfNetwork active;
        /** The Gaussian likelihood (regression); null for classification. */
        private final GaussianLikelihood likelihood;
        private final ParamAdam adam;
        private final ParamAdam rhoAdam;
        /** Means (and log sigma^2) and rhos of the active network: what a network step moves. */
        private List<ParamArray> netParams;
        private List<ParamArray> netRhos;
        private final List<ParamArray> embeddingParams;
        private final List<ParamArray> embeddingRhos;
        private final int batch;
        /** reparameterisation=local: pre-activation noise per rating (BnnmfNetwork#forwardLocal). */
        private final boolean localNoise;
        // batch buffers
        private final int[] bu;
        private final int[] bi;
        private final float[] by;
        private final float[] x;
        private final float[] dX;
        private final float[] dOut;
        private final int[] userInBatch;
        private final int[] itemInBatch;
        private final int[] distinctUsers;
        private final int[] distinctItems;
        private final float[] userKlWeight;
        private final float[] itemKlWeight;
        private final double[] userKlShare;
        private final double[] itemKlShare;
        private int numUsersInBatch;
        private int numItemsInBatch;
        private long step;
        private double klScale = 1;
        /** average_from > 0: the running averages of q of every array of the model (U, V, U', V', theta), else empty. */
        private final Map<GaussianArray, GaussianAverage> averages = new IdentityHashMap<>();
        /** The running average of sigma^2 over the averaged steps. */
        private double averageNoiseVariance;

        Run(TrainingData data, long seed, Parallel pool) {
            this.pool = pool;
            this.seed = seed;
            this.noiseSeed = Rng.deriveSeed(seed, NOISE_STREAM);
            RatingMatrix m = data.ratings();
            this.n = m.nnz();
            if (n == 0) {
                throw new IllegalArgumentException("bnnmf needs at least one training rating");
            }
            int nu = m.numUsers();
            int ni = m.numItems();
            this.classification = config.classification();
            this.shared = config.sharedEmbeddings();
            if (shared && nu != ni) {
                throw new IllegalArgumentException("bnnmf shared_embeddings=true needs as many users as items (one "
                        + "embedding per vertex of a network), got " + nu + " users and " + ni + " items");
            }
            this.k = config.rank();
            this.p = config.productWidth();
            this.side = config.side() == BnnmfConfig.Side.ITEM ? BnnmfGenres.indicators(data.itemFeatures(), ni) : null;
            this.g = side == null ? 0 : BnnmfGenres.count(data.itemFeatures());
            this.inputs = new NnmfInputs(k, p, g);
            this.width = inputs.width();
            // COO copy of the training ratings in CSR (user) order
            this.users = new int[n];
            this.items = new int[n];
            this.values = new float[n];
            int[] off = m.userOffsets();
            int[] ui = m.userItems();
            float[] uv = m.userValues();
            for (int a = 0; a < nu; a++) {
                for (int q = off[a]; q < off[a + 1]; q++) {
                    users[q] = a;
                    items[q] = ui[q];
                    values[q] = uv[q];
                }
            }
            this.order = new int[n];
            for (int q = 0; q < n; q++) {
                order[q] = q;
            }
            if (classification) {
                for (int q = 0; q < n; q++) {
                    if (values[q] != 0f && values[q] != 1f) {
                        throw new IllegalArgumentException("bnnmf task=classification needs 0/1 targets, got "
                                + values[q] + " for user " + users[q] + ", item " + items[q]);
                    }
                }
            }
            // a row's total: its ratings; with shared embeddings a vertex's occurrences on either side
            this.userTotal = new int[nu];
            this.itemTotal = shared ? userTotal : new int[ni];
            for (int q = 0; q < n; q++) {
                userTotal[users[q]]++;
                itemTotal[items[q]]++;
            }
            this.userSeen = new boolean[nu];
            this.itemSeen = shared ? userSeen : new boolean[ni];
            for (int a = 0; a < nu; a++) {
                userSeen[a] = userTotal[a] > 0;
            }
            for (int b = 0; b < ni; b++) {
                itemSeen[b] = itemTotal[b] > 0;
            }

            this.u = GaussianArray.sparse("U", nu, k);
            this.up = GaussianArray.sparse("U'", nu, p);
            this.v = shared ? u : GaussianArray.sparse("V", ni, k);
            this.vp = shared ? up : GaussianArray.sparse("V'", ni, p);
            this.tables = shared ? new GaussianArray[] {u, up} : new GaussianArray[] {u, v, up, vp};
            this.net = new BnnmfNetwork(BnnmfNetwork.sizes(width, config.hiddenSizes()), config.skip());
            double mean = m.mean();
            double var = 0;
            for (float r : values) {
                var += (r - mean) * (r - mean);
            }
            var /= n;
            this.likelihood = classification ? null : new GaussianLikelihood("noise", Math.max(var, 1e-6));

            Rng rng = Rng.stream(seed, INIT_STREAM);
            for (GaussianArray t : tables) {
                t.init(rng, config.initStdev(), config.initPosteriorSd());
                t.setPriorVariance(INITIAL_PRIOR_VARIANCE);
            }
            if (config.priorScope() != BnnmfConfig.PriorScope.ARRAY) {
                up.usePriorGroups(config.productRank());
                vp.usePriorGroups(config.productRank());
                up.setPriorVariance(INITIAL_PRIOR_VARIANCE);
                vp.setPriorVariance(INITIAL_PRIOR_VARIANCE);
            }
            if (config.priorScope() == BnnmfConfig.PriorScope.FACTORS) {
                u.usePriorGroups(1);
                v.usePriorGroups(1);
            }
            // the output starts at the training mean: of the rating, or of the 0/1 targets as a logit
            double start = classification ? logit(Math.min(1 - 1e-3, Math.max(1e-3, mean))) : mean;
            if (config.pretrain() > 0) {
                // VI(0)'s linear layer, drawn where a hidden= run draws its network, so that the pretraining
                // epochs are that run exactly; learned priors (weight_prior_var is for the hidden network)
                this.linear = new BnnmfNetwork(BnnmfNetwork.sizes(width, new int[0]));
                linear.init(rng, config.initWeightPosteriorSd(), start);
                linear.setPriorVariances(INITIAL_PRIOR_VARIANCE);
            } else {
                this.linear = null;
            }
            net.init(rng, config.initWeightPosteriorSd(), start);
            net.setPriorVariances(INITIAL_PRIOR_VARIANCE);
            if (config.weightPriorVar() > 0) {
                for (int l = 0; l < net.numLayers(); l++) {
                    if (!net.isSkip(l)) { // the skip head is the linear model: learned prior, as VI(0)
                        net.layer(l).weight().setPriorVariance(config.weightPriorVar());
                    }
                }
            }
            resetUnseenRows();

            this.adam = ParamAdam.of(config.learningRate());
            this.rhoAdam = ParamAdam.of(config.learningRate());
            activate(linear != null ? linear : net);
            List<ParamArray> ep = new ArrayList<>();
            List<ParamArray> er = new ArrayList<>();
            for (GaussianArray t : tables) {
                ep.add(t.mean());
                er.add(t.rho());
            }
            this.embeddingParams = List.copyOf(ep);
            this.embeddingRhos = List.copyOf(er);

            this.localNoise = config.reparameterisation() == BayesianDense.Reparameterisation.LOCAL;
            this.batch = config.batchSize() == 0 ? n : Math.min(config.batchSize(), n);
            this.bu = new int[batch];
            this.bi = new int[batch];
            this.by = new float[batch];
            this.x = new float[Math.multiplyExact(batch, width)];
            this.dX = new float[x.length];
            this.dOut = new float[batch];
            this.userInBatch = new int[nu];
            this.itemInBatch = new int[ni];
            // with shared embeddings the batch's vertices (both sides) are all in the "user" list
            this.distinctUsers = new int[Math.min(nu, shared ? 2 * batch : batch)];
            this.distinctItems = new int[shared ? 0 : Math.min(ni, batch)];
            this.userKlWeight = new float[distinctUsers.length];
            this.itemKlWeight = new float[distinctItems.length];
            this.userKlShare = new double[distinctUsers.length];
            this.itemKlShare = new double[distinctItems.length];
            if (config.averageFrom() > 0) {
                for (GaussianArray t : tables) {
                    averages.put(t, new GaussianAverage(t));
                }
                for (int l = 0; l < net.numLayers(); l++) {
                    averages.put(net.layer(l).weight(), new GaussianAverage(net.layer(l).weight()));
                    averages.put(net.layer(l).bias(), new GaussianAverage(net.layer(l).bias()));
                }
            }
        }

        /**
         * Makes {@code network} the one the network steps train (its arrays get fresh Adam moments:
         * the optimisers keep state per array). log sigma^2 carries over.
         */
        private void activate(BnnmfNetwork network) {
            List<ParamArray> np = new ArrayList<>();
            List<ParamArray> nr = new ArrayList<>();
            for (int l = 0; l < network.numLayers(); l++) {
                np.add(network.layer(l).weight().mean());
                np.add(network.layer(l).bias().mean());
                nr.add(network.layer(l).weight().rho());
                nr.add(network.layer(l).bias().rho());
            }
            if (likelihood != null) {
                np.add(likelihood.logVariance());
            }
            this.active = network;
            this.netParams = List.copyOf(np);
            this.netRhos = List.copyOf(nr);
        }

        /**
         * Moves each prior variance of {@code a} toward its type-II ML value s*^2 by the fraction
         * {@code rate} in log space: {@code s^2 <- (s^2)^(1 - rate) (s*^2)^rate} (rate 1: the
         * closed-form update).
         */
        private void updatePrior(GaussianArray a, double rate) {
            double[] target = a.optimalGroupVariances(pool);
            if (target.length == 1 && a.priorGroupWidth() == a.cols()) {
                a.setPriorVariance(blend(a.priorVariance(), target[0], rate));
                return;
            }
            int w = a.priorGroupWidth();
            for (int g = 0; g < target.length; g++) {
                a.setGroupPriorVariance(g, blend(a.priorVariance(g * w), target[g], rate));
            }
        }

        private static double logit(double q) {
            return Math.log(q / (1 - q));
        }

        private static double blend(double s2, double target, double rate) {
            return rate >= 1 ? target : Math.exp((1 - rate) * Math.log(s2) + rate * Math.log(target));
        }

        /**
         * 1 until the last {@code lr_decay} share of a phase's {@code total} epochs (the pretraining's,
         * then the network's), then linearly down to {@code lr_floor} at its last epoch.
         */
        private double stepSizeFactor(int epoch, int total) {
            double start = total * (1 - config.lrDecay());
            if (config.lrDecay() == 0 || epoch <= start) {
                return 1;
            }
            return 1 - (1 - config.lrFloor()) * Math.min(1, (epoch - start) / (total - start));
        }

        /** Rows without training ratings: q = prior (mean 0, sigma = s). */
        private void resetUnseenRows() {
            resetUnseen(u, userSeen);
            resetUnseen(up, userSeen);
            if (!shared) {
                resetUnseen(v, itemSeen);
                resetUnseen(vp, itemSeen);
            }
        }

        private void resetUnseen(GaussianArray t, boolean[] seen) {
            for (int r = 0; r < seen.length; r++) {
                if (!seen[r]) {
                    BnnmfModel.setToPrior(t, r, t);
                }
            }
        }

        @Override
        public int plannedEpochs() {
            return config.pretrain() + config.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            if (batch < n) {
                Rng.stream(Rng.deriveSeed(seed, SHUFFLE_STREAM), epoch).shuffle(order);
            }
            double nll = 0;
            double sse = 0;
            // the KL warm-up counts from the first epoch of the run (the pretrained q is past it);
            // the step-size schedule restarts with the network's epochs
            klScale = config.klWarmup() == 0 ? 1.0 : Math.min(1.0, (double) epoch / config.klWarmup());
            boolean pretraining = epoch <= config.pretrain();
            if (!pretraining && active != net) {
                if (net.hasSkip() && linear != null) {
                    net.startSkipFrom(linear); // the network's run starts at the pretrained linear model
                }
                activate(net);
            }
            double decay = pretraining ? stepSizeFactor(epoch, config.pretrain())
                    : stepSizeFactor(epoch - config.pretrain(), config.epochs());
            adam.setLearningRate(config.learningRate() * decay);
            rhoAdam.setLearningRate(config.learningRate() * decay);
            boolean averaging = config.averageFrom() > 0 && epoch >= config.averageFrom();
            for (int from = 0; from < n; from += batch) {
                int size = Math.min(batch, n - from);
                double[] r = step(from, size);
                nll += r[0];
                sse += r[1];
                if (averaging) {
                    addToAverage();
                }
            }
            double rate = config.priorRate();
            for (GaussianArray t : tables) {
                updatePrior(t, rate);
            }
            for (int l = 0; l < active.numLayers(); l++) {
                if (config.weightPriorVar() == 0 || active == linear || active.isSkip(l)) { // else held (weight_prior_var)
                    updatePrior(active.layer(l).weight(), rate);
                }
                updatePrior(active.layer(l).bias(), rate);
            }
            resetUnseenRows();
            double kl = active.kl(pool);
            for (GaussianArray t : tables) {
                kl += t.kl(pool);
            }
            figures.put("elbo", -(nll + kl));
            figures.put("train_rmse", Math.sqrt(sse / n));
            if (likelihood != null) {
                figures.put("noise_sd", Math.sqrt(likelihood.variance()));
            }
        }

        /** The network step and the embedding step on ratings {@code order[from .. from + size)}; returns {NLL, SSE} of the first. */
        double[] step(int from, int size) {
            loadBatch(from, size);
            long t = step++;
            // 1. network step: theta and log sigma^2 move, the embeddings are fixed
            double[] fit = networkPass(2 * t, size);
            adam.stepAndZeroGrad(netParams); // each step reads its own arrays' gradients only
            rhoAdam.stepAndZeroGrad(netRhos);
            // 2. embedding step: the batch's rows of U, V, U', V' move, theta is fixed
            embeddingPass(2 * t + 1, size, false);
            adam.stepAndZeroGrad(embeddingParams); // each step reads its own arrays' gradients only
            rhoAdam.stepAndZeroGrad(embeddingRhos);
            return fit;
        }

        /** Adds the current q (and sigma^2) to the running averages (average_from). */
        private void addToAverage() {
            for (GaussianAverage a : averages.values()) {
                a.add(pool);
            }
            if (likelihood != null) {
                int c = averages.get(u).count();
                averageNoiseVariance += (likelihood.variance() - averageNoiseVariance) / c;
            }
        }

        /** The averaged q of {@code a} once averaging has started, else {@code a} itself. */
        private GaussianArray averaged(GaussianArray a) {
            GaussianAverage avg = averages.get(a);
            return avg == null ? a : avg.average();
        }

        /** Ratings {@code order[from .. from + size)} into the batch buffers, with their distinct rows and KL shares. */
        void loadBatch(int from, int size) {
            for (int b = 0; b < size; b++) {
                int q = order[from + b];
                bu[b] = users[q];
                bi[b] = items[q];
                by[b] = values[q];
            }
            collectRows(size);
        }

        /**
         * The network step's objective on the loaded batch with the noise of step {@code t}: adds
         * its gradient w.r.t. the means and rhos of theta and log sigma^2 and returns {NLL, SSE,
         * NLL + (B/N) KL(theta)} (the KL times the warm-up scale).
         */
        double[] networkPass(long t, int size) {
            double klWeight = klScale * size / n;
            int draws = config.mcSamples();
            double nll = 0;
            double sse = 0;
            for (int s = 0; s < draws; s++) { // draw s of the rows and of theta; the data term averaged over draws
                drawRows(t, s);
                buildInputs(size);
                float[] f = forward(t, s, size);
                for (int b = 0; b < size; b++) {
                    double e = (classification ? GaussianArray.sigmoid(f[b]) : f[b]) - by[b];
                    sse += e * e;
                }
                nll += dataLoss(f, size, 1.0 / draws);
                if (localNoise) {
                    active.backwardLocal(x, dOut, size, true, null, pool);
                } else {
                    active.backward(x, dOut, size, true, null, pool);
                }
            }
            sse /= draws;
            active.addKlGradient(klWeight, pool);
            return new double[] {nll, sse, nll + klWeight * active.kl(pool)};
        }

        /**
         * The embedding step's objective on the loaded batch with the noise of step {@code t}: adds
         * its gradient w.r.t. the means and rhos of the batch's rows of U, V, U', V' and returns
         * NLL + sum over those rows of (KL share) KL(row) (with {@code objective}; else NLL only).
         */
        double embeddingPass(long t, int size, boolean objective) {
            int draws = config.mcSamples();
            double nll = 0;
            for (int s = 0; s < draws; s++) { // draw s of the rows and of theta; the data term averaged over draws
                drawRows(t, s);
                buildInputs(size);
                float[] f = forward(t, s, size);
                nll += dataLoss(f, size, 1.0 / draws);
                if (likelihood != null) {
                    likelihood.logVariance().zeroGrad();
                }
                if (localNoise) {
                    active.backwardLocal(x, dOut, size, false, dX, pool);
                } else {
                    active.backward(x, dOut, size, false, dX, pool);
                }
                scatterInputGradients(size);
                for (GaussianArray tb : tables) {
                    tb.accumulateGradients(1.0, pool);
                }
            }
            double kl = 0;
            for (int j = 0; j < numUsersInBatch; j++) {
                userKlWeight[j] = (float) (klScale * userKlShare[j]);
                if (objective) {
                    kl += userKlWeight[j] * (u.klRow(distinctUsers[j]) + up.klRow(distinctUsers[j]));
                }
            }
            for (int j = 0; j < numItemsInBatch; j++) {
                itemKlWeight[j] = (float) (klScale * itemKlShare[j]);
                if (objective) {
                    kl += itemKlWeight[j] * (v.klRow(distinctItems[j]) + vp.klRow(distinctItems[j]));
                }
            }
            u.addKlGradientRows(distinctUsers, userKlWeight, 0, numUsersInBatch, pool);
            up.addKlGradientRows(distinctUsers, userKlWeight, 0, numUsersInBatch, pool);
            if (!shared) {
                v.addKlGradientRows(distinctItems, itemKlWeight, 0, numItemsInBatch, pool);
                vp.addKlGradientRows(distinctItems, itemKlWeight, 0, numItemsInBatch, pool);
            }
            return nll + kl;
        }

        /** The active network's output on the loaded inputs with draw {@code s} of step {@code t}'s noise. */
        private float[] forward(long t, int s, int size) {
            if (localNoise) {
                return active.forwardLocal(x, size, noiseSeed, t, s, pool);
            }
            active.drawNoise(noiseSeed, t, s, pool);
            return active.forward(x, size, pool);
        }

        /**
         * -log p(y | f) summed over the loaded batch for network outputs {@code f}; writes its
         * gradient w.r.t. f into {@code dOut} (and, for the Gaussian, adds d/d log sigma^2 into its
         * gradient). Bernoulli on the logit: {@code softplus(f) - y f}, gradient {@code sigmoid(f) - y}
         * ({@link Loss#LOGISTIC}, formed without overflow).
         */
        private double dataLoss(float[] f, int size, double weight) {
            if (classification) {
                double loss = Loss.LOGISTIC.evaluate(f, by, null, dOut, size, 1, pool);
                if (weight != 1.0) {
                    for (int b = 0; b < size; b++) {
                        dOut[b] *= (float) weight;
                    }
                }
                return weight * loss;
            }
            return likelihood.lossAndGradient(by, f, dOut, size, weight);
        }

        /** The batch's distinct users and items (in first-seen order) and their KL shares. */
        private void collectRows(int size) {
            numUsersInBatch = 0;
            numItemsInBatch = 0;
            if (shared) {
                // one list of the batch's vertices, each counted on both sides (userInBatch is itemInBatch's role too)
                for (int b = 0; b < size; b++) {
                    if (userInBatch[bu[b]]++ == 0) {
                        distinctUsers[numUsersInBatch++] = bu[b];
                    }
                    if (userInBatch[bi[b]]++ == 0) {
                        distinctUsers[numUsersInBatch++] = bi[b];
                    }
                }
                for (int j = 0; j < numUsersInBatch; j++) {
                    int a = distinctUsers[j];
                    userKlShare[j] = (double) userInBatch[a] / userTotal[a];
                    userInBatch[a] = 0;
                }
                return;
            }
            for (int b = 0; b < size; b++) {
                if (userInBatch[bu[b]]++ == 0) {
                    distinctUsers[numUsersInBatch++] = bu[b];
                }
                if (itemInBatch[bi[b]]++ == 0) {
                    distinctItems[numItemsInBatch++] = bi[b];
                }
            }
            for (int j = 0; j < numUsersInBatch; j++) {
                int a = distinctUsers[j];
                userKlShare[j] = (double) userInBatch[a] / userTotal[a];
                userInBatch[a] = 0;
            }
            for (int j = 0; j < numItemsInBatch; j++) {
                int b = distinctItems[j];
                itemKlShare[j] = (double) itemInBatch[b] / itemTotal[b];
                itemInBatch[b] = 0;
            }
        }

        private void drawRows(long t, int s) {
            u.drawRows(distinctUsers, numUsersInBatch, noiseSeed, t, s, pool);
            up.drawRows(distinctUsers, numUsersInBatch, noiseSeed, t, s, pool);
            if (shared) {
                return;
            }
            v.drawRows(distinctItems, numItemsInBatch, noiseSeed, t, s, pool);
            vp.drawRows(distinctItems, numItemsInBatch, noiseSeed, t, s, pool);
        }

        private void buildInputs(int size) {
            float[] us = u.sample().value();
            float[] vs = v.sample().value();
            float[] ups = up.sample().value();
            float[] vps = vp.sample().value();
            pool.forBlocks(size, INPUT_BLOCK, (blk, lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int a = bu[b];
                    int m = bi[b];
                    inputs.row(us, a * k, vs, m * k, ups, a * p, vps, m * p, side, m * g, x, b * width);
                }
            });
        }

        /** dL/dx of each batch row into the sampled rows' gradients (batch order: rows repeat across the batch). */
        private void scatterInputGradients(int size) {
            for (int j = 0; j < numUsersInBatch; j++) {
                u.sample().touch(distinctUsers[j]);
                up.sample().touch(distinctUsers[j]);
            }
            for (int j = 0; j < numItemsInBatch; j++) { // none with shared embeddings: V is U
                v.sample().touch(distinctItems[j]);
                vp.sample().touch(distinctItems[j]);
            }
            // with shared embeddings gv is gu and gvp is gup: a vertex's gradients from both sides add up
            float[] ups = up.sample().value();
            float[] vps = vp.sample().value();
            float[] gu = u.sample().grad();
            float[] gv = v.sample().grad();
            float[] gup = up.sample().grad();
            float[] gvp = vp.sample().grad();
            for (int b = 0; b < size; b++) {
                int a = bu[b];
                int m = bi[b];
                inputs.addGradients(dX, b * width, ups, a * p, vps, m * p, gu, a * k, gv, m * k, gup, a * p, gvp, m * p);
            }
        }

        /** Means and rhos of theta and log sigma^2: what a network step moves (tests). */
        List<ParamArray> networkArrays() {
            List<ParamArray> a = new ArrayList<>(netParams);
            a.addAll(netRhos);
            return a;
        }

        /** Means and rhos of U, V, U', V': what an embedding step moves (tests). */
        List<ParamArray> embeddingArrays() {
            List<ParamArray> a = new ArrayList<>(embeddingParams);
            a.addAll(embeddingRhos);
            return a;
        }

        /** The number of training ratings. */
        int size() {
            return n;
        }

        @Override
        public BnnmfModel snapshot() {
            // always the model of the config (hidden layers), also in the pretraining epochs (as convncf):
            // it is what is saved under that config; the pretraining's linear layer is scaffolding
            // with average_from, once averaging has started: the averaged q (Polyak) and sigma^2
            boolean avg = !averages.isEmpty() && averages.get(u).count() > 0;
            GaussianArray[] w = new GaussianArray[net.numLayers()];
            GaussianArray[] b = new GaussianArray[net.numLayers()];
            for (int l = 0; l < w.length; l++) {
                w[l] = averaged(net.layer(l).weight());
                b[l] = averaged(net.layer(l).bias());
            }
            GaussianArray au = averaged(u);
            GaussianArray aup = averaged(up);
            double noise = likelihood == null ? Double.NaN : avg ? averageNoiseVariance : likelihood.variance();
            return new BnnmfModel(config, Rng.deriveSeed(seed, BnnmfModel.PREDICT_STREAM), noise,
                    au, shared ? au : averaged(v), aup, shared ? aup : averaged(vp), w, b, side, g, userSeen, itemSeen);
        }
    }
}
