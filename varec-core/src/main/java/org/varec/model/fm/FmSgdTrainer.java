package org.varec.model.fm;

import org.varec.data.SparseDesign;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingRun;

/**
 * fm-sgd: plain SGD on the regularized loss (Rendle 2012, section 4.1), one row at a time in a
 * fresh random order every epoch (single-threaded, so the result depends only on the seed):
 * <pre>
 *   J = sum_i l(y(x_i), t_i) + 1/2 (r0 w0^2 + r1 |w|^2 + r2 |V|^2)  (the penalty applied per row on the features it holds)
 *   dy/dw0 = 1, dy/dw_j = x_j, dy/dv_jf = x_j q_f - v_jf x_j^2  with q_f = sum_j v_jf x_j
 *   regression l = (y - t)^2 / 2 -> g = y - t;  classification l = log loss of sigmoid(y) -> g = sigmoid(y) - t
 *   theta -= learn_rate * (g dy/dtheta + r theta)
 * </pre>
 * The gradient is {@link #gradient}, checked against finite differences of {@link #loss} in the
 * tests. The model's fixed predictive variance is the training residual variance.
 */
public final class FmSgdTrainer extends FmTrainer {
    private final FmSgdConfig config;

    public FmSgdTrainer(FmSgdConfig config) {
        super("fm-sgd", config.side(), config.task());
        this.config = config;
    }

    @Override
    public FmPredictor fitDesign(SparseDesign train, SparseDesign monitor, TrainingContext ctx) {
        boolean cls = config.task() == FmTask.CLASSIFICATION;
        if (cls) {
            FmTrainer.checkBinary(train);
        }
        int k = config.dim();
        int nf = train.numFeatures();
        Rng rng = new Rng(ctx.seed());
        FmParams p = FmParams.init(nf, k, config.initStdev(), rng);
        double[] reg = config.regular();
        int[] off = train.offsets();
        int[] idx = train.features();
        float[] val = train.values();
        float[] t = train.targets();
        int m = train.numRows();
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        int maxLen = 0;
        for (int r = 0; r < m; r++) {
            maxLen = Math.max(maxLen, off[r + 1] - off[r]);
        }
        double[] q = new double[Math.max(1, k)];
        double[] gw = new double[maxLen];
        double[] gv = new double[maxLen * Math.max(1, k)];
        double lr = config.learnRate();
        TrainingRun run = new TrainingRun(name(), config.iterations(), ctx);
        for (int it = 1; it <= config.iterations(); it++) {
            long t0 = System.nanoTime();
            rng.shuffle(order);
            double lossSum = 0;
            for (int o = 0; o < m; o++) {
                int r = order[o];
                int from = off[r];
                int n = off[r + 1] - from;
                double g0 = gradient(p, idx, val, from, n, t[r], config.task(), reg, q, gw, gv);
                lossSum += lastLoss;
                p.w0 -= lr * g0;
                for (int a = 0; a < n; a++) {
                    int j = idx[from + a];
                    p.w[j] -= (float) (lr * gw[a]);
                    int vb = j * k;
                    int gb = a * k;
                    for (int f = 0; f < k; f++) {
                        p.v[vb + f] -= (float) (lr * gv[gb + f]);
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            EpochReport.Builder rep = EpochReport.builder(it);
            rep.put("loss", lossSum / Math.max(1, m));
            if (monitor != null) {
                rep.put("val_rmse", FmTrainer.rmse(predictor(p, train, cls), monitor));
            }
            if (run.epoch(rep.build(seconds))) {
                break;
            }
        }
        run.finish();
        return predictor(p, train, cls);
    }

    /** The loss of the row {@link #gradient} last saw (training is single-threaded). */
    private double lastLoss;

    /** A point predictor with the training residual variance as its fixed variance. */
    private FmPredictor predictor(FmParams p, SparseDesign train, boolean cls) {
        FmParams copy = p.copy();
        FmPredictor tmp = new FmPredictor(new FmParams[] {copy}, new double[] {0}, foldPrior(copy.k, config.regular()),
                cls ? FmPredictor.Link.LOGIT : FmPredictor.Link.IDENTITY, false);
        double rmse = FmTrainer.rmse(tmp, train);
        return new FmPredictor(new FmParams[] {copy}, new double[] {rmse * rmse}, foldPrior(copy.k, config.regular()),
                tmp.link(), false, true);
    }

    static double[] foldPrior(int k, double[] reg) {
        double[] fp = new double[2 + 2 * k];
        fp[1] = Math.max(reg[1], 1e-6);
        for (int f = 0; f < k; f++) {
            fp[3 + 2 * f] = Math.max(reg[2], 1e-6);
        }
        return fp;
    }

    /**
     * The gradient of the per-row objective {@code l(y(x), t) + 1/2 (r0 w0^2 + r1 sum_j w_j^2 + r2 sum_j |v_j|^2)}
     * over the row's features (row {@code idx/val[from .. from+n)}): returns d/dw0; {@code gw[a]} receives
     * d/dw of the a-th feature and {@code gv[a*k + f]} d/dv. Stores the loss in a field read by training.
     */
    double gradient(FmParams p, int[] idx, float[] val, int from, int n, double t, FmTask task, double[] reg,
                    double[] q, double[] gw, double[] gv) {
        int k = p.k;
        double y = predictAt(p, idx, val, from, n, q);
        double g;
        if (task == FmTask.CLASSIFICATION) {
            double s = FmPredictor.sigmoid(y);
            g = s - t;
            lastLoss = logLoss(y, t);
        } else {
            g = y - t;
            lastLoss = 0.5 * g * g;
        }
        for (int a = 0; a < n; a++) {
            int j = idx[from + a];
            double x = val[from + a];
            gw[a] = g * x + reg[1] * p.w[j];
            int vb = j * k;
            int gb = a * k;
            for (int f = 0; f < k; f++) {
                double vjf = p.v[vb + f];
                gv[gb + f] = g * (x * q[f] - vjf * x * x) + reg[2] * vjf;
            }
        }
        return g + reg[0] * p.w0;
    }

    /** The per-row objective whose gradient {@link #gradient} computes. */
    static double loss(FmParams p, int[] idx, float[] val, int from, int n, double t, FmTask task, double[] reg) {
        double[] q = new double[Math.max(1, p.k)];
        double y = predictAt(p, idx, val, from, n, q);
        double l = task == FmTask.CLASSIFICATION ? logLoss(y, t) : 0.5 * (y - t) * (y - t);
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
