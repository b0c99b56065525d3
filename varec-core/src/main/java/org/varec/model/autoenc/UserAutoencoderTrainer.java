package org.varec.model.autoenc;

import java.util.ArrayList;
import java.util.List;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.Activation;
import org.varec.nn.Dropout;
import org.varec.nn.Kernels;
import org.varec.nn.Mlp;
import org.varec.nn.ParamArray;
import org.varec.nn.SparseInput;
import org.varec.nn.SparseOutput;
import org.varec.optim.Optimizer;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * The user autoencoders of Liang et al. 2018 ("Variational autoencoders for collaborative
 * filtering"): {@code dae-cf} (Mult-DAE, sec. 2.3) and {@code mult-vae} (Mult-VAE^PR, sec. 2.2).
 * A user's rating row x_u (sparse, never densified) is L2-normalised, corrupted by input dropout
 * ({@link Dropout}) in training, and encoded; the decoder maps the code to every item:
 * <pre>
 *   encoder  x_u -> tanh(x_u V_0 + c_0) -> ... -> e_u             (first layer {@link SparseInput})
 *   dae-cf   z_u = tanh(...) (the code)
 *   mult-vae [mu_u, log sigma_u^2] = e_u,  z_u = mu_u + sigma_u o eps,  eps ~ N(0, I)  (reparameterisation)
 *   decoder  z_u -> tanh(...) -> d_u -> f(z_u)_i = W_i . d_u + b_i      (last layer {@link SparseOutput})
 * </pre>
 * with the hidden widths of {@code hidden} mirrored in the decoder. It minimises
 * <pre>
 *   L = sum_u [ R_u + beta KL(N(mu_u, sigma_u^2) || N(0, I)) ] + lambda sum ||W||_F^2
 *   R_u = sum_(i in O_u) (x_ui - f(z_u)_i)^2                    likelihood=gaussian (VAE-BMF's MSE swap)
 *   R_u = - sum_(i in O_u) log softmax(f(z_u))_i                 likelihood=multinomial (Liang eq. (2), x_ui = 1)
 *   KL  = 1/2 sum_k (sigma_uk^2 + mu_uk^2 - 1 - log sigma_uk^2)  (mult-vae only; Liang eq. (5))
 * </pre>
 * beta = min(beta_max, s / anneal_steps) at Adam step s = 0, 1, ... (Liang's annealing, sec. 2.2.2).
 * The gaussian reconstruction is read at the observed items only; the multinomial one needs every
 * item's logit: a dense product per batch on the {@link Kernels} ({@link SparseOutput#forwardAll}).
 *
 * <p><b>Minibatches</b> of users: the penalty on the first layer's row of item i and on the output
 * row of item i is paid in proportion {@code n_Bi / n_i} (entries of i in the batch over its
 * training ratings), on the dense layers in proportion {@code |B| / users}, so the batches of an
 * epoch add up to L (as {@link AutoRecTrainer}); Adam steps move the rows the batch touched.
 *
 * <p><b>Randomness and determinism.</b> Glorot-uniform weights (zero rows for items without
 * ratings), zero biases except the gaussian output bias (the training mean); the epoch's stream of
 * the seed shuffles the users, then draws the dropout masks and the eps of each batch in order. The
 * kernels' blocks depend on the shapes only: the same seed and thread count give the same model.
 *
 * <p>One epoch reports {@code loss} (L per training rating, each batch before its step),
 * {@code train_rmse} (gaussian, on the corrupted inputs), and for mult-vae {@code kl} (per user) and
 * {@code beta} (of the epoch's last step).
 */
public final class UserAutoencoderTrainer implements Trainer<UserAutoencoderModel> {
    private static final long STREAM_INIT = 1;
    private static final long STREAM_EPOCH = 1_000;

    /** The settings both configs map to. */
    record Spec(boolean variational, int rank, int[] hidden, Likelihood likelihood, double dropout, double lambda,
                double learningRate, int epochs, int batchSize, double betaMax, int annealSteps) {
        String name() {
            return variational ? "mult-vae" : "dae-cf";
        }

        /** Width of the encoder's output: K, or [mu, log sigma^2] for the VAE. */
        int encoderOut() {
            return variational ? 2 * rank : rank;
        }

        /** Width of the first layer's output. */
        int first() {
            return hidden.length > 0 ? hidden[0] : encoderOut();
        }

        /** Activation after the first layer. */
        Activation firstActivation() {
            return hidden.length > 0 || !variational ? Activation.TANH : Activation.IDENTITY;
        }

        /** Encoder layers after the first: {first, hidden[1..], encoderOut}; null without hidden layers. */
        int[] encoderSizes() {
            if (hidden.length == 0) {
                return null;
            }
            int[] s = new int[hidden.length + 1];
            System.arraycopy(hidden, 0, s, 0, hidden.length);
            s[hidden.length] = encoderOut();
            return s;
        }

        /** Decoder layers before the output: {K, hidden reversed}; null without hidden layers. */
        int[] decoderSizes() {
            if (hidden.length == 0) {
                return null;
            }
            int[] s = new int[hidden.length + 1];
            s[0] = rank;
            for (int l = 0; l < hidden.length; l++) {
                s[l + 1] = hidden[hidden.length - 1 - l];
            }
            return s;
        }

        /** Width of the output layer's input d_u. */
        int last() {
            return hidden.length > 0 ? hidden[0] : rank;
        }
    }

    private final Spec spec;

    UserAutoencoderTrainer(Spec spec) {
        this.spec = spec;
    }

    public static UserAutoencoderTrainer dae(DaeCfConfig config) {
        return new UserAutoencoderTrainer(config.spec());
    }

    public static UserAutoencoderTrainer vae(MultVaeConfig config) {
        return new UserAutoencoderTrainer(config.spec());
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /** The network of one run (also used by the gradient tests). */
    static final class Network {
        final Spec spec;
        final int items;
        final SparseInput in;
        final Mlp enc;
        final Mlp dec;
        final SparseOutput out;
        final List<ParamArray> params;
        /** Dense (Mlp) weight matrices, for the penalty. */
        final List<ParamArray> denseWeights;

        Network(Spec spec, int items) {
            this.spec = spec;
            this.items = items;
            String n = spec.name();
            this.in = new SparseInput(n + ".in", items, spec.first());
            int[] es = spec.encoderSizes();
            this.enc = es == null ? null
                    : Mlp.of(n + ".enc", es, Activation.TANH, spec.variational() ? Activation.IDENTITY : Activation.TANH);
            int[] ds = spec.decoderSizes();
            this.dec = ds == null ? null : Mlp.of(n + ".dec", ds, Activation.TANH, Activation.TANH);
            this.out = new SparseOutput(n + ".out", spec.last(), items);
            List<ParamArray> p = new ArrayList<>(in.params());
            List<ParamArray> dw = new ArrayList<>();
            for (Mlp m : new Mlp[] {enc, dec}) {
                if (m != null) {
                    p.addAll(m.params());
                    for (int l = 0; l < m.numLayers(); l++) {
                        dw.add(m.layer(l).weights());
                    }
                }
            }
            p.addAll(out.params());
            this.params = List.copyOf(p);
            this.denseWeights = List.copyOf(dw);
        }

        void initialize(Rng rng, boolean[] used, double outputBias) {
            Autoencoders.glorot(in.weights().value(), items, spec.first(), items, spec.first(), used, rng);
            if (enc != null) {
                enc.initialize(rng);
            }
            if (dec != null) {
                dec.initialize(rng);
            }
            Autoencoders.glorot(out.weights().value(), items, spec.last(), spec.last(), items, used, rng);
            java.util.Arrays.fill(out.bias().value(), (float) outputBias);
        }
    }

    /** Batch buffers and the forward/backward pass of one batch. */
    static final class Pass {
        final Network net;
        final Spec spec;
        final int cap;
        float[] x = new float[16];
        float[] y = new float[16];
        float[] dy = new float[16];
        final float[] z0;
        final float[] a0;
        final float[] e;
        final float[] z;
        final float[] eps;
        final float[] d;
        final float[] dd;
        final float[] dz;
        final float[] de;
        final float[] da0;
        final float[] wT;
        double sse;
        double kl;

        Pass(Network net, int cap) {
            this.net = net;
            this.spec = net.spec;
            this.cap = cap;
            int k = spec.rank();
            this.z0 = new float[cap * spec.first()];
            this.a0 = new float[z0.length];
            this.da0 = new float[z0.length];
            this.e = new float[cap * spec.encoderOut()];
            this.de = new float[e.length];
            this.z = new float[cap * k];
            this.eps = new float[cap * k];
            this.dz = new float[cap * k];
            this.d = new float[cap * spec.last()];
            this.dd = new float[d.length];
            boolean multinomial = spec.likelihood() == Likelihood.MULTINOMIAL;
            this.wT = multinomial ? new float[Math.multiplyExact(spec.last(), net.items)] : null;
            if (multinomial) {
                y = new float[Math.multiplyExact(cap, net.items)];
                dy = new float[y.length];
            }
        }

        /**
         * The network's input values of the batch: each row L2-normalised (Liang et al.), then input
         * dropout drawn from {@code rng} in entry order (none when {@code rng} is null).
         */
        void input(Autoencoders.Batch b, Rng rng) {
            int n = b.entries();
            if (x.length < n) {
                x = new float[Math.max(n, x.length * 2)];
            }
            for (int r = 0; r < b.size; r++) {
                double s = 0;
                for (int p = b.offsets[r]; p < b.offsets[r + 1]; p++) {
                    s += (double) b.values[p] * b.values[p];
                }
                float inv = s == 0 ? 0f : (float) (1 / Math.sqrt(s));
                for (int p = b.offsets[r]; p < b.offsets[r + 1]; p++) {
                    x[p] = b.values[p] * inv;
                }
            }
            if (rng != null && spec.dropout() > 0) {
                Dropout.apply((float) spec.dropout(), x, x, 0, n, rng);
            }
        }

        /** Draws eps for the batch (VAE), in row-major order. */
        void noise(int rows, Rng rng) {
            for (int q = 0; q < rows * spec.rank(); q++) {
                eps[q] = (float) rng.nextGaussian();
            }
        }

        /**
         * Forward and backward of one batch (inputs from {@link #input}, eps from {@link #noise} or
         * zero), adding d L_B / d params (without the penalty) into the gradients; returns the
         * reconstruction plus beta KL of the batch ({@link #sse}, {@link #kl} are set too).
         */
        double step(Autoencoders.Batch b, double beta, Parallel pool) {
            int n = b.size;
            int k = spec.rank();
            int f = spec.first();
            int[] off = b.offsets;
            int[] idx = b.indices;
            net.in.forward(off, idx, x, n, z0, pool);
            Activation act0 = spec.firstActivation();
            Kernels.activate(act0, z0, a0, n * f, pool);
            if (net.enc != null) {
                net.enc.forward(a0, e, n, pool);
            } else {
                System.arraycopy(a0, 0, e, 0, n * f);
            }
            kl = 0;
            if (spec.variational()) {
                for (int r = 0; r < n; r++) {
                    for (int q = 0; q < k; q++) {
                        float mu = e[r * 2 * k + q];
                        float lv = e[r * 2 * k + k + q];
                        float sd = (float) Math.exp(0.5 * lv);
                        z[r * k + q] = mu + sd * eps[r * k + q];
                        kl += 0.5 * ((double) sd * sd + (double) mu * mu - 1 - lv);
                    }
                }
            } else {
                System.arraycopy(e, 0, z, 0, n * k);
            }
            if (net.dec != null) {
                net.dec.forward(z, d, n, pool);
            } else {
                System.arraycopy(z, 0, d, 0, n * k);
            }
            double recon = spec.likelihood() == Likelihood.GAUSSIAN ? gaussian(b, pool) : multinomial(b, pool);
            // backward
            if (net.dec != null) {
                net.dec.backward(z, d, dd, dz, n, pool);
            } else {
                System.arraycopy(dd, 0, dz, 0, n * k);
            }
            if (spec.variational()) {
                for (int r = 0; r < n; r++) {
                    for (int q = 0; q < k; q++) {
                        float mu = e[r * 2 * k + q];
                        float lv = e[r * 2 * k + k + q];
                        double var = Math.exp(lv);
                        float g = dz[r * k + q];
                        de[r * 2 * k + q] = (float) (g + beta * mu);
                        de[r * 2 * k + k + q] = (float) (g * eps[r * k + q] * 0.5 * Math.sqrt(var) + beta * 0.5 * (var - 1));
                    }
                }
            } else {
                System.arraycopy(dz, 0, de, 0, n * k);
            }
            if (net.enc != null) {
                net.enc.backward(a0, e, de, da0, n, pool);
            } else {
                System.arraycopy(de, 0, da0, 0, n * f);
            }
            Kernels.activationBackward(act0, z0, a0, da0, da0, n * f, pool);
            net.in.backward(off, idx, x, da0, n, pool);
            return recon + beta * kl;
        }

        private double gaussian(Autoencoders.Batch b, Parallel pool) {
            int m = b.entries();
            if (y.length < m) {
                y = new float[Math.max(m, y.length * 2)];
                dy = new float[y.length];
            }
            net.out.forward(b.offsets, b.indices, d, b.size, y, pool);
            double s = 0;
            for (int p = 0; p < m; p++) {
                double r = (double) y[p] - b.values[p];
                s += r * r;
                dy[p] = (float) (2 * r);
            }
            sse = s;
            net.out.backward(b.offsets, b.indices, d, dy, dd, b.size, pool);
            return s;
        }

        private double multinomial(Autoencoders.Batch b, Parallel pool) {
            int items = net.items;
            int n = b.size;
            net.out.forwardAll(d, n, y, wT, pool);
            double nll = pool.sumBlocks(n, 16, (blk, lo, hi) -> {
                double s = 0;
                for (int r = lo; r < hi; r++) {
                    int o = r * items;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < items; i++) {
                        max = Math.max(max, y[o + i]);
                    }
                    double z = 0;
                    for (int i = 0; i < items; i++) {
                        z += Math.exp(y[o + i] - max);
                    }
                    double lse = max + Math.log(z);
                    int cnt = b.offsets[r + 1] - b.offsets[r];
                    for (int i = 0; i < items; i++) {
                        dy[o + i] = (float) (cnt * Math.exp(y[o + i] - lse));
                    }
                    for (int p = b.offsets[r]; p < b.offsets[r + 1]; p++) {
                        int i = b.indices[p];
                        s += lse - y[o + i];
                        dy[o + i] -= 1f;
                    }
                }
                return s;
            });
            sse = 0;
            net.out.backwardAll(d, dy, dd, n, pool);
            return nll;
        }
    }

    /** One run of dae-cf or mult-vae. */
    public final class Run implements EpochTrainer<UserAutoencoderModel> {
        private final Parallel pool;
        private final long seed;
        private final RatingMatrix m;
        private final int nu;
        private final int ni;
        private final int nnz;
        private final double mean;
        private final double[] itemWeight;
        private final Network net;
        private final Optimizer optimizer;
        private final int[] order;
        private final int batch;
        private final Autoencoders.Batch b;
        private final Pass pass;
        private long steps;
        private double noise = 1;

        Run(TrainingData data, long seed, Parallel pool) {
            this.m = data.ratings();
            this.pool = pool;
            this.seed = seed;
            this.nu = m.numUsers();
            this.ni = m.numItems();
            this.nnz = m.nnz();
            this.mean = nnz == 0 ? 0 : m.mean();
            this.itemWeight = new double[ni];
            boolean[] used = new boolean[ni];
            for (int i = 0; i < ni; i++) {
                int c = m.itemCount(i);
                itemWeight[i] = c == 0 ? 0 : 1.0 / c;
                used[i] = c > 0;
            }
            this.net = new Network(spec, ni);
            net.initialize(Rng.stream(seed, STREAM_INIT), used,
                    spec.likelihood() == Likelihood.GAUSSIAN ? mean : 0);
            this.optimizer = ParamAdam.of(spec.learningRate());
            int active = 0;
            for (int u = 0; u < nu; u++) {
                active += m.userCount(u) > 0 ? 1 : 0;
            }
            this.order = new int[active];
            for (int u = 0, q = 0; u < nu; u++) {
                if (m.userCount(u) > 0) {
                    order[q++] = u;
                }
            }
            this.batch = Math.max(1, spec.batchSize() == 0 ? active : Math.min(spec.batchSize(), Math.max(1, active)));
            this.b = new Autoencoders.Batch(batch);
            this.pass = new Pass(net, batch);
        }

        @Override
        public int plannedEpochs() {
            return spec.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            Rng rng = Rng.stream(seed, STREAM_EPOCH + epoch);
            rng.shuffle(order);
            double loss = 0;
            double sse = 0;
            double kl = 0;
            double beta = 0;
            for (int from = 0; from < order.length; from += batch) {
                int n = Math.min(batch, order.length - from);
                b.gather(order, from, n, m.userOffsets(), m.userItems(), m.userValues());
                beta = spec.variational() ? Math.min(spec.betaMax(), (double) steps / spec.annealSteps()) : 0;
                loss += gradients(b, rng, beta);
                sse += pass.sse;
                kl += pass.kl;
                optimizer.stepAndZeroGrad(net.params);
                steps++;
            }
            figures.put("loss", nnz == 0 ? 0 : loss / nnz);
            if (spec.likelihood() == Likelihood.GAUSSIAN) {
                figures.put("train_rmse", nnz == 0 ? 0 : Math.sqrt(sse / nnz));
                noise = nnz == 0 ? 1 : Math.max(sse / nnz, 1e-6);
            }
            if (spec.variational()) {
                figures.put("kl", order.length == 0 ? 0 : kl / order.length);
                figures.put("beta", beta);
            }
        }

        /**
         * The inputs of batch {@code bt} (dropout masks, then eps for the VAE, drawn from {@code rng}),
         * and d L_B / d params added into the gradients; returns L_B (reconstruction, beta KL, penalty).
         */
        double gradients(Autoencoders.Batch bt, Rng rng, double beta) {
            pass.input(bt, rng);
            if (spec.variational()) {
                pass.noise(bt.size, rng);
            }
            return pass.step(bt, beta, pool) + penalty(bt, (double) bt.size / order.length);
        }

        Pass pass() {
            return pass;
        }

        /**
         * Adds the batch's share of {@code lambda ||W||^2} to the gradients (item rows of the first
         * and the output layer in proportion n_Bi / n_i, dense layers in proportion {@code share});
         * returns it.
         */
        double penalty(Autoencoders.Batch bt, double share) {
            double lambda = spec.lambda();
            if (lambda == 0) {
                return 0;
            }
            int[] count = new int[ni];
            for (int p = 0; p < bt.entries(); p++) {
                count[bt.indices[p]]++;
            }
            double pen = 0;
            for (ParamArray w : List.of(net.in.weights(), net.out.weights())) {
                int cols = w.cols();
                float[] v = w.value();
                float[] g = w.grad();
                int t = w.numTouched();
                int[] rows = w.touchedRows();
                for (int q = 0; q < t; q++) {
                    int i = rows[q];
                    if (count[i] == 0) {
                        continue;
                    }
                    double c = lambda * count[i] * itemWeight[i];
                    pen += c * addScaled(v, g, i * cols, cols, (float) (2 * c));
                }
            }
            for (ParamArray w : net.denseWeights) {
                double c = lambda * share;
                pen += c * addScaled(w.value(), w.grad(), 0, w.size(), (float) (2 * c));
            }
            return pen;
        }

        @Override
        public UserAutoencoderModel snapshot() {
            return UserAutoencoderModel.of(spec, net, m, noise, pool);
        }

        Network network() {
            return net;
        }
    }

    /** {@code g[o..o+len) += coef * w[o..o+len)}; returns {@code ||w[o..o+len)||^2} (a float sum: only reported). */
    static double addScaled(float[] w, float[] g, int o, int len, float coef) {
        Kernels.axpy(coef, w, o, g, o, len);
        return Kernels.dot(w, o, w, o, len);
    }
}
