package org.varec.model.fm;

import org.varec.data.SparseDesign;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingRun;
import org.varec.util.Parallel;

/**
 * fm-als: coordinate descent on {@code sum_i e_i^2 + r0 w0^2 + r1 |w|^2 + r2 |V|^2} (Rendle 2012,
 * section 4.2): each parameter in turn is set to its exact minimiser given the others (see
 * {@link FmCoordinate}), so the objective never increases (tested). Reports {@code loss} (the
 * objective per rating) and {@code train_rmse} per sweep.
 */
public final class FmAlsTrainer extends FmTrainer {
    private final FmAlsConfig config;

    public FmAlsTrainer(FmAlsConfig config) {
        super("fm-als", config.side(), config.task());
        this.config = config;
    }

    @Override
    public FmPredictor fitDesign(SparseDesign train, SparseDesign monitor, TrainingContext ctx) {
        FmDesign d = FmDesign.of(train, train.numFeatures());
        TrainingRun run = new TrainingRun(name(), config.iterations(), ctx);
        FmCoordinate c;
        try (Parallel par = new Parallel(ctx.threads())) {
            c = new FmCoordinate(d, config.dim(), config.initStdev(), false, false, config.regular(), ctx.seed(), par);
            for (int it = 1; it <= config.iterations(); it++) {
                long t0 = System.nanoTime();
                c.sweep(it);
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochReport.Builder rep = EpochReport.builder(it);
                int n = Math.max(1, d.numRows);
                rep.put("loss", c.objective() / n);
                rep.put("train_rmse", Math.sqrt(c.sse() / n));
                if (monitor != null) {
                    rep.put("val_rmse", FmTrainer.rmse(predictor(c), monitor));
                }
                if (run.epoch(rep.build(seconds))) {
                    break;
                }
            }
        }
        run.finish();
        return predictor(c);
    }

    private static FmPredictor predictor(FmCoordinate c) {
        double var = c.sse() / Math.max(1, c.d.numRows);
        return new FmPredictor(new FmParams[] {c.p.copy()}, new double[] {var}, c.foldPrior(),
                FmPredictor.Link.IDENTITY, false);
    }

    /** The engine, for the tests (objective per sweep). */
    static FmCoordinate engine(SparseDesign train, FmAlsConfig config, long seed, Parallel par) {
        return new FmCoordinate(FmDesign.of(train, train.numFeatures()), config.dim(), config.initStdev(), false, false,
                config.regular(), seed, par);
    }
}
