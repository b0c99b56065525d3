package org.varec.model.autoenc;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.linalg.Cholesky;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.nn.Activation;
import org.varec.nn.Kernels;
import org.varec.util.Parallel;

/**
 * A trained AutoRec model (Sedhain et al. 2015, eq. (1)): a row r (a user's ratings for
 * {@code autorec-u}, an item's ratings by user for {@code autorec-i}) is encoded as
 * {@code code = sigmoid(V (r - s) + mu)} and reconstructed as {@code h(r)_j = W_j . code + b_j}; the
 * prediction for (user, item) is the reconstruction of the row at the column of the other side.
 * The input shift s is 0, or the training mean with {@code center=mean} (it follows from the config
 * and the stored mean, so the file format is the same).
 *
 * <p>Layout (float, row-major): the encoder is {@code cols x hidden} (row j: the weights of input
 * column j, {@link org.varec.nn.SparseInput}'s layout) with bias {@code hidden}; the decoder is
 * {@code cols x hidden} (row j: output column j, {@link org.varec.nn.SparseOutput}'s layout) with
 * bias {@code cols}; {@code codes} is {@code rows x hidden}, the code of every training row computed
 * once from its training ratings (so a prediction costs one dot product of length hidden).
 * "rows" are users for {@code autorec-u} and items for {@code autorec-i}; "cols" the other side.
 *
 * <p>Out of range: on the row side an unknown row is encoded from no ratings
 * ({@code sigmoid(mu)}, what fold-in of an empty row gives); on the column side (no decoder row)
 * the prediction is the training mean.
 *
 * <p>Fold-in of a new user. autorec-u: the new rating row is encoded, exactly as a training row
 * (same kernels, same order: a trained user's ratings fold in to their own code).
 * autorec-i: a new user is a new <i>column</i>: their ratings would enter the codes of the items
 * they rated through an encoder column that does not exist (an untrained input is zero), so the
 * codes are kept and fold-in solves the one part of eq. (2) that belongs to the user alone, their
 * decoder row {@code (W_u, b_u)}: ridge regression of their ratings on the codes of the items they
 * rated, {@code min sum_i (r_ui - b_u - W_u . code_i)^2 + (lambda/2) ||W_u||^2}, in closed form
 * (Cholesky, double) — the exact minimiser of the training objective over that row with the rest
 * fixed.
 */
public final class AutoRecModel implements RatingModel {
    /** A pool without threads: kernels on the calling thread. */
    static final Parallel SERIAL = new Parallel(1);

    private final boolean userRows;
    private final int numUsers;
    private final int numItems;
    private final int hidden;
    private final double lambda;
    private final double mean;
    /** Subtracted from every input rating by the encoder (the config's {@code center}). */
    private final float shift;
    private final float[] encW;
    private final float[] encB;
    private final float[] decW;
    private final float[] decB;
    private final float[] codes;
    private final float[] emptyCode;

    AutoRecModel(boolean userRows, int numUsers, int numItems, int hidden, double lambda, double mean, float shift,
                 float[] encW, float[] encB, float[] decW, float[] decB, float[] codes) {
        this.userRows = userRows;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.hidden = hidden;
        this.lambda = lambda;
        this.mean = mean;
        this.shift = shift;
        this.encW = encW;
        this.encB = encB;
        this.decW = decW;
        this.decB = decB;
        this.codes = codes;
        this.emptyCode = new float[hidden];
        Kernels.activate(Activation.SIGMOID, encB, emptyCode, hidden, SERIAL);
    }

    static String name(boolean userRows) {
        return userRows ? "autorec-u" : "autorec-i";
    }

    /** Reads a {@code autorec-u} model. */
    public static AutoRecModel readUser(DataInput in, AutoRecConfig config) throws IOException {
        return read(in, config, true);
    }

    /** Reads a {@code autorec-i} model. */
    public static AutoRecModel readItem(DataInput in, AutoRecConfig config) throws IOException {
        return read(in, config, false);
    }

    private static AutoRecModel read(DataInput in, AutoRecConfig config, boolean userRows) throws IOException {
        int nu = in.readInt();
        int ni = in.readInt();
        int h = in.readInt();
        if (nu < 0 || ni < 0 || h != config.hiddenSize()) {
            throw new IOException(name(userRows) + " model (" + nu + " users, " + ni + " items, hidden " + h
                    + ") differs from its config (hidden " + config.hiddenSize() + ")");
        }
        double mean = in.readDouble();
        int rows = userRows ? nu : ni;
        int cols = userRows ? ni : nu;
        float[] encW = ModelIo.readFloats(in, "encoder weights", cols, h);
        float[] encB = ModelIo.readFloats(in, "encoder bias", 1, h);
        float[] decW = ModelIo.readFloats(in, "decoder weights", cols, h);
        float[] decB = ModelIo.readFloats(in, "decoder bias", cols, 1);
        float[] codes = ModelIo.readFloats(in, "codes", rows, h);
        return new AutoRecModel(userRows, nu, ni, h, config.lambda(), mean, config.inputShift(mean), encW, encB, decW,
                decB, codes);
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        out.writeInt(hidden);
        out.writeDouble(mean);
        int rows = userRows ? numUsers : numItems;
        int cols = userRows ? numItems : numUsers;
        ModelIo.writeFloats(out, java.util.Arrays.copyOf(encW, cols * hidden));
        ModelIo.writeFloats(out, java.util.Arrays.copyOf(encB, hidden));
        ModelIo.writeFloats(out, java.util.Arrays.copyOf(decW, cols * hidden));
        ModelIo.writeFloats(out, java.util.Arrays.copyOf(decB, cols));
        ModelIo.writeFloats(out, java.util.Arrays.copyOf(codes, rows * hidden));
    }

    @Override
    public String algorithm() {
        return name(userRows);
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    public int hiddenSize() {
        return hidden;
    }

    /** The training mean (the prediction without a decoder row). */
    public double mean() {
        return mean;
    }

    /** Code of training row {@code r} (a copy), or of an empty row when out of range. */
    public float[] code(int r) {
        int rows = userRows ? numUsers : numItems;
        return r >= 0 && r < rows ? java.util.Arrays.copyOfRange(codes, r * hidden, (r + 1) * hidden) : emptyCode.clone();
    }

    /** Reconstruction of code {@code c} (at offset {@code co}) at column {@code j}; the mean without a decoder row. */
    private double reconstruct(float[] c, int co, int j) {
        int cols = userRows ? numItems : numUsers;
        if (j < 0 || j >= cols) {
            return mean;
        }
        return decB[j] + Kernels.dot(c, co, decW, j * hidden, hidden);
    }

    private double predictRow(int r, int j) {
        int rows = userRows ? numUsers : numItems;
        return r >= 0 && r < rows ? reconstruct(codes, r * hidden, j) : reconstruct(emptyCode, 0, j);
    }

    @Override
    public double predict(int user, int item) {
        return userRows ? predictRow(user, item) : predictRow(item, user);
    }

    /** A user of autorec-u: their code. */
    record Code(int user, float[] code) implements UserState {
    }

    /** A user of autorec-i: their decoder row (null weights: no row, predict the mean). */
    record DecoderRow(int user, float[] w, float b) implements UserState {
    }

    @Override
    public UserState user(int user) {
        if (userRows) {
            return new Code(user < numUsers ? user : -1, code(user));
        }
        if (user < 0 || user >= numUsers) {
            return new DecoderRow(-1, null, 0f);
        }
        return new DecoderRow(user, java.util.Arrays.copyOfRange(decW, user * hidden, (user + 1) * hidden), decB[user]);
    }

    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        return userRows ? new Code(-1, encode(items, ratings)) : solveRow(items, ratings);
    }

    /** {@code sigmoid(mu + sum_j (r_j - shift) V_j)} over the items in range, in the given order (as training encodes). */
    float[] encode(int[] items, float[] ratings) {
        float[] z = encB.clone();
        for (int p = 0; p < items.length; p++) {
            int j = items[p];
            if (j >= 0 && j < numItems) {
                Kernels.axpy(ratings[p] - shift, encW, j * hidden, z, 0, hidden);
            }
        }
        Kernels.activate(Activation.SIGMOID, z, z, hidden, SERIAL);
        return z;
    }

    @Override
    public double predict(UserState user, int item) {
        if (user instanceof Code c) {
            return reconstruct(c.code(), 0, item);
        }
        DecoderRow d = (DecoderRow) user;
        if (d.w() == null) {
            return mean;
        }
        float[] c = item >= 0 && item < numItems ? codes : emptyCode;
        int co = item >= 0 && item < numItems ? item * hidden : 0;
        return d.b() + Kernels.dot(c, co, d.w(), 0, hidden);
    }

    /** The decoder row of a new autorec-i user (see the class comment). */
    private DecoderRow solveRow(int[] items, float[] ratings) {
        int k = hidden + 1;
        double[] a = new double[k * k];
        double[] rhs = new double[k];
        double[] x = new double[k];
        int n = 0;
        for (int p = 0; p < items.length; p++) {
            int i = items[p];
            if (i < 0 || i >= numItems) {
                continue;
            }
            n++;
            int o = i * hidden;
            for (int s = 0; s < hidden; s++) {
                x[s] = codes[o + s];
            }
            x[hidden] = 1;
            for (int s = 0; s < k; s++) {
                double xs = x[s];
                rhs[s] += xs * ratings[p];
                int row = s * k;
                for (int t = 0; t <= s; t++) {
                    a[row + t] += xs * x[t];
                }
            }
        }
        if (n == 0) {
            return new DecoderRow(-1, null, 0f);
        }
        for (int s = 0; s < hidden; s++) {
            a[s * k + s] += lambda / 2 + 1e-9;
        }
        a[k * k - 1] += 1e-9;
        if (!Cholesky.factor(a, k)) {
            return new DecoderRow(-1, null, 0f);
        }
        Cholesky.solveFactored(a, k, rhs);
        float[] w = new float[hidden];
        for (int s = 0; s < hidden; s++) {
            w[s] = (float) rhs[s];
        }
        return new DecoderRow(-1, w, (float) rhs[hidden]);
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = predict(user, i);
        }
    }
}
