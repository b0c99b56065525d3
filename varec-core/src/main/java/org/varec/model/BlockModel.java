package org.varec.model;

/**
 * A network model whose vertices fall into discrete groups (blocks): the stochastic block models
 * {@code sbm} and {@code irm}. Groups are numbered by decreasing size (group 0 is the largest), so
 * that pictures and tables come out the same for the same model; only occupied groups count.
 */
public interface BlockModel {
    /** Number of occupied groups under the MAP assignment. */
    int numGroups();

    /** The MAP group of every vertex (dense index), each in {@code [0, numGroups())}. */
    int[] groups();

    /**
     * The {@code numGroups x numGroups} matrix of link probabilities between the MAP groups
     * (symmetric for a symmetric model), row-major.
     */
    double[][] blockProbabilities();
}
