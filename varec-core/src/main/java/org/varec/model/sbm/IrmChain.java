package org.varec.model.sbm;

import java.util.Arrays;
import org.varec.data.RatingMatrix;
import org.varec.stats.SpecialFunctions;
import org.varec.stats.Rng;

/**
 * The state of one collapsed Gibbs chain of the infinite relational model: a partition of the
 * rows (and, for a bipartite relation, one of the columns), and per block (pair of groups) the
 * sum of the observed values {@code S} and their number {@code T}; the Beta(a, b) block
 * probabilities are integrated out. Only observed (training) pairs count.
 *
 * <p>Groups are numbered {@code 0 .. k-1} with no gaps: when a group empties, the last group takes
 * its number. Blocks are {@code double} arrays of {@code capR x capC} (row group major), grown by
 * doubling. A symmetric relation has one partition ({@code cols == rows}) and symmetric blocks:
 * block {@code (a, b)} and {@code (b, a)} hold the same unordered pairs, and {@code (a, a)} the pairs
 * within group a, each pair once.
 *
 * <p>Moving vertex v costs O(its observations + k_rows k_cols): its counts towards every group
 * ({@code s[b]}, {@code m[b]}), then for every candidate group the change of the block marginal
 * likelihoods. With 0/1 values and fixed a, b the log-gamma terms come from tables.
 */
final class IrmChain {
    /** One side's partition. */
    static final class Part {
        final int n;
        final int[] z;
        int[] size;
        int k;

        Part(int n, int cap) {
            this.n = n;
            this.z = new int[n];
            this.size = new int[cap];
        }
    }

    final boolean sym;
    final Part rows;
    final Part cols;
    private final int[] rOff;
    private final int[] rIdx;
    private final float[] rVal;
    private final int[] cOff;
    private final int[] cIdx;
    private final float[] cVal;
    private final double betaA;
    private final double betaB;
    private final double f00;
    /** Tables lgamma(x + a), lgamma(x + b), lgamma(x + a + b) for integer x, or null for non-0/1 values. */
    private final double[] lgA;
    private final double[] lgB;
    private final double[] lgAB;
    /** Observations (unordered pairs when symmetric). */
    final double numObs;
    int capR;
    int capC;
    double[] succ;
    double[] tot;
    private double[] s;
    private double[] m;
    private double[] logw;

    /**
     * A chain over {@code data} with values already scaled into [0, 1] ({@code rVal}, {@code cVal}:
     * the CSR and CSC values). {@code binary} says they are all exactly 0 or 1.
     */
    IrmChain(RatingMatrix data, float[] rVal, float[] cVal, boolean binary, boolean sym, double betaA, double betaB,
             int initGroups, Rng rng) {
        this.sym = sym;
        this.rOff = data.userOffsets();
        this.rIdx = data.userItems();
        this.rVal = rVal;
        this.cOff = data.itemOffsets();
        this.cIdx = data.itemUsers();
        this.cVal = cVal;
        this.betaA = betaA;
        this.betaB = betaB;
        this.f00 = SpecialFunctions.logBeta(betaA, betaB);
        long obs = sym ? rIdx.length / 2 : rIdx.length;
        this.numObs = obs;
        if (binary) {
            int len = (int) obs + 2;
            lgA = new double[len];
            lgB = new double[len];
            lgAB = new double[len];
            for (int x = 0; x < len; x++) {
                lgA[x] = SpecialFunctions.logGamma(x + betaA);
                lgB[x] = SpecialFunctions.logGamma(x + betaB);
                lgAB[x] = SpecialFunctions.logGamma(x + betaA + betaB);
            }
        } else {
            lgA = null;
            lgB = null;
            lgAB = null;
        }
        int nr = data.numUsers();
        int nc = data.numItems();
        int g0 = Math.max(1, initGroups);
        this.capR = Math.max(16, Math.min(g0, nr) + 1);
        this.capC = sym ? capR : Math.max(16, Math.min(g0, nc) + 1);
        this.rows = new Part(nr, capR);
        this.cols = sym ? rows : new Part(nc, capC);
        assignRandomly(rows, g0, rng);
        if (!sym) {
            assignRandomly(cols, g0, rng);
        }
        this.succ = new double[capR * capC];
        this.tot = new double[capR * capC];
        this.s = new double[Math.max(capR, capC)];
        this.m = new double[Math.max(capR, capC)];
        this.logw = new double[Math.max(capR, capC) + 1];
        recount();
    }

    /** Every vertex to a uniformly random group of {@code groups}, then empty groups dropped. */
    private static void assignRandomly(Part p, int groups, Rng rng) {
        int g = Math.min(groups, Math.max(1, p.n));
        int[] used = new int[g];
        for (int v = 0; v < p.n; v++) {
            p.z[v] = g == 1 ? 0 : rng.nextInt(g);
            used[p.z[v]]++;
        }
        int[] map = new int[g];
        int k = 0;
        for (int a = 0; a < g; a++) {
            map[a] = used[a] > 0 ? k++ : -1;
        }
        p.k = Math.max(1, k);
        Arrays.fill(p.size, 0);
        for (int v = 0; v < p.n; v++) {
            p.z[v] = map[p.z[v]];
            p.size[p.z[v]]++;
        }
    }

    /** Recomputes the block counts from the assignments. */
    private void recount() {
        Arrays.fill(succ, 0);
        Arrays.fill(tot, 0);
        for (int u = 0; u < rows.n; u++) {
            int a = rows.z[u];
            for (int p = rOff[u]; p < rOff[u + 1]; p++) {
                int j = rIdx[p];
                if (sym && j <= u) {
                    continue;
                }
                int b = cols.z[j];
                succ[a * capC + b] += rVal[p];
                tot[a * capC + b] += 1;
                if (sym && a != b) {
                    succ[b * capC + a] += rVal[p];
                    tot[b * capC + a] += 1;
                }
            }
        }
    }

    /**
     * Whether the incremental state agrees with one rebuilt from the assignments: group sizes, no
     * empty group, and every block count (for tests).
     */
    boolean consistent() {
        for (Part p : sym ? new Part[] {rows} : new Part[] {rows, cols}) {
            int[] size = new int[p.k];
            for (int v = 0; v < p.n; v++) {
                if (p.z[v] < 0 || p.z[v] >= p.k) {
                    return false;
                }
                size[p.z[v]]++;
            }
            for (int a = 0; a < p.k; a++) {
                if (size[a] == 0 || size[a] != p.size[a]) {
                    return false;
                }
            }
        }
        double[] s0 = succ.clone();
        double[] t0 = tot.clone();
        recount();
        boolean same = true;
        for (int q = 0; q < s0.length; q++) {
            same &= Math.abs(s0[q] - succ[q]) < 1e-9 && t0[q] == tot[q];
        }
        System.arraycopy(s0, 0, succ, 0, s0.length);
        System.arraycopy(t0, 0, tot, 0, t0.length);
        return same;
    }

    /** One sweep: every row vertex in random order, then (bipartite) every column vertex. */
    void sweep(Rng rng, double alpha) {
        if (lgA == null) {
            recount(); // values other than 0/1: no drift from adding and removing fractions over many sweeps
        }
        for (int v : rng.permutation(rows.n)) {
            step(v, false, rng, alpha);
        }
        if (!sym) {
            for (int v : rng.permutation(cols.n)) {
                step(v, true, rng, alpha);
            }
        }
    }

    /** log B(S + a, F + b) for a block with {@code S} summed values out of {@code T}. */
    private double f(double succ, double total) {
        double fail = total - succ;
        if (lgA != null) {
            int si = (int) succ;
            int fi = (int) fail;
            return lgA[si] + lgB[fi] - lgAB[si + fi];
        }
        // fractional values: adding and removing them may leave -1e-16 where 0 is meant
        double sp = Math.max(0, succ);
        double fp = Math.max(0, fail);
        return SpecialFunctions.logGamma(sp + betaA) + SpecialFunctions.logGamma(fp + betaB)
                - SpecialFunctions.logGamma(sp + fp + betaA + betaB);
    }

    private int block(int a, int b, boolean colSide) {
        return colSide ? b * capC + a : a * capC + b;
    }

    /** Reassigns vertex v of the rows ({@code colSide} false) or the columns from its conditional. */
    private void step(int v, boolean colSide, Rng rng, double alpha) {
        Part x = colSide ? cols : rows;
        Part y = colSide ? rows : cols;
        counts(v, colSide);
        int g = x.z[v];
        move(g, colSide, -1);
        x.size[g]--;
        if (x.size[g] == 0) {
            dropGroup(x, g, colSide);
        }
        int k = x.k;
        int ky = y.k;
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            double lw = Math.log(x.size[a]);
            for (int b = 0; b < ky; b++) {
                if (m[b] > 0) {
                    int q = block(a, b, colSide);
                    lw += f(succ[q] + s[b], tot[q] + m[b]) - f(succ[q], tot[q]);
                }
            }
            logw[a] = lw;
            max = Math.max(max, lw);
        }
        double lw = Math.log(alpha);
        for (int b = 0; b < ky; b++) {
            if (m[b] > 0) {
                lw += f(s[b], m[b]) - f00;
            }
        }
        logw[k] = lw;
        max = Math.max(max, lw);
        double sum = 0;
        for (int a = 0; a <= k; a++) {
            logw[a] = Math.exp(logw[a] - max);
            sum += logw[a];
        }
        double r = rng.nextDouble() * sum;
        int chosen = k;
        for (int a = 0; a < k; a++) {
            r -= logw[a];
            if (r < 0) {
                chosen = a;
                break;
            }
        }
        if (chosen == k) {
            chosen = newGroup(x, colSide);
        }
        x.z[v] = chosen;
        x.size[chosen]++;
        move(chosen, colSide, +1);
    }

    /**
     * Vertex v's observations towards every group of the other side into {@code s} (sum of values)
     * and {@code m} (number); vertices without a group (-1, during a split-merge proposal) and v
     * itself are left out.
     */
    private void counts(int v, boolean colSide) {
        Part y = colSide ? rows : cols;
        int[] off = colSide ? cOff : rOff;
        int[] idx = colSide ? cIdx : rIdx;
        float[] val = colSide ? cVal : rVal;
        Arrays.fill(s, 0, y.k, 0);
        Arrays.fill(m, 0, y.k, 0);
        for (int p = off[v]; p < off[v + 1]; p++) {
            int j = idx[p];
            int b = y.z[j];
            if (b < 0 || sym && j == v) {
                continue;
            }
            s[b] += val[p];
            m[b] += 1;
        }
    }

    /** Adds ({@code sign} +1) or removes (-1) the current vertex's counts {@code s, m} to or from group a's blocks. */
    private void move(int a, boolean colSide, int sign) {
        Part y = colSide ? rows : cols;
        for (int b = 0; b < y.k; b++) {
            if (m[b] == 0) {
                continue;
            }
            int q = block(a, b, colSide);
            succ[q] += sign * s[b];
            tot[q] += sign * m[b];
            if (sym && a != b) {
                int t = b * capC + a;
                succ[t] += sign * s[b];
                tot[t] += sign * m[b];
            }
        }
    }

    /** Removes empty group g: the last group takes its number (assignments, sizes, blocks, and in sym the counts s, m). */
    private void dropGroup(Part x, int g, boolean colSide) {
        int last = x.k - 1;
        if (g != last) {
            for (int v = 0; v < x.n; v++) {
                if (x.z[v] == last) {
                    x.z[v] = g;
                }
            }
            x.size[g] = x.size[last];
            if (sym) {
                for (int b = 0; b < x.k; b++) {
                    if (b == g || b == last) {
                        continue;
                    }
                    succ[g * capC + b] = succ[last * capC + b];
                    tot[g * capC + b] = tot[last * capC + b];
                    succ[b * capC + g] = succ[b * capC + last];
                    tot[b * capC + g] = tot[b * capC + last];
                }
                succ[g * capC + g] = succ[last * capC + last];
                tot[g * capC + g] = tot[last * capC + last];
                s[g] = s[last];
                m[g] = m[last];
            } else {
                Part y = colSide ? rows : cols;
                for (int b = 0; b < y.k; b++) {
                    int from = block(last, b, colSide);
                    int to = block(g, b, colSide);
                    succ[to] = succ[from];
                    tot[to] = tot[from];
                }
            }
        }
        clearGroup(last, colSide);
        x.size[last] = 0;
        x.k--;
    }

    /** Zeroes group a's blocks (and in sym its counts s, m). */
    private void clearGroup(int a, boolean colSide) {
        int cap = colSide ? capR : capC;
        for (int b = 0; b < cap; b++) {
            int q = block(a, b, colSide);
            succ[q] = 0;
            tot[q] = 0;
            if (sym) {
                succ[b * capC + a] = 0;
                tot[b * capC + a] = 0;
            }
        }
        if (sym) {
            s[a] = 0;
            m[a] = 0;
        }
    }

    /** Opens group {@code x.k} (growing the arrays when full) and returns its number. */
    private int newGroup(Part x, boolean colSide) {
        int a = x.k;
        boolean rowSide = sym || !colSide;
        int cap = rowSide ? capR : capC;
        if (a == cap) {
            int grown = 2 * cap;
            int newR = rowSide ? grown : capR;
            int newC = sym || colSide ? grown : capC;
            double[] ns = new double[newR * newC];
            double[] nt = new double[newR * newC];
            for (int r = 0; r < capR; r++) {
                System.arraycopy(succ, r * capC, ns, r * newC, capC);
                System.arraycopy(tot, r * capC, nt, r * newC, capC);
            }
            succ = ns;
            tot = nt;
            capR = newR;
            capC = newC;
            x.size = Arrays.copyOf(x.size, grown);
            int most = Math.max(capR, capC);
            s = Arrays.copyOf(s, most);
            m = Arrays.copyOf(m, most);
            logw = Arrays.copyOf(logw, most + 1);
        }
        x.size[a] = 0;
        if (sym) {
            // no vertex is in the new group: v's counts towards it are 0 (entries past k may be stale
            // after a rejected split-merge proposal)
            s[a] = 0;
            m[a] = 0;
        }
        x.k++;
        return a;
    }

    /**
     * {@code proposals} split-merge Metropolis-Hastings proposals on the rows (and as many on the
     * columns of a bipartite relation): the sequentially allocated merge-split sampler of Dahl
     * (2005). Two distinct vertices i and j are drawn; in one group, the group is split: j opens a
     * new group and the other members, in random order, join i's or j's group from their
     * conditional given those placed so far; in two groups, the groups are merged, and the reverse
     * split's probability is that of the same sequential allocation forced to the current groups.
     * Accepted with probability {@code min(1, p(new) q(old | new) / (p(old) q(new | old)))}. Gibbs
     * moves one vertex at a time and so barely splits or merges large groups; these moves do.
     *
     * @return the number of proposals accepted
     */
    int splitMerge(Rng rng, double alpha, int proposals) {
        int accepted = 0;
        for (int t = 0; t < proposals; t++) {
            accepted += proposal(false, rng, alpha) ? 1 : 0;
            if (!sym) {
                accepted += proposal(true, rng, alpha) ? 1 : 0;
            }
        }
        return accepted;
    }

    private boolean proposal(boolean colSide, Rng rng, double alpha) {
        Part x = colSide ? cols : rows;
        if (x.n < 2) {
            return false;
        }
        int i = rng.nextInt(x.n);
        int j = rng.nextInt(x.n - 1);
        if (j >= i) {
            j++;
        }
        double before = logJoint(alpha);
        int[] z0 = x.z.clone();
        int[] size0 = x.size.clone();
        double[] succ0 = succ.clone();
        double[] tot0 = tot.clone();
        int k0 = x.k;
        int capR0 = capR;
        int capC0 = capC;
        int gi = x.z[i];
        int gj = x.z[j];
        int[] others = new int[x.n];
        int n = 0;
        for (int v = 0; v < x.n; v++) {
            if ((x.z[v] == gi || x.z[v] == gj) && v != i && v != j) {
                others[n++] = v;
            }
        }
        others = Arrays.copyOf(others, n);
        rng.shuffle(others);
        for (int v : others) {
            unassign(v, colSide);
        }
        double logQ = 0;
        double logAccept;
        if (gi == gj) {
            unassign(j, colSide);
            int g2 = newGroup(x, colSide);
            counts(j, colSide);
            assign(j, g2, colSide);
            for (int v : others) {
                logQ += allocate(v, gi, g2, -1, colSide, rng);
            }
            logAccept = logJoint(alpha) - before - logQ;
        } else {
            for (int v : others) {
                logQ += allocate(v, gi, gj, z0[v], colSide, rng);
            }
            for (int v = 0; v < x.n; v++) {
                if (x.z[v] == gj) {
                    unassign(v, colSide);
                    counts(v, colSide);
                    assign(v, gi, colSide);
                }
            }
            dropGroup(x, gj, colSide);
            logAccept = logJoint(alpha) - before + logQ;
        }
        if (Math.log(rng.nextDouble()) < logAccept) {
            return true;
        }
        System.arraycopy(z0, 0, x.z, 0, x.n);
        x.size = size0;
        x.k = k0;
        succ = succ0;
        tot = tot0;
        capR = capR0;
        capC = capC0;
        return false;
    }

    /** Takes v out of its group (its pairs with grouped vertices leave the blocks); v's group becomes -1. */
    private void unassign(int v, boolean colSide) {
        Part x = colSide ? cols : rows;
        int g = x.z[v];
        counts(v, colSide);
        move(g, colSide, -1);
        x.size[g]--;
        x.z[v] = -1;
    }

    /** Puts v into group g with the counts {@code s, m} just computed for it. */
    private void assign(int v, int g, boolean colSide) {
        Part x = colSide ? cols : rows;
        x.z[v] = g;
        x.size[g]++;
        move(g, colSide, +1);
    }

    /**
     * Places ungrouped v in g1 or g2 from its conditional restricted to the two (or in
     * {@code forced} when it is g1 or g2) and returns the log probability of the choice.
     */
    private double allocate(int v, int g1, int g2, int forced, boolean colSide, Rng rng) {
        Part x = colSide ? cols : rows;
        Part y = colSide ? rows : cols;
        counts(v, colSide);
        double w1 = Math.log(x.size[g1]);
        double w2 = Math.log(x.size[g2]);
        for (int b = 0; b < y.k; b++) {
            if (m[b] > 0) {
                int q1 = block(g1, b, colSide);
                int q2 = block(g2, b, colSide);
                w1 += f(succ[q1] + s[b], tot[q1] + m[b]) - f(succ[q1], tot[q1]);
                w2 += f(succ[q2] + s[b], tot[q2] + m[b]) - f(succ[q2], tot[q2]);
            }
        }
        double max = Math.max(w1, w2);
        double l1 = w1 - max - Math.log(Math.exp(w1 - max) + Math.exp(w2 - max));
        double l2 = w2 - max - Math.log(Math.exp(w1 - max) + Math.exp(w2 - max));
        boolean first = forced >= 0 ? forced == g1 : rng.nextDouble() < Math.exp(l1);
        assign(v, first ? g1 : g2, colSide);
        return first ? l1 : l2;
    }

    /** log p(data | partitions): the block marginal likelihoods, each pair of groups once. */
    double logLikelihood() {
        double ll = 0;
        for (int a = 0; a < rows.k; a++) {
            for (int b = sym ? a : 0; b < cols.k; b++) {
                int q = a * capC + b;
                if (tot[q] > 0) {
                    ll += f(succ[q], tot[q]) - f00;
                }
            }
        }
        return ll;
    }

    /** log CRP(partition | alpha) of one side. */
    static double logCrp(Part p, double alpha) {
        double l = p.k * Math.log(alpha) + SpecialFunctions.logGamma(alpha) - SpecialFunctions.logGamma(alpha + p.n);
        for (int a = 0; a < p.k; a++) {
            l += SpecialFunctions.logGamma(p.size[a]);
        }
        return l;
    }

    /** log p(data, partitions | alpha). */
    double logJoint(double alpha) {
        double l = logLikelihood() + logCrp(rows, alpha);
        return sym ? l : l + logCrp(cols, alpha);
    }

    /**
     * Mean Bernoulli log-likelihood per observation of the training values under the blocks'
     * posterior-mean probabilities {@code (S + a) / (T + a + b)}.
     */
    double trainLogLik() {
        double ll = 0;
        for (int a = 0; a < rows.k; a++) {
            for (int b = sym ? a : 0; b < cols.k; b++) {
                int q = a * capC + b;
                if (tot[q] > 0) {
                    double p = (succ[q] + betaA) / (tot[q] + betaA + betaB);
                    ll += succ[q] * Math.log(p) + (tot[q] - succ[q]) * Math.log1p(-p);
                }
            }
        }
        return numObs == 0 ? 0 : ll / numObs;
    }

    /**
     * Samples alpha from its posterior given the partitions under a Gamma(shape, rate) prior: slice
     * sampling (Neal 2003) on {@code u = log alpha}, stepping out by 1.
     */
    double sampleAlpha(double alpha, Rng rng, double shape, double rate) {
        double u0 = Math.log(alpha);
        double y = logAlphaPosterior(u0, shape, rate) + Math.log(rng.nextDouble());
        double w = 1;
        double lo = u0 - w * rng.nextDouble();
        double hi = lo + w;
        for (int t = 0; t < 50 && logAlphaPosterior(lo, shape, rate) > y; t++) {
            lo -= w;
        }
        for (int t = 0; t < 50 && logAlphaPosterior(hi, shape, rate) > y; t++) {
            hi += w;
        }
        for (int t = 0; t < 200; t++) {
            double u = lo + (hi - lo) * rng.nextDouble();
            if (logAlphaPosterior(u, shape, rate) > y) {
                return Math.exp(u);
            }
            if (u < u0) {
                lo = u;
            } else {
                hi = u;
            }
        }
        return alpha;
    }

    /** log p(u = log alpha | partitions), up to a constant. */
    private double logAlphaPosterior(double u, double shape, double rate) {
        double a = Math.exp(u);
        if (!(a > 1e-300 && a < 1e300)) {
            return Double.NEGATIVE_INFINITY;
        }
        double l = shape * u - rate * a + crpAlphaTerm(rows, a);
        return sym ? l : l + crpAlphaTerm(cols, a);
    }

    private static double crpAlphaTerm(Part p, double alpha) {
        return p.k * Math.log(alpha) + SpecialFunctions.logGamma(alpha) - SpecialFunctions.logGamma(alpha + p.n);
    }
}
