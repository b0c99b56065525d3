package org.varec.model.bpmf;

import org.varec.model.AlgorithmConfig;
import org.varec.model.Param;
import org.varec.model.ParamSpec;
import org.varec.model.SampleSchedule;

/**
 * Hyper-parameters of Bayesian probabilistic matrix factorization by Gibbs sampling
 * ({@code bpmf}; Salakhutdinov and Mnih 2008, with biases). See {@code docs/bpmf.md}.
 *
 * <p>Sample {@code s} (1-based, one per Gibbs sweep) is <i>kept</i> when {@code s > burn_in} and
 * {@code (s - burn_in) % thin == 0}; the model predicts by averaging over the kept samples and
 * stores exactly those. {@code thin = 0} picks the smallest thinning that keeps at most
 * {@code keep_samples} samples; an explicit {@code thin} that would keep more is refused.
 */
public record BpmfConfig(
        @Param(value = "20", min = "1", max = "500", doc = "K, number of latent dimensions") int rank,
        @Param(value = "150", min = "1", max = "1000000", legacy = "samples",
                doc = "Gibbs sweeps in total, burn-in included (one sample each)") int iterations,
        @Param(value = "10", min = "0", doc = "sweeps discarded before samples are kept (below iterations)") int burnIn,
        @Param(value = "0", min = "0", max = "1000000",
                doc = "keep every thin-th sweep after burn-in; 0 = smallest thinning keeping at most keep_samples")
        int thin,
        @Param(value = "100", min = "1", max = "100000", legacy = "keep",
                doc = "most samples stored in the model (file size ~ keep_samples*(users+items)*(rank+1)*4 bytes)")
        int keepSamples,
        @Param(value = "als",
                doc = "starting point: als (a few ALS sweeps) or random (N(0, 0.1^2) factors, zero biases)")
        Init init,
        @Param(value = "5", min = "1", max = "1000", doc = "ALS sweeps for init=als") int initSweeps,
        @Param(value = "2", min = "1e-6", max = "1e6", doc = "rating noise precision: fixed, or the start value when "
                + "sample_alpha") double alpha,
        @Param(value = "true", doc = "sample alpha from its Gamma conditional (else fixed, as in the paper)")
        boolean sampleAlpha,
        @Param(value = "10", min = "0", max = "1e6",
                doc = "per-user and per-item noise: rating precision alpha*c_u*c_i with c ~ Gamma(a, a), a = 0 or "
                        + ">= 1.01; 0 = one noise level for all ratings") double noiseShape)
        implements AlgorithmConfig {

    /** Starting point of the chain. */
    public enum Init {
        /** {@code init_sweeps} ALS sweeps (ALS's default priors) from ALS's random start. */
        ALS,
        /** N(0, 0.1^2) factors and zero biases. */
        RANDOM
    }

    /** Normal-Wishart hyperprior of the augmented rows, as in the paper: beta0 = 2, W0 = I, mu0 = 0, nu0 = dim. */
    public static final double BETA0 = 2;
    /** Gamma(shape, rate) prior of alpha when sampled (weak: the conditional is dominated by the ratings). */
    public static final double ALPHA_SHAPE = 1;
    public static final double ALPHA_RATE = 1;
    /** Smallest nonzero noise shape (the range noise_shape always had). */
    private static final double MIN_NOISE_SHAPE = 1.01;

    public BpmfConfig {
        new SampleSchedule(iterations, burnIn, thin, keepSamples); // validates
        if (noiseShape != 0 && noiseShape < MIN_NOISE_SHAPE) {
            throw new IllegalArgumentException("parameter noise_shape must be 0 or at least " + MIN_NOISE_SHAPE
                    + ", got " + noiseShape);
        }
    }

    public static BpmfConfig defaults() {
        return ParamSpec.of(BpmfConfig.class).defaults();
    }

    /** Which sweeps are kept ({@link SampleSchedule}). */
    public SampleSchedule schedule() {
        return new SampleSchedule(iterations, burnIn, thin, keepSamples);
    }

    /** The thinning actually used (resolves thin = 0). */
    public int effectiveThin() {
        return schedule().effectiveThin();
    }

    /** Whether sample {@code s} (1-based) is kept. */
    public boolean kept(int s) {
        return schedule().kept(s);
    }

    /** How many samples a full run keeps. */
    public int keptCount() {
        return schedule().keptCount();
    }

    public BpmfConfig withIterations(int iterations, int burnIn) {
        return new BpmfConfig(rank, iterations, burnIn, thin, keepSamples, init, initSweeps, alpha, sampleAlpha,
                noiseShape);
    }
}
