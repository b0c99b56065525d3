package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.model.Task;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * fm-sgd: plain SGD on the regularized loss (Rendle 2012, section 4.1), one row at a time in a
 * fresh random order every epoch (single-threaded, so the result depends only on the seed):
 * <pre>
 *   J = sum_i l(y(x_i), t_i) + 1/2 (r0 w0^2 + r1 |w|^2 + r2 |V|^2)  (the penalty applied per row on the features it holds)
 *   dy/dw0 = 1, dy/dw_j = x_j, dy/dv_jf = x_j q_f - v_jf x_j^2  with q_f = sum_j v_jf x_j
 *   regression l = (y - t)^2 / 2 -> g = y - t;  classification l = log loss of sigmoid(y) -> g = sigmoid(y) - t
 *   theta -= learning_rate * (g dy/dtheta + r theta)
 * </pre>
 * The gradient is {@link #gradient}, checked against finite differences of {@link #loss} in the
 * tests. The model's fixed predictive variance is the training residual variance.
 *
 * <p>The shared loop drives it through {@link FmTrainer}: one epoch is one pass over the shuffled
 * training rows; it reports {@code loss}, the mean per-row objective of the pass.
 */
public final class FmSgdTrainer extends FmTrainer<FmSamples, FmModel> {
    private final FmSgdConfig config;

    public FmSgdTrainer(FmSgdConfig config) {
        super("fm-sgd", config.side());
        this.config = config;
    }

    @Override
    Run run(SparseDesign train, int numGroups, long seed, Parallel pool) {
        return new Run(train, seed);
    }

    @Override
    Function<FmSamples, FmModel> ratingModel(FmLayout layout) {
        return FmModel.of(name(), layout);
    }

    /** One SGD run: the parameters, the row order and the scratch of one row's gradient. */
    final class Run implements EpochTrainer<FmSamples> {
        private final SparseDesign train;
        private final boolean classification;
        private final double[] reg;
        private final Rng rng;
        private final FmParams p;
        private final int[] order;
        private final RowGradient g;

        /** Factors ~ N(0, init_stdev^2) from the seed's stream, which then shuffles the rows every epoch. */
        Run(SparseDesign train, long seed) {
            this.classification = config.task() == Task.CLASSIFICATION;
            if (classification) {
                checkBinary(train);
            }
            this.train = train;
            this.reg = config.penalties();
            this.rng = new Rng(seed);
            this.p = FmParams.init(train.numFeatures(), config.rank(), config.initStdev(), rng);
            int m = train.numRows();
            this.order = new int[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            int[] off = train.offsets();
            int maxLen = 0;
            for (int r = 0; r < m; r++) {
                maxLen = Math.max(maxLen, off[r + 1] - off[r]);
            }
            this.g = new RowGradient(config.rank(), maxLen);
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            int[] off = train.offsets();
            int[] idx = train.features();
            float[] val = train.values();
            float[] t = train.targets();
            int k = p.k;
            double lr = config.learningRate();
            rng.shuffle(order);
            double lossSum = 0;
            for (int r : order) {
                int from = off[r];
                int n = off[r + 1] - from;
                gradient(p, idx, val, from, n, t[r], config.task(), reg, g);
                lossSum += g.loss;
                p.w0 -= lr * g.w0;
                for (int a = 0; a < n; a++) {
                    int j = idx[from + a];
                    p.w[j] -= (float) (lr * g.w[a]);
                    int vb = j * k;
                    int gb = a * k;
                    for (int f = 0; f < k; f++) {
                        p.v[vb + f] -= (float) (lr * g.v[gb + f]);
                    }
                }
            }
            figures.put("loss", lossSum / Math.max(1, order.length));
        }

        /** A point predictor of a copy of the parameters, with the training residual variance as its fixed variance. */
        @Override
        public FmSamples snapshot() {
            FmParams copy = p.copy();
            double[] foldPrior = foldPrior(copy.k, reg);
            FmSamples.Link link = classification ? FmSamples.Link.LOGIT : FmSamples.Link.IDENTITY;
            FmSamples point = new FmSamples(new FmParams[] {copy}, new double[] {0}, foldPrior, link, false);
            double rmse = trainingRmse(point, train);
            return new FmSamples(new FmParams[] {copy}, new double[] {rmse * rmse}, foldPrior, link, false, true);
        }
    }

    /** RMSE of the predictor's means (ratings or probabilities) against the training targets. */
    private static double trainingRmse(FmSamples p, SparseDesign d) {
        int[] off = d.offsets();
        int maxLen = 1;
        for (int r = 0; r < d.numRows(); r++) {
            maxLen = Math.max(maxLen, off[r + 1] - off[r]);
        }
        int[] idx = new int[maxLen];
        float[] val = new float[maxLen];
        double s = 0;
        for (int r = 0; r < d.numRows(); r++) {
            int len = off[r + 1] - off[r];
            System.arraycopy(d.features(), off[r], idx, 0, len);
            System.arraycopy(d.values(), off[r], val, 0, len);
            double e = d.targets()[r] - p.predict(idx, val, len);
            s += e * e;
        }
        return Math.sqrt(s / Math.max(1, d.numRows()));
    }

    /** The fold-in prior of a point model: mean 0, precision the penalty (at least 1e-6). */
    static double[] foldPrior(int k, double[] reg) {
        double[] fp = new double[2 + 2 * k];
        fp[1] = Math.max(reg[1], 1e-6);
        for (int f = 0; f < k; f++) {
            fp[3 + 2 * f] = Math.max(reg[2], 1e-6);
        }
        return fp;
    }

    /** One row's gradient: d/dw0, d/dw and d/dv of the row's a-th feature, the row's loss, and q_f. */
    static final class RowGradient {
        double w0;
        double loss;
        /** d/dw of the row's a-th feature at {@code w[a]}. */
        final double[] w;
        /** d/dv_f of the row's a-th feature at {@code v[a * k + f]}. */
        final double[] v;
        /** q_f = sum_j v_jf x_j of the row. */
        final double[] q;

        RowGradient(int k, int maxRowLength) {
            this.w = new double[maxRowLength];
            this.v = new double[maxRowLength * Math.max(1, k)];
            this.q = new double[Math.max(1, k)];
        }
    }

    /**
     * The gradient of the per-row objective {@code l(y(x), t) + 1/2 (r0 w0^2 + r1 sum_j w_j^2 + r2 sum_j |v_j|^2)}
     * over the row's features (row {@code idx/val[from .. from+n)}) into {@code out}, with the row's loss.
     */
    static void gradient(FmParams p, int[] idx, float[] val, int from, int n, double t, Task task, double[] reg,
                         RowGradient out) {
        int k = p.k;
        double[] q = out.q;
        double y = predictAt(p, idx, val, from, n, q);
        double g;
        if (task == Task.CLASSIFICATION) {
            double s = FmSamples.sigmoid(y);
            g = s - t;
            out.loss = logLoss(y, t);
        } else {
            g = y - t;
            out.loss = 0.5 * g * g;
        }
        for (int a = 0; a < n; a++) {
            int j = idx[from + a];
            double x = val[from + a];
            out.w[a] = g * x + reg[1] * p.w[j];
            int vb = j * k;
            int gb = a * k;
            for (int f = 0; f < k; f++) {
                double vjf = p.v[vb + f];
                out.v[gb + f] = g * (x * q[f] - vjf * x * x) + reg[2] * vjf;
            }
        }
        out.w0 = g + reg[0] * p.w0;
    }

    /** The per-row objective whose gradient {@link #gradient} computes. */
    static double loss(FmParams p, int[] idx, float[] val, int from, int n, double t, Task task, double[] reg) {
        double[] q = new double[Math.max(1, p.k)];
        double y = predictAt(p, idx, val, from, n, q);
        double l = task == Task.CLASSIFICATION ? logLoss(y, t) : 0.5 * (y - t) * (y - t);
        double pen = reg[0] * p.w0 * p.w0;
        for (int a = 0; a < n; a++) {
            int j = idx[from + a];
            pen += reg[1] * (double) p.w[j] * p.w[j];
            for (int f = 0; f < p.k; f++) {
                double v = p.v[j * p.k + f];
                pen += reg[2] * v * v;
            }
        }
        return l + 0.5 * pen;
    }

    static double logLoss(double y, double t) {
        // -t log s(y) - (1-t) log(1 - s(y)) = log(1 + e^y) - t y, computed stably
        double softplus = y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
        return softplus - t * y;
    }

    private static double predictAt(FmParams p, int[] idx, float[] val, int from, int n, double[] q) {
        int k = p.k;
        double y = p.w0;
        for (int a = 0; a < n; a++) {
            y += (double) p.w[idx[from + a]] * val[from + a];
        }
        double pair = 0;
        for (int f = 0; f < k; f++) {
            double s = 0;
            double sq = 0;
            for (int a = 0; a < n; a++) {
                double tv = (double) p.v[idx[from + a] * k + f] * val[from + a];
                s += tv;
                sq += tv * tv;
            }
            q[f] = s;
            pair += s * s - sq;
        }
        return y + 0.5 * pair;
    }
}
