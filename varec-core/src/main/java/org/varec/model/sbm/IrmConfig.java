package org.varec.model.sbm;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.model.SampleSchedule;

/**
 * Hyper-parameters of the infinite relational model by collapsed Gibbs sampling ({@code irm};
 * Kemp et al. 2006). See {@code docs/networks.md}.
 *
 * <p>Sweep {@code s} (1-based, one per epoch) is <i>kept</i> when {@code s > burn_in} and
 * {@code (s - burn_in) % thin == 0}, as in {@code bpmf}; {@code thin = 0} picks the smallest
 * thinning that keeps at most {@code keep_samples} samples.
 */
public record IrmConfig(
        @Param(value = "500", min = "1", max = "1000000", doc = "Gibbs sweeps in total, burn-in included "
                + "(one sweep reassigns every vertex)") int iterations,
        @Param(value = "200", min = "0", doc = "sweeps discarded before samples are kept (below iterations)")
        int burnIn,
        @Param(value = "0", min = "0", max = "1000000",
                doc = "keep every thin-th sweep after burn-in; 0 = smallest thinning keeping at most keep_samples")
        int thin,
        @Param(value = "100", min = "1", max = "100000",
                doc = "most samples stored in the model (each: one group per vertex and the block counts)")
        int keepSamples,
        @Param(value = "1", min = "1e-6", max = "1e6", doc = "Chinese-restaurant-process concentration: fixed, "
                + "or the start value when sample_alpha") double alpha,
        @Param(value = "true", doc = "sample alpha each sweep from its posterior under a Gamma(1, 1) prior "
                + "(slice sampling on log alpha)") boolean sampleAlpha,
        @Param(value = "0.1", min = "0", max = "1e6", minExclusive = true,
                doc = "Beta(a, b) prior of a block's link probability: a (pseudo-links; small for a sparse network)") double betaA,
        @Param(value = "1", min = "0", max = "1e6", minExclusive = true,
                doc = "Beta(a, b) prior of a block's link probability: b (pseudo-non-links)") double betaB,
        @Param(value = "10", min = "0", max = "1000000", doc = "split-merge proposals per sweep (sequentially "
                + "allocated, Dahl 2005), after the Gibbs reassignments; 0 = Gibbs only") int splitMerge,
        @Param(value = "1", min = "1", max = "100000",
                doc = "groups of the random starting assignment (1: every vertex in one group)") int initGroups,
        @Param(value = "auto", doc = "symmetric (one partition of the vertices of a network), bipartite (users "
                + "and items partitioned separately), auto: symmetric when the training matrix is square, "
                + "symmetric and has no diagonal") Relation relation)
        implements AlgorithmConfig {

    /** How the rows and columns of the relation are partitioned. */
    public enum Relation {
        /** Symmetric when the training matrix is a network's (square, symmetric, no diagonal), else bipartite. */
        AUTO,
        /** One partition of the vertices; blocks are unordered pairs of groups. */
        SYMMETRIC,
        /** A partition of the users and one of the items (co-clustering). */
        BIPARTITE
    }

    /** Gamma(shape, rate) prior of alpha when sampled. */
    public static final double ALPHA_SHAPE = 1;
    public static final double ALPHA_RATE = 1;

    public IrmConfig {
        new SampleSchedule(iterations, burnIn, thin, keepSamples); // validates
    }

    public static IrmConfig defaults() {
        return ParamSpec.of(IrmConfig.class).defaults();
    }

    /** Which sweeps are kept ({@link SampleSchedule}). */
    public SampleSchedule schedule() {
        return new SampleSchedule(iterations, burnIn, thin, keepSamples);
    }

    /** The thinning actually used (resolves thin = 0). */
    public int effectiveThin() {
        return schedule().effectiveThin();
    }

    /** Whether sweep {@code s} (1-based) is kept. */
    public boolean kept(int s) {
        return schedule().kept(s);
    }

    /** How many samples a full run keeps. */
    public int keptCount() {
        return schedule().keptCount();
    }
}
