package org.varec.model.fm;

/**
 * How a sweep of fm-als or fm-mcmc updates the parameters (parameter {@code sweep}, the same in
 * both; {@link FmCoordinate}).
 * <ul>
 *   <li>{@code coordinate}: one parameter at a time, factor after factor, as libFM's ALS and MCMC
 *       (Rendle 2012, sections 4.2-4.3): 2 (k + 1) passes over each column and k over the rows per
 *       sweep.</li>
 *   <li>{@code block}: each feature's whole block (w_j, v_j1 .. v_jk) at once, from its joint
 *       Gaussian conditional (fm-mcmc) or as the exact minimiser of the objective over the block
 *       (fm-als): one pass over each column per sweep and a (k + 1)^2 Gram per entry.</li>
 * </ul>
 * For fm-mcmc both leave the same posterior invariant; for fm-als both never increase the objective.
 */
public enum FmSweep {
    COORDINATE, BLOCK
}
