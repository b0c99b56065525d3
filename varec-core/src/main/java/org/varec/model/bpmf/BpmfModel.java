package org.varec.model.bpmf;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.FactorModel;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.stats.Rng;

/**
 * A BPMF model: the S kept Gibbs samples of every user and item row {@code [u; b_u]},
 * {@code [v; b_i]} (floats), with each sample's noise precision alpha and hyperparameters. The
 * predictive distribution of {@code r_ui} is the equal-weight mixture over samples of
 * {@code N(mu + b_u^s + b_i^s + u^s.v^s, 1/(alpha^s c_u^s c_i^s))} (c: per-row noise multipliers,
 * all 1 without them): its mean is the average prediction and its variance
 * {@code mean_s(1/(alpha^s c_u^s c_i^s)) + var_s(prediction^s)} (both exact for the mixture).
 *
 * <p>Storage is user-major ({@code userRows[(u*S + s)*(K+1) + f]}), so one prediction reads two
 * contiguous blocks of {@code S (K+1)} floats; the model file holds
 * {@code S (users + items)(K+2)} floats (rows and per-row noise multipliers) plus
 * {@code S (2 (K+1)^2 + 2 (K+1) + 1)} doubles of hyperparameters and alphas. Factor arrays
 * exposed through {@link FactorModel} are posterior means.
 *
 * <p>Unknown users (index -1 or out of range) are drawn once per sample from the row prior
 * {@code N(mu_U^s, (Lambda_U^s)^-1)} with a fixed seed, likewise unknown items, so their predictive
 * distribution is the prior predictive. A folded-in user is one draw per sample from its Gaussian
 * conditional given that sample's items and hyperparameters (seeded by its ratings, so deterministic).
 */
public final class BpmfModel implements ProbabilisticModel, FactorModel {
    private static final long PRIOR_SEED = 0x5eed_b9f5L;
    /** Gibbs rounds of (row, c_u) per sample when folding in with per-row noise. */
    private static final int FOLD_IN_ROUNDS = 4;
    private final int k;
    private final int d;
    private final int s;
    private final int nu;
    private final int ni;
    private final double mu;
    private final float[] userRows;
    private final float[] itemRows;
    private final double[] alpha;
    /** Shape a of the per-row noise multipliers (0: none). */
    private final double noiseShape;
    /** Per sample noise multipliers c_u (user-major, {@code userNoise[u*S + s]}); all 1 without per-row noise. */
    private final float[] userNoise;
    private final float[] itemNoise;
    /** Per sample: mu_U (d), Lambda_U (d*d), mu_V (d), Lambda_V (d*d). */
    private final double[] hyper;
    private final float[] userMean;
    private final float[] itemMean;
    private final float[] userBiasMean;
    private final float[] itemBiasMean;
    private final float[] priorUser;
    private final float[] priorItem;
    private final float[] priorUserNoise;
    private final float[] priorItemNoise;

    BpmfModel(int k, int s, int nu, int ni, double mu, float[] userRows, float[] itemRows, double[] alpha,
              double noiseShape, float[] userNoise, float[] itemNoise, double[] hyper) {
        this.k = k;
        this.d = k + 1;
        this.s = s;
        this.nu = nu;
        this.ni = ni;
        this.mu = mu;
        this.userRows = userRows;
        this.itemRows = itemRows;
        this.alpha = alpha;
        this.noiseShape = noiseShape;
        this.userNoise = userNoise;
        this.itemNoise = itemNoise;
        this.hyper = hyper;
        this.userMean = new float[nu * k];
        this.userBiasMean = new float[nu];
        means(userRows, nu, userMean, userBiasMean);
        this.itemMean = new float[ni * k];
        this.itemBiasMean = new float[ni];
        means(itemRows, ni, itemMean, itemBiasMean);
        Rng pr = new Rng(PRIOR_SEED);
        this.priorUser = priorRows(0, pr);
        this.priorItem = priorRows(d + d * d, pr);
        this.priorUserNoise = priorNoise(pr);
        this.priorItemNoise = priorNoise(pr);
    }

    /** One noise multiplier per sample from its prior Gamma(a, a) (all 1 without per-row noise). */
    private float[] priorNoise(Rng rng) {
        float[] c = new float[s];
        for (int q = 0; q < s; q++) {
            c[q] = noiseShape > 0 ? (float) org.varec.stats.Gamma.sample(rng, noiseShape, noiseShape) : 1f;
        }
        return c;
    }

    private void means(float[] rows, int n, float[] factors, float[] bias) {
        double[] acc = new double[d];
        for (int r = 0; r < n; r++) {
            java.util.Arrays.fill(acc, 0);
            int base = r * s * d;
            for (int q = 0; q < s; q++) {
                for (int x = 0; x < d; x++) {
                    acc[x] += rows[base + q * d + x];
                }
            }
            for (int x = 0; x < k; x++) {
                factors[r * k + x] = (float) (acc[x] / s);
            }
            bias[r] = (float) (acc[k] / s);
        }
    }

    private int hyperLength() {
        return 2 * (d + d * d);
    }

    /** One draw per sample from the row prior of a side (hyperOff 0: users, d + d*d: items). */
    private float[] priorRows(int hyperOff, Rng rng) {
        float[] out = new float[s * d];
        RowSampler rs = new RowSampler(k);
        double[] lam = new double[d * d];
        double[] lin = new double[d];
        double[] draw = new double[d];
        for (int q = 0; q < s; q++) {
            hyperOf(q, hyperOff, lam, lin);
            rs.sampleDense(draw, null, new float[0], 0, mu, alpha[q], lam, lin, rng, draw, 0);
            for (int x = 0; x < d; x++) {
                out[q * d + x] = (float) draw[x];
            }
        }
        return out;
    }

    /** Lambda and Lambda mu of sample q's side at hyperOff. */
    private void hyperOf(int q, int hyperOff, double[] lam, double[] lin) {
        int o = q * hyperLength() + hyperOff;
        System.arraycopy(hyper, o + d, lam, 0, d * d);
        for (int x = 0; x < d; x++) {
            double acc = 0;
            for (int y = 0; y < d; y++) {
                acc += lam[x * d + y] * hyper[o + y];
            }
            lin[x] = acc;
        }
    }

    /** Reads what {@link #writeParameters} wrote. */
    public static BpmfModel read(DataInput in, BpmfConfig config) throws IOException {
        int k = in.readInt();
        if (k != config.rank()) {
            throw new IOException("model rank " + k + " differs from its config's rank " + config.rank());
        }
        int s = in.readInt();
        int nu = in.readInt();
        int ni = in.readInt();
        if (s < 1 || nu < 0 || ni < 0) {
            throw new IOException("corrupt BPMF header: samples " + s + ", users " + nu + ", items " + ni);
        }
        double mu = in.readDouble();
        double[] alpha = ModelIo.readDoubles(in);
        double shape = in.readDouble();
        double[] hyper = ModelIo.readDoubles(in);
        float[] ur = ModelIo.readFloats(in);
        float[] vr = ModelIo.readFloats(in);
        float[] cu = ModelIo.readFloats(in);
        float[] ci = ModelIo.readFloats(in);
        int d = k + 1;
        if (alpha.length != s || hyper.length != (long) s * 2 * (d + d * d) || ur.length != (long) nu * s * d
                || vr.length != (long) ni * s * d || cu.length != (long) nu * s || ci.length != (long) ni * s
                || !(shape == 0 || shape > 1)) {
            throw new IOException("BPMF arrays do not match " + s + " samples of " + nu + " users and " + ni
                    + " items at rank " + k);
        }
        for (double a : alpha) {
            if (!(a > 0 && a < Double.POSITIVE_INFINITY)) {
                throw new IOException("corrupt noise precision " + a);
            }
        }
        return new BpmfModel(k, s, nu, ni, mu, ur, vr, alpha, shape, cu, ci, hyper);
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(k);
        out.writeInt(s);
        out.writeInt(nu);
        out.writeInt(ni);
        out.writeDouble(mu);
        ModelIo.writeDoubles(out, alpha);
        out.writeDouble(noiseShape);
        ModelIo.writeDoubles(out, hyper);
        ModelIo.writeFloats(out, userRows);
        ModelIo.writeFloats(out, itemRows);
        ModelIo.writeFloats(out, userNoise);
        ModelIo.writeFloats(out, itemNoise);
    }

    /** Number of kept samples S the model averages over. */
    public int numSamples() {
        return s;
    }

    /** Noise precision alpha of each kept sample (a copy). */
    public double[] alphas() {
        return alpha.clone();
    }

    @Override
    public String algorithm() {
        return "bpmf";
    }

    @Override
    public int numUsers() {
        return nu;
    }

    @Override
    public int numItems() {
        return ni;
    }

    @Override
    public int rank() {
        return k;
    }

    @Override
    public float[] itemFactors() {
        return itemMean;
    }

    @Override
    public float[] userFactors() {
        return userMean;
    }

    @Override
    public float[] itemBiases() {
        return itemBiasMean;
    }

    /** Posterior-mean user biases; callers must not modify. */
    public float[] userBiases() {
        return userBiasMean;
    }

    @Override
    public double globalMean() {
        return mu;
    }

    /**
     * A user as S sample rows ({@code rows[off + q*(K+1) ..]}, sample q): a trained user refers
     * to the model's storage, a folded-in one to its own draws.
     */
    public record State(int user, float[] rows, int offset, float[] noise, int noiseOffset) implements UserState {
    }

    private boolean knownUser(int u) {
        return u >= 0 && u < nu;
    }

    private boolean knownItem(int i) {
        return i >= 0 && i < ni;
    }

    @Override
    public UserState user(int user) {
        return knownUser(user) ? new State(user, userRows, user * s * d, userNoise, user * s)
                : new State(-1, priorUser, 0, priorUserNoise, 0);
    }

    @Override
    public double predict(int user, int item) {
        return mean(knownUser(user) ? userRows : priorUser, knownUser(user) ? user * s * d : 0, item);
    }

    @Override
    public double predict(UserState user, int item) {
        State st = (State) user;
        return mean(st.rows(), st.offset(), item);
    }

    @Override
    public Predictive predictive(int user, int item) {
        return predictive(user(user), item);
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State st = (State) user;
        float[] ir = knownItem(item) ? itemRows : priorItem;
        int b = knownItem(item) ? item * s * d : 0;
        float[] inoise = knownItem(item) ? itemNoise : priorItemNoise;
        int c = knownItem(item) ? item * s : 0;
        float[] ur = st.rows();
        float[] unoise = st.noise();
        int a = st.offset();
        int cu = st.noiseOffset();
        double sum = 0;
        double sq = 0;
        double noise = 0;
        for (int q = 0; q < s; q++, a += d, b += d) {
            double p = (double) ur[a + k] + ir[b + k];
            for (int x = 0; x < k; x++) {
                p += ur[a + x] * ir[b + x];
            }
            sum += p;
            sq += p * p;
            noise += 1 / (alpha[q] * unoise[cu + q] * inoise[c + q]);
        }
        double m = sum / s;
        double var = Math.max(0, sq / s - m * m);
        return new Predictive(mu + m, noise / s + var);
    }

    private double mean(float[] ur, int a, int item) {
        float[] ir = knownItem(item) ? itemRows : priorItem;
        int b = knownItem(item) ? item * s * d : 0;
        double sum = 0;
        for (int q = 0; q < s; q++, a += d, b += d) {
            double p = (double) ur[a + k] + ir[b + k];
            for (int x = 0; x < k; x++) {
                p += ur[a + x] * ir[b + x];
            }
            sum += p;
        }
        return mu + sum / s;
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        State st = (State) user;
        float[] ur = st.rows();
        int off = st.offset();
        int sd = s * d;
        for (int i = 0; i < out.length; i++) {
            int b = i * sd;
            double sum = 0;
            for (int q = 0; q < sd; q += d) {
                int a = off + q;
                float p = ur[a + k] + itemRows[b + q + k];
                for (int x = 0; x < k; x++) {
                    p += ur[a + x] * itemRows[b + q + x];
                }
                sum += p;
            }
            out[i] = mu + sum / s;
        }
    }

    @Override
    public float[] userVector(UserState user) {
        State st = (State) user;
        float[] v = new float[k];
        double[] acc = new double[k];
        for (int q = 0; q < s; q++) {
            int a = st.offset() + q * d;
            for (int x = 0; x < k; x++) {
                acc[x] += st.rows()[a + x];
            }
        }
        for (int x = 0; x < k; x++) {
            v[x] = (float) (acc[x] / s);
        }
        return v;
    }

    /**
     * A new user from (item, rating) pairs: for each kept sample, one draw of its row
     * {@code [u; b_u]} from the Gaussian conditional given that sample's item rows, user
     * hyperparameters and alpha (the user half-sweep of training, {@link RowSampler}). The draws are
     * seeded from the ratings, so the same ratings give the same state. Items outside the trained
     * range are ignored; with none left the draws come from the prior.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int n = 0;
        int[] idx = new int[items.length];
        float[] val = new float[items.length];
        long h = 0x243f6a8885a308d3L;
        for (int p = 0; p < items.length; p++) {
            if (knownItem(items[p])) {
                idx[n] = items[p];
                val[n] = ratings[p];
                n++;
                h = Rng.mix64(h ^ items[p]) + Float.floatToIntBits(ratings[p]);
            }
        }
        Rng rng = new Rng(Rng.mix64(h + n));
        float[] out = new float[s * d];
        float[] noise = new float[s];
        double[] other = new double[n * d];
        double[] weight = new double[n];
        double[] lam = new double[d * d];
        double[] lin = new double[d];
        double[] draw = new double[d];
        RowSampler rs = new RowSampler(k);
        for (int q = 0; q < s; q++) {
            for (int p = 0; p < n; p++) {
                int src = (idx[p] * s + q) * d;
                for (int x = 0; x < d; x++) {
                    other[p * d + x] = itemRows[src + x];
                }
                weight[p] = itemNoise[idx[p] * s + q];
            }
            hyperOf(q, 0, lam, lin);
            // with per-row noise, a few Gibbs rounds of (row | c_u) and (c_u | row) from c_u = 1
            double c = 1;
            int rounds = noiseShape > 0 ? FOLD_IN_ROUNDS : 1;
            for (int round = 0; round < rounds; round++) {
                rs.sampleDense(other, weight, val, n, mu, alpha[q] * c, lam, lin, rng, draw, 0);
                if (noiseShape > 0) {
                    double acc = 0;
                    for (int p = 0; p < n; p++) {
                        double e = val[p] - mu - draw[k] - other[p * d + k];
                        for (int x = 0; x < k; x++) {
                            e -= draw[x] * other[p * d + x];
                        }
                        acc += weight[p] * e * e;
                    }
                    c = org.varec.stats.Gamma.sample(rng, noiseShape + 0.5 * n, noiseShape + 0.5 * alpha[q] * acc);
                }
            }
            noise[q] = (float) c;
            for (int x = 0; x < d; x++) {
                out[q * d + x] = (float) draw[x];
            }
        }
        return new State(-1, out, 0, noise, 0);
    }
}
