package org.varec.model.autoenc;

/** The reconstruction term of the user autoencoders ({@code dae-cf}, {@code mult-vae}). */
public enum Likelihood {
    /**
     * Squared error on the observed ratings of the row: the VAE-BMF paper's "MSE swap" (sec. 4.3),
     * for rating prediction. The output is read at the observed items only.
     */
    GAUSSIAN,
    /**
     * Liang et al. 2018 eq. (2): {@code -sum_i x_ui log softmax(f(z_u))_i} over all items, with
     * {@code x_ui = 1} for every observed (user, item) pair (implicit feedback; threshold explicit
     * ratings before training if only high ones should count). For ranking: predictions are logits,
     * not ratings.
     */
    MULTINOMIAL
}
