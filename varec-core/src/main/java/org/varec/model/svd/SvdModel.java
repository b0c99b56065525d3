package org.varec.model.svd;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.varec.io.ModelIo;
import org.varec.model.FactorModel;
import org.varec.model.UserState;
import org.varec.train.EpochReport;

/**
 * A truncated SVD {@code A ~ U S V^T} of the centred rating matrix as a factor model:
 * {@code r_ui = mu [+ b_u + b_i] + p_u . q_i} with {@code q_i = V_i sqrt(S)} and
 * {@code p_u = A_u V S^(-1/2)} (= {@code U_u sqrt(S)} for exact singular vectors). Components
 * beyond the matrix's numerical rank have zero singular value and zero factors.
 */
public final class SvdModel implements FactorModel {
    private final int k;
    private final double mu;
    private final double[] sigma;
    private final float[] p;
    private final float[] q;
    /** Null unless the matrix was centred by biases. */
    private final float[] userBias;
    private final float[] itemBias;
    private final double regBias;
    private final int numUsers;
    private final int numItems;
    private final List<EpochReport> history;

    /** Takes the arrays without copying. {@code userBias} and {@code itemBias} are both null or both set. */
    public SvdModel(int rank, double mu, double[] sigma, float[] userFactors, float[] itemFactors, float[] userBias,
                    float[] itemBias, double regBias, List<EpochReport> history) {
        if (sigma.length != rank || userFactors.length % Math.max(1, rank) != 0
                || itemFactors.length % Math.max(1, rank) != 0 || (userBias == null) != (itemBias == null)) {
            throw new IllegalArgumentException("inconsistent SVD parameters for rank " + rank);
        }
        this.k = rank;
        this.mu = mu;
        this.sigma = sigma;
        this.p = userFactors;
        this.q = itemFactors;
        this.numUsers = userFactors.length / rank;
        this.numItems = itemFactors.length / rank;
        if (userBias != null && (userBias.length != numUsers || itemBias.length != numItems)) {
            throw new IllegalArgumentException("bias arrays do not match the factors");
        }
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.regBias = regBias;
        this.history = List.copyOf(history);
    }

    public static SvdModel read(DataInput in, SvdConfig config) throws IOException {
        int rank = in.readInt();
        if (rank != config.rank()) {
            throw new IOException("rank " + rank + " in the parameters differs from the config's " + config.rank());
        }
        double mu = in.readDouble();
        double[] sigma = ModelIo.readDoubles(in);
        float[] p = ModelIo.readFloats(in);
        float[] q = ModelIo.readFloats(in);
        boolean biases = in.readBoolean();
        float[] bu = biases ? ModelIo.readFloats(in) : null;
        float[] bi = biases ? ModelIo.readFloats(in) : null;
        try {
            return new SvdModel(rank, mu, sigma, p, q, bu, bi, config.regBias(), List.of());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(k);
        out.writeDouble(mu);
        ModelIo.writeDoubles(out, sigma);
        ModelIo.writeFloats(out, p);
        ModelIo.writeFloats(out, q);
        out.writeBoolean(userBias != null);
        if (userBias != null) {
            ModelIo.writeFloats(out, userBias);
            ModelIo.writeFloats(out, itemBias);
        }
    }

    public List<EpochReport> history() {
        return history;
    }

    /** Singular values, descending (a copy). */
    public double[] singularValues() {
        return sigma.clone();
    }

    @Override
    public String algorithm() {
        return "svd";
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

    /** Item biases when centred by biases, else null. */
    @Override
    public float[] itemBiases() {
        return itemBias;
    }

    @Override
    public double globalMean() {
        return mu;
    }

    private boolean knownUser(int u) {
        return u >= 0 && u < numUsers;
    }

    private boolean knownItem(int i) {
        return i >= 0 && i < numItems;
    }

    private double ib(int i) {
        return itemBias == null || !knownItem(i) ? 0 : itemBias[i];
    }

    @Override
    public double predict(int user, int item) {
        boolean ku = knownUser(user);
        double r = mu + (ku && userBias != null ? userBias[user] : 0) + ib(item);
        if (ku && knownItem(item)) {
            r += dot(p, user * k, q, item * k, k);
        }
        return r;
    }

    /** A user as bias (0 when not centred by biases) and factor vector. */
    public record State(int user, double bias, float[] vector) implements UserState {
    }

    @Override
    public UserState user(int user) {
        if (!knownUser(user)) {
            return new State(-1, 0, new float[k]);
        }
        return new State(user, userBias == null ? 0 : userBias[user], Arrays.copyOfRange(p, user * k, (user + 1) * k));
    }

    /**
     * Projects the new user's centred ratings onto the item factors, as the trained users were:
     * {@code v_f = sum_j a_j q_jf / sigma_f}, which is the ridge least-squares fit of the user's
     * full centred row (missing entries 0, as in the factorized matrix) with a vanishing ridge,
     * since {@code Q^T Q = S}. With {@code center=biases} the user's bias comes first, by the
     * closed form of the {@code biases} baseline: {@code b = sum_j (r_j - mu - b_j) / (reg_bias + n)}.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        double b = 0;
        if (userBias != null) {
            double s = 0;
            int n = 0;
            for (int t = 0; t < items.length; t++) {
                if (knownItem(items[t])) {
                    s += ratings[t] - mu - itemBias[items[t]];
                    n++;
                }
            }
            b = n == 0 ? 0 : s / (regBias + n);
        }
        double[] acc = new double[k];
        for (int t = 0; t < items.length; t++) {
            int j = items[t];
            if (!knownItem(j)) {
                continue;
            }
            double a = ratings[t] - mu - b - ib(j);
            for (int f = 0; f < k; f++) {
                acc[f] += a * q[j * k + f];
            }
        }
        float[] v = new float[k];
        for (int f = 0; f < k; f++) {
            v[f] = sigma[f] > 0 ? (float) (acc[f] / sigma[f]) : 0f;
        }
        return new State(-1, b, v);
    }

    @Override
    public float[] userVector(UserState user) {
        return ((State) user).vector().clone();
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        double r = mu + s.bias() + ib(item);
        if (knownItem(item)) {
            r += dot(s.vector(), 0, q, item * k, k);
        }
        return r;
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        State s = (State) user;
        float[] v = s.vector();
        double base = mu + s.bias();
        int n = Math.min(out.length, numItems);
        for (int i = 0; i < n; i++) {
            int o = i * k;
            float acc = 0;
            for (int f = 0; f < k; f++) {
                acc += v[f] * q[o + f];
            }
            out[i] = base + (itemBias == null ? 0 : itemBias[i]) + acc;
        }
        for (int i = n; i < out.length; i++) {
            out[i] = base;
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int k) {
        float s = 0;
        for (int f = 0; f < k; f++) {
            s += a[ao + f] * b[bo + f];
        }
        return s;
    }
}
