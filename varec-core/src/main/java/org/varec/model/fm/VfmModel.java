package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import org.varec.io.ModelIo;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;

/**
 * A factorization machine with a mean-field Gaussian posterior over every parameter: what
 * {@code vfm}, {@code vbfm} and {@code ovbfm} learn. Holds the posterior means and variances of
 * w0, w and V, the noise precision alpha (regression), the learned group priors (for fold-in)
 * and the feature rows.
 *
 * <p>{@link #predict} is the FM on the posterior means (regression: the rating; classification:
 * the mean probability of class 1, {@code E[sigmoid(y)] ~ sigmoid(E[y] / sqrt(1 + pi Var[y] / 8))}).
 * {@link #predictive} gives regression {@code (E[y], 1/alpha + Var_q[y])} and classification
 * {@code (mean probability, Var_q[y])} (the variance of the logit), {@code Var_q} from
 * {@link VfmMoments}.
 *
 * <p>Fold-in: a new user gets a fresh feature in the user-id group (no side features) whose
 * q(w_u), q(v_u) are fitted by Adam on the user's exact ELBO (expected log-likelihood of their
 * ratings by {@value #FOLD_SAMPLES} reparameterised samples per step, minus KL to the learned
 * user-group prior), everything else fixed; {@value #FOLD_STEPS} full-batch steps, seeded by the
 * ratings so the same input gives the same state.
 */
public final class VfmModel implements ProbabilisticModel {
    static final int FOLD_STEPS = 300;
    static final int FOLD_SAMPLES = 4;
    static final double FOLD_LR = 0.05;

    private final String algorithm;
    private final boolean classification;
    private final int d;
    final VfmRows rows;
    final double m0;
    final double s0;
    final float[] mw;
    final float[] sw;
    final float[] mv;
    final float[] sv;
    final double alpha;
    /** Per group g, blocks of d+1: prior means (w then v_f) and precisions. */
    final double[] priorNu;
    final double[] priorLam;
    private final List<EpochReport> history;

    VfmModel(String algorithm, boolean classification, int d, VfmRows rows, double m0, double s0, float[] mw, float[] sw,
             float[] mv, float[] sv, double alpha, double[] priorNu, double[] priorLam, List<EpochReport> history) {
        this.algorithm = algorithm;
        this.classification = classification;
        this.d = d;
        this.rows = rows;
        this.m0 = m0;
        this.s0 = s0;
        this.mw = mw;
        this.sw = sw;
        this.mv = mv;
        this.sv = sv;
        this.alpha = alpha;
        this.priorNu = priorNu;
        this.priorLam = priorLam;
        this.history = List.copyOf(history);
    }

    /** The model of engine parameters (P, glob) as laid out by {@link VfmEngine}. */
    static VfmModel fromEngine(String algorithm, boolean classification, int d, VfmRows rows, double[] P, double[] glob,
                               List<EpochReport> history) {
        int K = rows.numFeatures;
        int bs = 2 * (d + 1);
        float[] mw = new float[K];
        float[] sw = new float[K];
        float[] mv = new float[K * d];
        float[] sv = new float[K * d];
        for (int k = 0; k < K; k++) {
            int o = k * bs;
            mw[k] = (float) P[o];
            double s = VfmEngine.softplus(P[o + 1]);
            sw[k] = (float) (s * s);
            for (int f = 0; f < d; f++) {
                mv[k * d + f] = (float) P[o + 2 + f];
                double t = VfmEngine.softplus(P[o + 2 + d + f]);
                sv[k * d + f] = (float) (t * t);
            }
        }
        int G = rows.numGroups;
        double[] nu = new double[G * (d + 1)];
        double[] lam = new double[G * (d + 1)];
        for (int g = 0; g < G; g++) {
            int o = 3 + g * bs;
            nu[g * (d + 1)] = glob[o];
            lam[g * (d + 1)] = Math.exp(glob[o + 1]);
            for (int f = 0; f < d; f++) {
                nu[g * (d + 1) + 1 + f] = glob[o + 2 + f];
                lam[g * (d + 1) + 1 + f] = Math.exp(glob[o + 2 + d + f]);
            }
        }
        double s0 = VfmEngine.softplus(glob[1]);
        return new VfmModel(algorithm, classification, d, rows, glob[0], s0 * s0, mw, sw, mv, sv, Math.exp(glob[2]), nu,
                lam, history);
    }

    public static VfmModel read(DataInput in, String algorithm) throws IOException {
        boolean cls = in.readBoolean();
        int d = in.readInt();
        VfmRows rows = VfmRows.read(in);
        double m0 = in.readDouble();
        double s0 = in.readDouble();
        float[] mw = ModelIo.readFloats(in);
        float[] sw = ModelIo.readFloats(in);
        float[] mv = ModelIo.readFloats(in);
        float[] sv = ModelIo.readFloats(in);
        double alpha = in.readDouble();
        double[] nu = ModelIo.readDoubles(in);
        double[] lam = ModelIo.readDoubles(in);
        int K = rows.numFeatures;
        if (mw.length != K || sw.length != K || mv.length != K * d || sv.length != K * d
                || nu.length != rows.numGroups * (d + 1) || lam.length != nu.length) {
            throw new IOException("corrupt " + algorithm + " model: parameter sizes do not match");
        }
        return new VfmModel(algorithm, cls, d, rows, m0, s0, mw, sw, mv, sv, alpha, nu, lam, List.of());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeBoolean(classification);
        out.writeInt(d);
        rows.write(out);
        out.writeDouble(m0);
        out.writeDouble(s0);
        ModelIo.writeFloats(out, mw);
        ModelIo.writeFloats(out, sw);
        ModelIo.writeFloats(out, mv);
        ModelIo.writeFloats(out, sv);
        out.writeDouble(alpha);
        ModelIo.writeDoubles(out, nu());
        ModelIo.writeDoubles(out, priorLam);
    }

    private double[] nu() {
        return priorNu;
    }

    public List<EpochReport> history() {
        return history;
    }

    public boolean classification() {
        return classification;
    }

    public int dim() {
        return d;
    }

    /** Learned noise precision alpha (regression). */
    public double noisePrecision() {
        return alpha;
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public int numUsers() {
        return rows.numUsers;
    }

    @Override
    public int numItems() {
        return rows.numItems;
    }

    /** E[y(x)] and Var_q[y(x)] of (user, item) or, when {@code folded != null}, of that folded-in user. */
    private void moments(int user, Folded folded, int item, double[] out) {
        int[] idx = new int[rows.maxRow];
        float[] val = new float[rows.maxRow + 1];
        int n = rows.row(folded == null ? user : -1, item, idx, val);
        int m = n + (folded == null ? 0 : 1);
        double[] gmw = new double[m];
        double[] gsw = new double[m];
        double[] gmv = new double[m * d];
        double[] gsv = new double[m * d];
        for (int p = 0; p < n; p++) {
            int k = idx[p];
            gmw[p] = mw[k];
            gsw[p] = sw[k];
            for (int f = 0; f < d; f++) {
                gmv[p * d + f] = mv[k * d + f];
                gsv[p * d + f] = sv[k * d + f];
            }
        }
        if (folded != null) {
            val[n] = 1f;
            gmw[n] = folded.mw;
            gsw[n] = folded.sw;
            for (int f = 0; f < d; f++) {
                gmv[n * d + f] = folded.mv[f];
                gsv[n * d + f] = folded.sv[f];
            }
        }
        VfmMoments.moments(m0, s0, gmw, gsw, gmv, gsv, d, val, m, out);
    }

    private double toOutput(double mean, double var) {
        if (!classification) {
            return mean;
        }
        return VfmEngine.sigmoid(mean / Math.sqrt(1 + Math.PI * var / 8));
    }

    @Override
    public double predict(int user, int item) {
        if (!classification) {
            int[] idx = new int[rows.maxRow];
            float[] val = new float[rows.maxRow];
            int n = rows.row(user, item, idx, val);
            return FmKernel.predict(m0, mw, mv, d, idx, val, n, new double[Math.max(d, 1)]);
        }
        double[] o = new double[2];
        moments(user, null, item, o);
        return toOutput(o[0], o[1]);
    }

    /** E_q[y(x)] of (user, item): the mean logit for classification. */
    public double meanOutput(int user, int item) {
        int[] idx = new int[rows.maxRow];
        float[] val = new float[rows.maxRow];
        int n = rows.row(user, item, idx, val);
        return FmKernel.predict(m0, mw, mv, d, idx, val, n, new double[Math.max(d, 1)]);
    }

    @Override
    public Predictive predictive(int user, int item) {
        double[] o = new double[2];
        moments(user, null, item, o);
        return classification ? new Predictive(toOutput(o[0], o[1]), o[1]) : new Predictive(o[0], 1 / alpha + o[1]);
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        if (user instanceof Folded fo) {
            double[] o = new double[2];
            moments(-1, fo, item, o);
            return classification ? new Predictive(toOutput(o[0], o[1]), o[1]) : new Predictive(o[0], 1 / alpha + o[1]);
        }
        return predictive(user.user(), item);
    }

    /** A trained user (by index) or, for an unknown index, a user with no user features. */
    record Trained(int user) implements UserState {
    }

    /** A folded-in user: posterior means and variances of its bias and embedding. */
    record Folded(double mw, double sw, double[] mv, double[] sv) implements UserState {
        @Override
        public int user() {
            return -1;
        }
    }

    @Override
    public UserState user(int user) {
        return new Trained(user >= 0 && user < rows.numUsers ? user : -1);
    }

    @Override
    public double predict(UserState user, int item) {
        if (user instanceof Folded fo) {
            double[] o = new double[2];
            moments(-1, fo, item, o);
            return toOutput(o[0], o[1]);
        }
        return predict(user.user(), item);
    }

    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        int K = rows.numFeatures;
        int bs = 2 * (d + 1);
        int cnt = 0;
        for (int i : items) {
            if (i >= 0 && i < rows.numItems) {
                cnt++;
            }
        }
        int[] its = new int[cnt];
        float[] ys = new float[cnt];
        int c = 0;
        long seed = 0x5eed;
        for (int t = 0; t < items.length; t++) {
            if (items[t] >= 0 && items[t] < rows.numItems) {
                its[c] = items[t];
                ys[c++] = ratings[t];
                seed = Rng.mix64(seed * 31 + items[t] * 1_000_003L + Float.floatToIntBits(ratings[t]));
            }
        }
        int userGroup = 0;
        double[] pn = new double[d + 1];
        double[] pl = new double[d + 1];
        System.arraycopy(priorNu, userGroup * (d + 1), pn, 0, d + 1);
        System.arraycopy(priorLam, userGroup * (d + 1), pl, 0, d + 1);
        if (cnt == 0) {
            double[] v = new double[d];
            double[] s = new double[d];
            for (int f = 0; f < d; f++) {
                v[f] = pn[1 + f];
                s[f] = 1 / pl[1 + f];
            }
            return new Folded(pn[0], 1 / pl[0], v, s);
        }
        int[] groups = java.util.Arrays.copyOf(rows.groups, K + 1);
        groups[K] = userGroup;
        VfmEngine.Rows r = new VfmEngine.Rows() {
            @Override
            public int size() {
                return its.length;
            }

            @Override
            public int row(int q, int[] idx, float[] val) {
                int n = rows.row(-1, its[q], idx, val);
                idx[n] = K;
                val[n] = 1f;
                return n + 1;
            }

            @Override
            public float y(int q) {
                return ys[q];
            }
        };
        VfmEngine e = new VfmEngine(d, K + 1, groups, rows.numGroups, FOLD_SAMPLES, classification, r, cnt,
                rows.maxRow + 1);
        for (int k = 0; k < K; k++) {
            int o = k * bs;
            e.P[o] = mw[k];
            e.P[o + 1] = VfmEngine.softplusInv(Math.sqrt(Math.max(sw[k], 1e-30)));
            for (int f = 0; f < d; f++) {
                e.P[o + 2 + f] = mv[k * d + f];
                e.P[o + 2 + d + f] = VfmEngine.softplusInv(Math.sqrt(Math.max(sv[k * d + f], 1e-30)));
            }
        }
        e.glob[0] = m0;
        e.glob[1] = VfmEngine.softplusInv(Math.sqrt(s0));
        e.glob[2] = Math.log(alpha);
        for (int g = 0; g < rows.numGroups; g++) {
            int o = 3 + g * bs;
            e.glob[o] = priorNu[g * (d + 1)];
            e.glob[o + 1] = Math.log(priorLam[g * (d + 1)]);
            for (int f = 0; f < d; f++) {
                e.glob[o + 2 + f] = priorNu[g * (d + 1) + 1 + f];
                e.glob[o + 2 + d + f] = Math.log(priorLam[g * (d + 1) + 1 + f]);
            }
        }
        // the new user starts at its prior mean with a small spread
        int uo = K * bs;
        e.P[uo] = pn[0];
        e.P[uo + 1] = VfmEngine.softplusInv(0.1);
        for (int f = 0; f < d; f++) {
            e.P[uo + 2 + f] = pn[1 + f];
            e.P[uo + 2 + d + f] = VfmEngine.softplusInv(0.1);
        }
        e.klOnly = K;
        int[] order = new int[cnt];
        for (int q = 0; q < cnt; q++) {
            order[q] = q;
        }
        e.collect(order, 0, cnt);
        org.varec.optim.Adam adam = org.varec.optim.Adam.of(bs, bs, FOLD_LR);
        double[] x = new double[bs];
        double[] g = new double[bs];
        Rng rng = new Rng(seed);
        for (int step = 0; step < FOLD_STEPS; step++) {
            e.drawNoise(rng);
            e.evaluate();
            System.arraycopy(e.P, uo, x, 0, bs);
            System.arraycopy(e.gP, uo, g, 0, bs);
            adam.step(x, g, 0);
            System.arraycopy(x, 0, e.P, uo, bs);
        }
        double[] v = new double[d];
        double[] s = new double[d];
        for (int f = 0; f < d; f++) {
            v[f] = e.P[uo + 2 + f];
            double t = VfmEngine.softplus(e.P[uo + 2 + d + f]);
            s[f] = t * t;
        }
        double sw0 = VfmEngine.softplus(e.P[uo + 1]);
        return new Folded(e.P[uo], sw0 * sw0, v, s);
    }
}
