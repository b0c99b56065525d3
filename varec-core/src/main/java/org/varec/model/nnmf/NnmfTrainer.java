package org.varec.model.nnmf;

import java.util.ArrayList;
import java.util.List;
import org.varec.data.FeatureTable;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.Activation;
import org.varec.nn.Mlp;
import org.varec.nn.ParamArray;
import org.varec.optim.MovingAverage;
import org.varec.optim.RmsProp;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Neural network matrix factorization (Dziugaite and Roy 2015; NNMF paper, Kampman and Heaukulani,
 * eq. (2)): point estimates of the embeddings {@code U, V, U', V'} and the network {@code f}
 * minimising
 * <pre>
 *   L = sum_(n,m in O) (X_nm - f(x_nm))^2 + lambda (sum_n ||U_n||^2 + sum_m ||V_m||^2 + sum_n ||U'_n||_F^2 + sum_m ||V'_m||_F^2)
 *   x_nm = [U_n, V_m, U'_n1 o V'_m1, ..., U'_nD o V'_mD (, s_m)]                      ({@link NnmfInputs})
 * </pre>
 * (lambda on the embeddings only: the paper does not regularise f).
 *
 * <p><b>Minibatches.</b> A batch B of ratings is charged
 * <pre>
 *   L_B = sum_(n,m in B) [ (X_nm - f(x_nm))^2 + lambda (||U_n||^2 + ||U'_n||^2) / c_n + lambda (||V_m||^2 + ||V'_m||^2) / c_m ]
 * </pre>
 * with {@code c_n}, {@code c_m} the numbers of training ratings of user n and item m: each row pays
 * its penalty once per occurrence with weight 1/(its count), so the batches of one epoch (a
 * partition of O) add up to L exactly, and a full batch is L itself. Rows without training ratings
 * get no data gradient; their minimiser of L is zero, and they start (and stay) there.
 *
 * <p><b>Alternating steps, per batch.</b> For each batch: forward, one RMSProp step of the network
 * with the embeddings fixed (gradients of L_B with respect to every weight and bias); then a second
 * forward with the new network and one RMSProp step of the embeddings present in the batch with the
 * network fixed (lazy rows: an absent row keeps its value and its RMSProp state). Alternating per
 * batch rather than per epoch is what Dziugaite and Roy describe (a network step, then a latent
 * step, on the same full batch) and keeps the two blocks from drifting apart: a whole epoch of one
 * block against a stale other block is a long inexact block-coordinate step that can overshoot,
 * and the price is the same (each step needs its own forward pass either way).
 *
 * <p><b>Initialisation.</b> Embeddings {@code N(0, init_stdev^2)} from one stream of the seed
 * (U, V, U', V' in that order), zero for rows without ratings; the network Glorot-uniform
 * ({@link Mlp#initialize}) from another, biases zero except the output bias, which starts at the
 * training mean (so the first steps fit deviations, not the scale). Batches come from a seeded
 * shuffle per epoch. Kernels use fixed blocks and gradients are scattered into embedding rows in
 * batch order, so the same seed and thread count give the same model (the kernels give the same bits
 * for any thread count).
 *
 * <p><b>Step size.</b> Epoch e uses {@code learning_rate * decay^(e - 1)} in both optimisers
 * (their running averages are kept); {@code decay=1} (the default) is the constant step of the
 * paper. The shared loop's {@link org.varec.train.PlateauSchedule} ({@code --lr-patience}) may
 * send the run back to its best epoch with a smaller step ({@link Run#restart}).
 *
 * <p>One epoch is one pass over the shuffled training ratings; it reports {@code loss} (L per
 * training rating, each batch measured before its steps) and {@code train_rmse} (likewise).
 * Early stopping is the shared loop's ({@code --validation-share P --patience E --restore-best}).
 */
public final class NnmfTrainer implements Trainer<NnmfModel> {
    /** Group of the item feature table holding genres. */
    public static final String GENRE_GROUP = "genre";
    private static final long STREAM_EMBEDDINGS = 1;
    private static final long STREAM_NETWORK = 2;
    private static final long STREAM_EPOCH = 1_000;
    /** Batch rows per block when building inputs. */
    private static final int INPUT_BLOCK = 512;

    private final NnmfConfig config;

    public NnmfTrainer(NnmfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "nnmf";
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /**
     * Item genre indicators as dense rows: {@code rows[m * width + g] = 1} when item m has genre g
     * (multi-hot: a film may have several), g over the features of group {@value #GENRE_GROUP} in
     * feature-id order.
     */
    public record Genres(int width, float[] rows, List<String> names) {
        /**
         * @throws IllegalArgumentException naming the missing group when the data has no genres
         */
        public static Genres of(FeatureTable t, int numItems, String algorithm) {
            if (t == null) {
                throw new IllegalArgumentException(algorithm + " with side=item needs item features in group '"
                        + GENRE_GROUP + "', but the data has none; use side=none, or data with genres "
                        + "(e.g. MovieLens, or --item-features)");
            }
            int group = t.groupNames().indexOf(GENRE_GROUP);
            if (group < 0) {
                throw new IllegalArgumentException(algorithm + " with side=item needs item features in group '"
                        + GENRE_GROUP + "'; the data has groups " + t.groupNames());
            }
            if (t.numRows() != numItems) {
                throw new IllegalArgumentException("item feature table has " + t.numRows() + " rows for " + numItems
                        + " items");
            }
            int[] column = new int[t.numFeatures()];
            List<String> names = new ArrayList<>();
            for (int f = 0; f < column.length; f++) {
                column[f] = t.groupOf(f) == group ? names.size() : -1;
                if (column[f] >= 0) {
                    names.add(t.featureName(f));
                }
            }
            int width = names.size();
            if (width == 0) {
                throw new IllegalArgumentException("item feature group '" + GENRE_GROUP + "' has no features");
            }
            float[] rows = new float[Math.multiplyExact(numItems, width)];
            int[] off = t.offsets();
            int[] feats = t.features();
            for (int m = 0; m < numItems; m++) {
                for (int p = off[m]; p < off[m + 1]; p++) {
                    int c = column[feats[p]];
                    if (c >= 0) {
                        rows[m * width + c] = 1f;
                    }
                }
            }
            return new Genres(width, rows, List.copyOf(names));
        }
    }

    /** One nnmf run: parameters, optimiser states and batch buffers. */
    public final class Run implements EpochTrainer<NnmfModel> {
        private final Parallel pool;
        private final long seed;
        private final int nu;
        private final int ni;
        private final int n;
        private final int k;
        private final int dk;
        private final NnmfInputs inputs;
        private final int width;
        /** Training ratings as COO (user order). */
        private final int[] users;
        private final int[] items;
        private final float[] values;
        /** 1 / (training ratings of the row), 0 for rows without. */
        private final double[] userWeight;
        private final double[] itemWeight;
        private final float[] side;
        private final ParamArray u;
        private final ParamArray v;
        private final ParamArray up;
        private final ParamArray vp;
        private final List<ParamArray> embeddings;
        private final Mlp net;
        private final RmsProp netOptimizer;
        private final RmsProp embeddingOptimizer;
        /** The moving average of the iterates ({@code average > 0}), else null. */
        private final MovingAverage averaged;
        /** log of the average's weight per rating: a batch of b blends with weight a^(b/n). */
        private final double logAveragePerRating;
        private final int[] order;
        private final int batch;
        private final int[] bu;
        private final int[] bi;
        private final float[] x;
        private final float[] dx;
        private final float[] y;
        private final float[] dy;
        private final float[] emptyRows = new float[0];
        /** The penalty term of L_B of the latest step (the embeddings before its embedding step). */
        private double lastPenalty;
        /** The network-weight penalty of L_B of the latest step (reg_net; before its network step). */
        private double lastNetPenalty;
        /** Product of the step-size factors of the loop's restarts (1 without). */
        private double stepScale = 1;

        Run(TrainingData data, long seed, Parallel pool) {
            RatingMatrix m = data.ratings();
            this.pool = pool;
            this.seed = seed;
            this.nu = m.numUsers();
            this.ni = m.numItems();
            this.n = m.nnz();
            this.k = config.rank();
            this.dk = config.productWidth();
            Genres genres = config.itemSide() ? Genres.of(data.itemFeatures(), ni, "nnmf") : null;
            int sideWidth = genres == null ? 0 : genres.width();
            this.side = genres == null ? new float[0] : genres.rows();
            this.inputs = new NnmfInputs(k, dk, sideWidth);
            this.width = inputs.width();

            this.users = new int[n];
            this.items = m.userItems();
            this.values = m.userValues();
            int[] off = m.userOffsets();
            for (int a = 0; a < nu; a++) {
                for (int p = off[a]; p < off[a + 1]; p++) {
                    users[p] = a;
                }
            }
            this.userWeight = new double[nu];
            this.itemWeight = new double[ni];
            for (int a = 0; a < nu; a++) {
                int c = m.userCount(a);
                userWeight[a] = c == 0 ? 0 : 1.0 / c;
            }
            for (int b = 0; b < ni; b++) {
                int c = m.itemCount(b);
                itemWeight[b] = c == 0 ? 0 : 1.0 / c;
            }

            this.u = ParamArray.sparse("nnmf.U", nu, k);
            this.v = ParamArray.sparse("nnmf.V", ni, k);
            this.up = dk == 0 ? null : ParamArray.sparse("nnmf.U'", nu, dk);
            this.vp = dk == 0 ? null : ParamArray.sparse("nnmf.V'", ni, dk);
            List<ParamArray> e = new ArrayList<>(List.of(u, v));
            if (dk > 0) {
                e.add(up);
                e.add(vp);
            }
            this.embeddings = List.copyOf(e);
            initEmbeddings(Rng.stream(seed, STREAM_EMBEDDINGS));

            int[] sizes = NnmfModel.layerSizes(width, config.hiddenSizes());
            this.net = Mlp.of("nnmf.f", sizes, config.activation(), Activation.IDENTITY)
                    .initialize(Rng.stream(seed, STREAM_NETWORK));
            net.layer(net.numLayers() - 1).bias().value()[0] = (float) (n == 0 ? 0 : m.mean());
            this.netOptimizer = RmsProp.of(config.learningRate());
            this.embeddingOptimizer = RmsProp.of(config.learningRate());
            if (config.average() > 0) {
                List<ParamArray> all = new ArrayList<>(embeddings);
                all.addAll(net.params());
                this.averaged = new MovingAverage(all);
                this.logAveragePerRating = n == 0 ? 0 : Math.log(config.average()) / n;
            } else {
                this.averaged = null;
                this.logAveragePerRating = 0;
            }

            this.order = new int[n];
            for (int p = 0; p < n; p++) {
                order[p] = p;
            }
            this.batch = Math.max(1, config.batchSize() == 0 ? n : Math.min(config.batchSize(), n));
            this.bu = new int[batch];
            this.bi = new int[batch];
            this.x = new float[Math.multiplyExact(batch, width)];
            this.dx = new float[batch * width];
            this.y = new float[batch];
            this.dy = new float[batch];
        }

        private void initEmbeddings(Rng rng) {
            double sd = config.initStdev();
            for (ParamArray p : embeddings) {
                float[] a = p.value();
                for (int e = 0; e < a.length; e++) {
                    a[e] = (float) (sd * rng.nextGaussian());
                }
                double[] weight = p == u || p == up ? userWeight : itemWeight;
                int cols = p.cols();
                for (int r = 0; r < p.rows(); r++) {
                    if (weight[r] == 0) {
                        java.util.Arrays.fill(a, r * cols, (r + 1) * cols, 0f);
                    }
                }
            }
        }

        @Override
        public int plannedEpochs() {
            return config.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            // the step size of epoch e is learning_rate * decay^(e - 1) for both optimisers
            // (times the factors of the loop's restarts, if any)
            double lr = config.learningRate() * Math.pow(config.decay(), epoch - 1) * stepScale;
            netOptimizer.setLearningRate(lr);
            embeddingOptimizer.setLearningRate(lr);
            Rng rng = Rng.stream(seed, STREAM_EPOCH + epoch);
            rng.shuffle(order);
            double sse = 0;
            double loss = 0;
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                double batchSse = step(from, b);
                sse += batchSse;
                loss += batchSse + lastPenalty + lastNetPenalty;
            }
            figures.put("loss", n == 0 ? 0 : loss / n);
            figures.put("train_rmse", n == 0 ? 0 : Math.sqrt(sse / n));
        }

        /** The two alternating steps on ratings {@code order[from .. from+b)}; returns their squared error before the steps. */
        private double step(int from, int b) {
            double sse = networkGradients(from, b);
            if (averaged != null) {
                averaged.beforeStep(net.params());
            }
            netOptimizer.stepAndZeroGrad(net.params());
            lastPenalty = embeddingGradients(from, b);
            if (averaged != null) {
                averaged.beforeStep(embeddings);
            }
            embeddingOptimizer.stepAndZeroGrad(embeddings);
            if (averaged != null) {
                averaged.advance(Math.exp(b * logAveragePerRating));
            }
            return sse;
        }

        /**
         * Builds the inputs of ratings {@code order[from .. from+b)} and adds d L_B / d (weights and
         * biases) into the network's gradients, the penalty {@code b reg_net ||W||^2} included (kept
         * in {@link #lastNetPenalty}); returns the batch's squared error.
         */
        double networkGradients(int from, int b) {
            for (int r = 0; r < b; r++) {
                int p = order[from + r];
                bu[r] = users[p];
                bi[r] = items[p];
            }
            buildInputs(b);
            net.forward(x, y, b, pool);
            double sse = residuals(from, b);
            net.backward(x, y, dy, null, b, pool);
            lastNetPenalty = ParamArray.addWeightPenalty(net.params(), b * config.regNet());
            return sse;
        }

        /**
         * With the inputs of the latest {@link #networkGradients} (same batch; the embeddings have not
         * moved since), a forward pass through the current network and d L_B / d (embedding rows)
         * added into the embeddings' gradients; returns the penalty part of L_B.
         */
        double embeddingGradients(int from, int b) {
            net.forward(x, y, b, pool);
            residuals(from, b);
            net.backwardInput(x, y, dy, dx, b, pool);
            return scatter(b);
        }

        private void buildInputs(int b) {
            float[] uv = u.value();
            float[] vv = v.value();
            float[] upv = dk == 0 ? emptyRows : up.value();
            float[] vpv = dk == 0 ? emptyRows : vp.value();
            int sw = inputs.sideWidth();
            pool.forBlocks(b, INPUT_BLOCK, (blk, lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int a = bu[r];
                    int c = bi[r];
                    inputs.row(uv, a * k, vv, c * k, upv, a * dk, vpv, c * dk, side, c * sw, x, r * width);
                }
            });
        }

        /** {@code dy = 2 (y - X)} (the gradient of the squared error); returns the squared error. */
        private double residuals(int from, int b) {
            double s = 0;
            for (int r = 0; r < b; r++) {
                double e = (double) y[r] - values[order[from + r]];
                s += e * e;
                dy[r] = (float) (2 * e);
            }
            return s;
        }

        /**
         * Adds the input gradients of the batch rows into the embedding rows (batch order), and each
         * occurrence's penalty gradient {@code 2 lambda / c * row}; returns the penalty of L_B.
         */
        private double scatter(int b) {
            float[] uv = u.value();
            float[] vv = v.value();
            float[] gu = u.grad();
            float[] gv = v.grad();
            float[] upv = dk == 0 ? emptyRows : up.value();
            float[] vpv = dk == 0 ? emptyRows : vp.value();
            float[] gup = dk == 0 ? null : up.grad();
            float[] gvp = dk == 0 ? null : vp.grad();
            double lambda = config.lambda();
            double pen = 0;
            for (int r = 0; r < b; r++) {
                int a = bu[r];
                int c = bi[r];
                u.touch(a);
                v.touch(c);
                if (dk > 0) {
                    up.touch(a);
                    vp.touch(c);
                }
                inputs.addGradients(dx, r * width, upv, a * dk, vpv, c * dk, gu, a * k, gv, c * k, gup, a * dk, gvp,
                        c * dk);
                double wu = lambda * userWeight[a];
                double wi = lambda * itemWeight[c];
                pen += wu * (penalize(uv, gu, a * k, k, (float) (2 * wu))
                        + (dk == 0 ? 0 : penalize(upv, gup, a * dk, dk, (float) (2 * wu))));
                pen += wi * (penalize(vv, gv, c * k, k, (float) (2 * wi))
                        + (dk == 0 ? 0 : penalize(vpv, gvp, c * dk, dk, (float) (2 * wi))));
            }
            return pen;
        }

        /** {@code g[o..o+len) += coef * w[o..o+len)}; returns {@code ||w[o..o+len)||^2}. */
        private static double penalize(float[] w, float[] g, int o, int len, float coef) {
            double s = 0;
            for (int j = o; j < o + len; j++) {
                float wj = w[j];
                s += (double) wj * wj;
                g[j] += coef * wj;
            }
            return s;
        }

        /**
         * The current parameters, or with {@code average > 0} their moving average (sharing the
         * arrays: valid until the next epoch). The loop's probes and selection see this model.
         */
        @Override
        public NnmfModel snapshot() {
            int layers = net.numLayers();
            float[][] w = new float[layers][];
            float[][] bias = new float[layers][];
            float[][] e = new float[embeddings.size()][];
            if (averaged != null) {
                averaged.sync();
            }
            for (int a = 0; a < e.length; a++) {
                e[a] = averaged == null ? embeddings.get(a).value() : averaged.average(a);
            }
            for (int l = 0; l < layers; l++) {
                w[l] = averaged == null ? net.layer(l).weights().value() : averaged.average(e.length + 2 * l);
                bias[l] = averaged == null ? net.layer(l).bias().value() : averaged.average(e.length + 2 * l + 1);
            }
            return new NnmfModel(nu, ni, k, dk, inputs.sideWidth(), net.sizes(), config.activation(), config.lambda(),
                    e[0], e[1], dk == 0 ? emptyRows : e[2], dk == 0 ? emptyRows : e[3], side, w, bias);
        }

        @Override
        public boolean canRestart() {
            return true;
        }

        /**
         * Puts {@code from}'s embeddings and network into this run and scales the step size of the
         * following epochs by {@code stepFactor}. The RMSProp averages of squared gradients are kept
         * (they track the gradients' scale, which is about the same at the best epoch and a few
         * epochs later); only the parameters go back.
         */
        @Override
        public void restart(NnmfModel from, double stepFactor) {
            if (!(stepFactor > 0)) {
                throw new IllegalArgumentException("step factor must be positive, got " + stepFactor);
            }
            float[][] w = new float[net.numLayers()][];
            float[][] bias = new float[net.numLayers()][];
            for (int l = 0; l < w.length; l++) {
                w[l] = net.layer(l).weights().value();
                bias[l] = net.layer(l).bias().value();
            }
            from.copyParametersInto(u.value(), v.value(), dk == 0 ? emptyRows : up.value(),
                    dk == 0 ? emptyRows : vp.value(), w, bias);
            if (averaged != null) {
                averaged.reset(); // the average starts again at the restored (averaged) model
            }
            stepScale *= stepFactor;
        }

        /** The network being trained (for tests and benchmarks). */
        Mlp network() {
            return net;
        }

        /** The network-weight penalty {@code b reg_net ||W||^2} of the latest {@link #networkGradients}. */
        double lastNetPenalty() {
            return lastNetPenalty;
        }

        /** U, V (and U', V' when D > 0), the arrays of the embedding step. */
        List<ParamArray> embeddings() {
            return embeddings;
        }

        /** The training ratings in the order of the current epoch (identity before the first). */
        int[] order() {
            return order;
        }

        /** Runs the two steps on one batch (for benchmarks): ratings {@code order[from .. from+b)}. */
        double stepBatch(int from, int b) {
            return step(from, b);
        }
    }
}
