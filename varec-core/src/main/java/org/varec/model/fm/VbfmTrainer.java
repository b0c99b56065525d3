package org.varec.model.fm;

import org.varec.data.Interactions;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Trainer;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingRun;

/**
 * Batch variational Bayes FM for regression (Saha et al. 2017): each sweep updates q(w0), then every
 * feature's q(w_k), q(v_k1..v_kd) in feature order, then the group priors and the noise precision,
 * each an exact coordinate maximiser of the ELBO ({@link VbfmState}). Reports {@code elbo} (per
 * rating), {@code train_rmse}, {@code noise_sd} and {@code val_rmse} per sweep. Single-threaded and
 * deterministic for a seed.
 */
public final class VbfmTrainer implements Trainer<VfmModel> {
    private final VbfmConfig c;

    public VbfmTrainer(VbfmConfig config) {
        this.c = config;
    }

    /** One full sweep (w0, features, priors, alpha). */
    static void sweep(VbfmState s) {
        double[] ab = new double[2];
        s.updateW0(ab);
        for (int k = 0; k < s.K; k++) {
            if (s.nk[k] > 0) {
                s.updateFeature(k, ab);
            }
        }
        s.updatePriors();
        s.updateAlpha();
    }

    @Override
    public VfmModel fit(TrainingData td, TrainingContext ctx) {
        TrainingRun run = new TrainingRun("vbfm", c.iterations(), ctx);
        VfmRows rows = VfmRows.of(VfmTrainer.layout(td, c.userSide(), c.itemSide()));
        VbfmState s = new VbfmState(c.dim(), rows, VfmTrainer.Data.of(td.ratings(), false), c.initStdev(), ctx.seed());
        for (int it = 1; it <= c.iterations(); it++) {
            long t0 = System.nanoTime();
            sweep(s);
            double seconds = (System.nanoTime() - t0) / 1e9;
            EpochReport.Builder rep = EpochReport.builder(it);
            rep.put("elbo", s.elbo() / Math.max(1, s.n));
            rep.put("train_rmse", s.trainRmse());
            rep.put("noise_sd", 1 / Math.sqrt(s.alpha));
            Interactions val = ctx.validation();
            if (val != null && val.size() > 0) {
                rep.put("val_rmse", RegressionMetrics.rmse(s.model("vbfm", run.history()), val, td.scale()));
            }
            if (run.epoch(rep.build(seconds))) {
                break;
            }
        }
        return s.model("vbfm", run.finish());
    }
}
