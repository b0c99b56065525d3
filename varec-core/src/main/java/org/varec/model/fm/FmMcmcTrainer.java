package org.varec.model.fm;

import java.util.ArrayList;
import java.util.List;
import org.varec.data.SparseDesign;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingRun;
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
 * <p>Per sweep it reports {@code train_rmse} (regression: of the current sample), the noise
 * precision {@code alpha}, and with validation {@code val_rmse} of the running average of the
 * predictions since burn-in (libFM's test figure).
 */
public final class FmMcmcTrainer extends FmTrainer {
    private final FmMcmcConfig config;

    public FmMcmcTrainer(FmMcmcConfig config) {
        super("fm-mcmc", config.side(), config.task());
        this.config = config;
    }

    @Override
    public FmPredictor fitDesign(SparseDesign train, SparseDesign monitor, TrainingContext ctx) {
        boolean cls = config.task() == FmTask.CLASSIFICATION;
        if (cls) {
            FmTrainer.checkBinary(train);
        }
        FmDesign d = FmDesign.of(train, train.numFeatures());
        int k = config.dim();
        int post = config.iterations() - config.burnIn();
        int thin = (post + config.keepSamples() - 1) / config.keepSamples();
        List<FmParams> samples = new ArrayList<>();
        List<Double> noise = new ArrayList<>();
        List<double[]> priors = new ArrayList<>();
        double[] monitorSum = monitor == null ? null : new double[monitor.numRows()];
        int averaged = 0;
        int[] idx = new int[1];
        float[] val = new float[1];
        double[] sums = new double[Math.max(1, k)];
        if (monitor != null) {
            int ml = 1;
            for (int r = 0; r < monitor.numRows(); r++) {
                ml = Math.max(ml, monitor.offsets()[r + 1] - monitor.offsets()[r]);
            }
            idx = new int[ml];
            val = new float[ml];
        }
        TrainingRun run = new TrainingRun(name(), config.iterations(), ctx);
        try (Parallel par = new Parallel(ctx.threads())) {
            FmCoordinate c = new FmCoordinate(d, k, config.initStdev(), true, cls, new double[] {0, 0, 0}, ctx.seed(), par);
            for (int it = 1; it <= config.iterations(); it++) {
                long t0 = System.nanoTime();
                c.sweep(it);
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochReport.Builder rep = EpochReport.builder(it);
                if (!cls) {
                    rep.put("train_rmse", Math.sqrt(c.sse() / Math.max(1, d.numRows)));
                    rep.put("alpha", c.alpha);
                }
                if (it > config.burnIn()) {
                    if ((config.iterations() - it) % thin == 0 && samples.size() < config.keepSamples()) {
                        samples.add(c.p.copy());
                        noise.add(cls ? 1.0 : 1 / c.alpha);
                        priors.add(c.foldPrior());
                    }
                    if (monitor != null) {
                        averaged++;
                        double se = 0;
                        int p = c.p.numFeatures();
                        for (int r = 0; r < monitor.numRows(); r++) {
                            int n = 0;
                            for (int a = monitor.offsets()[r]; a < monitor.offsets()[r + 1]; a++) {
                                if (monitor.features()[a] < p) {
                                    idx[n] = monitor.features()[a];
                                    val[n++] = monitor.values()[a];
                                }
                            }
                            double y = c.p.predict(idx, val, n, sums);
                            monitorSum[r] += cls ? FmCoordinate.probability(y) : y;
                            double err = monitor.targets()[r] - monitorSum[r] / averaged;
                            se += err * err;
                        }
                        rep.put("val_rmse", Math.sqrt(se / Math.max(1, monitor.numRows())));
                    }
                }
                if (run.epoch(rep.build(seconds))) {
                    break;
                }
            }
            if (samples.isEmpty()) { // stopped before burn-in ended: keep the last state
                samples.add(c.p.copy());
                noise.add(cls ? 1.0 : 1 / c.alpha);
                priors.add(c.foldPrior());
            }
        }
        run.finish();
        double[] nv = new double[samples.size()];
        double[] fp = new double[samples.size() * (2 + 2 * k)];
        for (int s = 0; s < nv.length; s++) {
            nv[s] = noise.get(s);
            System.arraycopy(priors.get(s), 0, fp, s * (2 + 2 * k), 2 + 2 * k);
        }
        return new FmPredictor(samples.toArray(new FmParams[0]), nv, fp,
                cls ? FmPredictor.Link.PROBIT : FmPredictor.Link.IDENTITY, true);
    }
}
