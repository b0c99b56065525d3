package org.varec.model.sbm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.BlockModel;
import org.varec.model.RatingModel;
import org.varec.model.UserState;

/**
 * A trained Dirichlet-process stochastic block model ({@code sbm}). What prediction and fold-in
 * need, nothing more: the variational group probabilities eta_i of every vertex (N x T), the
 * expected log stick weights E_q[log pi_t] (eq. 9's prior term), and three T x T matrices
 * estimated by Monte Carlo over q(U, U', theta) when training ended: the link probability
 * {@code P_ab = E_q[sigmoid(s_ab)]} and the expected log-likelihoods {@code E_q[log sigmoid(s_ab)]}
 * and {@code E_q[log(1 - sigmoid(s_ab))]} of a link and a non-link between groups a and b (s the
 * symmetrised logit, see {@link SbmTrainer}). Also kept for inspection: q(V)'s Beta parameters
 * and alpha.
 *
 * <p>Prediction of a pair marginalises both vertices' groups under q:
 * {@code p(x_ij = 1) = sum_ab eta_ia eta_jb P_ab}: the whole predictive distribution of a 0/1 link
 * (a Bernoulli; its variance p (1 - p) adds nothing, so this is not a {@code ProbabilisticModel},
 * whose Gaussian intervals would mislead for 0/1 targets).
 * Fold-in of a new vertex is eq. (9) for it alone (exact given the others' eta: one step, no
 * iteration): its listed vertices carry their 0/1 values, and every vertex not listed counts as a
 * non-link (a network's edge list names the links; the rest are absent).
 *
 * <p>Layout: eta row-major {@code [i * T + t]} in float; the T x T matrices row-major in double.
 */
public final class SbmModel implements RatingModel, BlockModel {
    private final int n;
    private final int t;
    private final float[] eta;
    private final double[] logPi;
    private final double[] logLink;
    private final double[] logNoLink;
    private final double[] prob;
    private final double[] rho1;
    private final double[] rho2;
    private final double alpha;
    private final int[] groups;
    private final int[] groupOrder;

    /** A trained vertex or a folded-in one: its group probabilities. */
    public record Vertex(int user, double[] eta) implements UserState {
    }

    SbmModel(int n, int t, float[] eta, double[] logPi, double[] logLink, double[] logNoLink, double[] prob,
             double[] rho1, double[] rho2, double alpha) {
        if (eta.length != n * t || logPi.length != t || logLink.length != t * t || logNoLink.length != t * t
                || prob.length != t * t || rho1.length != t - 1 || rho2.length != t - 1) {
            throw new IllegalArgumentException("sbm arrays do not match " + n + " vertices and " + t + " groups");
        }
        this.n = n;
        this.t = t;
        this.eta = eta;
        this.logPi = logPi;
        this.logLink = logLink;
        this.logNoLink = logNoLink;
        this.prob = prob;
        this.rho1 = rho1;
        this.rho2 = rho2;
        this.alpha = alpha;
        // MAP groups, renumbered by decreasing size (ties: lower truncation index first)
        int[] map = new int[n];
        int[] size = new int[t];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < t; c++) {
                if (eta[i * t + c] > eta[i * t + best]) {
                    best = c;
                }
            }
            map[i] = best;
            size[best]++;
        }
        Integer[] order = new Integer[t];
        for (int c = 0; c < t; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (a, b) -> size[a] != size[b] ? Integer.compare(size[b], size[a]) : Integer.compare(a, b));
        int occupied = 0;
        int[] rank = new int[t];
        for (int k = 0; k < t; k++) {
            rank[order[k]] = k;
            if (size[order[k]] > 0) {
                occupied++;
            }
        }
        this.groupOrder = new int[occupied];
        for (int k = 0; k < occupied; k++) {
            groupOrder[k] = order[k];
        }
        this.groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = rank[map[i]];
        }
    }

    @Override
    public String algorithm() {
        return "sbm";
    }

    @Override
    public int numUsers() {
        return n;
    }

    @Override
    public int numItems() {
        return n;
    }

    /** Truncation T. */
    public int truncation() {
        return t;
    }

    /** The learned DP concentration. */
    public double alpha() {
        return alpha;
    }

    /** q(Z_i) of trained vertex {@code i}, a copy. */
    public double[] groupProbabilities(int i) {
        double[] e = new double[t];
        for (int c = 0; c < t; c++) {
            e[c] = eta[i * t + c];
        }
        return e;
    }

    /** Expected stick weights E_q[pi_t] of the truncated stick-breaking prior under q(V). */
    public double[] expectedWeights() {
        double[] w = new double[t];
        double rest = 1;
        for (int c = 0; c < t - 1; c++) {
            double v = rho1[c] / (rho1[c] + rho2[c]);
            w[c] = rest * v;
            rest *= 1 - v;
        }
        w[t - 1] = rest;
        return w;
    }

    /** Link probability between truncation groups a and b, E_q[sigmoid(s_ab)]. */
    public double linkProbability(int a, int b) {
        return prob[a * t + b];
    }

    @Override
    public double predict(int user, int item) {
        return predict(user(user), item);
    }

    @Override
    public UserState user(int user) {
        if (user < 0 || user >= n) {
            return new Vertex(-1, expectedWeights());
        }
        return new Vertex(user, groupProbabilities(user));
    }

    @Override
    public double predict(UserState user, int item) {
        double[] a = ((Vertex) user).eta();
        double[] b = item < 0 || item >= n ? expectedWeights() : null;
        double p = 0;
        for (int x = 0; x < t; x++) {
            if (a[x] == 0) {
                continue;
            }
            double s = 0;
            for (int y = 0; y < t; y++) {
                s += (b == null ? eta[item * t + y] : b[y]) * prob[x * t + y];
            }
            p += a[x] * s;
        }
        return p;
    }

    /**
     * A new vertex from its links: {@code items} are trained vertices, {@code ratings} their 0/1
     * values (1 a link); every trained vertex not listed counts as a non-link. Eq. (9) with the
     * saved expected log-likelihoods.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        double[] a1 = new double[t];
        double[] a0 = new double[t];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < t; c++) {
                a0[c] += eta[i * t + c];
            }
        }
        boolean[] seen = new boolean[n];
        for (int k = 0; k < items.length; k++) {
            int j = items[k];
            if (j < 0 || j >= n || seen[j]) {
                continue;
            }
            seen[j] = true;
            if (ratings[k] != 0f && ratings[k] != 1f) {
                throw new IllegalArgumentException("a network fold-in takes 0/1 link values, got " + ratings[k]);
            }
            if (ratings[k] == 1f) {
                for (int c = 0; c < t; c++) {
                    a1[c] += eta[j * t + c];
                    a0[c] -= eta[j * t + c];
                }
            }
        }
        double[] e = new double[t];
        assignmentUpdate(t, logPi, logLink, logNoLink, a1, a0, e);
        return new Vertex(-1, e);
    }

    /**
     * Eq. (9): {@code eta_t ∝ exp(E[log pi_t] + sum_b (a1_b E[log sig(s_tb)] + a0_b E[log(1 - sig(s_tb))]))},
     * where a1 (a0) sums the group probabilities of the vertex's linked (non-linked) partners;
     * normalised with the max subtracted. Shared by training and fold-in.
     */
    static void assignmentUpdate(int t, double[] logPi, double[] logLink, double[] logNoLink, double[] a1,
                                 double[] a0, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < t; x++) {
            double s = logPi[x];
            int row = x * t;
            for (int y = 0; y < t; y++) {
                s += a1[y] * logLink[row + y] + a0[y] * logNoLink[row + y];
            }
            out[x] = s;
            max = Math.max(max, s);
        }
        double z = 0;
        for (int x = 0; x < t; x++) {
            out[x] = Math.exp(out[x] - max);
            z += out[x];
        }
        for (int x = 0; x < t; x++) {
            out[x] /= z;
        }
    }

    // ---------------------------------------------------------------- blocks

    @Override
    public int numGroups() {
        return groupOrder.length;
    }

    @Override
    public int[] groups() {
        return groups.clone();
    }

    @Override
    public double[][] blockProbabilities() {
        int g = groupOrder.length;
        double[][] p = new double[g][g];
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                p[a][b] = prob[groupOrder[a] * t + groupOrder[b]];
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- file

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(n);
        out.writeInt(t);
        out.writeDouble(alpha);
        ModelIo.writeFloats(out, eta);
        ModelIo.writeDoubles(out, logPi);
        ModelIo.writeDoubles(out, logLink);
        ModelIo.writeDoubles(out, logNoLink);
        ModelIo.writeDoubles(out, prob);
        ModelIo.writeDoubles(out, rho1);
        ModelIo.writeDoubles(out, rho2);
    }

    /** Reads what {@link #writeParameters} wrote; the truncation must agree with the config. */
    public static SbmModel read(DataInput in, SbmConfig config) throws IOException {
        int n = in.readInt();
        int t = in.readInt();
        if (t != config.truncation() || n < 0) {
            throw new IOException("sbm model has " + t + " groups and " + n + " vertices; its config says truncation "
                    + config.truncation());
        }
        double alpha = in.readDouble();
        float[] eta = ModelIo.readFloats(in);
        double[] logPi = ModelIo.readDoubles(in);
        double[] logLink = ModelIo.readDoubles(in);
        double[] logNoLink = ModelIo.readDoubles(in);
        double[] prob = ModelIo.readDoubles(in);
        double[] rho1 = ModelIo.readDoubles(in);
        double[] rho2 = ModelIo.readDoubles(in);
        try {
            return new SbmModel(n, t, eta, logPi, logLink, logNoLink, prob, rho1, rho2, alpha);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
