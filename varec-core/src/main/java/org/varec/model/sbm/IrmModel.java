package org.varec.model.sbm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.varec.io.ModelIo;
import org.varec.model.BlockModel;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.stats.SpecialFunctions;

/**
 * An infinite relational model ({@code irm}) as the kept samples of its Gibbs chain: per sample
 * the group of every vertex (row and, for a bipartite relation, column), and the block counts
 * {@code S_ab} (sum of the observed values, scaled into [0, 1]) and {@code T_ab} (number of
 * observed pairs). A link's probability is the average over the samples of the posterior-mean block
 * probability {@code (S_ab + a) / (T_ab + a + b)} of the two vertices' groups; {@link #predict}
 * returns it mapped back onto the rating scale ({@code lo + (hi - lo) p}: for a network, the
 * probability itself).
 *
 * <p>Vertices outside the trained range (index -1) are in a group drawn from the Chinese
 * restaurant process given the sample's groups: an existing group with probability
 * {@code n_a / (n + alpha)}, a new one (prior mean {@code a / (a + b)} towards every group) with
 * {@code alpha / (n + alpha)}.
 *
 * <p>{@link BlockModel}: the MAP groups are those of the kept sample with the highest log joint
 * {@code log p(data, groups | alpha)}, renumbered by decreasing size; its block probabilities are
 * its posterior means.
 *
 * <p>Arrays are vertex-major ({@code rowGroups[v * S + q]} is vertex v's group in sample q), so a
 * prediction reads two short runs.
 */
public final class IrmModel implements RatingModel, BlockModel {
    private final boolean sym;
    private final int nr;
    private final int nc;
    private final double lo;
    private final double hi;
    private final double betaA;
    private final double betaB;
    private final int ns;
    private final double[] alpha;
    private final double[] logJoint;
    private final int[] kr;
    private final int[] kc;
    private final int[] rowGroups;
    private final int[] colGroups;
    private final double[] succ;
    private final double[] tot;
    /** Derived: block offsets per sample, posterior-mean probabilities, group sizes and their offsets. */
    private final int[] blockOff;
    private final double[] mean;
    private final int[] rowSizeOff;
    private final int[] rowSize;
    private final int[] colSizeOff;
    private final int[] colSize;
    private final double prior;
    private final int mapSample;
    private final int[] mapRowOrder;
    private final int[] mapColOrder;

    IrmModel(boolean sym, int nr, int nc, double lo, double hi, double betaA, double betaB, double[] alpha,
             double[] logJoint, int[] kr, int[] kc, int[] rowGroups, int[] colGroups, double[] succ, double[] tot) {
        this.sym = sym;
        this.nr = nr;
        this.nc = nc;
        this.lo = lo;
        this.hi = hi;
        this.betaA = betaA;
        this.betaB = betaB;
        this.ns = alpha.length;
        this.alpha = alpha;
        this.logJoint = logJoint;
        this.kr = kr;
        this.kc = kc;
        this.rowGroups = rowGroups;
        this.colGroups = sym ? rowGroups : colGroups;
        this.succ = succ;
        this.tot = tot;
        this.prior = betaA / (betaA + betaB);
        this.blockOff = new int[ns + 1];
        for (int q = 0; q < ns; q++) {
            blockOff[q + 1] = blockOff[q] + kr[q] * kc[q];
        }
        this.mean = new double[blockOff[ns]];
        for (int t = 0; t < mean.length; t++) {
            mean[t] = (succ[t] + betaA) / (tot[t] + betaA + betaB);
        }
        this.rowSizeOff = new int[ns + 1];
        this.rowSize = sizes(rowGroups, nr, kr, rowSizeOff);
        if (sym) {
            this.colSizeOff = rowSizeOff;
            this.colSize = rowSize;
        } else {
            this.colSizeOff = new int[ns + 1];
            this.colSize = sizes(colGroups, nc, kc, colSizeOff);
        }
        int best = 0;
        for (int q = 1; q < ns; q++) {
            if (logJoint[q] > logJoint[best]) {
                best = q;
            }
        }
        this.mapSample = best;
        this.mapRowOrder = order(rowGroups, nr, kr[best], rowSize, rowSizeOff[best]);
        this.mapColOrder = sym ? mapRowOrder : order(this.colGroups, nc, kc[best], colSize, colSizeOff[best]);
    }

    private int[] sizes(int[] groups, int n, int[] k, int[] off) {
        for (int q = 0; q < ns; q++) {
            off[q + 1] = off[q] + k[q];
        }
        int[] size = new int[off[ns]];
        for (int v = 0; v < n; v++) {
            for (int q = 0; q < ns; q++) {
                size[off[q] + groups[v * ns + q]]++;
            }
        }
        return size;
    }

    /**
     * The MAP sample's groups renumbered by decreasing size (ties: smallest first vertex): entry
     * {@code g} is the new number of the sample's group {@code g}.
     */
    private int[] order(int[] groups, int n, int k, int[] size, int off) {
        int[] first = new int[k];
        Arrays.fill(first, Integer.MAX_VALUE);
        for (int v = n - 1; v >= 0; v--) {
            first[groups[v * ns + mapSample]] = v;
        }
        Integer[] byOrder = new Integer[k];
        for (int g = 0; g < k; g++) {
            byOrder[g] = g;
        }
        Arrays.sort(byOrder, (x, y) -> size[off + x] != size[off + y] ? Integer.compare(size[off + y], size[off + x])
                : Integer.compare(first[x], first[y]));
        int[] renumber = new int[k];
        for (int r = 0; r < k; r++) {
            renumber[byOrder[r]] = r;
        }
        return renumber;
    }

    /** Reads what {@link #writeParameters} wrote. */
    public static IrmModel read(DataInput in, IrmConfig config) throws IOException {
        boolean sym = in.readBoolean();
        int nr = in.readInt();
        int nc = in.readInt();
        double lo = in.readDouble();
        double hi = in.readDouble();
        double[] alpha = ModelIo.readDoubles(in);
        double[] logJoint = ModelIo.readDoubles(in);
        int[] kr = ModelIo.readInts(in);
        int[] kc = ModelIo.readInts(in);
        int[] rg = ModelIo.readInts(in);
        int[] cg = sym ? rg : ModelIo.readInts(in);
        double[] succ = ModelIo.readDoubles(in);
        double[] tot = ModelIo.readDoubles(in);
        int s = alpha.length;
        if (nr < 0 || nc < 0 || s < 1 || sym && nr != nc || !(hi > lo) || logJoint.length != s || kr.length != s
                || kc.length != s || rg.length != (long) nr * s || cg.length != (long) nc * s) {
            throw new IOException("corrupt IRM header: " + s + " samples of " + nr + " x " + nc + " vertices");
        }
        long blocks = 0;
        for (int q = 0; q < s; q++) {
            if (kr[q] < 1 || kc[q] < 1 || kr[q] > Math.max(1, nr) || kc[q] > Math.max(1, nc) || sym && kr[q] != kc[q]
                    || !(alpha[q] > 0 && alpha[q] < Double.POSITIVE_INFINITY)) {
                throw new IOException("corrupt IRM sample " + q);
            }
            blocks += (long) kr[q] * kc[q];
        }
        if (succ.length != blocks || tot.length != blocks) {
            throw new IOException("IRM block arrays hold " + succ.length + " blocks, the samples need " + blocks);
        }
        checkGroups(rg, nr, s, kr);
        checkGroups(cg, nc, s, kc);
        return new IrmModel(sym, nr, nc, lo, hi, config.betaA(), config.betaB(), alpha, logJoint, kr, kc, rg, cg,
                succ, tot);
    }

    private static void checkGroups(int[] groups, int n, int s, int[] k) throws IOException {
        for (int v = 0; v < n; v++) {
            for (int q = 0; q < s; q++) {
                int g = groups[v * s + q];
                if (g < 0 || g >= k[q]) {
                    throw new IOException("corrupt IRM group " + g + " of vertex " + v + " in sample " + q);
                }
            }
        }
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeBoolean(sym);
        out.writeInt(nr);
        out.writeInt(nc);
        out.writeDouble(lo);
        out.writeDouble(hi);
        ModelIo.writeDoubles(out, alpha);
        ModelIo.writeDoubles(out, logJoint);
        ModelIo.writeInts(out, kr);
        ModelIo.writeInts(out, kc);
        ModelIo.writeInts(out, rowGroups);
        if (!sym) {
            ModelIo.writeInts(out, colGroups);
        }
        ModelIo.writeDoubles(out, succ);
        ModelIo.writeDoubles(out, tot);
    }

    @Override
    public String algorithm() {
        return "irm";
    }

    @Override
    public int numUsers() {
        return nr;
    }

    @Override
    public int numItems() {
        return nc;
    }

    /** Whether the model has one partition of a network's vertices (else users and items separately). */
    public boolean symmetric() {
        return sym;
    }

    /** Number of kept samples the model averages over. */
    public int numSamples() {
        return ns;
    }

    /** Number of (row) groups in each kept sample. */
    public int[] groupCounts() {
        return kr.clone();
    }

    /** The CRP concentration of each kept sample. */
    public double[] alphas() {
        return alpha.clone();
    }

    /** {@code log p(data, groups | alpha)} of each kept sample. */
    public double[] logJoints() {
        return logJoint.clone();
    }

    /** Which kept sample (0-based) gives the MAP groups: the one with the highest log joint. */
    public int mapSample() {
        return mapSample;
    }

    private boolean knownRow(int v) {
        return v >= 0 && v < nr;
    }

    private boolean knownCol(int v) {
        return v >= 0 && v < nc;
    }

    private double toScale(double p) {
        return lo + (hi - lo) * p;
    }

    /** The link probability (on [0, 1]) of trained or unknown row u and column i. */
    public double probability(int u, int i) {
        double sum = 0;
        boolean ku = knownRow(u);
        boolean ki = knownCol(i);
        for (int q = 0; q < ns; q++) {
            int bo = blockOff[q];
            int k2 = kc[q];
            if (ku && ki) {
                sum += mean[bo + rowGroups[u * ns + q] * k2 + colGroups[i * ns + q]];
            } else if (ku) {
                sum += towardsUnknownColumn(q, rowGroups[u * ns + q]);
            } else {
                double[] w = priorRowWeights(q);
                sum += mixed(q, w, 0, ki ? colGroups[i * ns + q] : -1);
            }
        }
        return sum / ns;
    }

    /** Row group a of sample q towards a column drawn from the CRP. */
    private double towardsUnknownColumn(int q, int a) {
        double n = nc + alpha[q];
        double p = alpha[q] / n * prior;
        int bo = blockOff[q] + a * kc[q];
        int so = colSizeOff[q];
        for (int b = 0; b < kc[q]; b++) {
            p += colSize[so + b] / n * mean[bo + b];
        }
        return p;
    }

    /** CRP weights of the row groups of sample q and, last, of a new group. */
    private double[] priorRowWeights(int q) {
        double[] w = new double[kr[q] + 1];
        double n = nr + alpha[q];
        for (int a = 0; a < kr[q]; a++) {
            w[a] = rowSize[rowSizeOff[q] + a] / n;
        }
        w[kr[q]] = alpha[q] / n;
        return w;
    }

    /**
     * Sample q's probability for a row with group weights {@code w[off ..]} (new group last) and
     * column group b (-1: a column drawn from the CRP).
     */
    private double mixed(int q, double[] w, int off, int b) {
        int k1 = kr[q];
        if (b >= 0) {
            int bo = blockOff[q] + b;
            double p = w[off + k1] * prior;
            for (int a = 0; a < k1; a++) {
                p += w[off + a] * mean[bo + a * kc[q]];
            }
            return p;
        }
        double p = w[off + k1] * prior;
        for (int a = 0; a < k1; a++) {
            p += w[off + a] * towardsUnknownColumn(q, a);
        }
        return p;
    }

    @Override
    public double predict(int user, int item) {
        return toScale(probability(user, item));
    }

    /**
     * A row as the model sees it: a trained one ({@code weights} null), or per sample q the
     * posterior weights of its groups ({@code weights[offsets[q] + a]}, a new group last), for a
     * folded-in or unknown row.
     */
    public record State(int user, double[] weights, int[] offsets) implements UserState {
    }

    @Override
    public UserState user(int user) {
        if (knownRow(user)) {
            return new State(user, null, null);
        }
        int[] off = weightOffsets();
        double[] w = new double[off[ns]];
        for (int q = 0; q < ns; q++) {
            System.arraycopy(priorRowWeights(q), 0, w, off[q], kr[q] + 1);
        }
        return new State(-1, w, off);
    }

    private int[] weightOffsets() {
        int[] off = new int[ns + 1];
        for (int q = 0; q < ns; q++) {
            off[q + 1] = off[q] + kr[q] + 1;
        }
        return off;
    }

    @Override
    public double predict(UserState user, int item) {
        State st = (State) user;
        if (st.weights() == null) {
            return predict(st.user(), item);
        }
        double sum = 0;
        for (int q = 0; q < ns; q++) {
            sum += mixed(q, st.weights(), st.offsets()[q], knownCol(item) ? colGroups[item * ns + q] : -1);
        }
        return toScale(sum / ns);
    }

    /** Per sample, the probability towards each column group: then one lookup per column and sample. */
    @Override
    public void scoreAll(UserState user, double[] out) {
        State st = (State) user;
        double[][] towards = new double[ns][];
        for (int q = 0; q < ns; q++) {
            double[] t = new double[kc[q]];
            for (int b = 0; b < kc[q]; b++) {
                t[b] = st.weights() == null ? mean[blockOff[q] + rowGroups[st.user() * ns + q] * kc[q] + b]
                        : mixed(q, st.weights(), st.offsets()[q], b);
            }
            towards[q] = t;
        }
        int n = Math.min(out.length, nc);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int q = 0; q < ns; q++) {
                sum += towards[q][colGroups[i * ns + q]];
            }
            out[i] = toScale(sum / ns);
        }
        for (int i = n; i < out.length; i++) {
            out[i] = predict(user, i);
        }
    }

    /**
     * A new row from (column, value) pairs, without retraining: per kept sample, the posterior over
     * its group given its values and that sample's groups and blocks,
     * <pre>
     *   p(a) ~ n_a prod_b B(S_ab + s_b + a0, F_ab + m_b - s_b + b0) / B(S_ab + a0, F_ab + b0),
     *   p(new) ~ alpha prod_b B(s_b + a0, m_b - s_b + b0) / B(a0, b0),
     * </pre>
     * with {@code s_b} the sum of its values towards column group b and {@code m_b} their number.
     * For a network (symmetric model) the listed vertices are its links and non-links and <b>every
     * vertex not listed counts as a non-link</b> ({@code m_b} is group b's size); for a bipartite
     * model unlisted items are unobserved. Values are scaled into [0, 1] as in training; columns
     * outside the trained range are ignored and a column listed twice keeps its last value. Its
     * own values do not update the blocks it is then scored with.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        double[] x = new double[nc];
        Arrays.fill(x, Double.NaN);
        for (int p = 0; p < items.length; p++) {
            if (knownCol(items[p])) {
                x[items[p]] = Math.min(1, Math.max(0, (ratings[p] - lo) / (hi - lo)));
            }
        }
        int[] off = weightOffsets();
        double[] w = new double[off[ns]];
        double f00 = SpecialFunctions.logBeta(betaA, betaB);
        for (int q = 0; q < ns; q++) {
            int k1 = kr[q];
            int k2 = kc[q];
            double[] sb = new double[k2];
            double[] mb = new double[k2];
            for (int i = 0; i < nc; i++) {
                int b = colGroups[i * ns + q];
                if (!Double.isNaN(x[i])) {
                    sb[b] += x[i];
                    mb[b] += 1;
                } else if (sym) {
                    mb[b] += 1;
                }
            }
            int o = off[q];
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < k1; a++) {
                double lw = Math.log(rowSize[rowSizeOff[q] + a]);
                for (int b = 0; b < k2; b++) {
                    if (mb[b] > 0) {
                        int t = blockOff[q] + a * k2 + b;
                        lw += logB(succ[t] + sb[b], tot[t] + mb[b]) - logB(succ[t], tot[t]);
                    }
                }
                w[o + a] = lw;
                max = Math.max(max, lw);
            }
            double lw = Math.log(alpha[q]);
            for (int b = 0; b < k2; b++) {
                if (mb[b] > 0) {
                    lw += logB(sb[b], mb[b]) - f00;
                }
            }
            w[o + k1] = lw;
            max = Math.max(max, lw);
            double sum = 0;
            for (int a = 0; a <= k1; a++) {
                w[o + a] = Math.exp(w[o + a] - max);
                sum += w[o + a];
            }
            for (int a = 0; a <= k1; a++) {
                w[o + a] /= sum;
            }
        }
        return new State(-1, w, off);
    }

    private double logB(double s, double t) {
        return SpecialFunctions.logGamma(s + betaA) + SpecialFunctions.logGamma(t - s + betaB) - SpecialFunctions.logGamma(t + betaA + betaB);
    }

    /**
     * The MAP group (numbered as {@link #groups()}) of a folded-in or trained row: its most probable
     * group in the MAP sample; {@link #numGroups()} when a new group is the most probable.
     */
    public int group(UserState user) {
        State st = (State) user;
        if (st.weights() == null) {
            return mapRowOrder[rowGroups[st.user() * ns + mapSample]];
        }
        int o = st.offsets()[mapSample];
        int k1 = kr[mapSample];
        int best = k1;
        for (int a = 0; a < k1; a++) {
            if (st.weights()[o + a] > st.weights()[o + best]) {
                best = a;
            }
        }
        return best == k1 ? k1 : mapRowOrder[best];
    }

    @Override
    public int numGroups() {
        return kr[mapSample];
    }

    @Override
    public int[] groups() {
        int[] g = new int[nr];
        for (int v = 0; v < nr; v++) {
            g[v] = mapRowOrder[rowGroups[v * ns + mapSample]];
        }
        return g;
    }

    /** For a bipartite model, the MAP groups of the items (numbered by decreasing size); for a network, {@link #groups()}. */
    public int[] columnGroups() {
        int[] g = new int[nc];
        for (int v = 0; v < nc; v++) {
            g[v] = mapColOrder[colGroups[v * ns + mapSample]];
        }
        return g;
    }

    /**
     * The MAP sample's posterior-mean block probabilities {@code (S_ab + a) / (T_ab + a + b)}, rows and
     * columns in {@link #groups()} order (for a bipartite model, item groups across).
     */
    @Override
    public double[][] blockProbabilities() {
        int q = mapSample;
        double[][] p = new double[kr[q]][kc[q]];
        for (int a = 0; a < kr[q]; a++) {
            for (int b = 0; b < kc[q]; b++) {
                p[mapRowOrder[a]][mapColOrder[b]] = mean[blockOff[q] + a * kc[q] + b];
            }
        }
        return p;
    }
}
