package org.varec.model.bpmf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Hyper-parameters of Bayesian probabilistic matrix factorization by Gibbs sampling
 * ({@code bpmf}; Salakhutdinov and Mnih 2008, with biases). See {@code docs/bpmf.md}.
 *
 * <p>Sample {@code s} (1-based) is <i>kept</i> when {@code s > burn_in} and
 * {@code (s - burn_in) % thin == 0}; the model predicts by averaging over the kept samples and
 * stores exactly those. {@code thin = 0} picks the smallest thinning that keeps at most
 * {@code keep} samples; an explicit {@code thin} that would keep more than {@code keep} is refused.
 *
 * @param rank        K, latent dimensions (default {@value #DEFAULT_RANK})
 * @param samples     Gibbs sweeps in total, burn-in included (default {@value #DEFAULT_SAMPLES})
 * @param burnIn      sweeps discarded before keeping (default {@value #DEFAULT_BURN_IN})
 * @param thin        keep every thin-th sweep after burn-in; 0 = auto from keep (default {@value #DEFAULT_THIN})
 * @param keep        most samples the model stores (default {@value #DEFAULT_KEEP})
 * @param init        {@code als} (a few ALS sweeps) or {@code random} (N(0, 0.1^2) factors, zero biases)
 * @param initSweeps  ALS sweeps for {@code init=als} (default {@value #DEFAULT_INIT_SWEEPS})
 * @param alpha       noise precision: fixed, or the starting value when sampled (default {@value #DEFAULT_ALPHA})
 * @param sampleAlpha sample alpha from its Gamma conditional each sweep (default {@value #DEFAULT_SAMPLE_ALPHA})
 * @param noiseShape  shape a of per-user and per-item noise multipliers {@code c ~ Gamma(a, a)} (rating
 *                    precision {@code alpha c_u c_i}); 0 = one noise level for all ratings (default {@value #DEFAULT_NOISE_SHAPE})
 */
public record BpmfConfig(int rank, int samples, int burnIn, int thin, int keep, String init, int initSweeps,
                         double alpha, boolean sampleAlpha, double noiseShape) implements AlgorithmConfig {
    public static final int DEFAULT_RANK = 20;
    public static final int DEFAULT_SAMPLES = 150;
    public static final int DEFAULT_BURN_IN = 10;
    public static final int DEFAULT_THIN = 0;
    public static final int DEFAULT_KEEP = 100;
    public static final String DEFAULT_INIT = "als";
    public static final int DEFAULT_INIT_SWEEPS = 5;
    public static final double DEFAULT_ALPHA = 2;
    public static final boolean DEFAULT_SAMPLE_ALPHA = true;
    public static final double DEFAULT_NOISE_SHAPE = 10;

    /** Normal-Wishart hyperprior of the augmented rows, as in the paper: beta0 = 2, W0 = I, mu0 = 0, nu0 = dimension. */
    public static final double BETA0 = 2;
    /** Gamma(shape, rate) prior of alpha when sampled (weak: the conditional is dominated by the ratings). */
    public static final double ALPHA_SHAPE = 1;
    public static final double ALPHA_RATE = 1;

    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("rank", String.valueOf(DEFAULT_RANK), "K, number of latent dimensions"),
            new ParamDoc("samples", String.valueOf(DEFAULT_SAMPLES), "Gibbs sweeps in total, burn-in included"),
            new ParamDoc("burn_in", String.valueOf(DEFAULT_BURN_IN), "sweeps discarded before samples are kept"),
            new ParamDoc("thin", String.valueOf(DEFAULT_THIN),
                    "keep every thin-th sweep after burn-in; 0 = smallest thinning keeping at most 'keep'"),
            new ParamDoc("keep", String.valueOf(DEFAULT_KEEP),
                    "most samples stored in the model (file size ~ keep*(users+items)*(rank+1)*4 bytes)"),
            new ParamDoc("init", DEFAULT_INIT, "starting point: als (a few ALS sweeps) or random"),
            new ParamDoc("init_sweeps", String.valueOf(DEFAULT_INIT_SWEEPS), "ALS sweeps for init=als"),
            new ParamDoc("alpha", "2", "rating noise precision: fixed, or the start value when sample_alpha"),
            new ParamDoc("sample_alpha", String.valueOf(DEFAULT_SAMPLE_ALPHA),
                    "sample alpha from its Gamma conditional (else fixed, as in the paper)"),
            new ParamDoc("noise_shape", "10", "per-user and per-item noise: rating precision alpha*c_u*c_i with "
                    + "c ~ Gamma(a, a); 0 = one noise level for all ratings"));

    public BpmfConfig {
        Params.checkRange("rank", rank, 1, 500);
        Params.checkRange("samples", samples, 1, 1_000_000);
        Params.checkRange("burn_in", burnIn, 0, samples - 1);
        Params.checkRange("thin", thin, 0, 1_000_000);
        Params.checkRange("keep", keep, 1, 100_000);
        init = init == null ? DEFAULT_INIT : init.toLowerCase(Locale.ROOT);
        if (!init.equals("als") && !init.equals("random")) {
            throw new IllegalArgumentException("parameter init must be als or random, got '" + init + "'");
        }
        Params.checkRange("init_sweeps", initSweeps, 1, 1000);
        Params.checkRange("alpha", alpha, 1e-6, 1e6);
        if (noiseShape != 0) {
            Params.checkRange("noise_shape", noiseShape, 1.01, 1e6);
        }
        if (thin > 0 && (samples - burnIn) / thin > keep) {
            throw new IllegalArgumentException("parameters samples=" + samples + ", burn_in=" + burnIn + ", thin=" + thin
                    + " keep " + (samples - burnIn) / thin + " samples, more than keep=" + keep
                    + "; raise thin or keep (or set thin=0)");
        }
    }

    public static BpmfConfig defaults() {
        return new BpmfConfig(DEFAULT_RANK, DEFAULT_SAMPLES, DEFAULT_BURN_IN, DEFAULT_THIN, DEFAULT_KEEP, DEFAULT_INIT,
                DEFAULT_INIT_SWEEPS, DEFAULT_ALPHA, DEFAULT_SAMPLE_ALPHA, DEFAULT_NOISE_SHAPE);
    }

    public static BpmfConfig from(Params p) {
        int samples = p.getInt("samples", DEFAULT_SAMPLES);
        // a short run with the default burn-in would be refused: cap the default at half the run
        int burnDefault = Math.min(DEFAULT_BURN_IN, samples / 2);
        return new BpmfConfig(p.getInt("rank", DEFAULT_RANK), samples, p.getInt("burn_in", burnDefault),
                p.getInt("thin", DEFAULT_THIN), p.getInt("keep", DEFAULT_KEEP), p.getString("init", DEFAULT_INIT),
                p.getInt("init_sweeps", DEFAULT_INIT_SWEEPS), p.getDouble("alpha", DEFAULT_ALPHA),
                p.getBoolean("sample_alpha", DEFAULT_SAMPLE_ALPHA), p.getDouble("noise_shape", DEFAULT_NOISE_SHAPE));
    }

    /** The thinning actually used (resolves thin = 0). */
    public int effectiveThin() {
        if (thin > 0) {
            return thin;
        }
        int after = samples - burnIn;
        return Math.max(1, (after + keep - 1) / keep);
    }

    /** Whether sample {@code s} (1-based) is kept. */
    public boolean kept(int s) {
        return s > burnIn && (s - burnIn) % effectiveThin() == 0;
    }

    /** How many samples a full run keeps. */
    public int keptCount() {
        return (samples - burnIn) / effectiveThin();
    }

    public BpmfConfig withSamples(int samples, int burnIn) {
        return new BpmfConfig(rank, samples, burnIn, thin, keep, init, initSweeps, alpha, sampleAlpha, noiseShape);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("samples", samples);
        m.put("burn_in", burnIn);
        m.put("thin", thin);
        m.put("keep", keep);
        m.put("init", init);
        m.put("init_sweeps", initSweeps);
        m.put("alpha", alpha);
        m.put("sample_alpha", sampleAlpha);
        m.put("noise_shape", noiseShape);
        return m;
    }
}
