package org.varec.model.vb;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import org.varec.io.ModelIo;
import org.varec.model.FactorModel;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.train.EpochReport;

/**
 * A trained {@code vbmf} model: Gaussian posteriors {@code q(u) = N(m_u, S_u)}, {@code q(v)},
 * {@code q(b_u)}, {@code q(b_i)} per user and item (S diagonal or full), the learned noise
 * precision lambda, ARD precisions tau_u, tau_v and bias precision gamma.
 *
 * <p>Predictive distribution of a rating (docs/vbmf.md, eq (P)): mean
 * {@code mu + E[b_u] + E[b_i] + m_u . m_v}, variance
 * {@code 1/lambda + m_u^T S_v m_u + m_v^T S_u m_v + tr(S_u S_v) + Var[b_u] + Var[b_i]}.
 * An unknown user (or item) is its prior: {@code u ~ N(0, diag(1/tau_u))}, {@code b ~ N(0, 1/gamma)},
 * so its predictive mean is {@code mu + E[b_i]} with a wide variance.
 */
public final class VbmfModel implements FactorModel, ProbabilisticModel {
    private final int rank;
    private final boolean full;
    private final int kv;
    private final double mu;
    private final float[] um;
    private final float[] uv;
    private final float[] ubm;
    private final float[] ubv;
    private final float[] vm;
    private final float[] vv;
    private final float[] vbm;
    private final float[] vbv;
    private final double lambda;
    private final double[] tauU;
    private final double[] tauV;
    private final double gamma;
    private final float[] zeros;
    private final float[] priorU;
    private final float[] priorV;
    private final List<EpochReport> history;

    VbmfModel(int rank, boolean full, double mu, float[] um, float[] uv, float[] ubm, float[] ubv, float[] vm,
              float[] vv, float[] vbm, float[] vbv, double lambda, double[] tauU, double[] tauV, double gamma,
              List<EpochReport> history) {
        this.rank = rank;
        this.full = full;
        this.kv = full ? rank * rank : rank;
        this.mu = mu;
        this.um = um;
        this.uv = uv;
        this.ubm = ubm;
        this.ubv = ubv;
        this.vm = vm;
        this.vv = vv;
        this.vbm = vbm;
        this.vbv = vbv;
        this.lambda = lambda;
        this.tauU = tauU;
        this.tauV = tauV;
        this.gamma = gamma;
        this.zeros = new float[rank];
        this.priorU = priorCov(tauU);
        this.priorV = priorCov(tauV);
        this.history = List.copyOf(history);
    }

    private float[] priorCov(double[] tau) {
        float[] c = new float[kv];
        for (int x = 0; x < rank; x++) {
            c[full ? x * rank + x : x] = (float) (1 / tau[x]);
        }
        return c;
    }

    /** Reads what {@link #writeParameters} wrote; rank and covariance mode must match the config. */
    public static VbmfModel read(DataInput in, VbmfConfig config) throws IOException {
        int rank = in.readInt();
        boolean full = in.readBoolean();
        if (rank != config.rank() || full != config.fullCovariance()) {
            throw new IOException("model (rank " + rank + ", " + (full ? "full" : "diagonal")
                    + ") differs from its config (rank " + config.rank() + ", "
                    + (config.fullCovariance() ? "full" : "diagonal") + ")");
        }
        double mu = in.readDouble();
        double lambda = in.readDouble();
        double gamma = in.readDouble();
        double[] tauU = ModelIo.readDoubles(in);
        double[] tauV = ModelIo.readDoubles(in);
        float[] um = ModelIo.readFloats(in);
        float[] uv = ModelIo.readFloats(in);
        float[] ubm = ModelIo.readFloats(in);
        float[] ubv = ModelIo.readFloats(in);
        float[] vm = ModelIo.readFloats(in);
        float[] vv = ModelIo.readFloats(in);
        float[] vbm = ModelIo.readFloats(in);
        float[] vbv = ModelIo.readFloats(in);
        long kv = full ? (long) rank * rank : rank;
        if (tauU.length != rank || tauV.length != rank) {
            throw new IOException("prior precision vectors do not have rank " + rank + " entries");
        }
        if (um.length != (long) ubm.length * rank || uv.length != ubm.length * kv || ubv.length != ubm.length
                || vm.length != (long) vbm.length * rank || vv.length != vbm.length * kv || vbv.length != vbm.length) {
            throw new IOException("posterior arrays do not match the bias arrays at rank " + rank);
        }
        if (!(lambda > 0) || !(gamma > 0)) {
            throw new IOException("precisions must be positive (lambda " + lambda + ", gamma " + gamma + ")");
        }
        return new VbmfModel(rank, full, mu, um, uv, ubm, ubv, vm, vv, vbm, vbv, lambda, tauU, tauV, gamma, List.of());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(rank);
        out.writeBoolean(full);
        out.writeDouble(mu);
        out.writeDouble(lambda);
        out.writeDouble(gamma);
        ModelIo.writeDoubles(out, tauU);
        ModelIo.writeDoubles(out, tauV);
        ModelIo.writeFloats(out, um);
        ModelIo.writeFloats(out, uv);
        ModelIo.writeFloats(out, ubm);
        ModelIo.writeFloats(out, ubv);
        ModelIo.writeFloats(out, vm);
        ModelIo.writeFloats(out, vv);
        ModelIo.writeFloats(out, vbm);
        ModelIo.writeFloats(out, vbv);
    }

    @Override
    public String algorithm() {
        return "vbmf";
    }

    public List<EpochReport> history() {
        return history;
    }

    @Override
    public int numUsers() {
        return ubm.length;
    }

    @Override
    public int numItems() {
        return vbm.length;
    }

    @Override
    public int rank() {
        return rank;
    }

    /** Whether rows carry a full K x K covariance (else K variances). */
    public boolean fullCovariance() {
        return full;
    }

    /** Learned (or fixed) noise precision lambda. */
    public double lambda() {
        return lambda;
    }

    /** Bias prior precision gamma. */
    public double gamma() {
        return gamma;
    }

    /** Per-dimension prior precisions of the user factors (a copy). */
    public double[] tauUsers() {
        return tauU.clone();
    }

    /** Per-dimension prior precisions of the item factors (a copy). */
    public double[] tauItems() {
        return tauV.clone();
    }

    @Override
    public float[] itemFactors() {
        return vm;
    }

    @Override
    public float[] userFactors() {
        return um;
    }

    @Override
    public float[] itemBiases() {
        return vbm;
    }

    /** User bias posterior means; callers must not modify. */
    public float[] userBiases() {
        return ubm;
    }

    /** Item posterior covariances: K variances or K x K per row; callers must not modify. */
    public float[] itemCovariances() {
        return vv;
    }

    /** User posterior covariances: K variances or K x K per row; callers must not modify. */
    public float[] userCovariances() {
        return uv;
    }

    @Override
    public double globalMean() {
        return mu;
    }

    private boolean knownUser(int u) {
        return u >= 0 && u < ubm.length;
    }

    private boolean knownItem(int i) {
        return i >= 0 && i < vbm.length;
    }

    @Override
    public double predict(int user, int item) {
        boolean ku = knownUser(user);
        boolean ki = knownItem(item);
        double s = mu + (ku ? ubm[user] : 0) + (ki ? vbm[item] : 0);
        if (ku && ki) {
            int a = user * rank;
            int b = item * rank;
            for (int f = 0; f < rank; f++) {
                s += (double) um[a + f] * vm[b + f];
            }
        }
        return s;
    }

    @Override
    public Predictive predictive(int user, int item) {
        boolean ku = knownUser(user);
        boolean ki = knownItem(item);
        return predictive(ku ? um : zeros, ku ? user * rank : 0, ku ? uv : priorU, ku ? user * kv : 0,
                ku ? ubm[user] : 0, ku ? ubv[user] : 1 / gamma, item, ki);
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State s = (State) user;
        return predictive(s.mean(), 0, s.covariance(), 0, s.bias(), s.biasVariance(), item, knownItem(item));
    }

    private Predictive predictive(float[] mu1, int mo, float[] s1, int so, double b, double bvar, int item,
                                  boolean ki) {
        float[] mv = ki ? vm : zeros;
        int vo = ki ? item * rank : 0;
        float[] sv = ki ? vv : priorV;
        int svo = ki ? item * kv : 0;
        double mean = mu + b + (ki ? vbm[item] : 0);
        for (int f = 0; f < rank; f++) {
            mean += (double) mu1[mo + f] * mv[vo + f];
        }
        double var = 1 / lambda + bvar + (ki ? vbv[item] : 1 / gamma)
                + RowPosterior.varDot(rank, full, mu1, mo, s1, so, mv, vo, sv, svo);
        return new Predictive(mean, var);
    }

    /**
     * A user as the model sees it: posterior mean and covariance of its vector (K variances or
     * K x K row-major), posterior mean and variance of its bias.
     */
    public record State(int user, float[] mean, float[] covariance, double bias, double biasVariance)
            implements UserState {
    }

    @Override
    public UserState user(int user) {
        if (!knownUser(user)) {
            return new State(-1, new float[rank], priorU.clone(), 0, 1 / gamma);
        }
        float[] m = new float[rank];
        float[] c = new float[kv];
        System.arraycopy(um, user * rank, m, 0, rank);
        System.arraycopy(uv, user * kv, c, 0, kv);
        return new State(user, m, c, ubm[user], ubv[user]);
    }

    /**
     * A new user's posterior from a few ratings with the item posteriors fixed: exactly one CAVI
     * user update of training ({@link RowPosterior}), with the learned lambda, tau_u and gamma.
     * Items outside the trained range are ignored; with no usable rating the user is the prior.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int n = 0;
        int[] idx = new int[items.length];
        float[] val = new float[items.length];
        for (int p = 0; p < items.length; p++) {
            if (knownItem(items[p])) {
                idx[n] = items[p];
                val[n] = ratings[p];
                n++;
            }
        }
        float[] m = new float[rank];
        float[] c = new float[kv];
        double b = new RowPosterior(rank, full).update(vm, vv, vbm, idx, val, 0, n, mu, lambda, tauU, gamma, m, 0,
                c, 0);
        return new State(-1, m, c, b, 1 / (gamma + lambda * n));
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        double r = mu + s.bias();
        if (knownItem(item)) {
            r += vbm[item];
            float[] v = s.mean();
            int b = item * rank;
            for (int f = 0; f < rank; f++) {
                r += (double) v[f] * vm[b + f];
            }
        }
        return r;
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        State s = (State) user;
        float[] v = s.mean();
        double base = mu + s.bias();
        final int k = rank;
        for (int i = 0, o = 0; i < out.length; i++, o += k) {
            double r = base + vbm[i];
            for (int f = 0; f < k; f++) {
                r += v[f] * vm[o + f];
            }
            out[i] = r;
        }
    }

    @Override
    public float[] userVector(UserState user) {
        return ((State) user).mean().clone();
    }
}
