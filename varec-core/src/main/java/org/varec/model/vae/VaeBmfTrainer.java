package org.varec.model.vae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.ParamArray;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * VAE-based Bayesian matrix factorization with cross-feedback and attention (VAE-BMF paper,
 * sec. 3, Algorithm 1). The objective is the ELBO of eq. (7) with a Gaussian likelihood,
 * maximised over the weights of the two amortised encoders ({@link VaeEncoder}):
 * <pre>
 *   Q = sum_((i,j) in O) E_q[log N(x_ij | c + u_i . v_j, 1/lambda)]
 *       - beta_u sum_i KL[q(u_i | V_i, X_i) || N(0, I/tau)] - beta_v sum_j KL[q(v_j | U_j, X_j) || N(0, I/tau)]
 *   KL[N(mu, diag s) || N(0, I/tau)] = 1/2 sum_k (tau s_k + tau mu_k^2 - 1 - log(tau s_k))
 * </pre>
 * where {@code q(u_i) = N(mu_i, diag s_i)} is the user encoder's output for user i's ratings and
 * latent input (the current item samples at the rated items), likewise for items, and {@code c}
 * is the training mean ({@code center=true}) or 0 (eq. (7) as written).
 *
 * <p><b>Steps (Algorithm 1).</b> The users and the items are partitioned into random batches of
 * B_U and B_V once (line 3). Each iteration ({@link #epoch}) the latent inputs are the samples
 * {@code U, V} drawn at the end of the previous iteration (line 6; the first from
 * {@code N(0, init_stdev^2)}, line 2) and are data: no gradient flows into them. With
 * {@code schedule=nested} (lines 7-13) each (user batch, item batch) pair is one Adam step on
 * the weights of both encoders for the block's share of -Q:
 * <pre>
 *   -Q_B = sum_((i,j) in O, i in B_U, j in B_V) lambda/2 (x_ij - c - u_i . v_j)^2
 *          + beta_u sum_(i in B_U) (n_iB / n_i) KL_i + beta_v sum_(j in B_V) (n_jB / n_j) KL_j
 * </pre>
 * with {@code u_i = mu_i + sqrt(s_i) o eps} reparameterised (Kingma and Welling 2014;
 * {@code mc_samples} draws averaged) and {@code n_iB / n_i} the share of row i's ratings in the
 * block, so that the blocks of an iteration add up to -Q exactly (each KL term is charged once).
 * With {@code schedule=sequential} (the alternating iteration sec. 3.3 mentions) each user batch
 * is a step on the user encoder for all its users' ratings against the fixed item samples
 * {@code V}; then the user encoder runs over all users and new samples {@code U} are drawn; then
 * each item batch is a step on the item encoder against those, and new {@code V} are drawn. Far
 * fewer encoder passes per iteration (each side's batches once instead of once per batch of the
 * other side), and each side always sees the other's freshest samples. In the nested schedule
 * the posteriors of all rows are computed after the batches (line 15) and new samples drawn for
 * the next iteration's latent inputs. Then lambda is set to its maximiser
 * {@code N / sum E_q[(x - c - u . v)^2]} (with {@code learn_lambda}).
 *
 * <p><b>Gradients.</b> Through a sample, {@code dmu = dL/du} and {@code ds = dL/du o eps / (2 sqrt(s))};
 * the KL adds {@code tau mu} and {@code (tau - 1/s) / 2}. The encoders backpropagate these
 * (finite-difference tests: {@code VaeEncoderGradientTest}, {@code AttentionTest}).
 *
 * <p><b>Entry dropout</b> ({@code dropout > 0}, not in the paper; Mult-VAE's input dropout, Liang
 * et al. 2018, applied to whole entries): in each step's encoder pass every rated entry of a batch
 * row is dropped with probability {@code dropout} from the row's observed input, latent input and
 * attention sets ({@link VaeEncoder#forward(int[], int[], float[], float[], int, float[], float[],
 * Parallel, float, Rng)}), while the likelihood still covers all of the row's ratings: the encoder
 * must predict ratings it was not shown, instead of passing a rating through its own item-specific
 * weights (or the rating-weighted attention) to its reconstruction. The posteriors after each
 * iteration, the samples drawn from them and the model encode the full rows.
 *
 * <p><b>Determinism.</b> Noise is drawn on the calling thread from per-step streams of the seed;
 * the decoder gradients are computed over fixed blocks of batch rows (users for du, items for dv,
 * each written by one block); the layers use the kernels' fixed blocks. The same seed and thread
 * count give the same model.
 *
 * <p>Figures per iteration: {@code loss} (the sampled -Q per training rating, each block measured
 * before its step), {@code train_rmse} (of the sampled predictions) and {@code noise_sd}
 * ({@code 1/sqrt(lambda)} after the update).
 */
public final class VaeBmfTrainer implements Trainer<VaeBmfModel> {
    private static final long STREAM_SAMPLES = 1;
    private static final long STREAM_USER_NET = 2;
    private static final long STREAM_ITEM_NET = 3;
    private static final long STREAM_BATCHES = 4;
    private static final long STREAM_STEP = 1L << 32;
    private static final long STREAM_RESAMPLE = 1L << 40;
    /** Batch rows per block of the decoder gradients. */
    private static final int ROW_BLOCK = 8;
    /** Rows per forward pass when every row of a side is encoded (see {@code encodeAll}). */
    static final int ENCODE_ALL_ROWS = 1024;

    private final VaeBmfConfig config;

    public VaeBmfTrainer(VaeBmfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "vaebmf";
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data.ratings(), seed, pool);
    }

    /** One side's view of the ratings (CSR over its rows) and its batch buffers. */
    private static final class Side {
        final int rows;
        final int[] offsets;
        final int[] index;
        final float[] values;
        final int[][] batches;
        final int[] pos;
        int[] off;
        int[] idx;
        float[] val;
        float[] mu;
        float[] s;
        float[] dMu;
        float[] dS;
        float[] eps;
        float[] sample;
        float[] dSample;
        int[] count;

        Side(int rows, int[] offsets, int[] index, float[] values, int batch, Rng rng, int k, int mc) {
            this.rows = rows;
            this.offsets = offsets;
            this.index = index;
            this.values = values;
            int[] order = rng.permutation(rows);
            int n = (rows + batch - 1) / batch;
            this.batches = new int[n][];
            for (int b = 0; b < n; b++) {
                batches[b] = Arrays.copyOfRange(order, b * batch, Math.min(rows, (b + 1) * batch));
            }
            this.pos = new int[rows];
            Arrays.fill(pos, -1);
            int cap = Math.max(1, Math.min(batch, rows));
            off = new int[cap + 1];
            idx = new int[1024];
            val = new float[1024];
            mu = new float[cap * k];
            s = new float[cap * k];
            dMu = new float[cap * k];
            dS = new float[cap * k];
            eps = new float[mc * cap * k];
            sample = new float[mc * cap * k];
            dSample = new float[mc * cap * k];
            count = new int[cap];
        }

        /** Rows {@code batch} as CSR (offsets from 0) in off/idx/val. */
        void gather(int[] batch, int b) {
            int n = 0;
            for (int r = 0; r < b; r++) {
                n += offsets[batch[r] + 1] - offsets[batch[r]];
            }
            if (idx.length < n) {
                idx = new int[n];
                val = new float[n];
            }
            off[0] = 0;
            for (int r = 0; r < b; r++) {
                int row = batch[r];
                int len = offsets[row + 1] - offsets[row];
                System.arraycopy(index, offsets[row], idx, off[r], len);
                System.arraycopy(values, offsets[row], val, off[r], len);
                off[r + 1] = off[r] + len;
            }
        }

        int ratings(int row) {
            return offsets[row + 1] - offsets[row];
        }
    }

    /** One vaebmf run. */
    public final class Run implements EpochTrainer<VaeBmfModel> {
        private final Parallel pool;
        private final long seed;
        private final int nu;
        private final int ni;
        private final int n;
        private final int k;
        private final int mc;
        private final double center;
        private final double tau;
        private double lambda;
        private final VaeEncoder userEnc;
        private final VaeEncoder itemEnc;
        private final List<ParamArray> allParams;
        private final ParamAdam optimizer;
        private final Side users;
        private final Side items;
        /** Current samples U (nu x K) and V (ni x K): the latent inputs of this iteration. */
        private float[] us;
        private float[] vs;
        /** The item samples behind the latest posteriors (the model's fold-in input). */
        private float[] vsUsed;
        private final float[] userMean;
        private final float[] userVar;
        private final float[] itemMean;
        private final float[] itemVar;
        private long step;
        /** Moving averages of the posteriors (with {@code average > 0}, after the first iteration). */
        private float[] avgUserMean;
        private float[] avgUserVar;
        private float[] avgItemMean;
        private float[] avgItemVar;

        Run(RatingMatrix m, long seed, Parallel pool) {
            this.pool = pool;
            this.seed = seed;
            this.nu = m.numUsers();
            this.ni = m.numItems();
            this.n = m.nnz();
            this.k = config.rank();
            this.mc = config.mcSamples();
            this.center = config.center() && n > 0 ? m.mean() : 0;
            this.tau = config.tau();
            this.lambda = config.lambda();
            this.userEnc = new VaeEncoder("vaebmf.user", ni, config).initialize(Rng.stream(seed, STREAM_USER_NET),
                    config.initStdev() * config.initStdev()).inputOffset(center, config);
            this.itemEnc = new VaeEncoder("vaebmf.item", nu, config).initialize(Rng.stream(seed, STREAM_ITEM_NET),
                    config.initStdev() * config.initStdev()).inputOffset(center, config);
            List<ParamArray> p = new ArrayList<>(userEnc.params());
            p.addAll(itemEnc.params());
            this.allParams = List.copyOf(p);
            this.optimizer = ParamAdam.of(config.learningRate()).withWeightDecay(config.weightDecay());
            Rng batches = Rng.stream(seed, STREAM_BATCHES);
            this.users = new Side(nu, m.userOffsets(), m.userItems(), m.userValues(), config.userBatch(), batches, k, mc);
            this.items = new Side(ni, m.itemOffsets(), m.itemUsers(), m.itemValues(), config.itemBatch(), batches, k, mc);
            Rng init = Rng.stream(seed, STREAM_SAMPLES);
            this.us = gaussian(init, nu * k, config.initStdev());
            this.vs = gaussian(init, ni * k, config.initStdev());
            this.vsUsed = vs.clone();
            this.userMean = new float[nu * k];
            this.userVar = new float[nu * k];
            this.itemMean = new float[ni * k];
            this.itemVar = new float[ni * k];
            Arrays.fill(userVar, (float) (1 / tau));
            Arrays.fill(itemVar, (float) (1 / tau));
        }

        private static float[] gaussian(Rng rng, int len, double sd) {
            float[] a = new float[len];
            for (int e = 0; e < len; e++) {
                a[e] = (float) (sd * rng.nextGaussian());
            }
            return a;
        }

        @Override
        public int plannedEpochs() {
            return config.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            // the step size shrinks by `decay` per iteration, as autorec's and ncf's do: with a constant
            // step the weights (and the validation RMSE) keep jumping between iterations
            optimizer.setLearningRate(config.learningRate() * Math.pow(config.decay(), epoch - 1));
            double[] acc = new double[2]; // loss, sse
            if (config.schedule() == VaeBmfConfig.Schedule.NESTED) {
                for (int[] ub : users.batches) {
                    for (int[] vb : items.batches) {
                        nestedStep(ub, vb, acc);
                    }
                }
                posteriors();
                resample(Rng.stream(seed, STREAM_RESAMPLE + epoch), userMean, userVar, us);
                resample(Rng.stream(seed, STREAM_RESAMPLE + epoch + (1L << 20)), itemMean, itemVar, vs);
            } else {
                // each side's steps see the other side's freshest samples: users against V, then
                // new U from the trained user encoder, items against those, then new V
                for (int[] ub : users.batches) {
                    sequentialStep(users, userEnc, ub, vs, acc);
                }
                encodeAll(users, userEnc, vs, userMean, userVar);
                System.arraycopy(vs, 0, vsUsed, 0, vs.length);
                resample(Rng.stream(seed, STREAM_RESAMPLE + epoch), userMean, userVar, us);
                for (int[] vb : items.batches) {
                    sequentialStep(items, itemEnc, vb, us, acc);
                }
                encodeAll(items, itemEnc, us, itemMean, itemVar);
                resample(Rng.stream(seed, STREAM_RESAMPLE + epoch + (1L << 20)), itemMean, itemVar, vs);
            }
            updateNoise();
            average(epoch);
            // sequential visits each rating twice (once per side)
            double per = config.schedule() == VaeBmfConfig.Schedule.NESTED ? n : 2.0 * n;
            figures.put("loss", n == 0 ? 0 : acc[0] / per);
            figures.put("train_rmse", n == 0 ? 0 : Math.sqrt(acc[1] / per));
            figures.put("noise_sd", 1 / Math.sqrt(lambda));
        }

        /** Algorithm 1 lines 10-12: one step of both encoders on the block (ub x vb). */
        private void nestedStep(int[] ub, int[] vb, double[] acc) {
            int b1 = ub.length;
            int b2 = vb.length;
            Rng rng = Rng.stream(seed, STREAM_STEP + step++);
            encode(users, userEnc, ub, vs, rng);
            encode(items, itemEnc, vb, us, rng);
            for (int r = 0; r < b1; r++) {
                users.pos[ub[r]] = r;
            }
            for (int q = 0; q < b2; q++) {
                items.pos[vb[q]] = q;
            }
            double sse = decoderGradients(users, b1, items.pos, items.sample, b2 * k);
            decoderGradients(items, b2, users.pos, users.sample, b1 * k);
            double loss = lambda / 2 * sse;
            loss += chain(users, ub, b1, config.betaU());
            loss += chain(items, vb, b2, config.betaV());
            for (int r = 0; r < b1; r++) {
                users.pos[ub[r]] = -1;
            }
            for (int q = 0; q < b2; q++) {
                items.pos[vb[q]] = -1;
            }
            userEnc.backward(users.off, users.idx, users.val, vs, b1, users.s, users.dMu, users.dS, pool);
            itemEnc.backward(items.off, items.idx, items.val, us, b2, items.s, items.dMu, items.dS, pool);
            optimizer.stepAndZeroGrad(allParams, pool);
            acc[0] += loss;
            acc[1] += sse;
        }

        /** The alternating schedule: one side's batch against the other side's fixed samples. */
        private void sequentialStep(Side side, VaeEncoder enc, int[] batch, float[] other, double[] acc) {
            int b = batch.length;
            Rng rng = Rng.stream(seed, STREAM_STEP + step++);
            encode(side, enc, batch, other, rng);
            double sse = decoderGradients(side, b, null, other, 0);
            double loss = lambda / 2 * sse + chain(side, batch, b, side == users ? config.betaU() : config.betaV());
            enc.backward(side.off, side.idx, side.val, other, b, side.s, side.dMu, side.dS, pool);
            optimizer.stepAndZeroGrad(enc.params(), pool);
            acc[0] += loss;
            acc[1] += sse;
        }

        /**
         * Gathers the batch, runs the encoder (with {@code dropout}: the entry masks first, from the
         * step's stream) and draws {@code mc} reparameterised samples per row. The decoder still
         * scores all of the batch's ratings.
         */
        private void encode(Side side, VaeEncoder enc, int[] batch, float[] other, Rng rng) {
            int b = batch.length;
            side.gather(batch, b);
            enc.forward(side.off, side.idx, side.val, other, b, side.mu, side.s, pool, (float) config.dropout(), rng);
            int len = b * k;
            for (int e = 0; e < mc * len; e++) {
                side.eps[e] = (float) rng.nextGaussian();
            }
            for (int smp = 0; smp < mc; smp++) {
                int o = smp * len;
                for (int e = 0; e < len; e++) {
                    side.sample[o + e] = side.mu[e] + (float) Math.sqrt(side.s[e]) * side.eps[o + e];
                }
            }
        }

        /**
         * d (lambda/2 sum e^2) / d sample for the batch rows of {@code side} over their ratings with the
         * other side's entries: those with {@code pos >= 0} (at {@code other[s * stride + pos * K]}),
         * or all of them at {@code other[j * K]} when {@code pos} is null (stride 0). Also counts
         * each row's ratings used; returns the squared error summed over the samples / mc.
         */
        private double decoderGradients(Side side, int b, int[] pos, float[] other, int stride) {
            int len = b * k;
            float lam = (float) lambda;
            float inv = 1f / mc;
            return pool.sumBlocks(b, ROW_BLOCK, (blk, lo, hi) -> {
                double sse = 0;
                for (int r = lo; r < hi; r++) {
                    int cnt = 0;
                    for (int smp = 0; smp < mc; smp++) {
                        Arrays.fill(side.dSample, smp * len + r * k, smp * len + (r + 1) * k, 0f);
                    }
                    for (int p = side.off[r]; p < side.off[r + 1]; p++) {
                        int j = side.idx[p];
                        int q = pos == null ? j : pos[j];
                        if (q < 0) {
                            continue;
                        }
                        cnt++;
                        for (int smp = 0; smp < mc; smp++) {
                            int uo = smp * len + r * k;
                            int vo = smp * stride + q * k;
                            double dot = 0;
                            for (int f = 0; f < k; f++) {
                                dot += side.sample[uo + f] * other[vo + f];
                            }
                            double e = side.val[p] - center - dot;
                            sse += e * e * inv;
                            float g = (float) (-lam * e) * inv;
                            for (int f = 0; f < k; f++) {
                                side.dSample[uo + f] += g * other[vo + f];
                            }
                        }
                    }
                    side.count[r] = cnt;
                }
                return sse;
            });
        }

        /**
         * Through the samples to the encoder outputs, plus the batch rows' KL terms weighted by their
         * share of ratings in the step ({@code count / n_row}, 1 when the row has none anywhere and
         * is in a sequential batch); returns the weighted KL.
         */
        private double chain(Side side, int[] batch, int b, double beta) {
            int len = b * k;
            double kl = 0;
            for (int r = 0; r < b; r++) {
                int total = side.ratings(batch[r]);
                double w = total == 0 ? 0 : beta * side.count[r] / total;
                for (int f = 0; f < k; f++) {
                    int e = r * k + f;
                    float m = side.mu[e];
                    float s = side.s[e];
                    float dm = 0;
                    float ds = 0;
                    float sd = (float) Math.sqrt(s);
                    for (int smp = 0; smp < mc; smp++) {
                        float g = side.dSample[smp * len + e];
                        dm += g;
                        ds += g * side.eps[smp * len + e] / (2 * sd);
                    }
                    if (w != 0) {
                        kl += w * 0.5 * (tau * s + tau * m * m - 1 - Math.log(tau * s));
                        dm += (float) (w * tau * m);
                        ds += (float) (w * 0.5 * (tau - 1 / (double) s));
                    }
                    side.dMu[e] = dm;
                    side.dS[e] = ds;
                }
            }
            return kl;
        }

        /** Algorithm 1 line 15 (nested): the posteriors of all rows from the latent inputs of the iteration. */
        private void posteriors() {
            encodeAll(users, userEnc, vs, userMean, userVar);
            encodeAll(items, itemEnc, us, itemMean, itemVar);
            System.arraycopy(vs, 0, vsUsed, 0, vs.length);
        }

        /**
         * With {@code average = a > 0}: {@code avg = a avg + (1 - a) posterior} over the iterations for
         * the means and variances the model predicts from (the first iteration's posteriors start it).
         * Training never reads the averages.
         */
        private void average(int epoch) {
            double a = config.average();
            if (a == 0) {
                return;
            }
            if (avgUserMean == null) {
                avgUserMean = userMean.clone();
                avgUserVar = userVar.clone();
                avgItemMean = itemMean.clone();
                avgItemVar = itemVar.clone();
                return;
            }
            blend(avgUserMean, userMean, a);
            blend(avgUserVar, userVar, a);
            blend(avgItemMean, itemMean, a);
            blend(avgItemVar, itemVar, a);
        }

        private static void blend(float[] avg, float[] x, double a) {
            float fa = (float) a;
            float fb = (float) (1 - a);
            for (int e = 0; e < avg.length; e++) {
                avg[e] = fa * avg[e] + fb * x[e];
            }
        }

        /** lambda = N / sum E_q[(x - c - u . v)^2] over the training ratings (with learn_lambda). */
        private void updateNoise() {
            if (!config.learnLambda() || n == 0) {
                return;
            }
            double se = pool.sumBlocks(nu, 64, (blk, lo, hi) -> {
                double s = 0;
                for (int u = lo; u < hi; u++) {
                    for (int p = users.offsets[u]; p < users.offsets[u + 1]; p++) {
                        int j = users.index[p];
                        double mean = center;
                        double var = 0;
                        for (int f = 0; f < k; f++) {
                            double a = userMean[u * k + f];
                            double sa = userVar[u * k + f];
                            double c = itemMean[j * k + f];
                            double sc = itemVar[j * k + f];
                            mean += a * c;
                            var += a * a * sc + c * c * sa + sa * sc;
                        }
                        double e = users.values[p] - mean;
                        s += e * e + var;
                    }
                }
                return s;
            });
            lambda = n / Math.max(se, 1e-12);
        }

        private void resample(Rng rng, float[] mean, float[] var, float[] out) {
            for (int e = 0; e < out.length; e++) {
                out[e] = mean[e] + (float) (Math.sqrt(var[e]) * rng.nextGaussian());
            }
        }

        /**
         * Posterior means and variances of every row of {@code side}, in index order, in chunks of
         * {@link #ENCODE_ALL_ROWS} consecutive rows. A forward pass gives each row the same bits
         * whatever else is in its batch (the factored latent layer's block products depend only on
         * the entity, every other layer works row by row), so the chunk size only changes the
         * speed: a chunk computes each distinct entity's block product once, and a chunk of 1,024
         * users names almost every item of ML-1M once where batches of 100 named most of them again
         * in each of 61 batches. Consecutive rows are a slice of the side's CSR arrays.
         */
        private void encodeAll(Side side, VaeEncoder enc, float[] other, float[] mean, float[] var) {
            int chunk = Math.max(1, Math.min(ENCODE_ALL_ROWS, side.rows));
            int[] off = new int[chunk + 1];
            float[] mu = new float[chunk * k];
            float[] s = new float[chunk * k];
            for (int from = 0; from < side.rows; from += chunk) {
                int b = Math.min(chunk, side.rows - from);
                int base = side.offsets[from];
                for (int r = 0; r <= b; r++) {
                    off[r] = side.offsets[from + r] - base;
                }
                int[] idx = Arrays.copyOfRange(side.index, base, base + off[b]);
                float[] val = Arrays.copyOfRange(side.values, base, base + off[b]);
                enc.forward(off, idx, val, other, b, mu, s, pool);
                System.arraycopy(mu, 0, mean, from * k, b * k);
                System.arraycopy(s, 0, var, from * k, b * k);
            }
        }

        @Override
        public VaeBmfModel snapshot() {
            if (avgUserMean != null) {
                return new VaeBmfModel(config, nu, ni, center, lambda, avgUserMean, avgUserVar, avgItemMean,
                        avgItemVar, vsUsed, userEnc);
            }
            return new VaeBmfModel(config, nu, ni, center, lambda, userMean, userVar, itemMean, itemVar, vsUsed,
                    userEnc);
        }

        /** The encoders (for tests). */
        VaeEncoder userEncoder() {
            return userEnc;
        }

        VaeEncoder itemEncoder() {
            return itemEnc;
        }
    }
}
