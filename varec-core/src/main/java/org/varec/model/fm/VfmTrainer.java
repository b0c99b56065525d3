package org.varec.model.fm;

import java.util.List;
import org.varec.data.FmLayout;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.metrics.ClassificationMetrics;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Trainer;
import org.varec.optim.Adam;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingRun;

/**
 * Variational factorization machine (Vie, Rigaux and Kashima, Algorithm 1). Each epoch shuffles
 * the training rows (seeded); for every mini-batch B it draws S reparameterised samples of w0 and
 * of the present features' (w_k, v_k), evaluates
 * <pre>
 *   L_B = N/(|B| S) sum_s sum_{i in B} log p(y_i | x_i, theta^(s))
 *         - KL(q(w0) || N(0,1))
 *         - sum_g K_g / (sum_{k in F(B), g(k)=g} alpha_k) sum_{k in F(B), g(k)=g} alpha_k KL(q(theta_k) || p(theta_k)),
 *   alpha_k = N_k^B / N_k
 * </pre>
 * ({@link VfmEngine}) and takes one lazy Adam step on the present features' blocks and one on the
 * global block (w0, the noise precision and the group priors). Iterates are averaged (Polyak)
 * from epoch {@code average_from}; every epoch reports {@code elbo} (mean L_B / N) and, with
 * validation data, the figures of the last iterate ({@code val_rmse_last}, or
 * {@code val_acc_last}, {@code val_auc_last}) and of the averaged one ({@code ..._mean});
 * {@code val_rmse} / {@code val_auc} is the one the final model uses (the average once it
 * started). Single-threaded: deterministic for a given seed whatever the thread count.
 */
public final class VfmTrainer implements Trainer<VfmModel> {
    static final double SIGMA_INIT = 0.01;
    private static final long STREAM_INIT = 1;
    private static final long STREAM_EPOCH = 1_000;

    private final VfmConfig c;

    public VfmTrainer(VfmConfig config) {
        this.c = config;
    }

    static FmLayout layout(TrainingData data, boolean userSide, boolean itemSide) {
        if (userSide && data.userFeatures() == null) {
            throw new IllegalArgumentException("side=user/both needs user features, and the data has none");
        }
        if (itemSide && data.itemFeatures() == null) {
            throw new IllegalArgumentException("side=item/both needs item features, and the data has none");
        }
        return FmLayout.of(data.numUsers(), data.numItems(), userSide ? data.userFeatures() : null,
                itemSide ? data.itemFeatures() : null, true);
    }

    /** Training rows (user-major) of a rating matrix. */
    record Data(int[] users, int[] items, float[] y) {
        static Data of(RatingMatrix m, boolean classification) {
            int n = m.nnz();
            int[] us = new int[n];
            int[] uo = m.userOffsets();
            for (int u = 0; u < m.numUsers(); u++) {
                for (int t = uo[u]; t < uo[u + 1]; t++) {
                    us[t] = u;
                }
            }
            float[] y = m.userValues().clone();
            if (classification) {
                for (float v : y) {
                    if (v != 0f && v != 1f) {
                        throw new IllegalArgumentException("task=classification needs 0/1 targets, got " + v
                                + " (binarize the ratings first, e.g. --task classification --threshold 4)");
                    }
                }
            }
            return new Data(us, m.userItems().clone(), y);
        }

        VfmEngine.Rows rows(VfmRows r) {
            return new VfmEngine.Rows() {
                @Override
                public int size() {
                    return y.length;
                }

                @Override
                public int row(int q, int[] idx, float[] val) {
                    return r.row(users[q], items[q], idx, val);
                }

                @Override
                public float y(int q) {
                    return y[q];
                }
            };
        }
    }

    /** A fresh engine over the training data with the initial parameters. */
    static VfmEngine init(VfmConfig c, VfmRows rows, Data data, long seed) {
        int d = c.dim();
        VfmEngine e = new VfmEngine(d, rows.numFeatures, rows.groups, rows.numGroups, c.samples(), c.classification(),
                data.rows(rows), data.y().length, rows.maxRow);
        e.countFeatures();
        Rng rng = Rng.stream(seed, STREAM_INIT);
        int bs = e.bs;
        double rhoInit = VfmEngine.softplusInv(SIGMA_INIT);
        for (int k = 0; k < rows.numFeatures; k++) {
            int o = k * bs;
            e.P[o] = 0;
            e.P[o + 1] = rhoInit;
            for (int f = 0; f < d; f++) {
                e.P[o + 2 + f] = c.initStdev() * rng.nextGaussian();
                e.P[o + 2 + d + f] = rhoInit;
            }
        }
        double mean = 0;
        for (float v : data.y()) {
            mean += v;
        }
        mean /= Math.max(1, data.y().length);
        double var = 0;
        for (float v : data.y()) {
            var += (v - mean) * (v - mean);
        }
        var /= Math.max(1, data.y().length);
        if (c.classification()) {
            double p = Math.min(0.99, Math.max(0.01, mean));
            e.glob[0] = Math.log(p / (1 - p));
            e.glob[2] = 0;
        } else {
            e.glob[0] = mean;
            e.glob[2] = -Math.log(Math.max(var, 1e-6));
        }
        e.glob[1] = rhoInit;
        // group priors N(0, 1): nu = 0, ell = log lambda = 0 (already)
        return e;
    }

    @Override
    public VfmModel fit(TrainingData td, TrainingContext ctx) {
        String name = "vfm";
        TrainingRun run = new TrainingRun(name, c.epochs(), ctx);
        VfmRows rows = VfmRows.of(layout(td, c.userSide(), c.itemSide()));
        Data data = Data.of(td.ratings(), c.classification());
        VfmEngine e = init(c, rows, data, ctx.seed());
        int n = data.y().length;
        int K = rows.numFeatures;
        int bs = e.bs;
        Adam adamP = Adam.of(K * bs, bs, c.learnRate());
        Adam adamG = Adam.of(e.glob.length, e.glob.length, c.learnRate());
        double[] sumP = new double[K * bs];
        double[] sumG = new double[e.glob.length];
        int[] last = new int[K];
        int t = 0;
        boolean averaging = false;
        int[] order = new int[n];
        for (int q = 0; q < n; q++) {
            order[q] = q;
        }
        int batch = Math.min(c.batchSize(), Math.max(1, n));
        VfmModel model = null;
        for (int epoch = 1; epoch <= c.epochs(); epoch++) {
            long t0 = System.nanoTime();
            if (epoch == c.firstAveragedEpoch()) {
                averaging = true;
            }
            Rng rng = Rng.stream(ctx.seed(), STREAM_EPOCH + epoch);
            rng.shuffle(order);
            double elbo = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                e.collect(order, from, to);
                e.drawNoise(rng);
                elbo += e.evaluate();
                batches++;
                if (averaging) {
                    t++;
                    for (int i = 0; i < e.nPresent; i++) {
                        int k = e.present[i];
                        int o = k * bs;
                        int gap = t - 1 - last[k];
                        for (int j = o; j < o + bs; j++) {
                            sumP[j] += e.P[j] * gap;
                        }
                        adamP.step(e.P, e.gP, k);
                        for (int j = o; j < o + bs; j++) {
                            sumP[j] += e.P[j];
                        }
                        last[k] = t;
                    }
                    adamG.stepAll(e.glob, e.gGlob);
                    for (int j = 0; j < sumG.length; j++) {
                        sumG[j] += e.glob[j];
                    }
                } else {
                    for (int i = 0; i < e.nPresent; i++) {
                        adamP.step(e.P, e.gP, e.present[i]);
                    }
                    adamG.stepAll(e.glob, e.gGlob);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<EpochReport> hist = run.history();
            VfmModel lastModel = VfmModel.fromEngine(name, c.classification(), c.dim(), rows, e.P.clone(),
                    e.glob.clone(), hist);
            VfmModel meanModel = null;
            if (averaging && t > 0) {
                double[] aP = new double[sumP.length];
                for (int k = 0; k < K; k++) {
                    int o = k * bs;
                    int gap = t - last[k];
                    for (int j = o; j < o + bs; j++) {
                        aP[j] = (sumP[j] + e.P[j] * gap) / t;
                    }
                }
                double[] aG = new double[sumG.length];
                for (int j = 0; j < aG.length; j++) {
                    aG[j] = sumG[j] / t;
                }
                meanModel = VfmModel.fromEngine(name, c.classification(), c.dim(), rows, aP, aG, hist);
            }
            model = meanModel != null ? meanModel : lastModel;
            EpochReport.Builder rep = EpochReport.builder(epoch);
            rep.put("elbo", elbo / batches / n);
            if (!c.classification()) {
                rep.put("noise_sd", 1 / Math.sqrt(Math.exp(e.glob[2])));
            }
            Interactions val = ctx.validation();
            if (val != null && val.size() > 0) {
                validation(rep, "last", lastModel, val, td);
                if (meanModel != null) {
                    validation(rep, "mean", meanModel, val, td);
                }
                validation(rep, null, model, val, td);
            }
            if (run.epoch(rep.build(seconds))) {
                break;
            }
        }
        List<EpochReport> hist = run.finish();
        return new VfmModel(name, model.classification(), model.dim(), rows, model.m0, model.s0, model.mw, model.sw,
                model.mv, model.sv, model.alpha, model.priorNu, model.priorLam, hist);
    }

    static void validation(EpochReport.Builder rep, String suffix, VfmModel m, Interactions val, TrainingData td) {
        String s = suffix == null ? "" : "_" + suffix;
        if (m.classification()) {
            double[] p = new double[val.size()];
            for (int q = 0; q < p.length; q++) {
                p[q] = m.predict(val.users()[q], val.items()[q]);
            }
            rep.put("val_acc" + s, ClassificationMetrics.accuracy(val.values(), p, 0.5));
            rep.put("val_auc" + s, ClassificationMetrics.auc(val.values(), p));
        } else {
            rep.put("val_rmse" + s, RegressionMetrics.rmse(m, val, td.scale()));
        }
    }
}
