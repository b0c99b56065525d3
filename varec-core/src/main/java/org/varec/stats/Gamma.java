package org.varec.stats;

/**
 * Gamma and chi-square variates from a seeded {@link Rng}.
 *
 * <p>Gamma(shape a, rate b) has density {@code b^a x^(a-1) e^(-b x) / Gamma(a)}, mean {@code a/b}
 * and variance {@code a/b^2}. Draws use Marsaglia and Tsang's squeeze method (2000) for
 * {@code a >= 1}; for {@code a < 1} a draw for {@code a + 1} is scaled by {@code U^(1/a)}.
 * Everything uses {@link StrictMath}, so a seed gives the same numbers everywhere.
 */
public final class Gamma {
    private Gamma() {
    }

    /**
     * A Gamma(shape, rate) variate.
     *
     * @throws IllegalArgumentException unless shape and rate are positive and finite
     */
    public static double sample(Rng rng, double shape, double rate) {
        if (!(shape > 0 && shape < Double.POSITIVE_INFINITY) || !(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("gamma needs shape > 0 and rate > 0, got shape " + shape
                    + ", rate " + rate);
        }
        return standard(rng, shape) / rate;
    }

    /** A chi-square variate with {@code dof} degrees of freedom (= 2 * Gamma(dof/2, 1)). */
    public static double chiSquare(Rng rng, double dof) {
        if (!(dof > 0 && dof < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("chi-square needs dof > 0, got " + dof);
        }
        return 2 * standard(rng, 0.5 * dof);
    }

    /** Gamma(a, 1). */
    private static double standard(Rng rng, double a) {
        if (a < 1) {
            double g = standard(rng, a + 1);
            double u;
            do {
                u = rng.nextDouble();
            } while (u == 0);
            return g * StrictMath.pow(u, 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2) {
                return d * v;
            }
            if (u > 0 && StrictMath.log(u) < 0.5 * x2 + d * (1 - v + StrictMath.log(v))) {
                return d * v;
            }
        }
    }
}
