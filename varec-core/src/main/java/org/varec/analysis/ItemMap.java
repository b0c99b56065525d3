package org.varec.analysis;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.varec.model.FactorModel;

/**
 * Items of a factor model in two dimensions: a rank-2 model's item vectors as they are ("Matrix
 * Factorization in Action", Figs. 10, 16, 17), otherwise their projection on the first two
 * principal components of the item vectors of the items shown, centred on their mean. A
 * principal component is a unit eigenvector of the scatter matrix {@code sum_i (v_i - m)(v_i - m)^T}
 * and the coordinate of item {@code i} along it is {@code (v_i - m) . pc}; each eigenvector is signed
 * so that its largest component is positive, so that the same model always gives the same picture.
 *
 * @param items               dense item indices shown; point {@code p} is item {@code items[p]}
 * @param x                   first coordinate of each point
 * @param y                   second coordinate of each point
 * @param principalComponents whether the axes are principal components (rank above 2) rather than the
 *                            two latent dimensions themselves
 * @param firstShare          share of the item vectors' total variance (the trace of their covariance)
 *                            along the first axis, in [0, 1]; NaN when the axes are the latent dimensions
 * @param secondShare         the same along the second axis
 */
public record ItemMap(int[] items, double[] x, double[] y, boolean principalComponents, double firstShare,
                      double secondShare) {

    /**
     * The items to show: all when {@code counts} is null, else those with at least {@code minRatings}
     * ratings ({@code counts[i]}, e.g. training ratings per item), ascending.
     */
    public static int[] itemsWithAtLeast(int[] counts, int numItems, int minRatings) {
        int[] out = new int[numItems];
        int n = 0;
        for (int i = 0; i < numItems; i++) {
            if (counts == null || counts[i] >= minRatings) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The map of items {@code items} (distinct dense indices) of {@code m}.
     *
     * @throws IllegalArgumentException when the model has rank below 2 or fewer than 2 items are given
     */
    public static ItemMap of(FactorModel m, int[] items) {
        int k = m.rank();
        if (k < 2) {
            throw new IllegalArgumentException("the model has rank " + k + "; an embedding map needs at least 2 latent dimensions");
        }
        int n = items.length;
        if (n < 2) {
            throw new IllegalArgumentException("only " + n + " item(s) to map");
        }
        items = items.clone();
        float[] v = m.itemFactors();
        double[] x = new double[n];
        double[] y = new double[n];
        if (k == 2) {
            for (int p = 0; p < n; p++) {
                x[p] = v[items[p] * 2];
                y[p] = v[items[p] * 2 + 1];
            }
            return new ItemMap(items, x, y, false, Double.NaN, Double.NaN);
        }
        double[] mean = new double[k];
        for (int i : items) {
            for (int f = 0; f < k; f++) {
                mean[f] += v[i * k + f];
            }
        }
        for (int f = 0; f < k; f++) {
            mean[f] /= n;
        }
        // the scatter matrix (n times the covariance: the eigenvectors and the shares are the same),
        // upper triangle accumulated, then mirrored
        DMatrixRMaj scatter = new DMatrixRMaj(k, k);
        double[] row = new double[k];
        for (int i : items) {
            for (int f = 0; f < k; f++) {
                row[f] = v[i * k + f] - mean[f];
            }
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    scatter.data[a * k + b] += row[a] * row[b];
                }
            }
        }
        double total = 0;
        for (int a = 0; a < k; a++) {
            total += scatter.data[a * k + a];
            for (int b = a + 1; b < k; b++) {
                scatter.data[b * k + a] = scatter.data[a * k + b];
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, true);
        if (!eig.decompose(scatter)) {
            throw new IllegalStateException("eigen-decomposition of the item-factor covariance failed");
        }
        int first = -1;
        int second = -1;
        for (int e = 0; e < k; e++) {
            double val = eig.getEigenvalue(e).getReal();
            if (first < 0 || val > eig.getEigenvalue(first).getReal()) {
                second = first;
                first = e;
            } else if (second < 0 || val > eig.getEigenvalue(second).getReal()) {
                second = e;
            }
        }
        double[] pc1 = direction(eig.getEigenVector(first));
        double[] pc2 = direction(eig.getEigenVector(second));
        for (int p = 0; p < n; p++) {
            for (int f = 0; f < k; f++) {
                double c = v[items[p] * k + f] - mean[f];
                x[p] += c * pc1[f];
                y[p] += c * pc2[f];
            }
        }
        return new ItemMap(items, x, y, true, share(eig.getEigenvalue(first).getReal(), total),
                share(eig.getEigenvalue(second).getReal(), total));
    }

    /** A unit eigenvector with its largest component positive (so the map does not flip between runs). */
    private static double[] direction(DMatrixRMaj vec) {
        double[] d = vec.data.clone();
        double norm = 0;
        int big = 0;
        for (int f = 0; f < d.length; f++) {
            norm += d[f] * d[f];
            if (Math.abs(d[f]) > Math.abs(d[big])) {
                big = f;
            }
        }
        double s = (d[big] < 0 ? -1 : 1) / Math.sqrt(norm);
        for (int f = 0; f < d.length; f++) {
            d[f] *= s;
        }
        return d;
    }

    private static double share(double eigenvalue, double total) {
        return total > 0 ? eigenvalue / total : 0;
    }

    /** Number of points. */
    public int size() {
        return items.length;
    }

    /**
     * Up to {@code n} distinct points (positions in this map) at the edge of the cloud: for each of
     * {@code n} directions evenly spread around the circle, starting straight up and going
     * clockwise, the point farthest along it, with both axes scaled to the same extent (largest
     * absolute coordinate 1) so that a wide cloud does not pull every direction sideways. A point
     * already chosen is not chosen again. These are the items worth labelling.
     */
    public int[] outermost(int n) {
        int[] out = new int[n];
        int found = 0;
        double sx = extent(x);
        double sy = extent(y);
        boolean[] taken = new boolean[x.length];
        for (int d = 0; d < n; d++) {
            double a = Math.PI / 2 - 2 * Math.PI * d / n;
            double ux = Math.cos(a) / sx;
            double uy = Math.sin(a) / sy;
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < x.length; p++) {
                double s = x[p] * ux + y[p] * uy;
                if (s > bestScore && !taken[p]) {
                    best = p;
                    bestScore = s;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                out[found++] = best;
            }
        }
        return Arrays.copyOf(out, found);
    }

    private static double extent(double[] v) {
        double max = 0;
        for (double c : v) {
            max = Math.max(max, Math.abs(c));
        }
        return max == 0 ? 1 : max;
    }

    /**
     * The group of each point by genre: the position in {@code chosen} of the first chosen genre the
     * point's item has, or {@code chosen.size()} when it has none of them (or its genres are unknown).
     *
     * @param itemGenres '|'-joined genres per dense item index of the model (entries may be null), or
     *                   null when unknown
     * @param chosen     genres as spelled in {@code itemGenres} (see {@link ItemGenres#match})
     */
    public int[] genreGroups(String[] itemGenres, List<String> chosen) {
        int[] group = new int[items.length];
        for (int p = 0; p < items.length; p++) {
            group[p] = chosen.size();
            String g = itemGenres == null ? null : itemGenres[items[p]];
            if (g != null) {
                List<String> genres = ItemGenres.split(g);
                for (int c = 0; c < chosen.size(); c++) {
                    if (genres.contains(chosen.get(c))) {
                        group[p] = c;
                        break;
                    }
                }
            }
        }
        return group;
    }
}
