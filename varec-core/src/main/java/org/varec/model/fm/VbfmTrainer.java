package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * Batch variational Bayes FM for regression (Saha et al. 2017): each sweep updates q(w0), then every
 * feature's q(w_k), q(v_k1..v_kd) in feature order, then the group priors and the noise precision,
 * each an exact coordinate maximiser of the ELBO ({@link VbfmState}), so the ELBO never decreases
 * (tested). Single-threaded and deterministic for a seed.
 *
 * <p>The shared loop drives it through {@link FmTrainer}, on ratings or on any design matrix: one
 * epoch is one sweep; it reports {@code elbo} (per rating), {@code train_rmse} (of the posterior
 * means) and {@code noise_sd}.
 */
public final class VbfmTrainer extends FmTrainer<VfmPosterior, VfmModel> {
    private final VbfmConfig c;

    public VbfmTrainer(VbfmConfig config) {
        super("vbfm", config.side());
        this.c = config;
    }

    @Override
    Run run(SparseDesign train, int numGroups, long seed, Parallel pool) {
        return new Run(new VbfmState(c.rank(), FmDesign.of(train, train.numFeatures()), numGroups, c.initStdev(), seed));
    }

    @Override
    Function<VfmPosterior, VfmModel> ratingModel(FmLayout layout) {
        return VfmModel.of(name(), layout);
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

    /** One coordinate-ascent run on a posterior state. */
    final class Run implements EpochTrainer<VfmPosterior> {
        private final VbfmState s;

        Run(VbfmState s) {
            this.s = s;
        }

        @Override
        public int plannedEpochs() {
            return c.iterations();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            sweep(s);
            figures.put("elbo", s.elbo() / Math.max(1, s.n));
            figures.put("train_rmse", s.trainRmse());
            figures.put("noise_sd", 1 / Math.sqrt(s.alpha));
        }

        @Override
        public VfmPosterior snapshot() {
            return s.posterior();
        }
    }
}
