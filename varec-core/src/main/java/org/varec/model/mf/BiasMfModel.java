package org.varec.model.mf;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.varec.io.ModelIo;
import org.varec.model.FactorModel;
import org.varec.model.UserState;
import org.varec.model.als.RidgeSolver;
import org.varec.train.EpochReport;

/**
 * {@code r_ui = mu + b_u + b_i + p_u . q_i}. Unknown users contribute a zero bias and vector,
 * unknown items likewise. Factors are row-major float arrays ({@code p[u * k + f]}).
 */
public final class BiasMfModel implements FactorModel {
    private final int k;
    private final double mu;
    private final float[] userBias;
    private final float[] itemBias;
    private final float[] p;
    private final float[] q;
    private final double reg;
    private final double regBias;
    private final List<EpochReport> history;

    /** Takes the arrays without copying: the caller must not modify them afterwards. */
    public BiasMfModel(int rank, double mu, float[] userBias, float[] itemBias, float[] userFactors,
                       float[] itemFactors, double reg, double regBias, List<EpochReport> history) {
        if (userFactors.length != (long) userBias.length * rank || itemFactors.length != (long) itemBias.length * rank) {
            throw new IllegalArgumentException("factor arrays do not match " + userBias.length + " users, "
                    + itemBias.length + " items and rank " + rank);
        }
        this.k = rank;
        this.mu = mu;
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.p = userFactors;
        this.q = itemFactors;
        this.reg = reg;
        this.regBias = regBias;
        this.history = List.copyOf(history);
    }

    public static BiasMfModel read(DataInput in, BiasMfConfig config) throws IOException {
        int rank = in.readInt();
        if (rank != config.rank()) {
            throw new IOException("rank " + rank + " in the parameters differs from the config's " + config.rank());
        }
        double mu = in.readDouble();
        float[] bu = ModelIo.readFloats(in);
        float[] bi = ModelIo.readFloats(in);
        float[] p = ModelIo.readFloats(in);
        float[] q = ModelIo.readFloats(in);
        if (p.length != (long) bu.length * rank || q.length != (long) bi.length * rank) {
            throw new IOException("factor arrays do not match the bias arrays and rank " + rank);
        }
        return new BiasMfModel(rank, mu, bu, bi, p, q, config.reg(), config.regBias(), List.of());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(k);
        out.writeDouble(mu);
        ModelIo.writeFloats(out, userBias);
        ModelIo.writeFloats(out, itemBias);
        ModelIo.writeFloats(out, p);
        ModelIo.writeFloats(out, q);
    }

    /** The training history (empty for a loaded model: the model file keeps it in provenance). */
    public List<EpochReport> history() {
        return history;
    }

    @Override
    public String algorithm() {
        return "biasmf";
    }

    @Override
    public int numUsers() {
        return userBias.length;
    }

    @Override
    public int numItems() {
        return itemBias.length;
    }

    @Override
    public int rank() {
        return k;
    }

    @Override
    public float[] itemFactors() {
        return q;
    }

    @Override
    public float[] userFactors() {
        return p;
    }

    @Override
    public float[] itemBiases() {
        return itemBias;
    }

    /** User biases (length {@code numUsers()}); shared, do not modify. */
    public float[] userBiases() {
        return userBias;
    }

    @Override
    public double globalMean() {
        return mu;
    }

    private boolean knownUser(int u) {
        return u >= 0 && u < userBias.length;
    }

    private boolean knownItem(int i) {
        return i >= 0 && i < itemBias.length;
    }

    @Override
    public double predict(int user, int item) {
        boolean ku = knownUser(user);
        boolean ki = knownItem(item);
        double r = mu + (ku ? userBias[user] : 0) + (ki ? itemBias[item] : 0);
        if (ku && ki) {
            r += dot(p, user * k, q, item * k, k);
        }
        return r;
    }

    /** A user as bias and factor vector (a trained user's own, or a folded-in one). */
    public record State(int user, double bias, float[] vector) implements UserState {
    }

    @Override
    public UserState user(int user) {
        if (!knownUser(user)) {
            return new State(-1, 0, new float[k]);
        }
        return new State(user, userBias[user], Arrays.copyOfRange(p, user * k, (user + 1) * k));
    }

    /**
     * Bias and vector of a new user by one ridge solve with the items fixed: minimises the
     * training objective restricted to this user,
     * {@code sum_j (r_j - mu - b_j - b - v.q_j)^2 + n (reg |v|^2 + reg_bias b^2)}, over n known items.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int[] idx = new int[items.length];
        float[] val = new float[items.length];
        int n = 0;
        for (int t = 0; t < items.length; t++) {
            if (knownItem(items[t])) {
                idx[n] = items[t];
                val[n] = ratings[t];
                n++;
            }
        }
        float[] v = new float[k];
        if (n == 0) {
            return new State(-1, 0, v);
        }
        // The ridge problem SGD approximates for this user: its penalties are applied once per
        // rating, so over n ratings they weigh n * reg (factors) and n * reg_bias (bias). A tiny
        // floor keeps the system positive definite when a penalty is 0.
        double tau = n * Math.max(reg, 1e-9);
        double gamma = n * Math.max(regBias, 1e-9);
        double b = new RidgeSolver(k, true).solve(q, itemBias, idx, val, 0, n, mu, 1, tau, gamma, null, 0, v, 0);
        return new State(-1, b, v);
    }

    @Override
    public float[] userVector(UserState user) {
        return ((State) user).vector().clone();
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        if (!knownItem(item)) {
            return mu + s.bias();
        }
        return mu + s.bias() + itemBias[item] + dot(s.vector(), 0, q, item * k, k);
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        State s = (State) user;
        float[] v = s.vector();
        double base = mu + s.bias();
        int n = Math.min(out.length, itemBias.length);
        for (int i = 0; i < n; i++) {
            int o = i * k;
            float acc = 0;
            for (int f = 0; f < k; f++) {
                acc += v[f] * q[o + f];
            }
            out[i] = base + itemBias[i] + acc;
        }
        for (int i = n; i < out.length; i++) {
            out[i] = base;
        }
    }

    /** {@code a[ao..ao+k) . b[bo..bo+k)} accumulated in float, as in training. */
    static float dot(float[] a, int ao, float[] b, int bo, int k) {
        float s = 0;
        for (int f = 0; f < k; f++) {
            s += a[ao + f] * b[bo + f];
        }
        return s;
    }
}
