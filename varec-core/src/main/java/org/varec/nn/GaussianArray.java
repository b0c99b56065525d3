package org.varec.nn;

import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * A mean-field Gaussian variational posterior over a {@code rows x cols} array of weights (a
 * weight matrix, a bias vector, an embedding table): independently for every entry i,
 * <pre>
 *   q(w_i) = N(w_i | mu_i, sigma_i^2),   sigma_i = softplus(rho_i) = log(1 + exp(rho_i))
 * </pre>
 * (Blundell et al. 2015, "Weight Uncertainty in Neural Networks", sec. 3.2: the softplus keeps
 * sigma positive for any unconstrained rho). {@link #mean()} and {@link #rho()} are ordinary
 * {@link ParamArray}s, so any optimiser over ParamArrays steps them; {@link #sample()} is a third,
 * non-trainable ParamArray holding the weights of the last draw, whose gradient receives
 * dLoss/dw from whatever deterministic layer (a dense layer, an embedding lookup) ran on it.
 *
 * <p><b>Reparameterised sampling</b> (Kingma and Welling 2014, "Auto-Encoding Variational Bayes",
 * sec. 2.4; Blundell et al. 2015, eq. 3): {@code w = mu + softplus(rho) * eps}, eps ~ N(0, I)
 * ({@link #draw}, {@link #drawRows}). The chain rule then gives, for a loss L(w)
 * (Blundell et al. 2015, sec. 3.2, steps 4-5, without the log q - log p terms, which are in
 * closed form here):
 * <pre>
 *   dL/dmu_i  = dL/dw_i
 *   dL/drho_i = dL/dw_i * eps_i * sigmoid(rho_i)      (d softplus(rho) / d rho = sigmoid(rho))
 * </pre>
 * ({@link #accumulateGradients}). With S samples per step the caller runs draw / forward /
 * backward S times with the loss weighted 1/S (or passes {@code scale = 1/S}): the average of S
 * independent reparameterised gradients, still unbiased.
 *
 * <p><b>Noise streams.</b> The eps of row r in sample s of step t is the start of
 * {@code Rng.stream(key, r)} with {@code key} derived from (seed, the array's name, t, s)
 * ({@link #noiseKey}). A row's noise therefore depends on nothing else: not on the thread count,
 * not on which other rows a batch uses, and a row drawn alone ({@link #drawRow}) equals the same
 * row of a full draw. Names must be unique within a model (they key the streams).
 *
 * <p><b>Sparse arrays</b> (embedding tables): {@link #drawRows} samples only the rows a batch
 * uses (the other rows of {@link #sample()} keep stale values: read only drawn rows); the lookup
 * touches rows of {@code sample()}; {@link #accumulateGradients} chains exactly those rows into
 * mean and rho (touching them there, so a lazy optimiser steps them only); the KL gradient of a
 * sparse table is added per row with {@link #addKlGradientRows}.
 *
 * <p><b>Prior and KL.</b> The prior is p(w_i) = N(0, s^2) with one variance s^2 per array
 * ({@link #priorVariance()}), learned by type-II maximum likelihood ({@link #updatePriorVariance}).
 * In closed form (Kingma and Welling 2014, appendix B, for a general prior variance),
 * <pre>
 *   KL(q || p) = sum_i [ log(s / sigma_i) + (sigma_i^2 + mu_i^2) / (2 s^2) - 1/2 ]
 *   dKL/dmu_i  = mu_i / s^2
 *   dKL/drho_i = (sigma_i / s^2 - 1 / sigma_i) * sigmoid(rho_i)
 * </pre>
 * and the s^2 maximising the ELBO for fixed q (only -KL depends on it: d KL / d s^2 = 0) is
 * <pre>
 *   s^2 = (1/n) sum_i (mu_i^2 + sigma_i^2)                 (n = rows * cols entries)
 * </pre>
 * <b>KL weight convention</b> (used by the models): a step on a minibatch of B of the N
 * observations minimises {@code sum_{batch} NLL + (B/N) * KL}, so the steps of one epoch add up to
 * exactly the negative ELBO {@code sum_all NLL + KL}, and each step's gradient times N/B is an
 * unbiased estimate of the full-data gradient (Graves 2011; Blundell et al. 2015, eq. 9 with
 * uniform pi_i = 1/M). Full batch: weight 1. For a sparse table the per-row alternative is
 * <em>per-epoch accounting</em>: row r is charged {@code (its observations in the batch) /
 * (its observations in the epoch)} of its KL, so over one epoch every used row's KL is charged
 * exactly once and a step touches only the batch's rows ({@link #addKlGradientRows} takes those
 * per-row weights).
 *
 * <p><b>Prior groups</b> (optional, {@link #usePriorGroups}): the columns may be cut into groups of
 * {@code w} consecutive columns, each with its own prior variance s_g^2, learned the same way
 * over the group's entries ({@code s_g^2 = mean over the group of mu^2 + sigma^2}): an embedding
 * table whose columns are separate factors (bnnmf's U'_d, d = 1..D) then has one variance per
 * factor, so factors that the data does not support can go to their prior without dragging the
 * variance of the others down. Without groups (the default) everything is as described above.
 *
 * <p>Layout: all arrays row-major ({@code [r * cols + c]}), float; sigma, its derivative, the KL
 * and the prior update are computed in double (sums in double, per fixed block of rows, added in
 * block order: the same for any thread count).
 */
public final class GaussianArray {
    /** Rows per block of parallel work; fixed so sums do not depend on the thread count. */
    private static final int ROW_BLOCK = 256;
    /** Lower bound of the learned prior variance (type-II ML can drive it to 0 when q collapses to 0). */
    public static final double MIN_PRIOR_VARIANCE = 1e-10;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final String name;
    private final int rows;
    private final int cols;
    private final long nameKey;
    private final ParamArray mean;
    private final ParamArray rho;
    private final ParamArray sample;
    /** eps of the last draw, per entry (drawn rows only for a sparse array). */
    private final float[] eps;
    private double priorVariance = 1.0;
    /** Per-group prior variances (null: one for the array), groups of {@link #groupWidth} columns. */
    private double[] groupVariance;
    private int groupWidth;

    public GaussianArray(String name, int rows, int cols, boolean sparse) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.nameKey = nameKey(name);
        this.mean = new ParamArray(name + ".mean", rows, cols, sparse);
        this.rho = new ParamArray(name + ".rho", rows, cols, sparse);
        this.sample = new ParamArray(name + ".sample", rows, cols, sparse);
        this.eps = new float[mean.size()];
    }

    public static GaussianArray dense(String name, int rows, int cols) {
        return new GaussianArray(name, rows, cols, false);
    }

    public static GaussianArray sparse(String name, int rows, int cols) {
        return new GaussianArray(name, rows, cols, true);
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return eps.length;
    }

    public boolean isSparse() {
        return mean.isSparse();
    }

    /** The variational means mu: trainable; also the mean-only view used for prediction. */
    public ParamArray mean() {
        return mean;
    }

    /** The unconstrained scales rho, sigma = softplus(rho): trainable. */
    public ParamArray rho() {
        return rho;
    }

    /**
     * The weights of the last draw, {@code w = mu + sigma * eps}; a deterministic layer reads its
     * value and adds dL/dw into its gradient (touching rows if sparse). Not trainable: hand
     * {@link #mean()} and {@link #rho()} to the optimiser, not this.
     */
    public ParamArray sample() {
        return sample;
    }

    /** The standard normal eps of the last draw (entries of drawn rows are valid). */
    public float[] noise() {
        return eps;
    }

    /** sigma of entry {@code i}. */
    public double sigma(int i) {
        return softplus(rho.value()[i]);
    }

    /** The current prior variance s^2 (1 until set or learned; with prior groups, the mean of the groups'). */
    public double priorVariance() {
        return priorVariance;
    }

    public void setPriorVariance(double s2) {
        if (!(s2 > 0) || Double.isInfinite(s2)) {
            throw new IllegalArgumentException(name + ": prior variance must be positive and finite, got " + s2);
        }
        this.priorVariance = s2;
        if (groupVariance != null) {
            java.util.Arrays.fill(groupVariance, s2);
        }
    }

    /**
     * Gives every group of {@code width} consecutive columns its own prior variance (see the class
     * doc), each starting at the current {@link #priorVariance()}; {@code cols} must be a multiple
     * of {@code width}.
     */
    public void usePriorGroups(int width) {
        if (width < 1 || cols % width != 0) {
            throw new IllegalArgumentException(name + ": " + cols + " columns do not split into groups of " + width);
        }
        groupWidth = width;
        groupVariance = new double[cols / width];
        java.util.Arrays.fill(groupVariance, priorVariance);
    }

    /** Columns per prior group ({@link #cols()} without groups). */
    public int priorGroupWidth() {
        return groupVariance == null ? cols : groupWidth;
    }

    /** The prior variance of column {@code c}'s entries. */
    public double priorVariance(int c) {
        return groupVariance == null ? priorVariance : groupVariance[c / groupWidth];
    }

    /** Sets the prior variance of group {@code g} ({@link #usePriorGroups} first). */
    public void setGroupPriorVariance(int g, double s2) {
        if (!(s2 > 0) || Double.isInfinite(s2)) {
            throw new IllegalArgumentException(name + ": prior variance must be positive and finite, got " + s2);
        }
        groupVariance[g] = s2;
    }

    /** The prior variance of every column, {@code cols} values (all equal without groups). */
    private double[] columnVariances() {
        double[] v = new double[cols];
        for (int c = 0; c < cols; c++) {
            v[c] = priorVariance(c);
        }
        return v;
    }

    /**
     * Initialises q: means ~ N(0, meanStdev^2) (0 when meanStdev is 0) and every sigma =
     * {@code sigma} (rho = softplus^-1(sigma)); gradients and the last sample are cleared.
     */
    public void init(Rng rng, double meanStdev, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException(name + ": initial sigma must be positive, got " + sigma);
        }
        float[] m = mean.value();
        float[] r = rho.value();
        float r0 = (float) inverseSoftplus(sigma);
        for (int i = 0; i < m.length; i++) {
            m[i] = meanStdev == 0 ? 0f : (float) (meanStdev * rng.nextGaussian());
            r[i] = r0;
        }
        mean.zeroGrad();
        rho.zeroGrad();
        sample.zeroGrad();
    }

    // ---------------------------------------------------------------- sampling

    /**
     * The key of the noise of sample {@code s} in step {@code step} of a run seeded {@code seed},
     * for this array; row r's eps are the first {@code cols} Gaussians of {@code Rng.stream(key, r)}.
     */
    public long noiseKey(long seed, long step, int s) {
        return Rng.deriveSeed(Rng.deriveSeed(Rng.deriveSeed(seed, nameKey), step), s);
    }

    /** Draws every row: {@code sample = mu + sigma * eps}, eps kept for the gradient. */
    public void draw(long seed, long step, int s, Parallel pool) {
        long key = noiseKey(seed, step, s);
        float[] w = sample.value();
        pool.forBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            for (int r = from; r < to; r++) {
                drawRow(key, r, w, r * cols, eps);
            }
        });
    }

    /**
     * Draws rows {@code rowIds[0..n)} only (the rows a batch of a sparse table uses; duplicates are
     * drawn twice, with the same values). The same row gets the same values as in {@link #draw}.
     */
    public void drawRows(int[] rowIds, int n, long seed, long step, int s, Parallel pool) {
        long key = noiseKey(seed, step, s);
        float[] w = sample.value();
        pool.forBlocks(n, ROW_BLOCK, (b, from, to) -> {
            for (int k = from; k < to; k++) {
                int r = rowIds[k];
                drawRow(key, r, w, r * cols, eps);
            }
        });
    }

    /**
     * A full Monte Carlo sample of w into {@code out} ({@code size()} floats) for prediction;
     * this array's own sample and noise are untouched. Use a seed (or steps) apart from training's.
     */
    public void drawInto(long seed, long step, int s, float[] out, Parallel pool) {
        long key = noiseKey(seed, step, s);
        pool.forBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            for (int r = from; r < to; r++) {
                drawRow(key, r, out, r * cols, null);
            }
        });
    }

    /** Row {@code r} of the sample {@link #drawInto} would give, into {@code out[off .. off + cols)}. */
    public void drawRowInto(long seed, long step, int s, int r, float[] out, int off) {
        drawRow(noiseKey(seed, step, s), r, out, off, null);
    }

    private void drawRow(long key, int r, float[] out, int off, float[] epsOut) {
        Rng rng = Rng.stream(key, r);
        float[] m = mean.value();
        float[] rh = rho.value();
        int base = r * cols;
        for (int c = 0; c < cols; c++) {
            double e = rng.nextGaussian();
            int i = base + c;
            out[off + c] = (float) (m[i] + softplus(rh[i]) * e);
            if (epsOut != null) {
                epsOut[i] = (float) e;
            }
        }
    }

    // ---------------------------------------------------------------- gradients

    /**
     * Chains the gradient of the sample ({@code sample().grad()} = dL/dw, as the layer on the
     * sample left it) into mean and rho, times {@code scale}:
     * {@code dmu += scale * g}, {@code drho += scale * g * eps * sigmoid(rho)}; then clears the
     * sample's gradient. For a sparse array only the sample's touched rows are chained (and touched
     * in mean and rho).
     */
    public void accumulateGradients(double scale, Parallel pool) {
        int n = sample.numTouched();
        if (sample.isSparse()) {
            for (int k = 0; k < n; k++) { // touch() is not thread-safe: mark rows first
                int r = sample.touchedRow(k);
                mean.touch(r);
                rho.touch(r);
            }
        }
        float[] g = sample.grad();
        float[] gm = mean.grad();
        float[] gr = rho.grad();
        float[] rh = rho.value();
        pool.forBlocks(n, ROW_BLOCK, (b, from, to) -> {
            for (int k = from; k < to; k++) {
                int base = sample.touchedRow(k) * cols;
                for (int i = base; i < base + cols; i++) {
                    double gi = scale * g[i];
                    gm[i] += (float) gi;
                    gr[i] += (float) (gi * eps[i] * sigmoid(rh[i]));
                }
            }
        });
        sample.zeroGrad();
    }

    // ---------------------------------------------------------------- KL and prior

    /** KL(q || N(0, s^2)) over all entries, with the current prior variance(s). */
    public double kl(Parallel pool) {
        if (groupVariance == null) {
            return kl(priorVariance, pool);
        }
        double[] cv = columnVariances();
        return pool.sumBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            double sum = 0;
            for (int r = from; r < to; r++) {
                sum += klRow(r, cv);
            }
            return sum;
        });
    }

    /** KL(q || p) of row {@code r}'s entries with the current prior variance(s). */
    public double klRow(int r) {
        return groupVariance == null ? klRow(r, priorVariance) : klRow(r, columnVariances());
    }

    private double klRow(int r, double[] columnS2) {
        float[] m = mean.value();
        float[] rh = rho.value();
        double sum = 0;
        for (int c = 0; c < cols; c++) {
            int i = r * cols + c;
            double s2 = columnS2[c];
            double sigma = softplus(rh[i]);
            double mu = m[i];
            sum += 0.5 * Math.log(s2) - logSoftplus(rh[i]) + (sigma * sigma + mu * mu) * (0.5 / s2) - 0.5;
        }
        return sum;
    }

    /** KL(q || N(0, s2)) summed over all entries (closed form, see the class doc). */
    public double kl(double s2, Parallel pool) {
        return pool.sumBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            double sum = 0;
            for (int r = from; r < to; r++) {
                sum += klRow(r, s2);
            }
            return sum;
        });
    }

    /** KL(q || N(0, s2)) of row {@code r}'s entries. */
    public double klRow(int r, double s2) {
        float[] m = mean.value();
        float[] rh = rho.value();
        double logS = 0.5 * Math.log(s2);
        double inv2s2 = 0.5 / s2;
        double sum = 0;
        for (int i = r * cols; i < (r + 1) * cols; i++) {
            double sigma = softplus(rh[i]);
            double mu = m[i];
            sum += logS - logSoftplus(rh[i]) + (sigma * sigma + mu * mu) * inv2s2 - 0.5;
        }
        return sum;
    }

    /** Adds {@code weight * dKL/dmu} and {@code weight * dKL/drho} of every entry (current prior variance(s)). */
    public void addKlGradient(double weight, Parallel pool) {
        if (groupVariance == null) {
            addKlGradient(priorVariance, weight, pool);
            return;
        }
        if (mean.isSparse()) {
            for (int r = 0; r < rows; r++) {
                mean.touch(r);
                rho.touch(r);
            }
        }
        double[] cv = columnVariances();
        pool.forBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            for (int r = from; r < to; r++) {
                addKlGradientRow(r, cv, weight);
            }
        });
    }

    /**
     * Adds {@code weight * dKL(q || N(0, s2))/dmu} and {@code .../drho} into the gradients of every
     * entry (a sparse array gets all its rows touched).
     */
    public void addKlGradient(double s2, double weight, Parallel pool) {
        if (mean.isSparse()) {
            for (int r = 0; r < rows; r++) {
                mean.touch(r);
                rho.touch(r);
            }
        }
        pool.forBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            for (int r = from; r < to; r++) {
                addKlGradientRow(r, s2, weight);
            }
        });
    }

    /**
     * Adds the KL gradient of rows {@code rowIds[0..n)} only, row {@code rowIds[k]} weighted
     * {@code weights[k]} (or {@code weight} for all when {@code weights} is null), with the
     * current prior variance; touches those rows. The rows must be distinct.
     * This is the per-epoch accounting of the class doc for sparse tables.
     */
    public void addKlGradientRows(int[] rowIds, float[] weights, double weight, int n, Parallel pool) {
        for (int k = 0; k < n; k++) {
            mean.touch(rowIds[k]);
            rho.touch(rowIds[k]);
        }
        double s2 = priorVariance;
        double[] cv = groupVariance == null ? null : columnVariances();
        pool.forBlocks(n, ROW_BLOCK, (b, from, to) -> {
            for (int k = from; k < to; k++) {
                double w = weights == null ? weight : weights[k];
                if (cv == null) {
                    addKlGradientRow(rowIds[k], s2, w);
                } else {
                    addKlGradientRow(rowIds[k], cv, w);
                }
            }
        });
    }

    private void addKlGradientRow(int r, double[] columnS2, double weight) {
        float[] m = mean.value();
        float[] rh = rho.value();
        float[] gm = mean.grad();
        float[] gr = rho.grad();
        for (int c = 0; c < cols; c++) {
            int i = r * cols + c;
            double invS2 = 1.0 / columnS2[c];
            double x = rh[i];
            double e = Math.exp(-Math.abs(x));
            double sigma = Math.max(x, 0) + log1pUnit(e);
            double sig = x >= 0 ? 1 / (1 + e) : e / (1 + e);
            double sigOverSigma = x < -30 ? 1 - 0.5 * e : sig / sigma;
            gm[i] += (float) (weight * m[i] * invS2);
            gr[i] += (float) (weight * (sigma * sig * invS2 - sigOverSigma));
        }
    }

    private void addKlGradientRow(int r, double s2, double weight) {
        float[] m = mean.value();
        float[] rh = rho.value();
        float[] gm = mean.grad();
        float[] gr = rho.grad();
        double invS2 = 1.0 / s2;
        for (int i = r * cols; i < (r + 1) * cols; i++) {
            double x = rh[i];
            // softplus, sigmoid and their ratio from one exp and one log1p (the same values as
            // softplus(x), sigmoid(x), sigmoidOverSoftplus(x); this loop runs over whole tables)
            double e = Math.exp(-Math.abs(x));
            double sigma = Math.max(x, 0) + log1pUnit(e);
            double sig = x >= 0 ? 1 / (1 + e) : e / (1 + e);
            double sigOverSigma = x < -30 ? 1 - 0.5 * e : sig / sigma;
            gm[i] += (float) (weight * m[i] * invS2);
            // dKL/drho = (sigma / s2 - 1 / sigma) * sigmoid(rho)
            gr[i] += (float) (weight * (sigma * sig * invS2 - sigOverSigma));
        }
    }

    /**
     * The prior variance maximising the ELBO for the current q, {@code (1/n) sum_i (mu_i^2 +
     * sigma_i^2)} (type-II maximum likelihood; at least {@link #MIN_PRIOR_VARIANCE}).
     */
    public double optimalPriorVariance(Parallel pool) {
        float[] m = mean.value();
        float[] rh = rho.value();
        double sum = pool.sumBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            double s = 0;
            for (int i = from * cols; i < to * cols; i++) {
                double sigma = softplus(rh[i]);
                s += (double) m[i] * m[i] + sigma * sigma;
            }
            return s;
        });
        return size() == 0 ? priorVariance : Math.max(MIN_PRIOR_VARIANCE, sum / size());
    }

    /**
     * The prior variance of each group maximising the ELBO for the current q, {@code (1/n_g) sum
     * over the group's entries of (mu^2 + sigma^2)} (at least {@link #MIN_PRIOR_VARIANCE}); one
     * value, {@link #optimalPriorVariance}, without groups.
     */
    public double[] optimalGroupVariances(Parallel pool) {
        if (groupVariance == null) {
            return new double[] {optimalPriorVariance(pool)};
        }
        int groups = groupVariance.length;
        int blocks = Parallel.numBlocks(rows, ROW_BLOCK);
        double[][] partial = new double[blocks][groups];
        float[] m = mean.value();
        float[] rh = rho.value();
        pool.forBlocks(rows, ROW_BLOCK, (b, from, to) -> {
            double[] sum = partial[b];
            for (int r = from; r < to; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double sigma = softplus(rh[i]);
                    sum[c / groupWidth] += (double) m[i] * m[i] + sigma * sigma;
                }
            }
        });
        double[] s2 = new double[groups];
        double n = (double) rows * groupWidth;
        for (int g = 0; g < groups; g++) {
            double sum = 0;
            for (double[] p : partial) {
                sum += p[g];
            }
            s2[g] = rows == 0 ? groupVariance[g] : Math.max(MIN_PRIOR_VARIANCE, sum / n);
        }
        return s2;
    }

    /**
     * Sets the prior variance (of every group, with groups) to its type-II ML value and returns
     * it (with groups: the mean of the groups' variances, for reporting).
     */
    public double updatePriorVariance(Parallel pool) {
        if (groupVariance == null) {
            priorVariance = optimalPriorVariance(pool);
            return priorVariance;
        }
        double[] s2 = optimalGroupVariances(pool);
        double mean = 0;
        for (int g = 0; g < s2.length; g++) {
            groupVariance[g] = s2[g];
            mean += s2[g];
        }
        priorVariance = mean / s2.length;
        return priorVariance;
    }

    /** log N(w | 0, s2) summed over {@code w}: the log prior of a sample, for Monte Carlo checks. */
    public static double logPrior(float[] w, double s2) {
        double sq = 0;
        for (float x : w) {
            sq += (double) x * x;
        }
        return -0.5 * w.length * (LOG_2PI + Math.log(s2)) - 0.5 * sq / s2;
    }

    // ---------------------------------------------------------------- softplus

    /** softplus(x) = log(1 + e^x), without overflow for large x: x + log1p(e^-x) for x > 0. */
    public static double softplus(double x) {
        return Math.max(x, 0) + log1pUnit(Math.exp(-Math.abs(x)));
    }

    /**
     * {@code log(1 + e)} for {@code 0 <= e <= 1}, by Kahan's formula {@code e log(u) / (u - 1)} with
     * {@code u = 1 + e} (Goldberg 1991, Theorem 4: relative error below 5 ulps when {@code log}
     * is correctly rounded; 1 ulp over the grid of GaussianArrayTest). {@code Math.log1p} is
     * {@code StrictMath}'s software routine, not a JIT intrinsic, and was half the time of an
     * ML-1M bnnmf epoch (softplus of every drawn entry); {@code Math.log} is an intrinsic.
     */
    static double log1pUnit(double e) {
        double u = 1.0 + e;
        return u == 1.0 ? e : Math.log(u) * e / (u - 1.0);
    }

    /** log softplus(x); for x below -30, softplus(x) = e^x (1 - e^x/2 ...) so the log is x - e^x/2 (no underflow). */
    public static double logSoftplus(double x) {
        return x < -30 ? x - 0.5 * Math.exp(x) : Math.log(softplus(x));
    }

    /** sigmoid(x) = 1 / (1 + e^-x) = d softplus(x) / dx, formed without overflow either way. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * sigmoid(x) / softplus(x) = d log sigma / d rho; tends to 1 as x goes to minus infinity,
     * where both factors underflow (for x < -30: 1/(1+e^x) / (1 - e^x/2) = 1 - e^x/2 + O(e^2x)).
     */
    static double sigmoidOverSoftplus(double x) {
        return x < -30 ? 1 - 0.5 * Math.exp(x) : sigmoid(x) / softplus(x);
    }

    /** softplus^-1(y) = log(e^y - 1) = y + log(1 - e^-y), y > 0; the form used avoids overflow and cancellation. */
    public static double inverseSoftplus(double y) {
        return y > 20 ? y + Math.log1p(-Math.exp(-y)) : Math.log(Math.expm1(y));
    }

    /** A 64-bit key of the array's name (FNV-1a over its chars, then mixed): part of every noise key. */
    static long nameKey(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return Rng.mix64(h);
    }
}
