package org.varec.model.autoenc;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.varec.data.RatingMatrix;
import org.varec.io.ModelIo;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.nn.Activation;
import org.varec.nn.Kernels;
import org.varec.nn.Mlp;
import org.varec.util.Parallel;

/**
 * A trained user autoencoder ({@code dae-cf}; {@link MultVaeModel} adds the predictive
 * distribution of {@code mult-vae}): see {@link UserAutoencoderTrainer} for the network. A user is
 * encoded from their training row without dropout and, for the VAE, at the posterior mean
 * {@code z = mu} (Liang et al.'s prediction); the prediction for item i is the decoder's output
 * {@code W_i . d_u + b_i}: a rating for {@code likelihood=gaussian}, a logit (a ranking score) for
 * {@code likelihood=multinomial}.
 *
 * <p>Layout (float, row-major): the first layer {@code items x first} ({@link org.varec.nn.SparseInput}'s
 * layout) with its bias; the dense layers of the encoder and decoder {@code in x out}
 * ({@link Kernels}' layout); the output layer {@code items x last} ({@link org.varec.nn.SparseOutput}'s)
 * with a bias per item. Per trained user the model keeps the decoder's last hidden layer
 * {@code d_u} ({@code users x last}) and the encoder's output {@code e_u} ({@code users x K} or
 * {@code users x 2K}: [mu, log sigma^2]), computed once from the training rows.
 *
 * <p>Fold-in encodes the new user's rating row with the same operations in the same order as the
 * training rows were encoded for the cache: a trained user's own ratings fold in to their own
 * {@code d_u} bit for bit. Items out of range are ignored. A user out of range, or without ratings,
 * is the encoding of an empty row.
 */
public class UserAutoencoderModel implements RatingModel {
    /** A pool without threads: kernels on the calling thread. */
    static final Parallel SERIAL = new Parallel(1);

    final UserAutoencoderTrainer.Spec spec;
    final int numUsers;
    final int numItems;
    final float[] inW;
    final float[] inB;
    final float[][] encW;
    final float[][] encB;
    final float[][] decW;
    final float[][] decB;
    final float[] outW;
    final float[] outB;
    /** d_u per trained user. */
    final float[] last;
    /** e_u per trained user. */
    final float[] latent;
    /** Mean squared training residual (the gaussian noise variance), 1 when unknown. */
    final double noise;
    final State empty;

    UserAutoencoderModel(UserAutoencoderTrainer.Spec spec, int numUsers, int numItems, float[] inW, float[] inB,
                         float[][] encW, float[][] encB, float[][] decW, float[][] decB, float[] outW, float[] outB,
                         float[] last, float[] latent, double noise) {
        this.spec = spec;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.inW = inW;
        this.inB = inB;
        this.encW = encW;
        this.encB = encB;
        this.decW = decW;
        this.decB = decB;
        this.outW = outW;
        this.outB = outB;
        this.last = last;
        this.latent = latent;
        this.noise = noise;
        this.empty = encode(-1, new int[0], new float[0], 0, 0);
    }

    /** The model of a training run's current parameters, with the users' encodings computed on {@code pool}. */
    static UserAutoencoderModel of(UserAutoencoderTrainer.Spec spec, UserAutoencoderTrainer.Network net,
                                   RatingMatrix m, double noise, Parallel pool) {
        float[][][] enc = layers(net.enc);
        float[][][] dec = layers(net.dec);
        UserAutoencoderModel shell = make(spec, m.numUsers(), m.numItems(), net.in.weights().value(),
                net.in.bias().value(), enc[0], enc[1], dec[0], dec[1], net.out.weights().value(),
                net.out.bias().value(), new float[0], new float[0], noise);
        int nu = m.numUsers();
        int lw = spec.last();
        int ew = spec.encoderOut();
        float[] last = new float[Math.multiplyExact(nu, lw)];
        float[] latent = new float[Math.multiplyExact(nu, ew)];
        int[] off = m.userOffsets();
        pool.forBlocks(nu, 64, (blk, lo, hi) -> {
            for (int u = lo; u < hi; u++) {
                State s = shell.encode(u, m.userItems(), m.userValues(), off[u], off[u + 1]);
                System.arraycopy(s.last(), 0, last, u * lw, lw);
                System.arraycopy(s.latent(), 0, latent, u * ew, ew);
            }
        });
        return make(spec, nu, m.numItems(), shell.inW, shell.inB, enc[0], enc[1], dec[0], dec[1], shell.outW,
                shell.outB, last, latent, noise);
    }

    private static UserAutoencoderModel make(UserAutoencoderTrainer.Spec spec, int nu, int ni, float[] inW,
                                             float[] inB, float[][] encW, float[][] encB, float[][] decW,
                                             float[][] decB, float[] outW, float[] outB, float[] last,
                                             float[] latent, double noise) {
        return spec.variational()
                ? new MultVaeModel(spec, nu, ni, inW, inB, encW, encB, decW, decB, outW, outB, last, latent, noise)
                : new UserAutoencoderModel(spec, nu, ni, inW, inB, encW, encB, decW, decB, outW, outB, last, latent,
                noise);
    }

    private static float[][][] layers(Mlp mlp) {
        int n = mlp == null ? 0 : mlp.numLayers();
        float[][][] r = new float[2][n][];
        for (int l = 0; l < n; l++) {
            r[0][l] = mlp.layer(l).weights().value();
            r[1][l] = mlp.layer(l).bias().value();
        }
        return r;
    }

    /** Reads a {@code dae-cf} model. */
    public static UserAutoencoderModel readDae(DataInput in, DaeCfConfig config) throws IOException {
        return read(in, config.spec());
    }

    /** Reads a {@code mult-vae} model. */
    public static MultVaeModel readVae(DataInput in, MultVaeConfig config) throws IOException {
        return (MultVaeModel) read(in, config.spec());
    }

    private static UserAutoencoderModel read(DataInput in, UserAutoencoderTrainer.Spec spec) throws IOException {
        int nu = in.readInt();
        int ni = in.readInt();
        int[] hidden = ModelIo.readInts(in);
        int rank = in.readInt();
        if (nu < 0 || ni < 0 || rank != spec.rank() || !Arrays.equals(hidden, spec.hidden())) {
            throw new IOException(spec.name() + " model (K " + rank + ", hidden " + Arrays.toString(hidden)
                    + ") differs from its config (K " + spec.rank() + ", hidden " + Arrays.toString(spec.hidden()) + ")");
        }
        double noise = in.readDouble();
        float[] inW = ModelIo.readFloats(in, "first layer weights", ni, spec.first());
        float[] inB = ModelIo.readFloats(in, "first layer bias", 1, spec.first());
        float[][][] enc = readLayers(in, spec.encoderSizes(), "encoder");
        float[][][] dec = readLayers(in, spec.decoderSizes(), "decoder");
        float[] outW = ModelIo.readFloats(in, "output weights", ni, spec.last());
        float[] outB = ModelIo.readFloats(in, "output bias", ni, 1);
        float[] last = ModelIo.readFloats(in, "user encodings", nu, spec.last());
        float[] latent = ModelIo.readFloats(in, "user latents", nu, spec.encoderOut());
        return make(spec, nu, ni, inW, inB, enc[0], enc[1], dec[0], dec[1], outW, outB, last, latent, noise);
    }

    private static float[][][] readLayers(DataInput in, int[] sizes, String what) throws IOException {
        int n = sizes == null ? 0 : sizes.length - 1;
        float[][][] r = new float[2][n][];
        for (int l = 0; l < n; l++) {
            r[0][l] = ModelIo.readFloats(in, what + " weights " + l, sizes[l], sizes[l + 1]);
            r[1][l] = ModelIo.readFloats(in, what + " bias " + l, 1, sizes[l + 1]);
        }
        return r;
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        ModelIo.writeInts(out, spec.hidden());
        out.writeInt(spec.rank());
        out.writeDouble(noise);
        ModelIo.writeFloats(out, Arrays.copyOf(inW, numItems * spec.first()));
        ModelIo.writeFloats(out, Arrays.copyOf(inB, spec.first()));
        for (float[][][] l : new float[][][][] {{encW, encB}, {decW, decB}}) {
            for (int q = 0; q < l[0].length; q++) {
                ModelIo.writeFloats(out, l[0][q]);
                ModelIo.writeFloats(out, l[1][q]);
            }
        }
        ModelIo.writeFloats(out, Arrays.copyOf(outW, numItems * spec.last()));
        ModelIo.writeFloats(out, Arrays.copyOf(outB, numItems));
        ModelIo.writeFloats(out, last);
        ModelIo.writeFloats(out, latent);
    }

    /** A user: the encoder output e_u and the decoder's last hidden layer d_u at z = mu (or the code). */
    public record State(int user, float[] latent, float[] last) implements UserState {
    }

    /**
     * Encodes entries {@code [from, to)} of a row (items out of range skipped): normalised input,
     * first layer in entry order, encoder, z = mu (VAE) or the code, decoder.
     */
    State encode(int user, int[] items, float[] values, int from, int to) {
        double s = 0;
        for (int p = from; p < to; p++) {
            if (items[p] >= 0 && items[p] < numItems) {
                s += (double) values[p] * values[p];
            }
        }
        float inv = s == 0 ? 0f : (float) (1 / Math.sqrt(s));
        int f = spec.first();
        float[] a = inB.clone();
        for (int p = from; p < to; p++) {
            int i = items[p];
            if (i >= 0 && i < numItems) {
                Kernels.axpy(values[p] * inv, inW, i * f, a, 0, f);
            }
        }
        Kernels.activate(spec.firstActivation(), a, a, f, SERIAL);
        int[] es = spec.encoderSizes();
        float[] e = es == null ? a : dense(a, encW, encB, es, Activation.TANH,
                spec.variational() ? Activation.IDENTITY : Activation.TANH);
        float[] d = decode(Arrays.copyOf(e, spec.rank()));
        return new State(user, e, d);
    }

    /** The decoder's last hidden layer for latent {@code z}. */
    float[] decode(float[] z) {
        int[] ds = spec.decoderSizes();
        return ds == null ? z : dense(z, decW, decB, ds, Activation.TANH, Activation.TANH);
    }

    private static float[] dense(float[] x, float[][] w, float[][] b, int[] sizes, Activation hidden, Activation out) {
        float[] cur = x;
        for (int l = 0; l < w.length; l++) {
            float[] y = new float[sizes[l + 1]];
            Kernels.affine(cur, w[l], b[l], y, 1, sizes[l], sizes[l + 1], SERIAL);
            Kernels.activate(l == w.length - 1 ? out : hidden, y, y, y.length, SERIAL);
            cur = y;
        }
        return cur;
    }

    @Override
    public String algorithm() {
        return spec.name();
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    /** The output at item {@code item} for decoder hidden {@code d}; without the item, the mean output bias. */
    double output(float[] d, int dOff, int item) {
        if (item < 0 || item >= numItems) {
            double s = 0;
            for (int i = 0; i < numItems; i++) {
                s += outB[i];
            }
            return numItems == 0 ? 0 : s / numItems;
        }
        int lw = spec.last();
        return outB[item] + Kernels.dot(d, dOff, outW, item * lw, lw);
    }

    @Override
    public double predict(int user, int item) {
        if (user < 0 || user >= numUsers) {
            return output(empty.last(), 0, item);
        }
        return output(last, user * spec.last(), item);
    }

    @Override
    public State user(int user) {
        if (user < 0 || user >= numUsers) {
            return empty;
        }
        int lw = spec.last();
        int ew = spec.encoderOut();
        return new State(user, Arrays.copyOfRange(latent, user * ew, (user + 1) * ew),
                Arrays.copyOfRange(last, user * lw, (user + 1) * lw));
    }

    @Override
    public State foldIn(int[] items, float[] ratings) {
        return encode(-1, items, ratings, 0, items.length);
    }

    @Override
    public double predict(UserState user, int item) {
        return output(((State) user).last(), 0, item);
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        float[] d = ((State) user).last();
        for (int i = 0; i < out.length; i++) {
            out[i] = output(d, 0, i);
        }
    }
}
