package org.varec.stats;

/**
 * Draws from a normal distribution truncated to one side of a bound, as the probit Gibbs step of
 * Bayesian classifiers needs (latent targets given the class). Standard-normal tails beyond
 * {@code a > 0} use Robert's (1995) exponential rejection sampler with the optimal rate
 * {@code (a + sqrt(a^2 + 4)) / 2} (acceptance above 0.75 for every a >= 0); for {@code a <= 0}
 * plain rejection from N(0, 1) accepts with probability at least one half. Exact, and
 * reproducible for a given {@link Rng} (StrictMath only).
 */
public final class TruncatedNormal {
    private TruncatedNormal() {
    }

    /** A draw from N(0, 1) conditioned on x > a. */
    public static double standardAbove(Rng rng, double a) {
        if (a <= 0) {
            double x;
            do {
                x = rng.nextGaussian();
            } while (x <= a);
            return x;
        }
        double rate = 0.5 * (a + StrictMath.sqrt(a * a + 4));
        while (true) {
            double u = 1 - rng.nextDouble(); // (0, 1]
            double z = a - StrictMath.log(u) / rate;
            double d = z - rate;
            if (rng.nextDouble() <= StrictMath.exp(-0.5 * d * d)) {
                return z;
            }
        }
    }

    /** A draw from N(mean, sd^2) conditioned on x > lower. */
    public static double above(Rng rng, double mean, double sd, double lower) {
        return mean + sd * standardAbove(rng, (lower - mean) / sd);
    }

    /** A draw from N(mean, sd^2) conditioned on x < upper. */
    public static double below(Rng rng, double mean, double sd, double upper) {
        return mean - sd * standardAbove(rng, (mean - upper) / sd);
    }
}
