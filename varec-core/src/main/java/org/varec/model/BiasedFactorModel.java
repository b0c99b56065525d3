package org.varec.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;

/**
 * The parameters and the serving code every point-estimate factor model shares (ALS, biased MF
 * by SGD, SVD): {@code r_ui = mu + b_u + b_i + u_u . v_i}, factors row-major {@code float[]}
 * ({@code userFactors[u * rank + f]}), biases optional (both present or both absent). The
 * subclasses add only how a new user is folded in and what else they store.
 *
 * <p>Unknown users (index out of range, -1 included) predict {@code mu + b_i}; unknown items
 * {@code mu + b_u}. Dot products accumulate in double, so {@link #predict(int, int)},
 * {@link #predict(UserState, int)} and {@link #scoreAll} agree to the last bit.
 */
public abstract class BiasedFactorModel implements FactorModel {
    protected final int rank;
    protected final double mu;
    protected final float[] userFactors;
    protected final float[] itemFactors;
    /** Null when the model has no biases (then {@link #itemBias} is null too). */
    protected final float[] userBias;
    protected final float[] itemBias;
    protected final int numUsers;
    protected final int numItems;

    /**
     * Takes the arrays without copying (the caller must not modify them afterwards).
     *
     * @throws IllegalArgumentException when the array lengths do not agree with {@code rank}
     */
    protected BiasedFactorModel(int rank, double mu, float[] userFactors, float[] itemFactors, float[] userBias,
                                float[] itemBias) {
        if (rank < 1 || userFactors.length % rank != 0 || itemFactors.length % rank != 0
                || (userBias == null) != (itemBias == null)) {
            throw new IllegalArgumentException("inconsistent factor parameters for rank " + rank);
        }
        this.rank = rank;
        this.mu = mu;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
        this.numUsers = userFactors.length / rank;
        this.numItems = itemFactors.length / rank;
        if (userBias != null && (userBias.length != numUsers || itemBias.length != numItems)) {
            throw new IllegalArgumentException("bias arrays (" + userBias.length + " users, " + itemBias.length
                    + " items) do not match the factors (" + numUsers + " users, " + numItems + " items)");
        }
        this.userBias = userBias;
        this.itemBias = itemBias;
    }

    /** A user as a factor row and a bias: a trained user's own (copied), or one folded in. */
    public record State(int user, float[] vector, double bias) implements UserState {
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public float[] userFactors() {
        return userFactors;
    }

    @Override
    public float[] itemFactors() {
        return itemFactors;
    }

    @Override
    public float[] itemBiases() {
        return itemBias;
    }

    /** User biases (length {@link #numUsers()}), or null without biases; callers must not modify. */
    public float[] userBiases() {
        return userBias;
    }

    @Override
    public double globalMean() {
        return mu;
    }

    protected final boolean knownUser(int u) {
        return u >= 0 && u < numUsers;
    }

    protected final boolean knownItem(int i) {
        return i >= 0 && i < numItems;
    }

    private double itemBiasOf(int i) {
        return itemBias == null || !knownItem(i) ? 0 : itemBias[i];
    }

    @Override
    public double predict(int user, int item) {
        boolean ku = knownUser(user);
        double r = mu + (ku && userBias != null ? userBias[user] : 0) + itemBiasOf(item);
        if (ku && knownItem(item)) {
            r += dot(userFactors, user * rank, itemFactors, item * rank, rank);
        }
        return r;
    }

    @Override
    public UserState user(int user) {
        float[] v = new float[rank];
        if (!knownUser(user)) {
            return new State(-1, v, 0);
        }
        System.arraycopy(userFactors, user * rank, v, 0, rank);
        return new State(user, v, userBias == null ? 0 : userBias[user]);
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        double r = mu + s.bias() + itemBiasOf(item);
        if (knownItem(item)) {
            r += dot(s.vector(), 0, itemFactors, item * rank, rank);
        }
        return r;
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        State s = (State) user;
        float[] v = s.vector();
        double base = mu + s.bias();
        final int k = rank;
        final float[] vf = itemFactors;
        final float[] bi = itemBias;
        int n = Math.min(out.length, numItems);
        for (int i = 0, o = 0; i < n; i++, o += k) {
            double r = base + (bi == null ? 0 : bi[i]);
            for (int f = 0; f < k; f++) {
                r += (double) v[f] * vf[o + f];
            }
            out[i] = r;
        }
        for (int i = n; i < out.length; i++) {
            out[i] = base;
        }
    }

    @Override
    public float[] userVector(UserState user) {
        return ((State) user).vector().clone();
    }

    /** {@code a[ao..ao+k) . b[bo..bo+k)}, accumulated in double. */
    public static double dot(float[] a, int ao, float[] b, int bo, int k) {
        double s = 0;
        for (int f = 0; f < k; f++) {
            s += (double) a[ao + f] * b[bo + f];
        }
        return s;
    }

    /**
     * The (item, rating) pairs of a fold-in whose item the model knows, packed at the front of
     * {@code idx} and {@code val} (each at least {@code items.length} long); returns how many.
     */
    protected final int knownRatings(int[] items, float[] ratings, int[] idx, float[] val) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int n = 0;
        for (int t = 0; t < items.length; t++) {
            if (knownItem(items[t])) {
                idx[n] = items[t];
                val[n] = ratings[t];
                n++;
            }
        }
        return n;
    }

    /** Writes rank, mu, the factors and the biases (the part {@link Factors#read} reads back). */
    protected final void writeFactors(DataOutput out) throws IOException {
        out.writeInt(rank);
        out.writeDouble(mu);
        ModelIo.writeFloats(out, userFactors);
        ModelIo.writeFloats(out, itemFactors);
        out.writeBoolean(userBias != null);
        if (userBias != null) {
            ModelIo.writeFloats(out, userBias);
            ModelIo.writeFloats(out, itemBias);
        }
    }

    /** The shared parameters as read from a model file, checked against the config's rank. */
    public record Factors(int rank, double mu, float[] userFactors, float[] itemFactors, float[] userBias,
                          float[] itemBias) {
        public static Factors read(DataInput in, int expectedRank) throws IOException {
            int rank = in.readInt();
            if (rank != expectedRank) {
                throw new IOException("rank " + rank + " in the parameters differs from the config's " + expectedRank);
            }
            double mu = in.readDouble();
            float[] uf = ModelIo.readFloats(in);
            float[] vf = ModelIo.readFloats(in);
            boolean biases = in.readBoolean();
            float[] bu = biases ? ModelIo.readFloats(in) : null;
            float[] bi = biases ? ModelIo.readFloats(in) : null;
            if (uf.length % rank != 0 || vf.length % rank != 0 || (biases
                    && (bu.length != uf.length / rank || bi.length != vf.length / rank))) {
                throw new IOException("factor and bias arrays do not agree at rank " + rank);
            }
            return new Factors(rank, mu, uf, vf, bu, bi);
        }
    }
}
