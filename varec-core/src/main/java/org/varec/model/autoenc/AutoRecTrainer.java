package org.varec.model.autoenc;

import java.util.ArrayList;
import java.util.List;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.nn.Activation;
import org.varec.nn.Dropout;
import org.varec.nn.Kernels;
import org.varec.nn.ParamArray;
import org.varec.nn.SparseInput;
import org.varec.nn.SparseOutput;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * AutoRec (Sedhain et al. 2015): {@code autorec-u} reconstructs each user's rating row, {@code autorec-i}
 * each item's row of ratings by user; the two differ only in which side is a row. With
 * {@code h(r) = W sigmoid(V r + mu) + b} it minimises AutoRec eq. (2),
 * <pre>
 *   L = sum_rows ||r - h(r)||^2_O + (lambda / 2) (||W||_F^2 + ||V||_F^2)
 * </pre>
 * where {@code ||.||_O} sums over the observed entries of the row only: the input is the sparse row
 * ({@link SparseInput}, unobserved entries are zero inputs) and the output is read at the observed
 * columns only ({@link SparseOutput}): the full reconstruction is never formed in training, so an
 * epoch costs about {@code 6 x ratings x hidden} multiply-adds whatever the number of columns.
 *
 * <p><b>Minibatches.</b> A batch B of rows is charged
 * <pre>
 *   L_B = sum_(rows in B) ||r - h(r)||^2_O + (lambda / 2) sum_j (n_Bj / n_j) (||V_j||^2 + ||W_j||^2)
 * </pre>
 * with {@code n_j} the training ratings of column j and {@code n_Bj} those inside B: each column's
 * penalty is paid in proportion to its entries, so the batches of an epoch add up to L exactly
 * (as {@code nnmf}'s per-occurrence penalty), and a batch only touches the weight rows of its
 * columns (lazy Adam rows, {@link ParamAdam}). Columns without training ratings have no gradient;
 * they start at zero weights (their minimiser) and predict the decoder bias.
 *
 * <p><b>Input (beyond the paper).</b> With {@code center=mean} the encoder reads {@code r - m} (m the
 * training mean) instead of r, so an unobserved entry (a zero input) reads as an average rating
 * rather than as a rating of 0; the targets stay r (the decoder bias, initialised at m, absorbs the
 * shift). With {@code dropout} each input entry of a batch is dropped (inverted dropout,
 * {@link Dropout}) while the loss still covers every observed entry of the row: the network is
 * trained to predict ratings it does not see, as at test time, instead of copying its input
 * (Liang et al. 2018's denoising; the gradient is L_B's under the drawn mask). Both default to
 * off for {@code autorec-i} (the paper's model) and on for {@code autorec-u}, whose user rows are
 * the sparser input (docs/neural-baselines.md has the validation runs behind this).
 *
 * <p><b>Optimiser.</b> Adam (step size {@code learning_rate * decay^(epoch - 1)}) on minibatches of rows instead of the paper's full-batch L-BFGS/RProp:
 * the same objective, and on two cores many cheap steps per epoch reach the paper's RMSE in less
 * time than full-batch quasi-Newton iterations (docs/neural-baselines.md).
 *
 * <p><b>Initialisation.</b> V and W Glorot-uniform from one stream of the seed (zero rows for
 * columns without ratings), mu zero, b the training mean. Rows are shuffled per epoch from the
 * seed, and the epoch's stream then draws the dropout masks of each batch in entry order; the
 * kernels' blocks depend on the shapes only, so the same seed and thread count give the
 * same model (and the kernels the same bits for any thread count).
 *
 * <p>One epoch reports {@code loss} (L_B summed over the epoch's batches, per training rating,
 * each batch measured before its step) and {@code train_rmse} (likewise).
 */
public final class AutoRecTrainer implements Trainer<AutoRecModel> {
    private static final long STREAM_INIT = 1;
    private static final long STREAM_EPOCH = 1_000;

    private final AutoRecConfig config;
    private final boolean userRows;

    private AutoRecTrainer(AutoRecConfig config, boolean userRows) {
        this.config = config;
        this.userRows = userRows;
    }

    /** U-AutoRec: user rows. */
    public static AutoRecTrainer users(AutoRecConfig config) {
        return new AutoRecTrainer(config, true);
    }

    /** I-AutoRec: item rows. */
    public static AutoRecTrainer items(AutoRecConfig config) {
        return new AutoRecTrainer(config, false);
    }

    @Override
    public String name() {
        return AutoRecModel.name(userRows);
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /** One AutoRec run. */
    public final class Run implements EpochTrainer<AutoRecModel> {
        private final Parallel pool;
        private final long seed;
        private final int nu;
        private final int ni;
        private final int rows;
        private final int cols;
        private final int hidden;
        private final int[] off;
        private final int[] index;
        private final float[] val;
        private final int nnz;
        private final double mean;
        /** Subtracted from every input rating ({@code center}). */
        private final float shift;
        /** 1 / (training ratings of column j), 0 for columns without. */
        private final double[] colWeight;
        private final SparseInput encoder;
        private final SparseOutput decoder;
        private final List<ParamArray> params;
        private final ParamAdam optimizer;
        private final int[] order;
        private final int batch;
        private final Autoencoders.Batch b;
        private final float[] z;
        private final float[] a;
        private final float[] da;
        private float[] y = new float[16];
        private float[] dy = new float[16];
        /** The encoder's input of the batch: its values minus the shift, after dropout. */
        private float[] x = new float[16];

        Run(TrainingData data, long seed, Parallel pool) {
            RatingMatrix m = data.ratings();
            this.pool = pool;
            this.seed = seed;
            this.nu = m.numUsers();
            this.ni = m.numItems();
            this.rows = userRows ? nu : ni;
            this.cols = userRows ? ni : nu;
            this.hidden = config.hiddenSize();
            this.off = userRows ? m.userOffsets() : m.itemOffsets();
            this.index = userRows ? m.userItems() : m.itemUsers();
            this.val = userRows ? m.userValues() : m.itemValues();
            this.nnz = m.nnz();
            this.mean = nnz == 0 ? 0 : m.mean();
            this.shift = config.inputShift(mean);
            this.colWeight = new double[cols];
            boolean[] used = new boolean[cols];
            for (int j = 0; j < cols; j++) {
                int c = userRows ? m.itemCount(j) : m.userCount(j);
                colWeight[j] = c == 0 ? 0 : 1.0 / c;
                used[j] = c > 0;
            }
            this.encoder = new SparseInput(name() + ".V", cols, hidden);
            this.decoder = new SparseOutput(name() + ".W", hidden, cols);
            Rng rng = Rng.stream(seed, STREAM_INIT);
            Autoencoders.glorot(encoder.weights().value(), cols, hidden, cols, hidden, used, rng);
            Autoencoders.glorot(decoder.weights().value(), cols, hidden, hidden, cols, used, rng);
            java.util.Arrays.fill(decoder.bias().value(), (float) mean);
            List<ParamArray> p = new ArrayList<>(encoder.params());
            p.addAll(decoder.params());
            this.params = List.copyOf(p);
            this.optimizer = ParamAdam.of(config.learningRate());
            this.order = new int[rows];
            for (int r = 0; r < rows; r++) {
                order[r] = r;
            }
            this.batch = Math.max(1, config.batchSize() == 0 ? rows : Math.min(config.batchSize(), rows));
            this.b = new Autoencoders.Batch(batch);
            this.z = new float[Math.multiplyExact(batch, hidden)];
            this.a = new float[z.length];
            this.da = new float[z.length];
        }

        @Override
        public int plannedEpochs() {
            return config.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            Rng rng = Rng.stream(seed, STREAM_EPOCH + epoch);
            rng.shuffle(order);
            optimizer.setLearningRate(config.learningRate() * Math.pow(config.decay(), epoch - 1));
            double sse = 0;
            double loss = 0;
            for (int from = 0; from < rows; from += batch) {
                int n = Math.min(batch, rows - from);
                b.gather(order, from, n, off, index, val);
                double[] s = gradients(b, rng);
                sse += s[0];
                loss += s[0] + s[1];
                optimizer.stepAndZeroGrad(params);
            }
            figures.put("loss", nnz == 0 ? 0 : loss / nnz);
            figures.put("train_rmse", nnz == 0 ? 0 : Math.sqrt(sse / nnz));
        }

        /**
         * Adds the gradients of L_B into the parameters; returns {squared error, penalty} of the batch.
         * With {@code dropout} the encoder reads the batch's values after inverted dropout (masks drawn
         * from {@code rng} in entry order) while the loss still covers every observed entry, so a
         * dropped rating is predicted from the others, as it is at test time.
         */
        double[] gradients(Autoencoders.Batch bt, Rng rng) {
            int n = bt.size;
            int e = bt.entries();
            if (y.length < e) {
                y = new float[Math.max(e, y.length * 2)];
                dy = new float[y.length];
                x = new float[y.length];
            }
            for (int p = 0; p < e; p++) {
                x[p] = bt.values[p] - shift;
            }
            Dropout.apply((float) config.dropout(), x, x, 0, e, rng);
            encoder.forward(bt.offsets, bt.indices, x, n, z, pool);
            Kernels.activate(Activation.SIGMOID, z, a, n * hidden, pool);
            decoder.forward(bt.offsets, bt.indices, a, n, y, pool);
            double sse = 0;
            for (int p = 0; p < e; p++) {
                double d = (double) y[p] - bt.values[p];
                sse += d * d;
                dy[p] = (float) (2 * d);
            }
            decoder.backward(bt.offsets, bt.indices, a, dy, da, n, pool);
            Kernels.activationBackward(Activation.SIGMOID, z, a, da, da, n * hidden, pool);
            encoder.backward(bt.offsets, bt.indices, x, da, n, pool);
            return new double[] {sse, penalty(bt)};
        }

        /** Adds {@code lambda (n_Bj / n_j) V_j} and the same for W_j into the gradients; returns the batch's penalty. */
        private double penalty(Autoencoders.Batch bt) {
            double lambda = config.lambda();
            if (lambda == 0) {
                return 0;
            }
            ParamArray v = encoder.weights();
            ParamArray w = decoder.weights();
            // every column in the batch was touched by both layers' backward passes, in entry order
            int[] touched = v.touchedRows();
            int t = v.numTouched();
            int[] count = new int[cols];
            for (int p = 0; p < bt.entries(); p++) {
                count[bt.indices[p]]++;
            }
            float[] vv = v.value();
            float[] vg = v.grad();
            float[] wv = w.value();
            float[] wg = w.grad();
            double pen = pool.sumBlocks(t, 256, (blk, lo, hi) -> {
                double s = 0;
                for (int q = lo; q < hi; q++) {
                    int j = touched[q];
                    double c = lambda * count[j] * colWeight[j];
                    float cf = (float) c;
                    int o = j * hidden;
                    // float sums: the penalty is only reported; its gradient is one fma per element
                    double sq = (double) Kernels.dot(vv, o, vv, o, hidden) + Kernels.dot(wv, o, wv, o, hidden);
                    Kernels.axpy(cf, vv, o, vg, o, hidden);
                    Kernels.axpy(cf, wv, o, wg, o, hidden);
                    s += c / 2 * sq;
                }
                return s;
            });
            return pen;
        }

        /**
         * Codes of every training row (the model's cache), on the pool: each row encoded alone, with
         * the operations of {@link AutoRecModel#encode} in the same order, so fold-in of a training
         * row's ratings gives its code bit for bit.
         */
        private float[] codes() {
            float[] c = new float[Math.multiplyExact(rows, hidden)];
            float[] vw = encoder.weights().value();
            float[] mu = encoder.bias().value();
            pool.forBlocks(rows, 64, (blk, lo, hi) -> {
                float[] t = new float[hidden];
                for (int r = lo; r < hi; r++) {
                    System.arraycopy(mu, 0, t, 0, hidden);
                    for (int p = off[r]; p < off[r + 1]; p++) {
                        Kernels.axpy(val[p] - shift, vw, index[p] * hidden, t, 0, hidden);
                    }
                    Kernels.activate(Activation.SIGMOID, t, t, hidden, AutoRecModel.SERIAL);
                    System.arraycopy(t, 0, c, r * hidden, hidden);
                }
            });
            return c;
        }

        @Override
        public AutoRecModel snapshot() {
            return new AutoRecModel(userRows, nu, ni, hidden, config.lambda(), mean, shift, encoder.weights().value(),
                    encoder.bias().value(), decoder.weights().value(), decoder.bias().value(), codes());
        }

        /** Encoder and decoder arrays (V, mu, W, b), for tests. */
        List<ParamArray> params() {
            return params;
        }
    }
}
