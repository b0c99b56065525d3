package org.varec.model.fm;

/**
 * How fm-mcmc's Gibbs sweep visits the parameters (parameter {@code sampler}); both leave the
 * same posterior invariant (see {@link FmCoordinate}).
 * <ul>
 *   <li>{@code coordinate}: one parameter at a time, factor after factor, as libFM's MCMC
 *       (Rendle 2012, section 4.3): 2 (k + 1) passes over each column and k over the rows per sweep.</li>
 *   <li>{@code block}: each feature's whole block (w_j, v_j1 .. v_jk) from its joint Gaussian
 *       conditional: two passes over each column per sweep, a (k + 1)^2 Gram per feature.</li>
 * </ul>
 */
public enum FmSampler {
    COORDINATE, BLOCK
}
