package org.varec.model.sbm;

import java.util.ArrayList;
import java.util.List;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.BayesianDense;
import org.varec.nn.GaussianArray;
import org.varec.nn.ParamArray;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Stochastic variational inference for the Dirichlet-process stochastic block model (NNMF paper,
 * sec. 4, Algorithm 1), on a symmetric 0/1 network given as pairs in both orientations
 * ({@link org.varec.data.Networks}).
 *
 * <p><b>Model</b> (eqs. 4-7). Group c has features U_c (K) and U'_c1..U'_cD (K' each); for groups
 * a, b the network f_theta reads {@code x_ab = [U_a, U_b, U'_a1 o U'_b1, ..., U'_aD o U'_bD]}. The
 * paper feeds {@code x_{Z_i Z_j}} for i < j, which makes a pair's probability depend on how the
 * vertices happen to be numbered; we use the symmetrised logit {@code s_ab = (f(x_ab) + f(x_ba)) / 2}
 * (for the linear f this ties the weights of U_a and U_b) and {@code X_ij ~ Bernoulli(sigmoid(s_{Z_i Z_j}))}.
 * Priors: V_c ~ Beta(1, alpha) (eq. 6), Z_i ~ pi (eq. 5), zero-mean Gaussians with learned variances
 * on U, U' and every weight and bias (sec. 3).
 *
 * <p><b>Variational family</b> (eq. 8): Mult(eta_i), Beta(rho_c1, rho_c2) for c < T (V_T = 1), and
 * mean-field Gaussians on U, U', theta ({@link GaussianArray}, {@link BayesianDense}).
 *
 * <p><b>One step</b> on a minibatch O_b of training pairs (Algorithm 1; the default batch is all
 * of them):
 * <ol>
 * <li>Draw S samples of (U, U', theta) and compute the T x T matrices
 * {@code l1 = mean_s log sigmoid(s_ab)} and {@code l0 = mean_s log(1 - sigmoid(s_ab))}: the Monte
 * Carlo estimate of eq. (9)'s Bernoulli term. Given a sample the expectation over the partners'
 * groups is exact (a sum over their eta), so only q(U, U', theta) is sampled: T^2 network
 * evaluations per sample whatever the size of the graph.
 * <li>eta_n by eq. (9) for every vertex n of the batch, exactly over all of n's observed pairs
 * ({@link SbmBlocks#updateEta}).
 * <li>q(V) by a natural-gradient step of size {@code stick_rate} (1: the closed form), then alpha
 * by type-I maximum likelihood ({@link SbmBlocks}).
 * <li>and 5. One Adam step on the means and rhos of theta, U, U' along the reparameterised
 * gradient of the negative ELBO, whose likelihood part on the batch is
 * {@code -(|O| / |O_b|) sum_ab [N1_ab log sigmoid(s_ab) + N0_ab log(1 - sigmoid(s_ab))]} with the
 * soft counts {@code N_x = sym(sum_{(i,j) in O_b, X_ij = x} eta_i eta_j^T)}: all that a batch
 * contributes passes through T x T numbers. The KL terms are added with weight 1 (an unbiased
 * estimate of the full gradient).
 * </ol>
 * After each epoch every prior variance moves {@code prior_rate} of the way (in log space) to its
 * type-II ML value, as in bnnmf.
 *
 * <p><b>Guarantees.</b> Steps 2 and 3 are coordinate ascent on the ELBO with the Monte Carlo
 * term fixed ({@link SbmBlocks}: never decreases); step 4 is stochastic. Same seed, same result
 * for any thread count (the noise is keyed by seed, array, step and sample; sums are in fixed
 * order).
 *
 * <p><b>Cost.</b> A full-batch step is O(|O| T + N T^2) for eq. (9) and for the soft counts
 * (partner sums first, then one outer product per vertex) and O(S T^2 (2K + D K')) for the
 * network: on the NIPS network (24,535 training pairs) about a millisecond at T = 7.
 */
public final class SbmTrainer implements Trainer<SbmModel> {
    private static final long INIT_STREAM = 0x5b3a11L;
    private static final long SHUFFLE_STREAM = 0x5b3a12L;
    /** Share of a vertex's starting probability spread evenly over all groups. */
    private static final double INIT_SOFTNESS = 0.1;
    /** Noise "step" of the draws behind a snapshot's T x T matrices: apart from every training step. */
    private static final long SNAPSHOT_STEP = -1;
    private final SbmConfig config;

    public SbmTrainer(SbmConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "sbm";
    }

    @Override
    public EpochTrainer<SbmModel> start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /** Checks that the data is a symmetric 0/1 network without self-pairs. */
    static void requireNetwork(RatingMatrix r, String algorithm) {
        if (r.numUsers() != r.numItems()) {
            throw new IllegalArgumentException(algorithm + " models networks: the users and items must be the same "
                    + "vertices (read the data with --format adjacency or --format edges), got " + r.numUsers()
                    + " users and " + r.numItems() + " items");
        }
        int[] off = r.userOffsets();
        int[] nb = r.userItems();
        float[] x = r.userValues();
        for (int i = 0; i < r.numUsers(); i++) {
            for (int p = off[i]; p < off[i + 1]; p++) {
                int j = nb[p];
                if (x[p] != 0f && x[p] != 1f) {
                    throw new IllegalArgumentException(algorithm + " needs 0/1 links, got " + x[p] + " for pair ("
                            + i + ", " + j + ")");
                }
                if (j == i) {
                    throw new IllegalArgumentException(algorithm + ": self-pair on vertex " + i);
                }
                if (!r.contains(j, i)) {
                    throw new IllegalArgumentException(algorithm + " needs every pair in both orientations; (" + i
                            + ", " + j + ") has no (" + j + ", " + i + ")");
                }
            }
        }
    }

    /** One training run. */
    final class Run implements EpochTrainer<SbmModel> {
        private final long seed;
        private final Parallel pool;
        private final int n;
        private final int t;
        private final int k;
        private final int dk;
        private final int width;
        private final SbmBlocks blocks;
        /** Training pairs i < j: endpoints and link values. */
        private final int[] pi;
        private final int[] pj;
        private final float[] px;
        private final int[] pairOrder;
        private final GaussianArray u;
        private final GaussianArray u2;
        private final BayesianDense[] layers;
        private final List<GaussianArray> arrays = new ArrayList<>();
        private final List<ParamArray> params = new ArrayList<>();
        private final ParamAdam adam;
        /** Activations per layer, {@code T^2 x width_l}; acts[0] is the input. */
        private final float[][] acts;
        private final float[][] grads;
        private final double[] l1;
        private final double[] l0;
        private final double[] n1;
        private final double[] n0;
        private final double[] logits;
        private final double[] sum1;
        private final double[] sum0;
        private final int[] vertexOrder;
        private final int[] mark;
        private long step;

        Run(TrainingData data, long seed, Parallel pool) {
            RatingMatrix r = data.ratings();
            requireNetwork(r, "sbm");
            this.seed = seed;
            this.pool = pool;
            this.n = r.numUsers();
            this.t = config.truncation();
            this.k = config.rank();
            this.dk = config.products() * config.productRank();
            this.width = config.inputWidth();
            int[] off = r.userOffsets();
            int[] nb = r.userItems();
            float[] x = r.userValues();
            int m = 0;
            for (int i = 0; i < n; i++) {
                for (int p = off[i]; p < off[i + 1]; p++) {
                    if (nb[p] > i) {
                        m++;
                    }
                }
            }
            if (m == 0) {
                throw new IllegalArgumentException("sbm: no training pairs");
            }
            pi = new int[m];
            pj = new int[m];
            px = new float[m];
            int w = 0;
            for (int i = 0; i < n; i++) {
                for (int p = off[i]; p < off[i + 1]; p++) {
                    if (nb[p] > i) {
                        pi[w] = i;
                        pj[w] = nb[p];
                        px[w] = x[p];
                        w++;
                    }
                }
            }
            pairOrder = new int[m];
            for (int p = 0; p < m; p++) {
                pairOrder[p] = p;
            }
            Rng rng = Rng.stream(seed, INIT_STREAM);
            double[] eta = new double[n * t];
            if (config.init() == SbmConfig.Init.SPECTRAL) {
                // the spectral partition, softened so that eq. (9) can still move every vertex
                int[] label = SpectralClustering.cluster(n, off, nb, x, Math.min(t, n), Rng.deriveSeed(seed, INIT_STREAM));
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < t; c++) {
                        eta[i * t + c] = (c == label[i] ? 1 - INIT_SOFTNESS : 0) + INIT_SOFTNESS / t;
                    }
                }
            }
            // random: eta_i ~ Dirichlet(1, ..., 1), exponential draws normalised
            for (int i = 0; i < n && config.init() == SbmConfig.Init.RANDOM; i++) {
                double z = 0;
                for (int c = 0; c < t; c++) {
                    double e = -Math.log(1 - rng.nextDouble());
                    eta[i * t + c] = e;
                    z += e;
                }
                for (int c = 0; c < t; c++) {
                    eta[i * t + c] /= z;
                }
            }
            blocks = new SbmBlocks(n, t, off, nb, x, eta, config.alpha());
            blocks.updateSticks(1); // q(V) at its optimum for the starting groups
            u = k == 0 ? null : GaussianArray.dense("U", t, k);
            u2 = dk == 0 ? null : GaussianArray.dense("U'", t, dk);
            for (GaussianArray g : new GaussianArray[] {u, u2}) {
                if (g != null) {
                    g.init(rng, config.initStdev(), config.initPosteriorSd());
                    arrays.add(g);
                    params.add(g.mean());
                    params.add(g.rho());
                }
            }
            int[] hidden = config.hiddenSizes();
            int[] sizes = new int[hidden.length + 2];
            sizes[0] = width;
            System.arraycopy(hidden, 0, sizes, 1, hidden.length);
            sizes[sizes.length - 1] = 1;
            layers = new BayesianDense[sizes.length - 1];
            acts = new float[sizes.length][];
            grads = new float[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                acts[l] = new float[t * t * sizes[l]];
                grads[l] = new float[t * t * sizes[l]];
            }
            for (int l = 0; l < layers.length; l++) {
                layers[l] = new BayesianDense("net." + l, sizes[l], sizes[l + 1], BayesianDense.Reparameterisation.WEIGHTS);
                double gain = l == 0 ? 1 : 4; // Glorot's factor 4 for inputs from sigmoid units
                layers[l].init(rng, gain * Math.sqrt(1.0 / sizes[l]), config.initWeightPosteriorSd());
                arrays.add(layers[l].weight());
                arrays.add(layers[l].bias());
                params.addAll(layers[l].params());
            }
            adam = ParamAdam.of(config.learningRate());
            l1 = new double[t * t];
            l0 = new double[t * t];
            n1 = new double[t * t];
            n0 = new double[t * t];
            logits = new double[t * t];
            sum1 = new double[t];
            sum0 = new double[t];
            vertexOrder = new int[n];
            mark = new int[n];
        }

        @Override
        public int plannedEpochs() {
            return config.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            int m = pi.length;
            int batch = config.batchSize() == 0 ? m : Math.min(config.batchSize(), m);
            if (batch < m) {
                Rng.stream(Rng.deriveSeed(seed, SHUFFLE_STREAM), epoch).shuffle(pairOrder);
            }
            for (int from = 0; from < m; from += batch) {
                step(epoch, from, Math.min(batch, m - from));
            }
            for (GaussianArray g : arrays) {
                movePrior(g, config.priorRate());
            }
            double loglik = blocks.expectedLogLikelihood(l1, l0);
            double kl = 0;
            for (GaussianArray g : arrays) {
                kl += g.kl(pool);
            }
            figures.put("elbo", blocks.objective(l1, l0) - kl);
            figures.put("loglik", loglik / m);
            figures.put("groups", blocks.occupied());
            figures.put("alpha", blocks.alpha);
        }

        /** Algorithm 1 on pairs {@code pairOrder[from .. from + size)}. */
        private void step(int epoch, int from, int size) {
            int m = pi.length;
            step++;
            int s = config.mcSamples();
            // 1. the Monte Carlo estimate of eq. (9)'s Bernoulli term
            java.util.Arrays.fill(l1, 0);
            java.util.Arrays.fill(l0, 0);
            for (int d = 0; d < s; d++) {
                draw(step, d);
                forward();
                for (int q = 0; q < t * t; q++) {
                    l1[q] += logSigmoid(logits[q]) / s;
                    l0[q] += logSigmoid(-logits[q]) / s;
                }
            }
            // 2. eta of the batch's vertices, in a seeded random order
            int count;
            if (size == m) {
                for (int v = 0; v < n; v++) {
                    vertexOrder[v] = v;
                }
                count = n;
            } else {
                count = 0;
                for (int q = from; q < from + size; q++) {
                    int p = pairOrder[q];
                    for (int v : new int[] {pi[p], pj[p]}) {
                        if (mark[v] != step) {
                            mark[v] = (int) step;
                            vertexOrder[count++] = v;
                        }
                    }
                }
            }
            if (epoch > config.warmup()) {
                Rng.stream(Rng.deriveSeed(seed, SHUFFLE_STREAM), -step).shuffle(vertexOrder, 0, count);
                blocks.updateEta(vertexOrder, count, l1, l0);
                // 3. q(V), alpha
                blocks.updateSticks(config.stickRate());
                if (config.learnAlpha()) {
                    blocks.updateAlpha();
                }
            }
            // 4-5. theta, U, U' by the reparameterised gradient of the soft-count likelihood
            softCounts(from, size, (double) m / size);
            for (int d = 0; d < s; d++) {
                draw(step, d);
                forward();
                float[] g = grads[layers.length];
                for (int a = 0; a < t; a++) {
                    for (int b = 0; b < t; b++) {
                        int q = a * t + b;
                        double p = GaussianArray.sigmoid(logits[q]);
                        // d(-loglik)/ds_ab; s_ab = (L_ab + L_ba)/2 and the counts are symmetric, so
                        // d/dL_ab = (g_ab + g_ba)/2 = g_ab
                        g[q] = (float) ((-n1[q] * (1 - p) + n0[q] * p) / s);
                    }
                }
                backward();
            }
            for (GaussianArray a : arrays) {
                a.addKlGradient(1.0, pool);
            }
            adam.stepAndZeroGrad(params);
        }

        /**
         * N1, N0: symmetrised soft counts of the batch's links and non-links, times {@code scale}.
         * Consecutive pairs of the same first vertex i (all of them in a full batch, whose pairs
         * are in vertex order) are summed first, {@code a_x = sum_j eta_j}, then added as one outer
         * product {@code eta_i a_x^T}: O(|O_b| T + N T^2) instead of O(|O_b| T^2).
         */
        private void softCounts(int from, int size, double scale) {
            java.util.Arrays.fill(n1, 0);
            java.util.Arrays.fill(n0, 0);
            double[] eta = blocks.eta;
            int q = from;
            int end = from + size;
            while (q < end) {
                int i = pi[pairOrder[q]];
                java.util.Arrays.fill(sum1, 0);
                java.util.Arrays.fill(sum0, 0);
                for (; q < end && pi[pairOrder[q]] == i; q++) {
                    int p = pairOrder[q];
                    double[] a = px[p] != 0f ? sum1 : sum0;
                    int bj = pj[p] * t;
                    for (int b = 0; b < t; b++) {
                        a[b] += eta[bj + b];
                    }
                }
                int bi = i * t;
                for (int a = 0; a < t; a++) {
                    double e = eta[bi + a];
                    int row = a * t;
                    for (int b = 0; b < t; b++) {
                        n1[row + b] += e * sum1[b];
                        n0[row + b] += e * sum0[b];
                    }
                }
            }
            for (int a = 0; a < t; a++) {
                for (int b = a; b < t; b++) {
                    double s1 = 0.5 * scale * (n1[a * t + b] + n1[b * t + a]);
                    double s0 = 0.5 * scale * (n0[a * t + b] + n0[b * t + a]);
                    n1[a * t + b] = s1;
                    n1[b * t + a] = s1;
                    n0[a * t + b] = s0;
                    n0[b * t + a] = s0;
                }
            }
        }

        private void draw(long stepId, int sample) {
            if (u != null) {
                u.draw(seed, stepId, sample, pool);
            }
            if (u2 != null) {
                u2.draw(seed, stepId, sample, pool);
            }
            for (BayesianDense layer : layers) {
                layer.drawNoise(seed, stepId, sample, pool);
            }
        }

        /** The T^2 inputs x_ab from the current feature samples, the network, the symmetrised logits. */
        private void forward() {
            float[] in = acts[0];
            float[] us = u == null ? null : u.sample().value();
            float[] u2s = u2 == null ? null : u2.sample().value();
            for (int a = 0; a < t; a++) {
                for (int b = 0; b < t; b++) {
                    int o = (a * t + b) * width;
                    if (us != null) {
                        System.arraycopy(us, a * k, in, o, k);
                        System.arraycopy(us, b * k, in, o + k, k);
                    }
                    for (int c = 0; c < dk; c++) {
                        in[o + 2 * k + c] = u2s[a * dk + c] * u2s[b * dk + c];
                    }
                }
            }
            int rows = t * t;
            for (int l = 0; l < layers.length; l++) {
                layers[l].forward(acts[l], acts[l + 1], rows, pool);
                if (l < layers.length - 1) {
                    float[] h = acts[l + 1];
                    for (int q = 0; q < h.length; q++) {
                        h[q] = (float) GaussianArray.sigmoid(h[q]);
                    }
                }
            }
            float[] out = acts[layers.length];
            for (int a = 0; a < t; a++) {
                for (int b = 0; b < t; b++) {
                    logits[a * t + b] = 0.5 * ((double) out[a * t + b] + out[b * t + a]);
                }
            }
        }

        /** Backpropagates grads[last] (d loss / d logit per group pair) into theta, U and U'. */
        private void backward() {
            int rows = t * t;
            for (int l = layers.length - 1; l >= 0; l--) {
                layers[l].backward(acts[l], acts[l + 1], grads[l + 1], grads[l], rows, pool);
                if (l > 0) {
                    float[] h = acts[l];
                    float[] gh = grads[l];
                    for (int q = 0; q < h.length; q++) {
                        gh[q] *= h[q] * (1 - h[q]);
                    }
                }
            }
            float[] gx = grads[0];
            float[] gu = u == null ? null : u.sample().grad();
            float[] gu2 = u2 == null ? null : u2.sample().grad();
            float[] u2s = u2 == null ? null : u2.sample().value();
            for (int a = 0; a < t; a++) {
                for (int b = 0; b < t; b++) {
                    int o = (a * t + b) * width;
                    for (int c = 0; c < k; c++) {
                        gu[a * k + c] += gx[o + c];
                        gu[b * k + c] += gx[o + k + c];
                    }
                    for (int c = 0; c < dk; c++) {
                        float g = gx[o + 2 * k + c];
                        gu2[a * dk + c] += g * u2s[b * dk + c];
                        gu2[b * dk + c] += g * u2s[a * dk + c];
                    }
                }
            }
            if (u != null) {
                u.accumulateGradients(1.0, pool);
            }
            if (u2 != null) {
                u2.accumulateGradients(1.0, pool);
            }
        }

        private void movePrior(GaussianArray g, double rate) {
            double target = g.optimalPriorVariance(pool);
            double now = g.priorVariance();
            g.setPriorVariance(Math.exp((1 - rate) * Math.log(now) + rate * Math.log(target)));
        }

        @Override
        public SbmModel snapshot() {
            int draws = config.predictSamples();
            double[] prob = new double[t * t];
            double[] ll1 = new double[t * t];
            double[] ll0 = new double[t * t];
            for (int d = 0; d < draws; d++) {
                draw(SNAPSHOT_STEP, d);
                forward();
                for (int q = 0; q < t * t; q++) {
                    prob[q] += GaussianArray.sigmoid(logits[q]) / draws;
                    ll1[q] += logSigmoid(logits[q]) / draws;
                    ll0[q] += logSigmoid(-logits[q]) / draws;
                }
            }
            float[] eta = new float[n * t];
            for (int q = 0; q < eta.length; q++) {
                eta[q] = (float) blocks.eta[q];
            }
            return new SbmModel(n, t, eta, blocks.logPi.clone(), ll1, ll0, prob, blocks.rho1.clone(),
                    blocks.rho2.clone(), blocks.alpha);
        }

        /** For tests: the discrete part of q. */
        SbmBlocks blocks() {
            return blocks;
        }
    }

    /** log sigmoid(z) = -log(1 + exp(-z)), stable for any z. */
    static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }
}
