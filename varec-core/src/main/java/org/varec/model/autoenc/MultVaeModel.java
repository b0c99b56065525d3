package org.varec.model.autoenc;

import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.stats.Rng;

/**
 * A trained {@code mult-vae}: a {@link UserAutoencoderModel} whose users have a posterior
 * {@code q(z_u) = N(mu_u, diag sigma_u^2)}, so it also gives a predictive distribution (gaussian
 * likelihood; for the multinomial one the figures are of the logit):
 * <pre>
 *   mean     = f(mu_u)_i                                   (the prediction, as Liang et al.)
 *   variance = (1/S) sum_s (f(z_s)_i - fbar_i)^2 + s^2,    z_s = mu_u + sigma_u o eps_s
 * </pre>
 * a Monte Carlo estimate of the spread the latent posterior induces ({@value #SAMPLES} draws
 * {@code eps_s}, fixed once from a constant seed so that predictions are deterministic) plus the
 * gaussian likelihood's noise variance {@code s^2}, estimated as the last training epoch's mean
 * squared residual (its maximum-likelihood value). The weights are point estimates: weight
 * uncertainty is not in the variance, which is why it is usually too narrow (see
 * docs/neural-baselines.md for its calibration).
 *
 * <p>The decoded samples of the latest user are cached per thread, so that scoring a user's test
 * items costs {@value #SAMPLES} decoder passes once, then a dot product per sample and item.
 */
public final class MultVaeModel extends UserAutoencoderModel implements ProbabilisticModel {
    /** Monte Carlo draws of the latent per predictive. */
    static final int SAMPLES = 32;
    private static final long EPS_SEED = 0x5eed_ae1L;

    private final float[] eps;
    private final ThreadLocal<Samples> cache = new ThreadLocal<>();

    /** Decoded samples of one user state: {@code SAMPLES x last}. */
    private record Samples(Object key, float[] d) {
    }

    MultVaeModel(UserAutoencoderTrainer.Spec spec, int numUsers, int numItems, float[] inW, float[] inB,
                 float[][] encW, float[][] encB, float[][] decW, float[][] decB, float[] outW, float[] outB,
                 float[] last, float[] latent, double noise) {
        super(spec, numUsers, numItems, inW, inB, encW, encB, decW, decB, outW, outB, last, latent, noise);
        int k = spec.rank();
        this.eps = new float[SAMPLES * k];
        Rng rng = new Rng(EPS_SEED);
        for (int e = 0; e < eps.length; e++) {
            eps[e] = (float) rng.nextGaussian();
        }
    }

    /** The noise variance s^2 of the gaussian likelihood. */
    public double noiseVariance() {
        return noise;
    }

    private float[] samples(Object key, float[] e) {
        Samples s = cache.get();
        if (s != null && s.key().equals(key)) {
            return s.d();
        }
        int k = spec.rank();
        int lw = spec.last();
        float[] d = new float[SAMPLES * lw];
        float[] z = new float[k];
        for (int q = 0; q < SAMPLES; q++) {
            for (int j = 0; j < k; j++) {
                z[j] = e[j] + (float) Math.exp(0.5 * e[k + j]) * eps[q * k + j];
            }
            System.arraycopy(decode(z.clone()), 0, d, q * lw, lw);
        }
        cache.set(new Samples(key, d));
        return d;
    }

    private Predictive predictive(State s, Object key, int item) {
        double mean = output(s.last(), 0, item);
        float[] d = samples(key, s.latent());
        int lw = spec.last();
        double sum = 0;
        double sq = 0;
        for (int q = 0; q < SAMPLES; q++) {
            double y = output(d, q * lw, item);
            sum += y;
            sq += y * y;
        }
        double m = sum / SAMPLES;
        double var = Math.max(0, sq / SAMPLES - m * m);
        return new Predictive(mean, var + noise);
    }

    @Override
    public Predictive predictive(int user, int item) {
        State s = user(user);
        return predictive(s, user >= 0 && user < numUsers ? (Object) user : (Object) "empty", item);
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State s = (State) user;
        return predictive(s, s.user() >= 0 ? (Object) s.user() : new IdentityKey(s), item);
    }

    /** Identity of a folded-in state (records compare by value, arrays by identity: use the state itself). */
    private record IdentityKey(State state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdentityKey k && k.state == state;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(state);
        }
    }
}
