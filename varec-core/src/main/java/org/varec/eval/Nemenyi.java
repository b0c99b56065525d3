package org.varec.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.stats.Normal;

/**
 * The Nemenyi post-hoc test after a {@link FriedmanTest} (Demsar 2006, section 3.2.2): two models
 * differ significantly when their mean ranks differ by at least the critical difference
 * <pre>
 *   CD = q_alpha sqrt(k (k + 1) / (6 N))
 * </pre>
 * where {@code q_alpha} is the upper-alpha quantile of the studentized range of k independent
 * standard normals (infinite degrees of freedom) divided by sqrt(2) (Demsar's Table 5a). It is
 * computed here rather than tabulated, so any k works: the range W of k standard normals has
 * <pre>
 *   P(W &lt;= w) = k integral phi(z) [Phi(z + w) - Phi(z)]^(k-1) dz
 * </pre>
 * integrated by Simpson's rule on [-9, 9] and solved for P = 1 - alpha by bisection. It agrees with
 * Demsar's table within 0.001 (e.g. k = 4: 2.569 at alpha 0.05, 2.291 at 0.10; the table truncates
 * some values) and with scipy's studentized range quantile within 1e-6.
 *
 * @param alpha  significance level
 * @param q      q_alpha
 * @param cd     the critical difference of mean ranks
 * @param groups maximal runs of models (indices into the models, best mean rank first) whose mean
 *               ranks span less than CD: the thick bars of a CD diagram; singletons left out
 */
public record Nemenyi(double alpha, double q, double cd, List<int[]> groups) {

    /** The test for the mean ranks of {@code f}. */
    public static Nemenyi of(FriedmanTest f, double alpha) {
        int k = f.models().size();
        double q = q(k, alpha);
        double cd = q * Math.sqrt(k * (k + 1.0) / (6.0 * f.blocks()));
        return new Nemenyi(alpha, q, cd, groups(f.meanRanks(), cd));
    }

    /** Whether models {@code i} and {@code j} differ significantly. */
    public boolean differ(FriedmanTest f, int i, int j) {
        return Math.abs(f.meanRanks()[i] - f.meanRanks()[j]) >= cd;
    }

    /** q_alpha for k models: the studentized range quantile (infinite df) over sqrt(2). */
    public static double q(int k, double alpha) {
        if (k < 2) {
            throw new IllegalArgumentException("the Nemenyi test compares at least 2 models, got " + k);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        double lo = 0;
        double hi = 20;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            if (rangeCdf(mid, k) < 1 - alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2 / Math.sqrt(2);
    }

    /** P(range of k standard normals &lt;= w), by Simpson's rule. */
    static double rangeCdf(double w, int k) {
        int steps = 2000; // even
        double a = -9;
        double h = 18.0 / steps;
        double sum = 0;
        for (int s = 0; s <= steps; s++) {
            double z = a + s * h;
            double f = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
                    * Math.pow(Normal.cdf(z + w) - Normal.cdf(z), k - 1);
            sum += (s == 0 || s == steps ? 1 : s % 2 == 1 ? 4 : 2) * f;
        }
        return k * sum * h / 3;
    }

    /**
     * Maximal sets of consecutive models in rank order whose mean ranks differ by less than
     * {@code cd} (not significantly different), as index arrays ordered by rank, best first; a set
     * inside another is left out, and so are single models.
     */
    static List<int[]> groups(double[] meanRanks, double cd) {
        int k = meanRanks.length;
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(meanRanks[x], meanRanks[y]));
        List<int[]> out = new ArrayList<>();
        int lastEnd = -1;
        for (int a = 0; a < k; a++) {
            int b = a;
            while (b + 1 < k && meanRanks[order[b + 1]] - meanRanks[order[a]] < cd) {
                b++;
            }
            if (b > a && b > lastEnd) { // not inside the previous group
                int[] g = new int[b - a + 1];
                for (int t = a; t <= b; t++) {
                    g[t - a] = order[t];
                }
                out.add(g);
                lastEnd = b;
            }
        }
        return out;
    }
}
