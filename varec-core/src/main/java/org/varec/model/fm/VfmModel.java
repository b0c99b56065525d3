package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.stats.Rng;

/**
 * A variational factorization machine over (user, item) pairs: what {@code vfm}, {@code vbfm} and
 * {@code ovbfm} learn from ratings. The feature rows of every user and item ({@link VfmRows}) and a
 * {@link VfmPosterior} (mean-field Gaussian posterior over w0, w and V, the noise precision and the
 * learned group priors); predictions are the posterior's for the pair's row.
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
    final VfmRows rows;
    final VfmPosterior posterior;

    VfmModel(String algorithm, VfmRows rows, VfmPosterior posterior) {
        if (posterior.numFeatures() != rows.numFeatures || posterior.numGroups() != rows.numGroups) {
            throw new IllegalArgumentException("posterior of " + posterior.numFeatures() + " features in "
                    + posterior.numGroups() + " groups for rows of " + rows.numFeatures + " in " + rows.numGroups);
        }
        this.algorithm = algorithm;
        this.rows = rows;
        this.posterior = posterior;
    }

    /** The rating models of posteriors trained on rows of {@code layout}. */
    static Function<VfmPosterior, VfmModel> of(String algorithm, FmLayout layout) {
        VfmRows rows = VfmRows.of(layout);
        return p -> new VfmModel(algorithm, rows, p);
    }

    public static VfmModel read(DataInput in, String algorithm) throws IOException {
        boolean cls = in.readBoolean();
        int d = in.readInt();
        VfmRows rows = VfmRows.read(in);
        return new VfmModel(algorithm, rows, VfmPosterior.read(in, cls, d, rows.numFeatures, rows.numGroups, algorithm));
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeBoolean(posterior.classification);
        out.writeInt(posterior.d);
        rows.write(out);
        posterior.write(out);
    }

    /** The posterior over the features (the predictor of the rows). */
    public VfmPosterior posterior() {
        return posterior;
    }

    public boolean classification() {
        return posterior.classification;
    }

    public int dim() {
        return posterior.d;
    }

    /** Learned noise precision alpha (regression). */
    public double noisePrecision() {
        return posterior.alpha;
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

    @Override
    public double predict(int user, int item) {
        int[] idx = new int[rows.maxRow];
        float[] val = new float[rows.maxRow];
        return posterior.predict(idx, val, rows.row(user, item, idx, val));
    }

    /** E_q[y(x)] of (user, item): the mean logit for classification. */
    public double meanOutput(int user, int item) {
        int[] idx = new int[rows.maxRow];
        float[] val = new float[rows.maxRow];
        return posterior.meanOutput(idx, val, rows.row(user, item, idx, val));
    }

    @Override
    public Predictive predictive(int user, int item) {
        int[] idx = new int[rows.maxRow];
        float[] val = new float[rows.maxRow];
        return posterior.predictive(idx, val, rows.row(user, item, idx, val));
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        if (user instanceof Folded fo) {
            int[] idx = new int[rows.maxRow];
            float[] val = new float[rows.maxRow];
            return posterior.predictive(idx, val, rows.row(-1, item, idx, val), fo);
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
            int[] idx = new int[rows.maxRow];
            float[] val = new float[rows.maxRow];
            return posterior.predict(idx, val, rows.row(-1, item, idx, val), fo);
        }
        return predict(user.user(), item);
    }

    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        int d = posterior.d;
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
        System.arraycopy(posterior.priorNu, userGroup * (d + 1), pn, 0, d + 1);
        System.arraycopy(posterior.priorLam, userGroup * (d + 1), pl, 0, d + 1);
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
        VfmEngine e = new VfmEngine(d, K + 1, groups, rows.numGroups, FOLD_SAMPLES, posterior.classification, r, cnt,
                rows.maxRow + 1);
        for (int k = 0; k < K; k++) {
            int o = k * bs;
            e.P[o] = posterior.mw[k];
            e.P[o + 1] = VfmEngine.softplusInv(Math.sqrt(Math.max(posterior.sw[k], 1e-30)));
            for (int f = 0; f < d; f++) {
                e.P[o + 2 + f] = posterior.mv[k * d + f];
                e.P[o + 2 + d + f] = VfmEngine.softplusInv(Math.sqrt(Math.max(posterior.sv[k * d + f], 1e-30)));
            }
        }
        e.glob[0] = posterior.m0;
        e.glob[1] = VfmEngine.softplusInv(Math.sqrt(posterior.s0));
        e.glob[2] = Math.log(posterior.alpha);
        for (int g = 0; g < rows.numGroups; g++) {
            int o = 3 + g * bs;
            e.glob[o] = posterior.priorNu[g * (d + 1)];
            e.glob[o + 1] = Math.log(posterior.priorLam[g * (d + 1)]);
            for (int f = 0; f < d; f++) {
                e.glob[o + 2 + f] = posterior.priorNu[g * (d + 1) + 1 + f];
                e.glob[o + 2 + d + f] = Math.log(posterior.priorLam[g * (d + 1) + 1 + f]);
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
