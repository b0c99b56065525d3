package org.varec.model.fm;

import org.varec.model.Predictive;

/**
 * A trained factorization machine over sparse feature rows, independent of where the rows come
 * from (an {@link org.varec.data.FmLayout} of (user, item) pairs, or a libFM design file): what
 * every FM trainer's run on a design matrix produces ({@link FmDesignTrainer}), and what the rating
 * models {@link FmModel} and {@link VfmModel} wrap. Two kinds:
 * <ul>
 * <li>{@link FmSamples}: one parameter set (fm-sgd, fm-als) or kept Gibbs samples (fm-mcmc);</li>
 * <li>{@link VfmPosterior}: a mean-field Gaussian posterior over every parameter (vfm, vbfm, ovbfm).</li>
 * </ul>
 * Immutable and safe to share between threads.
 */
public interface FmPredictor {
    /** Features the model was trained with; a row's features outside {@code 0 .. numFeatures()-1} are ignored. */
    int numFeatures();

    /**
     * The predictive distribution of the row {@code idx[0..n)}, {@code val[0..n)}: its mean is the
     * rating (regression) or the probability of class 1 (classification).
     */
    Predictive predictive(int[] idx, float[] val, int n);

    /** The predictive mean of the row (the rating, or the probability of class 1). */
    default double predict(int[] idx, float[] val, int n) {
        return predictive(idx, val, n).mean();
    }
}
