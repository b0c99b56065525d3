package org.varec.model.nnmf;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.varec.model.KnownRatings;
import org.varec.io.ModelIo;
import org.varec.linalg.Cholesky;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.nn.Activation;
import org.varec.nn.Kernels;
import org.varec.nn.Mlp;
import org.varec.nn.ParamArray;
import org.varec.util.Parallel;

/**
 * A trained {@code nnmf} model (Dziugaite and Roy 2015; NNMF paper eq. (2)):
 * <pre>
 *   r_nm = f([U_n, V_m, U'_n1 o V'_m1, ..., U'_nD o V'_mD, s_m])
 * </pre>
 * with {@code f} an MLP ({@code sizes = {2K + D K' + S, hidden..., 1}}, the hidden activation of the
 * config, a linear output) and {@code s_m} the item's genre indicators when trained with
 * {@code side=item} (S = 0 otherwise).
 *
 * <p>Layout: {@code U} is {@code numUsers x K}, {@code V} {@code numItems x K}, {@code U'}
 * {@code numUsers x D K'}, {@code V'} {@code numItems x D K'}, {@code side} {@code numItems x S},
 * all row-major floats; layer l of f has weights {@code sizes[l] x sizes[l+1]} ({@code w[i * out + o]},
 * the {@link Kernels} layout) and a bias of {@code sizes[l+1]}. Float storage and arithmetic: a
 * prediction is the network's forward pass over one input row with the same kernels as training
 * (so a training row predicts the bits training computed for it); fold-in accumulates its normal
 * equations in double.
 *
 * <p>An unknown user (index out of range) or item has zero embeddings: that is the minimiser of
 * eq. (2) for a row without ratings, and what fold-in returns for a user without usable ratings;
 * an unknown item also has no genres. Immutable and thread-safe: every call works in its own
 * buffers.
 */
public final class NnmfModel implements RatingModel {
    /** Rows per forward chunk of {@link #scoreAll} (a multiple of the kernels' 4-row tile). */
    private static final int CHUNK = 256;
    /** A pool without threads: the kernels run on the calling thread. */
    private static final Parallel SERIAL = new Parallel(1);
    /** Levenberg-Marquardt evaluations of fold-in at most. */
    static final int FOLD_IN_MAX_EVALUATIONS = 200;
    /** Fold-in stops when a step lowers the objective by less than this fraction of it. */
    static final double FOLD_IN_TOLERANCE = 1e-9;

    private final int numUsers;
    private final int numItems;
    private final int k;
    private final int dk;
    private final int sideWidth;
    private final int[] sizes;
    private final Activation activation;
    private final double lambda;
    private final float[] u;
    private final float[] v;
    private final float[] up;
    private final float[] vp;
    private final float[] side;
    private final float[][] weights;
    private final float[][] biases;
    private final NnmfInputs inputs;
    private final float[] zeroUser;
    private final float[] zeroItem;

    /**
     * A model over the given arrays (shared, not copied: a training snapshot is valid until the next
     * epoch). {@code up}/{@code vp} may be empty when D = 0, {@code side} when S = 0.
     */
    NnmfModel(int numUsers, int numItems, int k, int dk, int sideWidth, int[] sizes, Activation activation,
              double lambda, float[] u, float[] v, float[] up, float[] vp, float[] side, float[][] weights,
              float[][] biases) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.k = k;
        this.dk = dk;
        this.sideWidth = sideWidth;
        this.sizes = sizes.clone();
        this.activation = activation;
        this.lambda = lambda;
        this.u = u;
        this.v = v;
        this.up = up;
        this.vp = vp;
        this.side = side;
        this.weights = weights;
        this.biases = biases;
        this.inputs = new NnmfInputs(k, dk, sideWidth);
        this.zeroUser = new float[Math.max(k, dk)];
        this.zeroItem = new float[Math.max(Math.max(k, dk), sideWidth)];
    }

    /** Reads what {@link #writeParameters} wrote; shapes must agree with the config. */
    public static NnmfModel read(DataInput in, NnmfConfig config) throws IOException {
        int numUsers = in.readInt();
        int numItems = in.readInt();
        int k = in.readInt();
        int dk = in.readInt();
        int sideWidth = in.readInt();
        if (numUsers < 0 || numItems < 0 || k != config.rank() || dk != config.productWidth()
                || sideWidth < 0 || (sideWidth > 0) != config.itemSide()) {
            throw new IOException("nnmf model (K " + k + ", D K' " + dk + ", side width " + sideWidth
                    + ") differs from its config (K " + config.rank() + ", D K' " + config.productWidth() + ", side "
                    + config.side() + ")");
        }
        int[] sizes = ModelIo.readInts(in);
        int[] expected = layerSizes(new NnmfInputs(k, dk, sideWidth).width(), config.hiddenSizes());
        if (!Arrays.equals(sizes, expected)) {
            throw new IOException("nnmf layer sizes " + Arrays.toString(sizes) + " differ from the config's "
                    + Arrays.toString(expected));
        }
        float[] u = ModelIo.readFloats(in, "U", numUsers, k);
        float[] v = ModelIo.readFloats(in, "V", numItems, k);
        float[] up = ModelIo.readFloats(in, "U'", numUsers, dk);
        float[] vp = ModelIo.readFloats(in, "V'", numItems, dk);
        float[] side = ModelIo.readFloats(in, "item side information", numItems, sideWidth);
        int layers = sizes.length - 1;
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = ModelIo.readFloats(in, "weights of layer " + l, sizes[l], sizes[l + 1]);
            b[l] = ModelIo.readFloats(in, "bias of layer " + l, 1, sizes[l + 1]);
        }
        return new NnmfModel(numUsers, numItems, k, dk, sideWidth, sizes, config.activation(), config.lambda(), u, v,
                up, vp, side, w, b);
    }


    /**
     * Copies U, V, U', V' and the network's weights and biases into arrays of the same shapes (a
     * training run restarting from this model).
     *
     * @throws IllegalArgumentException when a shape differs
     */
    void copyParametersInto(float[] u, float[] v, float[] up, float[] vp, float[][] weights, float[][] biases) {
        if (weights.length != this.weights.length || biases.length != this.biases.length) {
            throw new IllegalArgumentException("nnmf network of " + weights.length + " layers, the model has "
                    + this.weights.length);
        }
        copy(this.u, u, "U");
        copy(this.v, v, "V");
        copy(this.up, up, "U'");
        copy(this.vp, vp, "V'");
        for (int l = 0; l < weights.length; l++) {
            copy(this.weights[l], weights[l], "weights of layer " + l);
            copy(this.biases[l], biases[l], "bias of layer " + l);
        }
    }

    private static void copy(float[] from, float[] to, String what) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("nnmf " + what + " has " + to.length + " values, the model " + from.length);
        }
        System.arraycopy(from, 0, to, 0, from.length);
    }

    /** {@code {inputWidth, hidden..., 1}}. */
    static int[] layerSizes(int inputWidth, int[] hidden) {
        int[] s = new int[hidden.length + 2];
        s[0] = inputWidth;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = 1;
        return s;
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        out.writeInt(k);
        out.writeInt(dk);
        out.writeInt(sideWidth);
        ModelIo.writeInts(out, sizes);
        ModelIo.writeFloats(out, Arrays.copyOf(u, numUsers * k));
        ModelIo.writeFloats(out, Arrays.copyOf(v, numItems * k));
        ModelIo.writeFloats(out, Arrays.copyOf(up, numUsers * dk));
        ModelIo.writeFloats(out, Arrays.copyOf(vp, numItems * dk));
        ModelIo.writeFloats(out, Arrays.copyOf(side, numItems * sideWidth));
        for (int l = 0; l < weights.length; l++) {
            ModelIo.writeFloats(out, weights[l]);
            ModelIo.writeFloats(out, biases[l]);
        }
    }

    @Override
    public String algorithm() {
        return "nnmf";
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    /** K. */
    public int rank() {
        return k;
    }

    /** D K', the length of a {@code U'_n} row. */
    public int productWidth() {
        return dk;
    }

    /** S, the length of an item's side-information row (0 without). */
    public int sideWidth() {
        return sideWidth;
    }

    /** The network's layer sizes, input first. */
    public int[] layerSizes() {
        return sizes.clone();
    }

    /** The lambda of eq. (2) the model was trained with (fold-in minimises the same user terms). */
    public double lambda() {
        return lambda;
    }

    /** A trained or folded-in user: {@code U_n} (K floats) and {@code U'_n} (D K' floats). */
    public record State(int user, float[] embedding, float[] products) implements UserState {
    }

    private boolean knownUser(int user) {
        return user >= 0 && user < numUsers;
    }

    private boolean knownItem(int item) {
        return item >= 0 && item < numItems;
    }

    @Override
    public UserState user(int user) {
        if (!knownUser(user)) {
            return new State(-1, new float[k], new float[dk]);
        }
        return new State(user, Arrays.copyOfRange(u, user * k, (user + 1) * k),
                Arrays.copyOfRange(up, user * dk, (user + 1) * dk));
    }

    @Override
    public double predict(int user, int item) {
        boolean ku = knownUser(user);
        return predict(ku ? u : zeroUser, ku ? user * k : 0, ku ? up : zeroUser, ku ? user * dk : 0, item);
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        return predict(s.embedding(), 0, s.products(), 0, item);
    }

    private double predict(float[] uu, int uOff, float[] uup, int upOff, int item) {
        float[] x = new float[inputs.width()];
        itemRow(uu, uOff, uup, upOff, item, x, 0);
        float[] y = new float[1];
        forward(x, y, 1, new Buffers(1));
        return y[0];
    }

    /** Writes the input row of (user arrays, item) at {@code x[xOff ..)}. */
    private void itemRow(float[] uu, int uOff, float[] uup, int upOff, int item, float[] x, int xOff) {
        boolean ki = knownItem(item);
        inputs.row(uu, uOff, ki ? v : zeroItem, ki ? item * k : 0, uup, upOff, ki ? vp : zeroItem, ki ? item * dk : 0,
                ki ? side : zeroItem, ki ? item * sideWidth : 0, x, xOff);
    }

    /** Scores of the user for every item: input rows built and pushed through the network in chunks. */
    @Override
    public void scoreAll(UserState user, double[] out) {
        State s = (State) user;
        int width = inputs.width();
        int chunk = Math.min(CHUNK, Math.max(1, out.length));
        float[] x = new float[chunk * width];
        float[] y = new float[chunk];
        Buffers buf = new Buffers(chunk);
        for (int from = 0; from < out.length; from += chunk) {
            int n = Math.min(chunk, out.length - from);
            for (int r = 0; r < n; r++) {
                itemRow(s.embedding(), 0, s.products(), 0, from + r, x, r * width);
            }
            forward(x, y, n, buf);
            for (int r = 0; r < n; r++) {
                out[from + r] = y[r];
            }
        }
    }

    /** Intermediate activations of one forward pass (one per hidden layer). */
    private final class Buffers {
        final float[][] h;

        Buffers(int batch) {
            h = new float[sizes.length - 2][];
            for (int l = 0; l < h.length; l++) {
                h[l] = new float[batch * sizes[l + 1]];
            }
        }
    }

    /** {@code y = f(x)} for {@code batch} rows: the operations of {@link Mlp#forward}, on the calling thread. */
    private void forward(float[] x, float[] y, int batch, Buffers buf) {
        float[] in = x;
        int last = weights.length - 1;
        for (int l = 0; l <= last; l++) {
            float[] z = l == last ? y : buf.h[l];
            Kernels.affine(in, weights[l], biases[l], z, batch, sizes[l], sizes[l + 1], SERIAL);
            if (l < last && !activation.isIdentity()) {
                Kernels.activate(activation, z, z, batch * sizes[l + 1], SERIAL);
            }
            in = z;
        }
    }

    /**
     * The network as an {@link Mlp} holding copies of the weights (for fold-in's backward passes;
     * also handy for tests). Each call makes a new one.
     */
    public Mlp network() {
        int layers = weights.length;
        Mlp net = Mlp.of("nnmf.f", sizes, activation, Activation.IDENTITY);
        for (int l = 0; l < layers; l++) {
            ParamArray w = net.layer(l).weights();
            ParamArray b = net.layer(l).bias();
            System.arraycopy(weights[l], 0, w.value(), 0, weights[l].length);
            System.arraycopy(biases[l], 0, b.value(), 0, biases[l].length);
        }
        return net;
    }

    /**
     * A new user from (item, rating) pairs with the items and the network fixed: the user's part of
     * eq. (2),
     * <pre>
     *   J(U_n, U'_n) = sum_j (r_j - f(x_nj))^2 + lambda (||U_n||^2 + ||U'_n||^2),
     * </pre>
     * minimised from zero (the minimiser without ratings) by Levenberg-Marquardt: each step solves
     * {@code (G^T G + (lambda + mu) I) delta = G^T e - lambda theta} for the {@code K + D K'}
     * parameters {@code theta = [U_n, U'_n]}, with {@code G} the Jacobian of the predictions
     * (one backward pass per rating, all in one batch) and {@code e} the residuals; a step is kept
     * if it lowers J (then mu shrinks) and retried with a larger mu otherwise. Deterministic; it
     * stops when a kept step lowers J by less than {@value #FOLD_IN_TOLERANCE} of it, or after
     * {@value #FOLD_IN_MAX_EVALUATIONS} evaluations of J. Plain gradient steps of training's size
     * would need thousands of passes; these converge in tens. Items outside the trained range are
     * ignored; with no usable rating the user is zero.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        KnownRatings known = KnownRatings.of(items, ratings, numItems);
        float[] eu = new float[k];
        float[] eup = new float[dk];
        if (known.n() == 0) {
            return new State(-1, eu, eup);
        }
        new FoldIn(known.items(), known.ratings(), known.n()).run(eu, eup);
        return new State(-1, eu, eup);
    }

    /** The Levenberg-Marquardt fold-in of one user over its n known ratings. */
    private final class FoldIn {
        private final int[] idx;
        private final float[] r;
        private final int n;
        private final int p = k + dk;
        private final int width = inputs.width();
        private final Mlp net = network();
        private final float[] x;
        private final float[] y;
        private final float[] dy;
        private final float[] dx;

        FoldIn(int[] idx, float[] r, int n) {
            this.idx = idx;
            this.r = r;
            this.n = n;
            this.x = new float[n * width];
            this.y = new float[n];
            this.dy = new float[n];
            this.dx = new float[n * width];
        }

        /** J at theta (written into eu, eup first); leaves the predictions in y. */
        private double objective(double[] theta, float[] eu, float[] eup) {
            for (int j = 0; j < k; j++) {
                eu[j] = (float) theta[j];
            }
            for (int j = 0; j < dk; j++) {
                eup[j] = (float) theta[k + j];
            }
            for (int q = 0; q < n; q++) {
                itemRow(eu, 0, eup, 0, idx[q], x, q * width);
            }
            net.forward(x, y, n, SERIAL);
            double s = 0;
            for (int q = 0; q < n; q++) {
                double e = (double) r[q] - y[q];
                s += e * e;
            }
            double pen = 0;
            for (int j = 0; j < p; j++) {
                pen += (double) (float) theta[j] * (float) theta[j];
            }
            return s + lambda * pen;
        }

        void run(float[] eu, float[] eup) {
            double[] theta = new double[p];
            double[] trial = new double[p];
            double[] a = new double[p * p];
            double[] g = new double[p];
            double[] delta = new double[p];
            double[] jac = new double[p];
            double[] m = new double[p * p];
            double cur = objective(theta, eu, eup);
            double mu = -1;
            boolean fresh = true;
            int evaluations = 1;
            while (evaluations < FOLD_IN_MAX_EVALUATIONS) {
                if (fresh) {
                    // Jacobian rows at theta (its predictions are in y): d f_q / d x_q by one backward pass
                    Arrays.fill(dy, 0, n, 1f);
                    net.backwardInput(x, y, dy, dx, n, SERIAL);
                    Arrays.fill(a, 0);
                    Arrays.fill(g, 0);
                    for (int q = 0; q < n; q++) {
                        int o = q * width;
                        int item = idx[q];
                        for (int j = 0; j < k; j++) {
                            jac[j] = dx[o + j];
                        }
                        for (int j = 0; j < dk; j++) {
                            jac[k + j] = (double) dx[o + 2 * k + j] * vp[item * dk + j];
                        }
                        double e = (double) r[q] - y[q];
                        for (int i = 0; i < p; i++) {
                            double ji = jac[i];
                            if (ji == 0) {
                                continue;
                            }
                            g[i] += ji * e;
                            int row = i * p;
                            for (int j = 0; j <= i; j++) {
                                a[row + j] += ji * jac[j];
                            }
                        }
                    }
                    for (int i = 0; i < p; i++) {
                        g[i] -= lambda * theta[i];
                    }
                    if (mu < 0) {
                        double maxDiag = 0;
                        for (int i = 0; i < p; i++) {
                            maxDiag = Math.max(maxDiag, a[i * p + i]);
                        }
                        mu = 1e-3 * maxDiag + 1e-9;
                    }
                    fresh = false;
                }
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j <= i; j++) {
                        m[i * p + j] = a[i * p + j];
                    }
                    m[i * p + i] += lambda + mu;
                }
                System.arraycopy(g, 0, delta, 0, p);
                if (!Cholesky.factor(m, p)) {
                    mu *= 4;
                    evaluations++;
                    continue;
                }
                Cholesky.solveFactored(m, p, delta);
                for (int i = 0; i < p; i++) {
                    trial[i] = theta[i] + delta[i];
                }
                double next = objective(trial, eu, eup);
                evaluations++;
                if (next < cur) {
                    double gain = cur - next;
                    System.arraycopy(trial, 0, theta, 0, p);
                    cur = next;
                    mu = Math.max(mu / 3, 1e-12);
                    fresh = true;
                    if (gain <= FOLD_IN_TOLERANCE * cur) {
                        break;
                    }
                } else {
                    mu *= 4;
                }
            }
            // leave the accepted theta in the state (the last evaluation may have been a rejected trial)
            for (int j = 0; j < k; j++) {
                eu[j] = (float) theta[j];
            }
            for (int j = 0; j < dk; j++) {
                eup[j] = (float) theta[k + j];
            }
        }
    }
}
