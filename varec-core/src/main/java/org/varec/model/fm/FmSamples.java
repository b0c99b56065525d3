package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.linalg.Cholesky;
import org.varec.model.Predictive;
import org.varec.stats.Normal;
import org.varec.stats.Rng;
import org.varec.stats.TruncatedNormal;

/**
 * The {@link FmPredictor} of fm-sgd, fm-als and fm-mcmc: one parameter set (fm-sgd, fm-als) or the
 * kept posterior samples (fm-mcmc), turned into a predictive mean and variance:
 * <ul>
 * <li>{@code IDENTITY} (regression): mean = average of y_s over samples; variance = sample variance
 *     of y_s plus the average noise variance 1/alpha_s (point models: the training residual
 *     variance).</li>
 * <li>{@code PROBIT} (fm-mcmc classification): mean = average of Phi(y_s), the probability of class
 *     1; variance = sample variance of the latent score y_s.</li>
 * <li>{@code LOGIT} (fm-sgd classification): mean = sigmoid(y); variance = the training residual
 *     variance of the probabilities (fixed).</li>
 * </ul>
 * It also folds in a new row-owner (a new user) by fitting the parameters of one extra feature
 * (bias and factor vector), everything else fixed: per sample, the exact Gaussian posterior of
 * those 1 + k parameters given the sample (drawn from for fm-mcmc, its mean for point models).
 */
public final class FmSamples implements FmPredictor {
    /** How the latent score y(x) becomes a prediction. */
    public enum Link { IDENTITY, LOGIT, PROBIT }

    /** Number of samples. */
    private final int ns;
    private final int p;
    private final double[] w0s;
    /**
     * Sample-interleaved parameters: feature j, sample s at {@code ((j * ns) + s) * (1 + k)}: w_j then
     * v_j0 .. v_j(k-1). A row's prediction over all samples then reads n contiguous blocks instead of
     * n x ns scattered rows (predicting with 100 samples is memory-bound otherwise).
     */
    private final float[] packed;
    private final double[] noiseVar;
    private final ThreadLocal<double[]> scratch;
    private final double[] foldPrior;
    private final Link link;
    private final boolean bayesian;
    private final boolean priorPerRow;
    private final int k;

    /**
     * @param samples   parameter sets (one for point models); never modified
     * @param noiseVar  per sample the noise variance (1/alpha_s; point models: residual variance)
     * @param foldPrior per sample {@code [mu_w, lambda_w, mu_v0, lambda_v0, ..., mu_v(k-1), lambda_v(k-1)]}: the
     *                  Gaussian prior of a folded-in feature's parameters (point models: mean 0, precision =
     *                  the regularization)
     * @param bayesian  whether predictive variance comes from the samples (fm-mcmc) or is the fixed noiseVar
     */
    public FmSamples(FmParams[] samples, double[] noiseVar, double[] foldPrior, Link link, boolean bayesian) {
        this(samples, noiseVar, foldPrior, link, bayesian, false);
    }

    /**
     * As above; {@code priorPerRow}: the fold-in prior precision applies once per row (SGD's per-example
     * penalty: a feature seen in n rows is penalised n times), else once.
     */
    public FmSamples(FmParams[] samples, double[] noiseVar, double[] foldPrior, Link link, boolean bayesian,
                     boolean priorPerRow) {
        this(Table.of(samples), samples.length, noiseVar, foldPrior, link, bayesian, priorPerRow);
    }

    /** The first {@code n} samples of {@code table}: its arrays when it is full, else a packed copy. */
    private FmSamples(Table table, int n, double[] noiseVar, double[] foldPrior, Link link, boolean bayesian,
                      boolean priorPerRow) {
        if (n < 1 || n > table.capacity) {
            throw new IllegalArgumentException(n + " samples of a table of " + table.capacity);
        }
        this.ns = n;
        this.k = table.k;
        this.p = table.p;
        int d = 1 + k;
        if (n == table.capacity) {
            this.w0s = table.w0s;
            this.packed = table.packed;
        } else {
            this.w0s = java.util.Arrays.copyOf(table.w0s, n);
            this.packed = new float[Math.multiplyExact(Math.multiplyExact(p, n), d)];
            for (int j = 0; j < p; j++) {
                System.arraycopy(table.packed, j * table.capacity * d, packed, j * n * d, n * d);
            }
        }
        this.scratch = ThreadLocal.withInitial(() -> new double[ns * (k + 2)]);
        if (noiseVar.length != ns || foldPrior.length != ns * (2 + 2 * k)) {
            throw new IllegalArgumentException("per-sample arrays do not match " + n + " samples");
        }
        this.noiseVar = noiseVar;
        this.foldPrior = foldPrior;
        this.link = link;
        this.bayesian = bayesian;
        this.priorPerRow = priorPerRow;
    }

    /**
     * The sample-interleaved table ({@link #packed}'s layout) of up to {@code capacity} samples,
     * filled one sample at a time: a sampler writes each sample it keeps into its slot as it keeps
     * it ({@link #put}), so it holds no copy per sample, and the model of a full table uses its
     * arrays as they are ({@link #samples}). fm-mcmc on ML-1M kept 100 copies (35 MB) and packed
     * them into a second table at the end of the fit, where the collector then copied them.
     */
    public static final class Table {
        private final int capacity;
        private final int p;
        private final int k;
        private final float[] packed;
        private final double[] w0s;

        public Table(int capacity, int p, int k) {
            if (capacity < 1 || p < 0 || k < 0) {
                throw new IllegalArgumentException("a table of " + capacity + " samples of " + p + " features x " + k);
            }
            this.capacity = capacity;
            this.p = p;
            this.k = k;
            this.packed = new float[Math.multiplyExact(Math.multiplyExact(p, capacity), 1 + k)];
            this.w0s = new double[capacity];
        }

        /** Every sample in its slot. */
        static Table of(FmParams[] samples) {
            if (samples.length == 0) {
                throw new IllegalArgumentException("no parameter samples");
            }
            Table t = new Table(samples.length, samples[0].numFeatures(), samples[0].k);
            for (int s = 0; s < samples.length; s++) {
                t.put(s, samples[s]);
            }
            return t;
        }

        /** Writes {@code ps} (not kept) into slot {@code s}. */
        public void put(int s, FmParams ps) {
            checkShape(ps);
            java.util.Objects.checkIndex(s, capacity);
            int d = 1 + k;
            w0s[s] = ps.w0;
            for (int j = 0; j < p; j++) {
                int o = (j * capacity + s) * d;
                packed[o] = ps.w[j];
                System.arraycopy(ps.v, j * k, packed, o + 1, k);
            }
        }

        /**
         * The predictor of slots {@code 0 .. n}: this table's arrays when {@code n} is the capacity
         * (so the table must not be written again), else a copy.
         */
        public FmSamples samples(int n, double[] noiseVar, double[] foldPrior, Link link, boolean bayesian) {
            return new FmSamples(this, n, noiseVar, foldPrior, link, bayesian, false);
        }

        public int capacity() {
            return capacity;
        }

        private void checkShape(FmParams ps) {
            if (ps.k != k || ps.numFeatures() != p) {
                throw new IllegalArgumentException("samples differ in shape");
            }
        }
    }

    public int numSamples() {
        return ns;
    }

    /** Sample {@code s} as a parameter set (a copy). */
    public FmParams sample(int s) {
        return unpack(s, new FmParams(0, new float[p], new float[p * k], k));
    }

    /** Sample {@code s} into {@code into} (of this shape), which it returns. */
    private FmParams unpack(int s, FmParams into) {
        int d = 1 + k;
        float[] w = into.w;
        float[] v = into.v;
        for (int j = 0; j < p; j++) {
            int o = (j * ns + s) * d;
            w[j] = packed[o];
            System.arraycopy(packed, o + 1, v, j * k, k);
        }
        into.w0 = w0s[s];
        return into;
    }

    public int k() {
        return k;
    }

    @Override
    public int numFeatures() {
        return p;
    }

    public Link link() {
        return link;
    }

    public boolean bayesian() {
        return bayesian;
    }

    @Override
    public Predictive predictive(int[] idx, float[] val, int n) {
        return predictive(idx, val, n, null);
    }

    /**
     * The predictive distribution of a row, optionally with one extra feature at value 1 whose
     * parameters per sample are {@code extra[s * (1 + k) ..]} (bias then factors), as {@link #foldIn}
     * returns them. Features outside the trained range are ignored.
     */
    public Predictive predictive(int[] idx, float[] val, int n, double[] extra) {
        double[] sc = scratch.get();
        evaluate(idx, val, n, sc);
        int d = 1 + k;
        double sumY = 0;
        double sumY2 = 0;
        double sumP = 0;
        double sumNoise = 0;
        for (int i = 0; i < ns; i++) {
            double y = sc[i];
            if (extra != null) {
                int o = i * d;
                int qo = ns + i * k;
                y += extra[o];
                for (int f = 0; f < k; f++) {
                    y += extra[o + 1 + f] * sc[qo + f];
                }
            }
            sumY += y;
            sumY2 += y * y;
            sumNoise += noiseVar[i];
            if (link == Link.PROBIT) {
                sumP += Normal.cdf(y);
            }
        }
        double meanY = sumY / ns;
        double varY = Math.max(0, sumY2 / ns - meanY * meanY);
        return switch (link) {
            case IDENTITY -> new Predictive(meanY, bayesian ? varY + sumNoise / ns : noiseVar[0]);
            case PROBIT -> new Predictive(sumP / ns, varY);
            case LOGIT -> new Predictive(sigmoid(meanY), noiseVar[0]);
        };
    }

    /**
     * y_s of the row for every sample into {@code out[0 .. ns)} and q_sf into {@code out[ns + s * k + f]}
     * ({@code out} length >= ns (k + 2)); features outside the trained range are ignored.
     */
    void evaluate(int[] idx, float[] val, int n, double[] out) {
        int d = 1 + k;
        int sqo = ns * (k + 1);
        java.util.Arrays.fill(out, 0, ns * (k + 2), 0);
        for (int t = 0; t < n; t++) {
            int j = idx[t];
            if (j < 0 || j >= p) {
                continue;
            }
            double x = val[t];
            int o = j * ns * d;
            for (int s = 0; s < ns; s++, o += d) {
                out[s] += packed[o] * x;
                int qo = ns + s * k;
                double sq = 0;
                for (int f = 0; f < k; f++) {
                    double tv = packed[o + 1 + f] * x;
                    out[qo + f] += tv;
                    sq += tv * tv;
                }
                out[sqo + s] += sq;
            }
        }
        for (int s = 0; s < ns; s++) {
            int qo = ns + s * k;
            double pair = 0;
            for (int f = 0; f < k; f++) {
                pair += out[qo + f] * out[qo + f];
            }
            out[s] += w0s[s] + 0.5 * (pair - out[sqo + s]);
        }
    }

    static double sigmoid(double y) {
        return y >= 0 ? 1 / (1 + Math.exp(-y)) : Math.exp(y) / (1 + Math.exp(y));
    }

    /**
     * Fits one new feature (value 1 in every given row, absent from training) with all other
     * parameters fixed, per sample. Rows {@code r} are {@code idx[r][0..n[r])}; targets are ratings
     * (regression) or 0/1 (classification). Returns per sample {@code 1 + k} parameters.
     * fm-mcmc draws them from their conditional posterior given the sample (probit: with 20 rounds of
     * latent-target augmentation); point models take the posterior mode (ridge; logistic: 20
     * Newton steps). Deterministic for given input and {@code seed}.
     */
    public double[] foldIn(int[][] idx, float[][] val, int[] n, float[] targets, long seed) {
        int d = 1 + k;
        int rows = targets.length;
        double[] out = new double[ns * d];
        double[][] evals = new double[rows][];
        for (int r = 0; r < rows; r++) {
            evals[r] = new double[ns * (k + 2)];
            evaluate(idx[r], val[r], n[r], evals[r]);
        }
        double[] base = new double[rows];
        double[][] z = new double[rows][d];
        double[] a = new double[d * d];
        double[] b = new double[d];
        double[] theta = new double[d];
        double[] lat = new double[rows];
        Rng rng = Rng.stream(seed, 0x5f01d1L);
        for (int s = 0; s < ns; s++) {
            for (int r = 0; r < rows; r++) {
                base[r] = evals[r][s];
                z[r][0] = 1;
                for (int f = 0; f < k; f++) {
                    z[r][1 + f] = evals[r][ns + s * k + f];
                }
            }
            int po = s * (2 + 2 * k);
            double scale = priorPerRow ? Math.max(1, rows) : 1;
            for (int c = 0; c < d; c++) {
                theta[c] = foldPrior[po + 2 * c];
            }
            double alpha = link == Link.IDENTITY ? (bayesian ? 1 / noiseVar[s] : 1) : 1;
            int rounds = link == Link.IDENTITY ? 1 : 20;
            for (int round = 0; round < rounds; round++) {
                java.util.Arrays.fill(a, 0);
                for (int c = 0; c < d; c++) {
                    a[c * d + c] = scale * foldPrior[po + 2 * c + 1];
                    b[c] = scale * foldPrior[po + 2 * c + 1] * foldPrior[po + 2 * c];
                }
                if (link == Link.LOGIT) { // Newton step on the penalized log-likelihood
                    for (int c = 0; c < d; c++) {
                        b[c] = -scale * foldPrior[po + 2 * c + 1] * (theta[c] - foldPrior[po + 2 * c]);
                    }
                    for (int r = 0; r < rows; r++) {
                        double y = base[r] + dot(z[r], theta, d);
                        double pr = sigmoid(y);
                        double w = Math.max(pr * (1 - pr), 1e-12);
                        accumulate(a, b, z[r], d, w, targets[r] - pr);
                    }
                    if (Cholesky.factor(a, d)) {
                        Cholesky.solveFactored(a, d, b);
                        for (int c = 0; c < d; c++) {
                            theta[c] += b[c];
                        }
                    }
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    double t;
                    if (link == Link.PROBIT) {
                        double mean = base[r] + dot(z[r], theta, d);
                        lat[r] = targets[r] > 0.5 ? TruncatedNormal.above(rng, mean, 1, 0)
                                : TruncatedNormal.below(rng, mean, 1, 0);
                        t = lat[r];
                    } else {
                        t = targets[r];
                    }
                    accumulate(a, b, z[r], d, alpha, alpha * (t - base[r]));
                }
                if (!Cholesky.factor(a, d)) {
                    break;
                }
                Cholesky.solveFactored(a, d, b);
                if (bayesian) { // theta = mean + L^-T eps
                    double[] eps = new double[d];
                    for (int c = 0; c < d; c++) {
                        eps[c] = rng.nextGaussian();
                    }
                    for (int i = d - 1; i >= 0; i--) {
                        double sum = eps[i];
                        for (int j = i + 1; j < d; j++) {
                            sum -= a[j * d + i] * eps[j];
                        }
                        eps[i] = sum / a[i * d + i];
                    }
                    for (int c = 0; c < d; c++) {
                        theta[c] = b[c] + eps[c];
                    }
                } else {
                    System.arraycopy(b, 0, theta, 0, d);
                }
            }
            System.arraycopy(theta, 0, out, s * d, d);
        }
        return out;
    }

    private static double dot(double[] x, double[] y, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += x[c] * y[c];
        }
        return s;
    }

    /** a += w z z^T (lower triangle), b += g z. */
    private static void accumulate(double[] a, double[] b, double[] z, int d, double w, double g) {
        for (int i = 0; i < d; i++) {
            double wi = w * z[i];
            for (int j = 0; j <= i; j++) {
                a[i * d + j] += wi * z[j];
            }
            b[i] += g * z[i];
        }
    }

    public void write(DataOutput out) throws IOException {
        out.writeUTF(link.name());
        out.writeBoolean(bayesian);
        out.writeBoolean(priorPerRow);
        out.writeInt(ns);
        if (ModelIo.checksOnly(out)) {
            // a fit's final check: every parameter is in w0s and the packed table, scanned once
            // (the file's per-sample order gathers each sample from the whole table: 50-150 ms of an
            // ML-1M fit, mostly before the JIT has compiled the gather)
            ModelIo.writeDoubles(out, w0s);
            ModelIo.writeFloats(out, packed);
        } else {
            // one buffer for every sample (a copy per sample was 35 MB for ML-1M's 100 samples)
            FmParams buf = new FmParams(0, new float[p], new float[p * k], k);
            for (int s = 0; s < ns; s++) {
                unpack(s, buf).write(out);
            }
        }
        ModelIo.writeDoubles(out, noiseVar);
        ModelIo.writeDoubles(out, foldPrior);
    }

    public static FmSamples read(DataInput in) throws IOException {
        Link link;
        try {
            link = Link.valueOf(in.readUTF());
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt FM model: unknown link");
        }
        boolean bayesian = in.readBoolean();
        boolean perRow = in.readBoolean();
        int s = in.readInt();
        if (s < 1 || s > 1_000_000) {
            throw new IOException("corrupt FM model: " + s + " samples");
        }
        FmParams[] samples = new FmParams[s];
        for (int i = 0; i < s; i++) {
            samples[i] = FmParams.read(in);
        }
        double[] noise = ModelIo.readDoubles(in);
        double[] prior = ModelIo.readDoubles(in);
        try {
            return new FmSamples(samples, noise, prior, link, bayesian, perRow);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt FM model: " + e.getMessage());
        }
    }
}
