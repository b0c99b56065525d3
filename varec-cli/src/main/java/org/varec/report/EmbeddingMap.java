package org.varec.report;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.varec.model.FactorModel;

/**
 * Items of a factor model in two dimensions: a rank-2 model's item vectors as they are
 * ("Matrix Factorization in Action", Figs. 10, 16, 17), otherwise their projection on the first
 * two principal components of the (centred) item vectors of the items shown.
 *
 * @param items  dense item indices shown
 * @param x      first coordinate of each shown item
 * @param y      second coordinate
 * @param xTitle what the first axis is (e.g. {@code "PC 1 (31% of variance)"})
 * @param yTitle what the second axis is
 */
public record EmbeddingMap(int[] items, double[] x, double[] y, String xTitle, String yTitle) {

    /** The map of the items {@code i} with {@code include[i]} (all items when {@code include} is null). */
    public static EmbeddingMap of(FactorModel m, boolean[] include) {
        int k = m.rank();
        if (k < 2) {
            throw new IllegalArgumentException("the model has rank " + k + "; an embedding map needs at least 2 latent dimensions");
        }
        int n = 0;
        for (int i = 0; i < m.numItems(); i++) {
            n += include == null || include[i] ? 1 : 0;
        }
        if (n < 2) {
            throw new IllegalArgumentException("only " + n + " item(s) to map; lower --min-ratings");
        }
        int[] items = new int[n];
        n = 0;
        for (int i = 0; i < m.numItems(); i++) {
            if (include == null || include[i]) {
                items[n++] = i;
            }
        }
        float[] v = m.itemFactors();
        double[] x = new double[n];
        double[] y = new double[n];
        if (k == 2) {
            for (int p = 0; p < n; p++) {
                x[p] = v[items[p] * 2];
                y[p] = v[items[p] * 2 + 1];
            }
            return new EmbeddingMap(items, x, y, "latent dimension 1", "latent dimension 2");
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
        DMatrixRMaj cov = new DMatrixRMaj(k, k);
        double[] row = new double[k];
        for (int i : items) {
            for (int f = 0; f < k; f++) {
                row[f] = v[i * k + f] - mean[f];
            }
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    cov.data[a * k + b] += row[a] * row[b];
                }
            }
        }
        double total = 0;
        for (int a = 0; a < k; a++) {
            total += cov.data[a * k + a];
            for (int b = a + 1; b < k; b++) {
                cov.data[b * k + a] = cov.data[a * k + b];
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, true);
        if (!eig.decompose(cov)) {
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
        return new EmbeddingMap(items, x, y, title(1, eig.getEigenvalue(first).getReal(), total),
                title(2, eig.getEigenvalue(second).getReal(), total));
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

    private static String title(int pc, double eigenvalue, double total) {
        return String.format(Locale.ROOT, "principal component %d (%.0f%% of item-vector variance)", pc,
                total > 0 ? 100 * eigenvalue / total : 0);
    }
}
