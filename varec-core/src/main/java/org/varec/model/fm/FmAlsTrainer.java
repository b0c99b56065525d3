package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * fm-als: coordinate descent on {@code sum_i e_i^2 + r0 w0^2 + r1 |w|^2 + r2 |V|^2} (Rendle 2012,
 * section 4.2): each parameter in turn is set to its exact minimiser given the others (see
 * {@link FmCoordinate}), so the objective never increases (tested). Exclusive groups are updated in
 * parallel blocks on the run's pool; the result depends on the seed only, not on the thread count.
 *
 * <p>The shared loop drives it through {@link FmTrainer}: one epoch is one sweep over every
 * parameter; it reports {@code loss} (the objective per rating) and {@code train_rmse}. The model
 * is a point predictor whose fixed variance is the training residual variance.
 */
public final class FmAlsTrainer extends FmTrainer<FmSamples, FmModel> {
    private final FmAlsConfig config;

    public FmAlsTrainer(FmAlsConfig config) {
        super("fm-als", config.side());
        this.config = config;
    }

    @Override
    Run run(SparseDesign train, int numGroups, long seed, Parallel pool) {
        return new Run(engine(train, config, seed, pool));
    }

    @Override
    Function<FmSamples, FmModel> ratingModel(FmLayout layout) {
        return FmModel.of(name(), layout);
    }

    /** The coordinate engine on {@code train} with the factors initialised from {@code seed} (also for the tests). */
    static FmCoordinate engine(SparseDesign train, FmAlsConfig config, long seed, Parallel pool) {
        boolean block = config.sweep() == FmSweep.BLOCK;
        FmCoordinate c = new FmCoordinate(FmDesign.of(train, train.numFeatures()), config.rank(), config.initStdev(),
                false, false, config.penalties(), seed, FmCoordinate.pool(train, pool, block));
        c.block = block;
        return c;
    }

    /** One ALS run: the coordinate engine, one sweep per epoch. */
    final class Run implements EpochTrainer<FmSamples> {
        private final FmCoordinate c;

        Run(FmCoordinate c) {
            this.c = c;
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            c.sweep(epoch);
            int n = Math.max(1, c.d.numRows);
            figures.put("loss", c.objective() / n);
            figures.put("train_rmse", Math.sqrt(c.sse() / n));
        }

        /** A point predictor of a copy of the parameters, the training residual variance as its variance. */
        @Override
        public FmSamples snapshot() {
            double var = c.sse() / Math.max(1, c.d.numRows);
            return new FmSamples(new FmParams[] {c.p.copy()}, new double[] {var}, c.foldPrior(),
                    FmSamples.Link.IDENTITY, false);
        }
    }
}
