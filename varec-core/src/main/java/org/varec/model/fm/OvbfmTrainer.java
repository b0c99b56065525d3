package org.varec.model.fm;

import org.varec.data.Interactions;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Trainer;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingRun;

/**
 * Online variational Bayes FM (Saha et al. 2017's online variant): stochastic variational inference
 * over shuffled mini-batches. For each coordinate theta of w0 and of the features present in the
 * batch, the batch's coefficients a, b ({@link VbfmState}) are scaled to the whole data
 * ({@code N/|B|} for w0, {@code N_k / N_k^B} for feature k), giving the coordinate optimum's natural
 * parameters {@code (lambda nu + alpha s b, lambda + alpha s a)}; the posterior's natural parameters
 * {@code (m/s^2, 1/s^2)} move a step rho_t = (t + delay)^-forget towards them (a natural-gradient
 * step of the ELBO). The noise precision takes the same step towards {@code N / (N/|B| sum_B F_i)};
 * the group priors are refitted exactly after every epoch. Reports {@code elbo} (per rating, exact),
 * {@code noise_sd} and {@code val_rmse} per epoch. Single-threaded, deterministic for a seed.
 */
public final class OvbfmTrainer implements Trainer<VfmModel> {
    private final OvbfmConfig c;

    public OvbfmTrainer(OvbfmConfig config) {
        this.c = config;
    }

    @Override
    public VfmModel fit(TrainingData td, TrainingContext ctx) {
        TrainingRun run = new TrainingRun("ovbfm", c.epochs(), ctx);
        VfmRows rows = VfmRows.of(VfmTrainer.layout(td, c.userSide(), c.itemSide()));
        VbfmState s = new VbfmState(c.dim(), rows, VfmTrainer.Data.of(td.ratings(), false), c.initStdev(), ctx.seed());
        int n = s.n;
        int K = s.K;
        int d = s.d;
        int[] order = new int[n];
        for (int q = 0; q < n; q++) {
            order[q] = q;
        }
        int batch = Math.min(c.batchSize(), Math.max(1, n));
        int[] cnt = new int[K];
        int[] present = new int[K];
        int[] off = new int[K + 1];
        int[] slot = new int[K];
        int[] list = new int[batch * rows.maxRow];
        int[] idx = new int[rows.maxRow];
        float[] val = new float[rows.maxRow];
        double[] ab = new double[2];
        long t = 0;
        for (int epoch = 1; epoch <= c.epochs(); epoch++) {
            long t0 = System.nanoTime();
            Rng.stream(ctx.seed(), 1_000 + epoch).shuffle(order);
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                double rho = Math.pow(++t + c.delay(), -c.forget());
                // features present in the batch, rows per feature (CSR)
                int np = 0;
                for (int q = from; q < to; q++) {
                    int r = order[q];
                    int len = rows.row(s.users[r], s.items[r], idx, val);
                    for (int p = 0; p < len; p++) {
                        if (cnt[idx[p]]++ == 0) {
                            present[np++] = idx[p];
                        }
                    }
                }
                java.util.Arrays.sort(present, 0, np);
                int at = 0;
                for (int i = 0; i < np; i++) {
                    int k = present[i];
                    off[i] = at;
                    slot[k] = at;
                    at += cnt[k];
                }
                off[np] = at;
                for (int q = from; q < to; q++) {
                    int r = order[q];
                    int len = rows.row(s.users[r], s.items[r], idx, val);
                    for (int p = 0; p < len; p++) {
                        list[slot[idx[p]]++] = r;
                    }
                }
                // w0
                double scale0 = (double) n / (to - from);
                s.coefficients(-1, 0, order, from, to, ab);
                double prec = 1 + s.alpha * scale0 * ab[0];
                double eta = s.alpha * scale0 * ab[1];
                double newPrec = (1 - rho) / s.s0 + rho * prec;
                double newEta = (1 - rho) * s.m0 / s.s0 + rho * eta;
                s.m0 = newEta / newPrec;
                s.s0 = 1 / newPrec;
                // present features
                for (int i = 0; i < np; i++) {
                    int k = present[i];
                    double scale = (double) s.nk[k] / cnt[k];
                    for (int cc = 0; cc <= d; cc++) {
                        s.coefficients(k, cc, list, off[i], off[i + 1], ab);
                        int pi = s.prior(k, cc);
                        double pr = s.lam[pi] + s.alpha * scale * ab[0];
                        double et = s.lam[pi] * s.nu[pi] + s.alpha * scale * ab[1];
                        double v = s.var(k, cc);
                        double np2 = (1 - rho) / v + rho * pr;
                        double ne = (1 - rho) * s.mean(k, cc) / v + rho * et;
                        s.set(k, cc, ne / np2, 1 / np2);
                    }
                }
                // noise precision
                double sf = 0;
                for (int q = from; q < to; q++) {
                    sf += s.residual(order[q]);
                }
                double alphaHat = n / (scale0 * sf);
                s.alpha = (1 - rho) * s.alpha + rho * alphaHat;
                for (int i = 0; i < np; i++) {
                    cnt[present[i]] = 0;
                }
            }
            s.updatePriors();
            double seconds = (System.nanoTime() - t0) / 1e9;
            EpochReport.Builder rep = EpochReport.builder(epoch);
            rep.put("elbo", s.elbo() / Math.max(1, n));
            rep.put("noise_sd", 1 / Math.sqrt(s.alpha));
            Interactions v = ctx.validation();
            if (v != null && v.size() > 0) {
                rep.put("val_rmse", RegressionMetrics.rmse(s.model("ovbfm", run.history()), v, td.scale()));
            }
            if (run.epoch(rep.build(seconds))) {
                break;
            }
        }
        return s.model("ovbfm", run.finish());
    }
}
