package org.varec.model.fm;

import org.varec.data.FeatureTable;
import org.varec.data.FmLayout;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.SparseDesign;
import org.varec.model.Trainer;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

/**
 * What every FM trainer shares: ratings become a design matrix through an {@link FmLayout}
 * (with the configured side information), the FM is fitted on the design, and the result is
 * wrapped as an {@link FmModel}. {@link #fitDesign} is the Dataset-free entry point that
 * {@code varec eval --format libfm} uses on libFM files.
 */
public abstract class FmTrainer implements Trainer<FmModel> {
    private final String name;
    private final FmSide side;
    private final FmTask task;

    /**
     * @param name registry name of the algorithm
     * @param side which side information the rows carry
     * @param task regression or classification
     */
    protected FmTrainer(String name, FmSide side, FmTask task) {
        this.name = name;
        this.side = side;
        this.task = task;
    }

    /** Registry name. */
    protected final String name() {
        return name;
    }

    protected final FmSide side() {
        return side;
    }

    protected final FmTask task() {
        return task;
    }

    /**
     * Fits on a design matrix. For classification the targets must be 0 or 1. {@code monitor}
     * (may be null) is a held-out design whose RMSE is reported per epoch as {@code val_rmse}.
     * Feature group 0 is the group a folded-in row owner (a new user) belongs to.
     */
    public abstract FmPredictor fitDesign(SparseDesign train, SparseDesign monitor, TrainingContext ctx);

    @Override
    public FmModel fit(TrainingData data, TrainingContext ctx) {
        FeatureTable uf = side().users(data);
        FeatureTable itf = side().items(data);
        FmLayout layout = FmModel.layout(data.numUsers(), data.numItems(), uf, itf);
        SparseDesign train = layout.design(interactions(data.ratings()));
        SparseDesign monitor = ctx.validation() == null || ctx.validation().size() == 0 ? null
                : layout.design(ctx.validation());
        FmPredictor p = fitDesign(train, monitor, ctx);
        return new FmModel(name(), data.numUsers(), data.numItems(), uf, itf, p);
    }

    /** The matrix's ratings as COO in user order. */
    static Interactions interactions(RatingMatrix m) {
        int[] off = m.userOffsets();
        int[] users = new int[m.nnz()];
        for (int u = 0; u < m.numUsers(); u++) {
            java.util.Arrays.fill(users, off[u], off[u + 1], u);
        }
        return new Interactions(m.numUsers(), m.numItems(), users, m.userItems(), m.userValues(), true);
    }

    /** Fails unless every target is 0 or 1 (classification). */
    static void checkBinary(SparseDesign d) {
        for (float t : d.targets()) {
            if (t != 0f && t != 1f) {
                throw new IllegalArgumentException("task=classification needs targets 0 or 1, found " + t
                        + " (use --task classification --threshold T to binarize ratings)");
            }
        }
    }

    /** RMSE of the predictor on a design (predictions are the mean: rating or probability). */
    static double rmse(FmPredictor p, SparseDesign d) {
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
}
