package org.varec.model.nnmf;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.varec.io.ModelIo;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.nn.GaussianArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * A trained {@code bnnmf} model: the mean-field posteriors q of the embedding tables U, V, U', V'
 * and of every weight and bias of the network, their learned prior variances and the learned noise
 * variance sigma^2 (docs/nnmf.md, section bnnmf).
 *
 * <p><b>Predictive distribution</b> by Monte Carlo over q with S = {@code predict_samples} draws:
 * <pre>
 *   f_s = f_{theta_s}([U_ns, V_ms, U'_ns o V'_ms, s_m])          s = 0 .. S-1
 *   mean = (1/S) sum_s f_s,   variance = (1/S) sum_s (f_s - mean)^2 + sigma^2
 * </pre>
 * (the mean and variance of the mixture of the S Gaussians N(f_s, sigma^2)). The linear model
 * (VI(0), {@code hidden=} without a skip head) with the Gaussian likelihood needs no draws: its
 * f = sum_i w_i x_i + b is a sum of independent terms (every w_i, every embedding entry and b has
 * its own factor of q, and each input x_i is an entry or a product of two entries), so
 * <pre>
 *   E f   = sum_i E[w_i] E[x_i] + E[b]
 *   Var f = sum_i (E[w_i^2] E[x_i^2] - E[w_i]^2 E[x_i]^2) + Var b,     E[(a c)^2] = E[a^2] E[c^2]
 * </pre>
 * and the predictive mean and variance (+ sigma^2) are exact, which removes the Monte Carlo error
 * of (P) from every prediction (docs/nnmf.md, Prediction). With
 * {@code task=classification} (Bernoulli likelihood on the logit f) the prediction is the
 * probability of class 1 (a link), and the predictive distribution of the 0/1 target is the
 * Bernoulli of it:
 * <pre>
 *   p = (1/S) sum_s sigmoid(f_s)  (~ E_q[sigmoid(f)]),   mean = p,   variance = p (1 - p)
 * </pre>
 * (by the law of total variance, {@code E_q[sigmoid(1 - sigmoid)] + Var_q[sigmoid] = p (1 - p)}:
 * the spread over q is already in it; there is no noise variance, {@link #noiseVariance} is NaN).
 * With {@code shared_embeddings} V is U and V' is U' (one table per role, same rows), so a
 * vertex has the same draw s as user and as item. The draws are fixed
 * per model: the network samples theta_s are drawn once, when the model is built, from a
 * prediction seed stored with the model ({@link GaussianArray#drawInto}); the embedding row of
 * user n (item m) in draw s is row n of draw s of its table from the same seed
 * ({@link GaussianArray#drawRowInto}), which depends on nothing but (seed, table, row, s). So a
 * prediction is S small forward passes with no sampling of weights, the same (user, item) always
 * gets the same answer, and a model read from its file predicts identically. The item rows of all
 * S draws are computed once, on first use ({@code items x S x (K + D K')} floats).
 *
 * <p>Unknown users and items (outside the trained range) and trained ones without training
 * ratings are their prior, N(0, s^2) per entry with the table's learned s^2; an unknown item has no
 * genres. A folded-in user ({@link #foldIn}) is a q of its own rows fitted by deterministic SVI
 * steps with everything else fixed at the model's S draws.
 *
 * <p>Layout: tables row-major ({@code U[n * K + k]}, {@code U'[n * D K' + j]}), weights
 * {@code in x out}; float parameters, means and variances accumulated in double. Immutable after
 * construction (the item cache is filled once, under a lock) and thread-safe for reading.
 */
public final class BnnmfModel implements ProbabilisticModel {
    /** Stream id of the prediction seed under the training seed. */
    static final long PREDICT_STREAM = 0x7072656469637421L;
    /** Stream id of the fold-in noise under the prediction seed. */
    private static final long FOLD_IN_STREAM = 0x666f6c642d696e21L;
    private static final Parallel SERIAL = new Parallel(1);
    private static final int SCORE_BLOCK = 256;

    private final BnnmfConfig config;
    private final int k;
    private final int p;
    private final int g;
    private final int width;
    private final int[] sizes;
    private final int samples;
    private final long seed;
    private final double noiseVariance;
    private final boolean classification;
    private final GaussianArray u;
    private final GaussianArray v;
    private final GaussianArray up;
    private final GaussianArray vp;
    private final GaussianArray[] weights;
    private final GaussianArray[] biases;
    private final float[] side;
    private final float[] noSide;
    private final NnmfInputs inputs;
    /** Network samples: {@code ws[s][l]}, {@code bs[s][l]}. */
    private final float[][][] ws;
    private final float[][][] bs;
    /** 1-row arrays at the prior, for unknown users and items. */
    private final GaussianArray priorU;
    private final GaussianArray priorUp;
    private final GaussianArray priorV;
    private final GaussianArray priorVp;
    /** Whether a user / item had training ratings (else it is served by its prior). */
    private final boolean[] userSeen;
    private final boolean[] itemSeen;
    /** Item rows of every draw, {@code [(s * items + m) * (K + DK') ..]}: V_m then V'_m; filled on first use. */
    private volatile float[] itemDraws;
    /**
     * The linear model's weight moments for the exact predictive (null for a network or
     * classification): {@code E[w_i]}, {@code E[w_i^2]}, then {@code E[b]}, {@code Var b}.
     */
    private final double[] weightMean;
    private final double[] weightSquare;
    private final double biasMean;
    private final double biasVariance;

    BnnmfModel(BnnmfConfig config, long seed, double noiseVariance, GaussianArray u, GaussianArray v,
               GaussianArray up, GaussianArray vp, GaussianArray[] weights, GaussianArray[] biases, float[] side,
               int sideWidth, boolean[] userSeen, boolean[] itemSeen) {
        this.config = config;
        this.k = u.cols();
        this.p = up.cols();
        this.g = sideWidth;
        this.inputs = new NnmfInputs(k, p, g);
        this.width = inputs.width();
        this.sizes = BnnmfNetwork.sizes(width, config.hiddenSizes());
        this.samples = config.predictSamples();
        this.seed = seed;
        this.noiseVariance = noiseVariance;
        this.classification = config.classification();
        this.u = u;
        this.v = v;
        this.up = up;
        this.vp = vp;
        this.weights = weights;
        this.biases = biases;
        this.side = side;
        this.noSide = new float[Math.max(1, g)];
        this.userSeen = userSeen;
        this.itemSeen = itemSeen;
        if (config.sharedEmbeddings() && (u != v || up != vp)) {
            throw new IllegalArgumentException("shared embeddings need V = U and V' = U'");
        }
        this.priorU = atPrior("U.prior", u);
        this.priorUp = atPrior("U'.prior", up);
        this.priorV = atPrior("V.prior", v);
        this.priorVp = atPrior("V'.prior", vp);
        int layers = weights.length; // the dense layers of sizes, then the skip head if any
        if (!classification && layers == 1) {
            GaussianArray w = weights[0];
            this.weightMean = new double[width];
            this.weightSquare = new double[width];
            for (int i = 0; i < width; i++) {
                double m = w.mean().value()[i];
                double sd = w.sigma(i);
                weightMean[i] = m;
                weightSquare[i] = m * m + sd * sd;
            }
            this.biasMean = biases[0].mean().value()[0];
            double sb = biases[0].sigma(0);
            this.biasVariance = sb * sb;
        } else {
            this.weightMean = null;
            this.weightSquare = null;
            this.biasMean = Double.NaN;
            this.biasVariance = Double.NaN;
        }
        this.ws = new float[samples][layers][];
        this.bs = new float[samples][layers][];
        for (int s = 0; s < samples; s++) {
            for (int l = 0; l < layers; l++) {
                ws[s][l] = new float[weights[l].size()];
                bs[s][l] = new float[biases[l].size()];
                weights[l].drawInto(seed, 0, s, ws[s][l], SERIAL);
                biases[l].drawInto(seed, 0, s, bs[s][l], SERIAL);
            }
        }
    }

    /** A 1-row q equal to the prior of {@code table} (means 0, sigma = s per column), with the same prior. */
    private static GaussianArray atPrior(String name, GaussianArray table) {
        GaussianArray a = GaussianArray.dense(name, 1, table.cols());
        a.setPriorVariance(table.priorVariance());
        if (table.priorGroupWidth() != table.cols()) {
            int w = table.priorGroupWidth();
            a.usePriorGroups(w);
            for (int g = 0; g < table.cols() / w; g++) {
                a.setGroupPriorVariance(g, table.priorVariance(g * w));
            }
        }
        setToPrior(a, 0, table);
        return a;
    }

    /** Sets row {@code r} of {@code a} to the prior of {@code table}: mean 0, rho = softplus^-1(s_c) per column c. */
    static void setToPrior(GaussianArray a, int r, GaussianArray table) {
        int c = a.cols();
        float[] m = a.mean().value();
        float[] rho = a.rho().value();
        for (int j = 0; j < c; j++) {
            m[r * c + j] = 0f;
            rho[r * c + j] = (float) GaussianArray.inverseSoftplus(Math.sqrt(table.priorVariance(j)));
        }
    }

    // ------------------------------------------------------------------ file format

    /**
     * Writes K, D K', G, the network sizes, S, the prediction seed, sigma^2 (NaN for
     * classification), the seen flags, then per array (U, V, U', V', or U, U' with shared
     * embeddings; then per layer W and b) its prior variance, means and rhos, then the side matrix.
     */
    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(k);
        out.writeInt(p);
        out.writeInt(g);
        ModelIo.writeInts(out, sizes);
        out.writeInt(samples);
        out.writeLong(seed);
        ModelIo.writeOptionalDouble(out, noiseVariance); // NaN: no noise (Bernoulli likelihood)
        writeFlags(out, userSeen);
        writeFlags(out, itemSeen);
        for (GaussianArray a : tables(u, v, up, vp, config)) {
            writeArray(out, a);
        }
        for (int l = 0; l < weights.length; l++) {
            writeArray(out, weights[l]);
            writeArray(out, biases[l]);
        }
        ModelIo.writeFloats(out, side == null ? new float[0] : side);
    }

    /** The distinct embedding tables in file order: U, V, U', V', or U, U' when V is U and V' is U'. */
    private static GaussianArray[] tables(GaussianArray u, GaussianArray v, GaussianArray up, GaussianArray vp,
                                          BnnmfConfig config) {
        return config.sharedEmbeddings() ? new GaussianArray[] {u, up} : new GaussianArray[] {u, v, up, vp};
    }

    private static void writeArray(DataOutput out, GaussianArray a) throws IOException {
        out.writeDouble(a.priorVariance());
        int w = a.priorGroupWidth();
        out.writeInt(w == a.cols() ? 0 : w);
        if (w != a.cols()) {
            double[] g = new double[a.cols() / w];
            for (int k = 0; k < g.length; k++) {
                g[k] = a.priorVariance(k * w);
            }
            ModelIo.writeDoubles(out, g);
        }
        ModelIo.writeFloats(out, a.mean().value());
        ModelIo.writeFloats(out, a.rho().value());
    }

    private static void writeFlags(DataOutput out, boolean[] f) throws IOException {
        int[] x = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            x[i] = f[i] ? 1 : 0;
        }
        ModelIo.writeInts(out, x);
    }

    private static boolean[] readFlags(DataInput in) throws IOException {
        int[] x = ModelIo.readInts(in);
        boolean[] f = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = x[i] != 0;
        }
        return f;
    }

    private static void readArray(DataInput in, GaussianArray a) throws IOException {
        double s2 = in.readDouble();
        int w = in.readInt();
        double[] groups = null;
        if (w != 0) {
            if (w < 0 || a.cols() % w != 0) {
                throw new IOException("array " + a.name() + " has prior groups of " + w + " of " + a.cols() + " columns");
            }
            groups = ModelIo.readDoubles(in);
            if (groups.length != a.cols() / w) {
                throw new IOException("array " + a.name() + " has " + groups.length + " prior groups, expected "
                        + a.cols() / w);
            }
        }
        float[] mean = ModelIo.readFloats(in);
        float[] rho = ModelIo.readFloats(in);
        if (mean.length != a.size() || rho.length != a.size()) {
            throw new IOException("array " + a.name() + " has " + mean.length + " means and " + rho.length
                    + " rhos, expected " + a.size());
        }
        if (!(s2 > 0) || Double.isInfinite(s2)) {
            throw new IOException("array " + a.name() + " has prior variance " + s2);
        }
        System.arraycopy(mean, 0, a.mean().value(), 0, mean.length);
        System.arraycopy(rho, 0, a.rho().value(), 0, rho.length);
        a.setPriorVariance(s2);
        if (groups != null) {
            a.usePriorGroups(w);
            for (int g = 0; g < groups.length; g++) {
                if (!(groups[g] > 0) || Double.isInfinite(groups[g])) {
                    throw new IOException("array " + a.name() + " has prior variance " + groups[g]);
                }
                a.setGroupPriorVariance(g, groups[g]);
            }
        }
    }

    /** Reads what {@link #writeParameters} wrote; the shapes must match {@code config}. */
    public static BnnmfModel read(DataInput in, BnnmfConfig config) throws IOException {
        int k = in.readInt();
        int p = in.readInt();
        int g = in.readInt();
        int[] sizes = ModelIo.readInts(in);
        int samples = in.readInt();
        long seed = in.readLong();
        double noise = ModelIo.readOptionalDouble(in);
        if (k != config.rank() || p != config.productWidth() || (g > 0) != (config.side() == BnnmfConfig.Side.ITEM)
                || g < 0 || samples != config.predictSamples()
                || !Arrays.equals(sizes, BnnmfNetwork.sizes(2 * k + p + g, config.hiddenSizes()))) {
            throw new IOException("model (K=" + k + ", D K'=" + p + ", side width " + g + ", network "
                    + Arrays.toString(sizes) + ", " + samples + " samples) differs from its config " + config);
        }
        if (config.classification() ? !Double.isNaN(noise) : !(noise > 0) || Double.isInfinite(noise)) {
            throw new IOException(config.classification() ? "a classification model has no noise variance, got " + noise
                    : "noise variance must be positive, got " + noise);
        }
        boolean[] userSeen = readFlags(in);
        boolean[] itemSeen = readFlags(in);
        int nu = userSeen.length;
        int ni = itemSeen.length;
        boolean shared = config.sharedEmbeddings();
        if (shared && (nu != ni || !Arrays.equals(userSeen, itemSeen))) {
            throw new IOException("a model with shared embeddings has " + nu + " users and " + ni + " items, or "
                    + "differing seen flags");
        }
        GaussianArray u = GaussianArray.sparse("U", nu, k);
        GaussianArray up = GaussianArray.sparse("U'", nu, p);
        GaussianArray v = shared ? u : GaussianArray.sparse("V", ni, k);
        GaussianArray vp = shared ? up : GaussianArray.sparse("V'", ni, p);
        if (shared) {
            itemSeen = userSeen;
        }
        for (GaussianArray a : tables(u, v, up, vp, config)) {
            readArray(in, a);
        }
        BnnmfNetwork net = new BnnmfNetwork(sizes, config.skip());
        GaussianArray[] w = new GaussianArray[net.numLayers()];
        GaussianArray[] b = new GaussianArray[net.numLayers()];
        for (int l = 0; l < w.length; l++) {
            w[l] = net.layer(l).weight();
            b[l] = net.layer(l).bias();
            readArray(in, w[l]);
            readArray(in, b[l]);
        }
        float[] side = ModelIo.readFloats(in);
        if (side.length != (long) ni * g) {
            throw new IOException("side matrix has " + side.length + " entries for " + ni + " items x " + g);
        }
        return new BnnmfModel(config, seed, noise, u, v, up, vp, w, b, g == 0 ? null : side, g, userSeen, itemSeen);
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public String algorithm() {
        return "bnnmf";
    }

    @Override
    public int numUsers() {
        return userSeen.length;
    }

    @Override
    public int numItems() {
        return itemSeen.length;
    }

    /** The learned noise variance sigma^2; NaN for classification (Bernoulli likelihood, no noise variance). */
    public double noiseVariance() {
        return noiseVariance;
    }

    /** Whether predictions are class-1 (link) probabilities: task=classification. */
    public boolean classification() {
        return config.classification();
    }

    /** Monte Carlo draws per prediction. */
    public int predictSamples() {
        return samples;
    }

    /** The posterior of layer {@code l}'s weight matrix (tests). */
    GaussianArray weightPosterior(int l) {
        return weights[l];
    }

    /** q of U, V, U', V' (U and U' only with shared embeddings), then each layer's weights and biases (tests). */
    java.util.List<GaussianArray> posteriors() {
        java.util.List<GaussianArray> a = new java.util.ArrayList<>(java.util.Arrays.asList(tables(u, v, up, vp, config)));
        for (int l = 0; l < weights.length; l++) {
            a.add(weights[l]);
            a.add(biases[l]);
        }
        return a;
    }

    /** Network layer sizes, input first. */
    public int[] networkSizes() {
        return sizes.clone();
    }

    /** Learned prior variances of U, V, U', V'. */
    public double[] embeddingPriorVariances() {
        return new double[] {u.priorVariance(), v.priorVariance(), up.priorVariance(), vp.priorVariance()};
    }

    private boolean knownUser(int user) {
        return user >= 0 && user < userSeen.length;
    }

    private boolean knownItem(int item) {
        return item >= 0 && item < itemSeen.length;
    }

    // ------------------------------------------------------------------ item draws

    private float[] itemDraws() {
        float[] d = itemDraws;
        if (d == null) {
            synchronized (this) {
                d = itemDraws;
                if (d == null) {
                    d = drawItems();
                    itemDraws = d;
                }
            }
        }
        return d;
    }

    private float[] drawItems() {
        int ni = itemSeen.length;
        int row = k + p;
        float[] d = new float[Math.multiplyExact(Math.multiplyExact(samples, ni), row)];
        for (int s = 0; s < samples; s++) {
            for (int m = 0; m < ni; m++) {
                int o = (s * ni + m) * row;
                v.drawRowInto(seed, 0, s, m, d, o);
                vp.drawRowInto(seed, 0, s, m, d, o + k);
            }
        }
        return d;
    }

    /**
     * The item part of draw {@code s} for {@code item} into {@code buf[0 .. K + DK')} (V_m then
     * V'_m), or the offset of it in {@code draws} for a known item; returns the array holding it.
     */
    private float[] itemRow(int item, int s, float[] draws, float[] buf, int[] offset) {
        if (knownItem(item)) {
            offset[0] = (s * itemSeen.length + item) * (k + p);
            return draws;
        }
        priorV.drawRowInto(seed, 0, s, 0, buf, 0);
        priorVp.drawRowInto(seed, 0, s, 0, buf, k);
        offset[0] = 0;
        return buf;
    }

    private float[] sideOf(int item) {
        return side != null && knownItem(item) ? side : noSide;
    }

    private int sideOffset(int item) {
        return side != null && knownItem(item) ? item * g : 0;
    }

    // ------------------------------------------------------------------ prediction

    /** A user as the model sees it: a trained user's index, or the q of a folded-in (or unknown) user's rows. */
    public record State(int user, GaussianArray uRow, GaussianArray upRow) implements UserState {
    }

    /** The arrays and row of a user's draws: the tables for a trained user, else the state's 1-row q. */
    private GaussianArray userU(State st) {
        return st.uRow() == null ? u : st.uRow();
    }

    private GaussianArray userUp(State st) {
        return st.upRow() == null ? up : st.upRow();
    }

    private static int userRow(State st) {
        return st.uRow() == null ? st.user() : 0;
    }

    @Override
    public UserState user(int user) {
        if (knownUser(user) && userSeen[user]) {
            return new State(user, null, null);
        }
        return new State(-1, priorU, priorUp);
    }

    @Override
    public double predict(int user, int item) {
        return predictive(user, item).mean();
    }

    /** Both predictions are the predictive means (above and {@link #predict(UserState, int)}). */
    @Override
    public boolean predictsPredictiveMean() {
        return true;
    }

    @Override
    public double predict(UserState user, int item) {
        return predictive(user, item).mean();
    }

    @Override
    public Predictive predictive(int user, int item) {
        return predictive(user(user), item);
    }

    /** Whether predictions are the exact moments of the linear model rather than Monte Carlo over q (class doc). */
    public boolean exactPredictive() {
        return weightMean != null;
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State st = (State) user;
        GaussianArray ua = userU(st);
        GaussianArray upa = userUp(st);
        int ur = userRow(st);
        if (weightMean != null) {
            double[] um = new double[k + p];
            double[] u2 = new double[k + p];
            userMoments(ua, upa, ur, um, u2);
            return linearPredictive(um, u2, item);
        }
        return sampledPredictive(st, item);
    }

    /** The Monte Carlo predictive (P) over the model's S draws (for the linear model too: tests). */
    Predictive sampledPredictive(UserState user, int item) {
        State st = (State) user;
        GaussianArray ua = userU(st);
        GaussianArray upa = userUp(st);
        int ur = userRow(st);
        float[] draws = itemDraws();
        float[] x = new float[width];
        float[] uRow = new float[k];
        float[] upRow = new float[p];
        float[] buf = new float[k + p];
        int[] off = new int[1];
        float[] sd = sideOf(item);
        int so = sideOffset(item);
        BnnmfNetwork.Buffers nb = new BnnmfNetwork.Buffers(sizes);
        double[] f = new double[samples];
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            ua.drawRowInto(seed, 0, s, ur, uRow, 0);
            upa.drawRowInto(seed, 0, s, ur, upRow, 0);
            float[] it = itemRow(item, s, draws, buf, off);
            inputs.row(uRow, 0, it, off[0], upRow, 0, it, off[0] + k, sd, so, x, 0);
            f[s] = BnnmfNetwork.forward(sizes, ws[s], bs[s], x, 1, nb, SERIAL)[0];
            sum += classification ? GaussianArray.sigmoid(f[s]) : f[s];
        }
        double mean = sum / samples;
        if (classification) {
            return new Predictive(mean, mean * (1 - mean));
        }
        double var = 0;
        for (int s = 0; s < samples; s++) {
            double d = f[s] - mean;
            var += d * d;
        }
        return new Predictive(mean, var / samples + noiseVariance);
    }

    /** The predictive means of every item (probabilities for classification): for each draw, one batched forward pass over the items. */
    @Override
    public void scoreAll(UserState user, double[] out) {
        State st = (State) user;
        GaussianArray ua = userU(st);
        GaussianArray upa = userUp(st);
        int ur = userRow(st);
        int ni = out.length;
        if (weightMean != null) {
            double[] um = new double[k + p];
            double[] u2 = new double[k + p];
            userMoments(ua, upa, ur, um, u2);
            linearMeans(um, out);
            return;
        }
        float[] draws = itemDraws();
        int block = Math.min(SCORE_BLOCK, Math.max(1, ni));
        float[] x = new float[block * width];
        float[] uRow = new float[k];
        float[] upRow = new float[p];
        float[] buf = new float[k + p];
        int[] off = new int[1];
        double[] sum = new double[ni];
        BnnmfNetwork.Buffers nb = new BnnmfNetwork.Buffers(sizes);
        for (int s = 0; s < samples; s++) {
            ua.drawRowInto(seed, 0, s, ur, uRow, 0);
            upa.drawRowInto(seed, 0, s, ur, upRow, 0);
            for (int from = 0; from < ni; from += block) {
                int n = Math.min(block, ni - from);
                for (int j = 0; j < n; j++) {
                    int item = from + j;
                    float[] it = itemRow(item, s, draws, buf, off);
                    inputs.row(uRow, 0, it, off[0], upRow, 0, it, off[0] + k, sideOf(item), sideOffset(item), x,
                            j * width);
                }
                float[] f = BnnmfNetwork.forward(sizes, ws[s], bs[s], x, n, nb, SERIAL);
                for (int j = 0; j < n; j++) {
                    sum[from + j] += classification ? GaussianArray.sigmoid(f[j]) : f[j];
                }
            }
        }
        for (int i = 0; i < ni; i++) {
            out[i] = sum[i] / samples;
        }
    }

    /** E[x] and E[x^2] of a user's rows under q: U_n into {@code [0, K)}, U'_n into {@code [K, K + DK')}. */
    private void userMoments(GaussianArray ua, GaussianArray upa, int ur, double[] m, double[] m2) {
        rowMoments(ua, ur, m, m2, 0);
        rowMoments(upa, ur, m, m2, k);
    }

    private static void rowMoments(GaussianArray a, int r, double[] m, double[] m2, int off) {
        int c = a.cols();
        float[] mean = a.mean().value();
        for (int j = 0; j < c; j++) {
            double mu = mean[r * c + j];
            double sd = a.sigma(r * c + j);
            m[off + j] = mu;
            m2[off + j] = mu * mu + sd * sd;
        }
    }

    /**
     * The exact predictive of the linear model (class doc) for a user with row moments
     * {@code um, u2} ({@link #userMoments}) and {@code item} (its prior when unknown): inputs in
     * {@link NnmfInputs} order U_n, V_m, U'_n o V'_m, s_m.
     */
    private Predictive linearPredictive(double[] um, double[] u2, int item) {
        boolean known = knownItem(item);
        GaussianArray va = known ? v : priorV;
        GaussianArray vpa = known ? vp : priorVp;
        int vr = known ? item : 0;
        double var = biasVariance;
        float[] vMean = va.mean().value();
        float[] vpMean = vpa.mean().value();
        for (int j = 0; j < k; j++) { // U_n
            var += weightSquare[j] * u2[j] - sq(weightMean[j] * um[j]);
        }
        for (int j = 0; j < k; j++) { // V_m
            double mu = vMean[vr * k + j];
            double e2 = mu * mu + sq(va.sigma(vr * k + j));
            var += weightSquare[k + j] * e2 - sq(weightMean[k + j] * mu);
        }
        for (int j = 0; j < p; j++) { // U'_n o V'_m: E[ac] = E[a] E[c], E[(ac)^2] = E[a^2] E[c^2]
            int i = 2 * k + j;
            double mu = vpMean[vr * p + j];
            double e2 = u2[k + j] * (mu * mu + sq(vpa.sigma(vr * p + j)));
            var += weightSquare[i] * e2 - sq(weightMean[i] * um[k + j] * mu);
        }
        float[] sd = sideOf(item);
        int so = sideOffset(item);
        for (int j = 0; j < g; j++) { // s_m, constants
            int i = 2 * k + p + j;
            double x = sd[so + j];
            var += (weightSquare[i] - sq(weightMean[i])) * x * x;
        }
        double mean = linearMean(userConstant(um), productWeights(um), item);
        return new Predictive(mean, Math.max(var, 0) + noiseVariance);
    }

    /**
     * The means of {@link #linearPredictive} for every item at once: the user's terms
     * ({@link #userConstant}, {@link #productWeights}) are computed once, so an item costs
     * K + DK' + G multiply-adds and no softplus (the variances are not needed for a ranking).
     */
    private void linearMeans(double[] um, double[] out) {
        double base = userConstant(um);
        double[] pw = productWeights(um);
        for (int item = 0; item < out.length; item++) {
            out[item] = linearMean(base, pw, item);
        }
    }

    /** {@code E[b] + sum_j E[w_j] E[U_nj]}: the user's part of E f. */
    private double userConstant(double[] um) {
        double base = biasMean;
        for (int j = 0; j < k; j++) {
            base += weightMean[j] * um[j];
        }
        return base;
    }

    /** {@code E[w_(2K+j)] E[U'_nj]}: the weights of the item's V'_m in E f. */
    private double[] productWeights(double[] um) {
        double[] pw = new double[p];
        for (int j = 0; j < p; j++) {
            pw[j] = weightMean[2 * k + j] * um[k + j];
        }
        return pw;
    }

    /** E f of (E) for {@code item} (its prior when unknown), given the user's parts. */
    private double linearMean(double base, double[] pw, int item) {
        boolean known = knownItem(item);
        float[] vMean = (known ? v : priorV).mean().value();
        float[] vpMean = (known ? vp : priorVp).mean().value();
        int vr = known ? item : 0;
        double mean = base;
        for (int j = 0; j < k; j++) { // V_m
            mean += weightMean[k + j] * vMean[vr * k + j];
        }
        for (int j = 0; j < p; j++) { // U'_n o V'_m
            mean += pw[j] * vpMean[vr * p + j];
        }
        float[] sd = sideOf(item);
        int so = sideOffset(item);
        for (int j = 0; j < g; j++) { // s_m
            mean += weightMean[2 * k + p + j] * sd[so + j];
        }
        return mean;
    }

    private static double sq(double x) {
        return x * x;
    }

    // ------------------------------------------------------------------ fold-in

    /**
     * A new user's q(U_n) q(U'_n) from a few ratings, everything else fixed: starting from the prior
     * (means 0, sigma = s), {@code fold_in_steps} SVI steps on
     * <pre>
     *   L(q) = sum_j E_q[ -log N(y_j | f_theta(x_{n m_j}), sigma^2) ] + KL(q(U_n) || p) + KL(q(U'_n) || p)
     * </pre>
     * (for classification {@code -log Bernoulli(y_j | sigmoid(f))}, the ratings 0/1: a new vertex
     * of a network from its links and non-links to listed vertices, which serve as items)
     * each with one reparameterised draw of the user's rows (noise from a fixed fold-in stream, so
     * the result is deterministic) against draw {@code t mod S} of the items and the network (the
     * draws the predictions use), by Adam whose step size decays linearly from
     * {@code fold_in_learning_rate} to 0 (the last steps average the gradient noise out instead of
     * leaving the q where the last draw pushed it). Items outside the trained range are ignored;
     * with no usable rating the user is the prior.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int n = 0;
        int[] idx = new int[items.length];
        float[] y = new float[items.length];
        for (int j = 0; j < items.length; j++) {
            if (classification && ratings[j] != 0f && ratings[j] != 1f) {
                throw new IllegalArgumentException("a classification model folds in 0/1 values, got " + ratings[j]
                        + " for item " + items[j]);
            }
            if (knownItem(items[j])) {
                idx[n] = items[j];
                y[n] = ratings[j];
                n++;
            }
        }
        GaussianArray fu = atPrior("U.new", u);
        GaussianArray fup = atPrior("U'.new", up);
        int steps = config.foldInSteps();
        if (n == 0 || steps == 0) {
            return new State(-1, fu, fup);
        }
        float[] draws = itemDraws();
        float[] x = new float[n * width];
        float[] dX = new float[n * width];
        float[] dOut = new float[n];
        BnnmfNetwork.Buffers nb = new BnnmfNetwork.Buffers(sizes);
        long key = Rng.deriveSeed(seed, FOLD_IN_STREAM);
        InlineAdam adam = new InlineAdam(k + p);
        double precision = classification ? 1 : 1 / noiseVariance;
        int ni = itemSeen.length;
        for (int t = 0; t < steps; t++) {
            int s = t % samples;
            fu.draw(key, t, 0, SERIAL);
            fup.draw(key, t, 0, SERIAL);
            float[] uw = fu.sample().value();
            float[] upw = fup.sample().value();
            for (int j = 0; j < n; j++) {
                int o = (s * ni + idx[j]) * (k + p);
                inputs.row(uw, 0, draws, o, upw, 0, draws, o + k, sideOf(idx[j]), sideOffset(idx[j]), x, j * width);
            }
            float[] f = BnnmfNetwork.forward(sizes, ws[s], bs[s], x, n, nb, SERIAL);
            for (int j = 0; j < n; j++) {
                // d(-log p)/df: (f - y) / sigma^2, or sigmoid(f) - y on the logit
                double mean = classification ? GaussianArray.sigmoid(f[j]) : f[j];
                dOut[j] = (float) ((mean - y[j]) * precision);
            }
            BnnmfNetwork.backward(sizes, ws[s], x, dOut, n, nb, null, null, dX, SERIAL);
            float[] gu = fu.sample().grad();
            float[] gup = fup.sample().grad();
            for (int j = 0; j < n; j++) {
                int o = (s * ni + idx[j]) * (k + p);
                inputs.addGradients(dX, j * width, upw, 0, draws, o + k, gu, 0, null, 0, gup, 0, null, 0);
            }
            fu.accumulateGradients(1.0, SERIAL);
            fup.accumulateGradients(1.0, SERIAL);
            fu.addKlGradient(1.0, SERIAL);
            fup.addKlGradient(1.0, SERIAL);
            double lr = config.foldInLearningRate() * (1 - (double) t / steps);
            adam.step(lr, fu, fup);
        }
        return new State(-1, fu, fup);
    }

    /**
     * Adam (Kingma and Ba 2014) over the means and rhos of a folded-in user's two rows, with a step
     * size given per step; clears the gradients.
     */
    private static final class InlineAdam {
        private final float[] m;
        private final float[] v;
        private int t;

        InlineAdam(int n) {
            this.m = new float[2 * n];
            this.v = new float[2 * n];
        }

        void step(double lr, GaussianArray a, GaussianArray b) {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            int o = 0;
            for (GaussianArray q : new GaussianArray[] {a, b}) {
                o = update(lr, c1, c2, q.mean().value(), q.mean().grad(), o);
                o = update(lr, c1, c2, q.rho().value(), q.rho().grad(), o);
                q.mean().zeroGrad();
                q.rho().zeroGrad();
            }
        }

        private int update(double lr, double c1, double c2, float[] x, float[] g, int o) {
            for (int e = 0; e < x.length; e++, o++) {
                double ge = g[e];
                m[o] = (float) (0.9 * m[o] + 0.1 * ge);
                v[o] = (float) (0.999 * v[o] + 0.001 * ge * ge);
                x[e] -= (float) (lr * (m[o] / c1) / (Math.sqrt(v[o] / c2) + 1e-8));
            }
            return o;
        }
    }
}
