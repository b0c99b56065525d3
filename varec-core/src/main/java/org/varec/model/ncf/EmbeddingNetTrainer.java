package org.varec.model.ncf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.Embedding;
import org.varec.nn.ParamArray;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Trains the embedding networks {@code ncf} (NeuMF, {@link NeuMfNetwork}) and {@code convncf}
 * ({@link ConvNcfNetwork}) on explicit ratings by minibatch Adam on squared error, as the VAE-BMF
 * paper (sec. 4.3) trains them:
 * <pre>
 *   L = sum_(u,i in O) [ (r_ui - f(p_u, q_i))^2 + reg (||p_u||^2 + ||q_i||^2) + reg_net ||W||^2 ]
 * </pre>
 * with {@code p_u}, {@code q_i} the user and item rows ({@link NetSettings#network}: NeuMF's are
 * {@code [GMF, MLP]} embeddings, ConvNCF's one embedding each) and f the network. The penalty is
 * charged per rating (as biasmf's SGD does: a row pays once per occurrence), so a batch B pays
 * {@code L_B = sum_(u,i in B) [...]}, an epoch's batches add up to L, and fold-in minimises the same
 * terms of one user. {@code ||W||^2} is the sum of squares of the network's weight matrices
 * (biases excluded), also charged per rating ({@code b reg_net ||W||^2} per batch of b). It is
 * needed for the embedding penalty to mean anything: without it, shrinking the embeddings and
 * growing the next layer's weights (or the output weights of GMF) leaves f unchanged and lowers
 * the penalty, and the embedding L2 alone barely slows overfitting (seen on ML-1M, docs/ncf.md).
 *
 * <p><b>Steps.</b> Per batch: gather the rows ({@link Embedding#forward}), forward, {@code dy = 2(y - r)},
 * backward through the network, scatter the row gradients plus {@code 2 reg p_u} into the tables
 * in batch order ({@link Embedding#backward}), one Adam step of everything (lazy on the tables: a
 * row absent from the batch keeps its value and moments; Kingma and Ba 2014, Alg. 1). The step size
 * of epoch e is {@code learning_rate * decay^(e - 1)} (as autorec's and biasmf's {@code decay}).
 *
 * <p><b>Pretraining</b> ({@code pretrain} epochs, convncf). He et al. 2018 (sec. 4.1) start ConvNCF
 * from embeddings trained by MF, as the deep stack trained from random rows is much worse. The
 * first {@code pretrain} epochs therefore fit only the tables to biased MF,
 * <pre>
 *   L_MF = sum_(u,i in O) [ (r_ui - m - b_u - b_i - p_u . q_i)^2 + reg (||p_u||^2 + ||q_i||^2) ]
 * </pre>
 * (m the training mean; {@code b_u}, {@code b_i} the bias floats that end the rows when
 * {@code biases}, p and q the other K; the penalty is on whole rows, biases included, as in L),
 * with Adam steps on the tables only (the network's arrays
 * keep their initial values and fresh moments); the network's epochs follow with the step
 * schedule restarted. Validation probes see the network model throughout: use a patience of more
 * than {@code pretrain} epochs when early stopping.
 *
 * <p><b>Initialisation.</b> Rows {@code N(0, init_stdev^2)} from stream 1 of the seed (users, then
 * items), rows without training ratings zero (the minimiser of L for them); the network from stream
 * 2 (He uniform before ReLUs, Glorot for the output), the output bias at the training mean. Batches
 * come from a seeded shuffle per epoch. Every kernel uses blocks fixed by the shapes and gradients
 * are scattered in batch order, so the same seed and thread count give the same model (in fact the
 * same for any thread count).
 *
 * <p>One epoch reports {@code loss} (L per training rating, each batch measured before its step)
 * and {@code train_rmse} (likewise). Early stopping and selection are the shared loop's
 * ({@code --validation-share P --patience E --restore-best}).
 */
public final class EmbeddingNetTrainer implements Trainer<EmbeddingNetModel> {
    private static final long STREAM_EMBEDDINGS = 1;
    private static final long STREAM_NETWORK = 2;
    private static final long STREAM_EPOCH = 1_000;

    private final NetSettings config;

    public EmbeddingNetTrainer(NetSettings config) {
        this.config = config;
    }

    @Override
    public String name() {
        return config.algorithm();
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /** One run: tables, network, optimiser and batch buffers. */
    public final class Run implements EpochTrainer<EmbeddingNetModel> {
        private final Parallel pool;
        private final long seed;
        private final int nu;
        private final int ni;
        private final int n;
        private final int d;
        private final int[] users;
        private final int[] items;
        private final float[] values;
        private final Embedding p;
        private final Embedding q;
        private final PairNetwork net;
        private final List<ParamArray> all;
        private final ParamAdam adam;
        private final int[] order;
        private final int batch;
        private final int[] bu;
        private final int[] bi;
        private final float[] ub;
        private final float[] vb;
        private final float[] dub;
        private final float[] dvb;
        private final float[] y;
        private final float[] dy;
        private final double mean;
        /** Floats of a row multiplied in MF pretraining (the row less its bias). */
        private final int core;
        private final List<ParamArray> tables;

        Run(TrainingData data, long seed, Parallel pool) {
            RatingMatrix m = data.ratings();
            this.pool = pool;
            this.seed = seed;
            this.nu = m.numUsers();
            this.ni = m.numItems();
            this.n = m.nnz();
            this.net = config.network(config.newParams());
            this.d = net.width();
            this.users = new int[n];
            this.items = m.userItems();
            this.values = m.userValues();
            int[] off = m.userOffsets();
            for (int a = 0; a < nu; a++) {
                Arrays.fill(users, off[a], off[a + 1], a);
            }
            String name = config.algorithm();
            Rng rng = Rng.stream(seed, STREAM_EMBEDDINGS);
            this.p = new Embedding(name + ".P", nu, d).initNormal(config.initStdev(), rng);
            this.q = new Embedding(name + ".Q", ni, d).initNormal(config.initStdev(), rng);
            for (int a = 0; a < nu; a++) {
                if (m.userCount(a) == 0) {
                    Arrays.fill(p.table().value(), a * d, (a + 1) * d, 0f);
                }
            }
            for (int b = 0; b < ni; b++) {
                if (m.itemCount(b) == 0) {
                    Arrays.fill(q.table().value(), b * d, (b + 1) * d, 0f);
                }
            }
            this.mean = n == 0 ? 0 : m.mean();
            this.core = d - (config.biases() ? 1 : 0);
            net.initialize(Rng.stream(seed, STREAM_NETWORK), mean);
            List<ParamArray> a = new ArrayList<>(net.params());
            a.add(p.table());
            a.add(q.table());
            this.all = List.copyOf(a);
            this.tables = List.of(p.table(), q.table());
            this.adam = ParamAdam.of(config.learningRate());
            this.order = new int[n];
            for (int r = 0; r < n; r++) {
                order[r] = r;
            }
            this.batch = Math.max(1, Math.min(config.batchSize(), Math.max(1, n)));
            this.bu = new int[batch];
            this.bi = new int[batch];
            this.ub = new float[Math.multiplyExact(batch, d)];
            this.vb = new float[ub.length];
            this.dub = new float[ub.length];
            this.dvb = new float[ub.length];
            this.y = new float[batch];
            this.dy = new float[batch];
        }

        @Override
        public int plannedEpochs() {
            return config.pretrain() + config.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            Rng.stream(seed, STREAM_EPOCH + epoch).shuffle(order);
            boolean mf = epoch <= config.pretrain();
            int t = mf ? epoch : epoch - config.pretrain();
            adam.setLearningRate(config.learningRate() * Math.pow(config.decay(), t - 1));
            double sse = 0;
            double loss = 0;
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                double[] s = step(from, b, mf);
                sse += s[0];
                loss += s[0] + s[1];
            }
            figures.put("loss", n == 0 ? 0 : loss / n);
            figures.put("train_rmse", n == 0 ? 0 : Math.sqrt(sse / n));
        }

        /**
         * One Adam step on ratings {@code order[from .. from+b)} (of the tables only in MF pretraining);
         * returns {squared error, penalty} before the step.
         */
        double[] step(int from, int b, boolean mf) {
            double[] lossParts = gradients(from, b, mf);
            List<ParamArray> stepped = mf ? tables : all;
            adam.stepAndZeroGrad(stepped);
            return lossParts;
        }

        /**
         * Adds d L_B / d (all parameters) of the batch into the gradients, or with {@code mf} those of
         * L_MF's batch terms (tables only); returns {squared error, penalty}.
         */
        double[] gradients(int from, int b, boolean mf) {
            for (int r = 0; r < b; r++) {
                int x = order[from + r];
                bu[r] = users[x];
                bi[r] = items[x];
            }
            p.forward(bu, 0, b, ub, pool);
            q.forward(bi, 0, b, vb, pool);
            if (mf) {
                dotForward(b);
            } else {
                net.forward(ub, vb, y, b, pool);
            }
            double sse = 0;
            for (int r = 0; r < b; r++) {
                double e = (double) y[r] - values[order[from + r]];
                sse += e * e;
                dy[r] = (float) (2 * e);
            }
            double pen;
            if (mf) {
                dotBackward(b);
                pen = penalize(ub, dub, b) + penalize(vb, dvb, b);
            } else {
                net.backward(ub, vb, dy, dub, dvb, b, pool);
                pen = penalize(ub, dub, b) + penalize(vb, dvb, b) + penalizeWeights(b);
            }
            p.backward(bu, 0, b, dub);
            q.backward(bi, 0, b, dvb);
            return new double[] {sse, pen};
        }

        /** MF pretraining's prediction {@code y_r = m + p_u . q_i (+ b_u + b_i)} of the gathered rows. */
        private void dotForward(int b) {
            for (int r = 0; r < b; r++) {
                int o = r * d;
                double s = mean;
                for (int j = 0; j < core; j++) {
                    s += ub[o + j] * vb[o + j];
                }
                if (core < d) {
                    s += ub[o + core] + vb[o + core];
                }
                y[r] = (float) s;
            }
        }

        /** Its row gradients: {@code d p_u = dy q_i}, {@code d q_i = dy p_u}, {@code d b_u = d b_i = dy}. */
        private void dotBackward(int b) {
            for (int r = 0; r < b; r++) {
                int o = r * d;
                float g = dy[r];
                for (int j = 0; j < core; j++) {
                    dub[o + j] = g * vb[o + j];
                    dvb[o + j] = g * ub[o + j];
                }
                if (core < d) {
                    dub[o + core] = g;
                    dvb[o + core] = g;
                }
            }
        }

        /** {@code g += 2 reg rows} (the per-occurrence penalty's gradient); returns {@code reg sum ||row||^2}. */
        private double penalize(float[] rows, float[] g, int b) {
            double reg = config.reg();
            if (reg == 0) {
                return 0;
            }
            float c = (float) (2 * reg);
            double s = 0;
            for (int e = 0; e < b * d; e++) {
                float w = rows[e];
                s += (double) w * w;
                g[e] += c * w;
            }
            return reg * s;
        }

        /** {@code grad W += 2 b reg_net W} for the weight matrices; returns {@code b reg_net ||W||^2}. */
        private double penalizeWeights(int b) {
            return ParamArray.addWeightPenalty(net.params(), b * config.regNet());
        }

        /** The current parameters (sharing the arrays: valid until the next epoch). */
        @Override
        public EmbeddingNetModel snapshot() {
            return new EmbeddingNetModel(config, nu, ni, p.table().value(), q.table().value(), net.params());
        }

        /** The network, tables and optimiser inputs (for tests): network params, then P, then Q. */
        List<ParamArray> parameters() {
            return all;
        }

        /** The training ratings in the order of the current epoch (identity before the first). */
        int[] order() {
            return order;
        }
    }
}
