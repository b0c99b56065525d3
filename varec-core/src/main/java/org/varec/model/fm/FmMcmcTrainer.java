package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.model.Task;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * fm-mcmc: the Bayesian factorization machine sampled by Gibbs sampling as libFM's MCMC (Rendle
 * 2012, section 4.3; the conditionals and the parallel blocks are described in
 * {@link FmCoordinate}).
 *
 * <p>What the model keeps: libFM averages predictions for its fixed test file while it samples and
 * cannot save the model; here predictions are needed later for any pair, so the model keeps up to
 * {@code keep_samples} post-burn-in samples (w0, w, V, the noise variance and the user group's
 * hyper-parameters for fold-in), evenly thinned and aligned on the last sweep: sweep {@code s > burn_in}
 * is kept when {@code (iterations - s) mod thin == 0}, {@code thin = ceil((iterations - burn_in) / keep_samples)}
 * (so a small {@code keep_samples} keeps the latest, best-mixed sweeps rather than the first after burn-in).
 * Predictions average y (or Phi(y)) over the kept samples, and the predictive variance is their
 * variance (+ the mean noise variance for regression). Model size and prediction time grow
 * linearly with the kept samples: 4 (p (k + 1)) bytes per sample.
 *
 * <p>The shared loop drives it through {@link FmTrainer}: one epoch is one Gibbs sweep; it reports
 * (regression) {@code train_rmse} of the current sample and the noise precision {@code alpha}. The
 * snapshot is the model a stop would return: none during burn-in, then the samples kept so far (the
 * current sample until the first is kept). A run stopped during burn-in keeps its last sample.
 */
public final class FmMcmcTrainer extends FmTrainer<FmSamples, FmModel> {
    private final FmMcmcConfig config;

    public FmMcmcTrainer(FmMcmcConfig config) {
        super("fm-mcmc", config.side());
        this.config = config;
    }

    @Override
    Run run(SparseDesign train, int numGroups, long seed, Parallel pool) {
        return new Run(train, seed, pool);
    }

    @Override
    Function<FmSamples, FmModel> ratingModel(FmLayout layout) {
        return FmModel.of(name(), layout);
    }

    /** One Gibbs run: the sampler and the samples kept so far. */
    final class Run implements EpochTrainer<FmSamples> {
        private final boolean classification;
        private final FmCoordinate c;
        private final int thin;
        /** How many sweeps the run keeps if it runs to the end. */
        private final int planned;
        /** The kept samples, each written into its slot when kept (made at the first). */
        private FmSamples.Table table;
        private int count;
        private final double[] noise;
        private final double[] priors;
        private int sweeps;
        /** The model of the kept samples, made when first asked for after a sample was kept. */
        private FmSamples kept;

        Run(SparseDesign train, long seed, Parallel pool) {
            this.classification = config.task() == Task.CLASSIFICATION;
            if (classification) {
                checkBinary(train);
            }
            int post = config.iterations() - config.burnIn();
            this.thin = (post + config.keepSamples() - 1) / config.keepSamples();
            int n = 0;
            for (int e = config.burnIn() + 1; e <= config.iterations(); e++) {
                if ((config.iterations() - e) % thin == 0 && n < config.keepSamples()) {
                    n++;
                }
            }
            this.planned = n;
            this.noise = new double[n];
            this.priors = new double[n * (2 + 2 * config.rank())];
            this.c = new FmCoordinate(FmDesign.of(train, train.numFeatures()), config.rank(), config.initStdev(), true,
                    classification, new double[] {0, 0, 0}, seed,
                    FmCoordinate.pool(train, pool, config.sweep() == FmSweep.BLOCK));
            this.c.block = config.sweep() == FmSweep.BLOCK;
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            c.sweep(epoch);
            sweeps = epoch;
            if (!classification) {
                figures.put("train_rmse", Math.sqrt(c.sse() / Math.max(1, c.d.numRows)));
                figures.put("alpha", c.alpha);
            }
            if (epoch > config.burnIn() && (config.iterations() - epoch) % thin == 0 && count < planned) {
                if (table == null) {
                    table = new FmSamples.Table(planned, c.p.numFeatures(), config.rank());
                }
                table.put(count, c.p);
                noise[count] = noiseVariance();
                int w = 2 + 2 * config.rank();
                System.arraycopy(c.foldPrior(), 0, priors, count * w, w);
                count++;
                kept = null;
            }
        }

        private double noiseVariance() {
            return classification ? 1.0 : 1 / c.alpha;
        }

        private FmSamples.Link link() {
            return classification ? FmSamples.Link.PROBIT : FmSamples.Link.IDENTITY;
        }

        /** Null during burn-in (nothing to measure yet), else what {@link #result} would return now. */
        @Override
        public FmSamples snapshot() {
            return sweeps <= config.burnIn() ? null : result(sweeps);
        }

        @Override
        public FmSamples result(int epochs) {
            if (count == 0) { // stopped before the first kept sweep: the last sample
                return new FmSamples(new FmParams[] {c.p.copy()}, new double[] {noiseVariance()}, c.foldPrior(), link(),
                        true);
            }
            if (kept == null) {
                int w = 2 + 2 * config.rank();
                kept = table.samples(count, java.util.Arrays.copyOf(noise, count),
                        java.util.Arrays.copyOf(priors, count * w), link(), true);
            }
            return kept;
        }
    }
}
