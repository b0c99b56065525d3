package org.varec.model.vb;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.FactorModel;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;

/**
 * A trained {@code vbmf} model: Gaussian posteriors {@code q(u) = N(m_u, S_u)}, {@code q(v)},
 * {@code q(b_u)}, {@code q(b_i)} per user and item (S diagonal or full), the learned noise
 * precision lambda, the factor priors (ARD precisions tau_u, tau_v, or learned Gaussian priors)
 * and bias precisions gamma_u, gamma_v.
 *
 * <p>Predictive distribution of a rating (docs/vbmf.md, eq (P)): mean
 * {@code mu + E[b_u] + E[b_i] + m_u . m_v}, variance
 * {@code 1/lambda + m_u^T S_v m_u + m_v^T S_u m_v + tr(S_u S_v) + Var[b_u] + Var[b_i]}.
 * An unknown user (or item) is its prior, exactly the fold-in of no rating: {@code u ~ N(m0, P^-1)}
 * (ARD: {@code N(0, diag(1/tau_u))}; in diagonal mode projected to {@code 1/P_kk}),
 * {@code b_u ~ N(0, 1/gamma_u)}, so under ARD its predictive mean is {@code mu + E[b_i]}.
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
    private final Prior priorU;
    private final Prior priorV;
    private final double gammaU;
    private final double gammaV;
    private final float[] pmU;
    private final float[] pcU;
    private final float[] pmV;
    private final float[] pcV;

    VbmfModel(int rank, boolean full, double mu, float[] um, float[] uv, float[] ubm, float[] ubv, float[] vm,
              float[] vv, float[] vbm, float[] vbv, double lambda, Prior priorU, Prior priorV, double gammaU,
              double gammaV) {
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
        this.priorU = priorU;
        this.priorV = priorV;
        this.gammaU = gammaU;
        this.gammaV = gammaV;
        this.pmU = new float[rank];
        this.pcU = new float[kv];
        this.pmV = new float[rank];
        this.pcV = new float[kv];
        RowPosterior rp = new RowPosterior(rank, full);
        rp.update(vm, vv, vbm, new int[0], new float[0], 0, 0, mu, lambda, priorU, gammaU, pmU, 0, pcU, 0);
        rp.update(um, uv, ubm, new int[0], new float[0], 0, 0, mu, lambda, priorV, gammaV, pmV, 0, pcV, 0);
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
        double gammaU = in.readDouble();
        double gammaV = in.readDouble();
        Prior priorU = readPrior(in, rank);
        Prior priorV = readPrior(in, rank);
        float[] um = ModelIo.readFloats(in);
        float[] uv = ModelIo.readFloats(in);
        float[] ubm = ModelIo.readFloats(in);
        float[] ubv = ModelIo.readFloats(in);
        float[] vm = ModelIo.readFloats(in);
        float[] vv = ModelIo.readFloats(in);
        float[] vbm = ModelIo.readFloats(in);
        float[] vbv = ModelIo.readFloats(in);
        long kv = full ? (long) rank * rank : rank;
        if (um.length != (long) ubm.length * rank || uv.length != ubm.length * kv || ubv.length != ubm.length
                || vm.length != (long) vbm.length * rank || vv.length != vbm.length * kv || vbv.length != vbm.length) {
            throw new IOException("posterior arrays do not match the bias arrays at rank " + rank);
        }
        if (!(lambda > 0) || !(gammaU > 0) || !(gammaV > 0)) {
            throw new IOException("precisions must be positive (lambda " + lambda + ", gamma " + gammaU + ", "
                    + gammaV + ")");
        }
        return new VbmfModel(rank, full, mu, um, uv, ubm, ubv, vm, vv, vbm, vbv, lambda, priorU, priorV, gammaU,
                gammaV);
    }

    private static Prior readPrior(DataInput in, int rank) throws IOException {
        double[] m0 = ModelIo.readDoubles(in);
        double[] prec = ModelIo.readDoubles(in);
        if (m0.length != rank || prec.length != rank * rank) {
            throw new IOException("factor prior does not have rank " + rank);
        }
        Prior p = new Prior(rank);
        p.set(m0, prec);
        return p;
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(rank);
        out.writeBoolean(full);
        out.writeDouble(mu);
        out.writeDouble(lambda);
        out.writeDouble(gammaU);
        out.writeDouble(gammaV);
        ModelIo.writeDoubles(out, priorU.mean);
        ModelIo.writeDoubles(out, priorU.prec);
        ModelIo.writeDoubles(out, priorV.mean);
        ModelIo.writeDoubles(out, priorV.prec);
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
    /** The user factor prior (shared, not copied: read only; {@link VbmfDistributed#of}). */
    Prior priorU() {
        return priorU;
    }

    /** The item factor prior (shared, not copied: read only). */
    Prior priorV() {
        return priorV;
    }

    public double lambda() {
        return lambda;
    }

    /** Prior precision of the user biases. */
    public double gammaUsers() {
        return gammaU;
    }

    /** Prior precision of the item biases. */
    public double gammaItems() {
        return gammaV;
    }

    /** Per-dimension prior precisions of the user factors (ARD tau_u; the diagonal of P_u otherwise). */
    public double[] tauUsers() {
        return priorU.diagonal();
    }

    /** Per-dimension prior precisions of the item factors (ARD tau_v; the diagonal of P_v otherwise). */
    public double[] tauItems() {
        return priorV.diagonal();
    }

    /** Prior mean of the user factors (zero under ARD; a copy). */
    public double[] priorMeanUsers() {
        return priorU.mean.clone();
    }

    /** Prior mean of the item factors (zero under ARD; a copy). */
    public double[] priorMeanItems() {
        return priorV.mean.clone();
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

    /** Posterior variances of the user biases (shared array: read only). */
    public float[] userBiasVariances() {
        return ubv;
    }

    /** Posterior variances of the item biases (shared array: read only). */
    public float[] itemBiasVariances() {
        return vbv;
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
        float[] a = ku ? um : pmU;
        float[] b = ki ? vm : pmV;
        int ao = ku ? user * rank : 0;
        int bo = ki ? item * rank : 0;
        for (int f = 0; f < rank; f++) {
            s += (double) a[ao + f] * b[bo + f];
        }
        return s;
    }

    @Override
    public Predictive predictive(int user, int item) {
        boolean ku = knownUser(user);
        boolean ki = knownItem(item);
        return predictive(ku ? um : pmU, ku ? user * rank : 0, ku ? uv : pcU, ku ? user * kv : 0,
                ku ? ubm[user] : 0, ku ? ubv[user] : 1 / gammaU, item, ki);
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State s = (State) user;
        return predictive(s.mean(), 0, s.covariance(), 0, s.bias(), s.biasVariance(), item, knownItem(item));
    }

    private Predictive predictive(float[] mu1, int mo, float[] s1, int so, double b, double bvar, int item,
                                  boolean ki) {
        float[] mv = ki ? vm : pmV;
        int vo = ki ? item * rank : 0;
        float[] sv = ki ? vv : pcV;
        int svo = ki ? item * kv : 0;
        double mean = mu + b + (ki ? vbm[item] : 0);
        for (int f = 0; f < rank; f++) {
            mean += (double) mu1[mo + f] * mv[vo + f];
        }
        double var = 1 / lambda + bvar + (ki ? vbv[item] : 1 / gammaV)
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
            return new State(-1, pmU.clone(), pcU.clone(), 0, 1 / gammaU);
        }
        float[] m = new float[rank];
        float[] c = new float[kv];
        System.arraycopy(um, user * rank, m, 0, rank);
        System.arraycopy(uv, user * kv, c, 0, kv);
        return new State(user, m, c, ubm[user], ubv[user]);
    }

    /**
     * A new user's posterior from a few ratings with the item posteriors fixed: exactly one CAVI
     * user update of training ({@link RowPosterior}), with the learned lambda, tau_u and gamma_u.
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
        double b = new RowPosterior(rank, full).update(vm, vv, vbm, idx, val, 0, n, mu, lambda, priorU, gammaU, m, 0,
                c, 0);
        return new State(-1, m, c, b, 1 / (gammaU + lambda * n));
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        boolean ki = knownItem(item);
        double r = mu + s.bias() + (ki ? vbm[item] : 0);
        float[] v = s.mean();
        float[] w = ki ? vm : pmV;
        int b = ki ? item * rank : 0;
        for (int f = 0; f < rank; f++) {
            r += (double) v[f] * w[b + f];
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
