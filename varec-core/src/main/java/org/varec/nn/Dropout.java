package org.varec.nn;

import org.varec.stats.Rng;

/**
 * Inverted dropout (Srivastava et al. 2014) on the values of a sparse input row: each value is
 * kept with probability {@code 1 - rate} and then scaled by {@code 1 / (1 - rate)}, or set to 0,
 * so the expected input is unchanged and nothing needs rescaling at prediction time (where no
 * dropout is applied). On a rating row this is the "denoising" corruption of DAE-CF (Liang et al.
 * 2018, sec. 2.3): a dropped entry looks unobserved to the encoder.
 *
 * <p>The mask is drawn per entry, in entry order, from the caller's stream, so a given seed gives
 * the same mask for any thread count. The gradient through a dropped value is zero and through a
 * kept one the same scale: callers keep the masked values (the layer's actual input) and
 * differentiate with respect to the weights that read them.
 */
public final class Dropout {
    private Dropout() {
    }

    /**
     * {@code out[p] = keep ? in[p] / (1 - rate) : 0} for {@code p} in {@code [from, to)}; returns the
     * number of entries kept. {@code rate} in [0, 1); {@code rate = 0} copies.
     */
    public static int apply(float rate, float[] in, float[] out, int from, int to, Rng rng) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        if (rate == 0) {
            System.arraycopy(in, from, out, from, to - from);
            return to - from;
        }
        float scale = 1f / (1f - rate);
        int kept = 0;
        for (int p = from; p < to; p++) {
            if (rng.nextFloat() >= rate) {
                out[p] = in[p] * scale;
                kept++;
            } else {
                out[p] = 0f;
            }
        }
        return kept;
    }
}
