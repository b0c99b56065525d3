package org.varec.model;

/**
 * Which sweeps of a sampler are kept (bpmf, irm): {@code iterations} sweeps, the first
 * {@code burnIn} discarded, then every {@code thin}-th kept, i.e. sweep {@code s} (1-based) when
 * {@code s > burnIn} and {@code (s - burnIn) % thin == 0}. {@code thin = 0} picks the smallest
 * thinning that keeps at most {@code keepSamples}; an explicit {@code thin} that would keep more
 * is refused. The constructor validates, with the parameter names of the configs.
 */
public record SampleSchedule(int iterations, int burnIn, int thin, int keepSamples) {
    public SampleSchedule {
        if (burnIn >= iterations) {
            throw new IllegalArgumentException("parameter burn_in=" + burnIn + " must be below iterations=" + iterations
                    + " (lower burn_in for a short run)");
        }
        if (thin > 0 && (iterations - burnIn) / thin > keepSamples) {
            throw new IllegalArgumentException("parameters iterations=" + iterations + ", burn_in=" + burnIn + ", thin="
                    + thin + " keep " + (iterations - burnIn) / thin + " samples, more than keep_samples=" + keepSamples
                    + "; raise thin or keep_samples (or set thin=0)");
        }
    }

    /** The thinning actually used (resolves thin = 0). */
    public int effectiveThin() {
        if (thin > 0) {
            return thin;
        }
        int after = iterations - burnIn;
        return Math.max(1, (after + keepSamples - 1) / keepSamples);
    }

    /** Whether sweep {@code s} (1-based) is kept. */
    public boolean kept(int s) {
        return s > burnIn && (s - burnIn) % effectiveThin() == 0;
    }

    /** How many samples a full run keeps. */
    public int keptCount() {
        return (iterations - burnIn) / effectiveThin();
    }
}
