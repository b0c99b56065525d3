package org.varec.model.ncf;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.model.KnownRatings;
import org.varec.io.ModelIo;
import org.varec.linalg.Cholesky;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.nn.ParamArray;
import org.varec.util.Parallel;

/**
 * A trained embedding network ({@code ncf} or {@code convncf}): user rows {@code P}
 * ({@code numUsers x width}), item rows {@code Q} ({@code numItems x width}), row-major floats,
 * and the network's parameter arrays (see {@link NeuMfNetwork}, {@link ConvNcfNetwork}):
 * {@code r_ui = f(p_u, q_i)}.
 *
 * <p>An unknown user or item (index out of range) has a zero row, as rows without training
 * ratings do. Predictions run the training kernels on the calling thread, in a network instance
 * per thread (thread-local buffers over shared weights), so the model is immutable and
 * thread-safe.
 *
 * <p><b>Fold-in</b> fits only the new user's row {@code p} with the items and the network fixed,
 * minimising the user's terms of the training objective
 * <pre>
 *   J(p) = sum_j (r_j - f(p, q_j))^2 + n reg ||p||^2          (n ratings)
 * </pre>
 * by Levenberg-Marquardt (a damped Gauss-Newton step solves
 * {@code (G^T G + (n reg + mu) I) delta = G^T e - n reg p}, G the n x width Jacobian of the
 * predictions, one batched backward pass with {@code dy = 1}, since rows are independent). It
 * starts from the mean trained user row (zero would be a saddle of ConvNCF: the map, and with it
 * every gradient through the convolutions, vanishes), keeps a step if it lowers J, stops when three
 * kept steps in a row gain less than {@value #FOLD_IN_TOLERANCE} of J or after
 * {@value #FOLD_IN_MAX_EVALUATIONS} evaluations. Deterministic. Items out of range are ignored; with no usable rating the user is
 * the mean row.
 */
public final class EmbeddingNetModel implements RatingModel {
    private static final Parallel SERIAL = new Parallel(1);
    private static final int CHUNK = 256;
    static final int FOLD_IN_MAX_EVALUATIONS = 100;
    static final double FOLD_IN_TOLERANCE = 1e-7;
    /** Trained user rows tried as fold-in starting points. */
    static final int START_CANDIDATES = 16;

    private final NetSettings config;
    private final int numUsers;
    private final int numItems;
    private final int d;
    private final float[] p;
    private final float[] q;
    private final List<ParamArray> params;
    private final float[] zeroRow;
    private final ThreadLocal<Scorer> scorers;

    /** A model over the given arrays (shared, not copied: a training snapshot is valid until the next epoch). */
    EmbeddingNetModel(NetSettings config, int numUsers, int numItems, float[] p, float[] q, List<ParamArray> params) {
        this.config = config;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.params = List.copyOf(params);
        this.d = config.network(this.params).width();
        this.p = p;
        this.q = q;
        this.zeroRow = new float[d];
        this.scorers = ThreadLocal.withInitial(() -> new Scorer(config.network(this.params), CHUNK));
    }

    /** Reads what {@link #writeParameters} wrote; shapes must agree with the config. */
    public static EmbeddingNetModel read(DataInput in, NetSettings config) throws IOException {
        int numUsers = in.readInt();
        int numItems = in.readInt();
        int width = in.readInt();
        List<ParamArray> params = config.newParams();
        int expected = config.network(params).width();
        if (numUsers < 0 || numItems < 0 || width != expected) {
            throw new IOException(config.algorithm() + " model rows have " + width + " floats, its config says "
                    + expected);
        }
        float[] p = ModelIo.readFloats(in, "user rows", numUsers, width);
        float[] q = ModelIo.readFloats(in, "item rows", numItems, width);
        int count = in.readInt();
        if (count != params.size()) {
            throw new IOException(config.algorithm() + " model has " + count + " network arrays, its config needs "
                    + params.size());
        }
        for (ParamArray a : params) {
            float[] v = ModelIo.readFloats(in, a.name(), a.rows(), a.cols());
            System.arraycopy(v, 0, a.value(), 0, v.length);
        }
        return new EmbeddingNetModel(config, numUsers, numItems, p, q, params);
    }


    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        out.writeInt(d);
        ModelIo.writeFloats(out, Arrays.copyOf(p, numUsers * d));
        ModelIo.writeFloats(out, Arrays.copyOf(q, numItems * d));
        out.writeInt(params.size());
        for (ParamArray a : params) {
            ModelIo.writeFloats(out, a.value());
        }
    }

    @Override
    public String algorithm() {
        return config.algorithm();
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    /** Floats of a user or item row. */
    public int width() {
        return d;
    }

    /** Floating-point operations of one prediction (forward pass). */
    public long flopsPerPrediction() {
        return config.network(params).forwardFlops();
    }

    /** A trained or folded-in user: its row. */
    public record State(int user, float[] row) implements UserState {
    }

    @Override
    public UserState user(int user) {
        if (user < 0 || user >= numUsers) {
            return new State(-1, new float[d]);
        }
        return new State(user, Arrays.copyOfRange(p, user * d, (user + 1) * d));
    }

    @Override
    public double predict(int user, int item) {
        boolean known = user >= 0 && user < numUsers;
        return scorers.get().predict(known ? p : zeroRow, known ? user * d : 0, item);
    }

    @Override
    public double predict(UserState user, int item) {
        return scorers.get().predict(((State) user).row(), 0, item);
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        Scorer s = scorers.get();
        float[] row = ((State) user).row();
        for (int from = 0; from < out.length; from += CHUNK) {
            int n = Math.min(CHUNK, out.length - from);
            s.fill(row, 0, n);
            for (int r = 0; r < n; r++) {
                s.item(r, from + r);
            }
            s.forward(n);
            for (int r = 0; r < n; r++) {
                out[from + r] = s.y[r];
            }
        }
    }

    /** One thread's network and batch buffers. */
    private final class Scorer {
        final PairNetwork net;
        final float[] u;
        final float[] v;
        final float[] y;

        Scorer(PairNetwork net, int rows) {
            this.net = net;
            this.u = new float[rows * d];
            this.v = new float[rows * d];
            this.y = new float[rows];
        }

        /** Rows {@code 0..n) of the user batch = the row at {@code row[off ..)}. */
        void fill(float[] row, int off, int n) {
            for (int r = 0; r < n; r++) {
                System.arraycopy(row, off, u, r * d, d);
            }
        }

        void item(int r, int item) {
            boolean known = item >= 0 && item < numItems;
            System.arraycopy(known ? q : zeroRow, known ? item * d : 0, v, r * d, d);
        }

        void forward(int n) {
            net.forward(u, v, y, n, SERIAL);
        }

        double predict(float[] row, int off, int item) {
            fill(row, off, 1);
            item(0, item);
            forward(1);
            return y[0];
        }
    }

    /** The mean of the trained user rows (fold-in's starting point). */
    float[] meanUserRow() {
        double[] s = new double[d];
        for (int a = 0; a < numUsers; a++) {
            for (int j = 0; j < d; j++) {
                s[j] += p[a * d + j];
            }
        }
        float[] m = new float[d];
        for (int j = 0; j < d; j++) {
            m[j] = numUsers == 0 ? 0f : (float) (s[j] / numUsers);
        }
        return m;
    }

    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        KnownRatings known = KnownRatings.of(items, ratings, numItems);
        float[] row = meanUserRow();
        if (known.n() > 0) {
            new FoldIn(known.items(), known.ratings(), known.n()).run(row, true);
        }
        return new State(-1, row);
    }

    /** Fold-in by Levenberg-Marquardt from {@code start} only (for tests: from a trained row it must not get worse). */
    State foldInFrom(float[] start, int[] items, float[] ratings) {
        float[] row = start.clone();
        new FoldIn(items, ratings, items.length).run(row, false);
        return new State(-1, row);
    }

    /** Levenberg-Marquardt on one user's row over its n known ratings. */
    private final class FoldIn {
        private final float[] r;
        private final int n;
        /** A network over copies of the weights: backward adds parameter gradients, never to the model's arrays. */
        private final PairNetwork net;
        private final float[] u;
        private final float[] v;
        private final float[] y;
        private final float[] ones;
        private final float[] du;
        private final float[] dv;
        private final double reg;

        FoldIn(int[] idx, float[] r, int n) {
            this.r = r;
            this.n = n;
            List<ParamArray> copies = new ArrayList<>();
            for (ParamArray a : params) {
                ParamArray c = ParamArray.dense(a.name(), a.rows(), a.cols());
                System.arraycopy(a.value(), 0, c.value(), 0, a.size());
                copies.add(c);
            }
            this.net = config.network(copies);
            this.u = new float[n * d];
            this.v = new float[n * d];
            for (int j = 0; j < n; j++) {
                System.arraycopy(q, idx[j] * d, v, j * d, d);
            }
            this.y = new float[n];
            this.ones = new float[n];
            Arrays.fill(ones, 1f);
            this.du = new float[n * d];
            this.dv = new float[n * d];
            this.reg = n * config.reg();
        }

        /**
         * Replaces theta (the mean row) by the trained user row of lowest J among
         * {@value #START_CANDIDATES} evenly spaced users, if one is lower: J is not convex, and a
         * start near a similar user avoids many of the poor local minima a single start falls into.
         */
        private void pickStart(double[] theta) {
            double best = objective(theta);
            double[] c = new double[d];
            int step = Math.max(1, numUsers / START_CANDIDATES);
            for (int a = 0; a < numUsers; a += step) {
                for (int j = 0; j < d; j++) {
                    c[j] = p[a * d + j];
                }
                double v = objective(c);
                if (v < best) {
                    best = v;
                    System.arraycopy(c, 0, theta, 0, d);
                }
            }
        }

        /** J at theta; leaves the predictions in y. */
        private double objective(double[] theta) {
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < d; c++) {
                    u[j * d + c] = (float) theta[c];
                }
            }
            net.forward(u, v, y, n, SERIAL);
            double s = 0;
            for (int j = 0; j < n; j++) {
                double e = r[j] - (double) y[j];
                s += e * e;
            }
            double sq = 0;
            for (double t : theta) {
                sq += t * t;
            }
            return s + reg * sq;
        }

        /** Minimises J from {@code row} (or, with {@code candidates}, from the best of it and a few trained rows); the result into {@code row}. */
        void run(float[] row, boolean candidates) {
            double[] theta = new double[d];
            for (int c = 0; c < d; c++) {
                theta[c] = row[c];
            }
            if (candidates) {
                pickStart(theta);
            }
            double[] trial = new double[d];
            double[] a = new double[d * d];
            double[] g = new double[d];
            double[] m = new double[d * d];
            double[] delta = new double[d];
            double cur = objective(theta);
            double mu = -1;
            boolean fresh = true;
            int smallGains = 0;
            int evaluations = 1;
            for (; evaluations < FOLD_IN_MAX_EVALUATIONS; ) {
                if (fresh) {
                    // row j of the Jacobian: d f(p, q_j) / d p, from one backward pass with dy = 1
                    net.backward(u, v, ones, du, dv, n, SERIAL);
                    Arrays.fill(a, 0);
                    for (int c = 0; c < d; c++) {
                        g[c] = -reg * theta[c];
                    }
                    for (int j = 0; j < n; j++) {
                        double e = r[j] - (double) y[j];
                        int o = j * d;
                        for (int c = 0; c < d; c++) {
                            double jc = du[o + c];
                            g[c] += jc * e;
                            for (int c2 = 0; c2 <= c; c2++) {
                                a[c * d + c2] += jc * du[o + c2];
                            }
                        }
                    }
                    if (mu < 0) {
                        double maxDiag = 0;
                        for (int c = 0; c < d; c++) {
                            maxDiag = Math.max(maxDiag, a[c * d + c]);
                        }
                        mu = 1e-3 * maxDiag + 1e-9;
                    }
                    fresh = false;
                }
                for (int c = 0; c < d; c++) {
                    System.arraycopy(a, c * d, m, c * d, c + 1);
                    m[c * d + c] += reg + mu;
                }
                System.arraycopy(g, 0, delta, 0, d);
                evaluations++;
                if (!Cholesky.factor(m, d)) {
                    mu *= 4;
                    continue;
                }
                Cholesky.solveFactored(m, d, delta);
                for (int c = 0; c < d; c++) {
                    trial[c] = theta[c] + delta[c];
                }
                double next = objective(trial);
                if (next < cur) {
                    double gain = cur - next;
                    System.arraycopy(trial, 0, theta, 0, d);
                    cur = next;
                    mu = Math.max(mu / 3, 1e-12);
                    fresh = true;
                    // a small gain right after rejections may only mean a large mu: stop on a few in a row
                    smallGains = gain <= FOLD_IN_TOLERANCE * cur ? smallGains + 1 : 0;
                    if (smallGains == 3) {
                        break;
                    }
                } else {
                    // the Jacobian is only recomputed after an accepted step, whose buffers are theta's
                    mu *= 4;
                }
            }
            for (int c = 0; c < d; c++) {
                row[c] = (float) theta[c];
            }
        }
    }
}
