package org.varec.model.fm;

import org.varec.data.SparseDesign;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * Trains a factorization machine on a design matrix as it is (libFM train files: no users, items
 * or rating scale), through the shared loop like every trainer. For classification the targets
 * must be 0 or 1; feature group 0 is the group a folded-in row owner (a new user) belongs to.
 * All six FM algorithms implement it through {@link FmTrainer}, with the same run as on ratings:
 * the snapshots are {@link FmSamples} (fm-sgd, fm-als, fm-mcmc) or {@link VfmPosterior} (vfm,
 * vbfm, ovbfm).
 */
public interface FmDesignTrainer {
    /** Registry name of the algorithm. */
    String name();

    /** Prepares one run on {@code train}, seeded by {@code seed}, parallel work on {@code pool}. */
    EpochTrainer<FmPredictor> startDesign(SparseDesign train, long seed, Parallel pool);
}
