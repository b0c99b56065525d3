package org.varec.model.sbm;

import org.varec.stats.Rng;

/**
 * Regularised spectral clustering of a sparse symmetric graph (Qin and Rohe 2013; Ng, Jordan and
 * Weiss 2002), the starting partition of the block models: with A the adjacency, d the degrees,
 * tau their mean and {@code D = diag(d + tau)},
 * <pre>
 *   M = D^-1/2 (A + (tau / N) 1 1^T) D^-1/2
 * </pre>
 * whose regulariser keeps low-degree vertices (most of a sparse network) from producing the
 * leading eigenvectors on their own. The k leading eigenvectors of M + I (shifted so that all its
 * eigenvalues are non-negative and the leading ones are the largest) come from seeded subspace
 * iteration with Gram-Schmidt re-orthonormalisation; their rows, scaled to unit length, are split
 * by k-means (k-means++ seeding, Lloyd iterations).
 *
 * <p>Cost: O(iterations (nnz k + N k^2)) for the eigenvectors and O(iterations N k^2) for
 * k-means; N x k doubles of memory. Deterministic for a seed.
 */
public final class SpectralClustering {
    private static final int POWER_ITERATIONS = 200;
    private static final int LLOYD_ITERATIONS = 100;

    private SpectralClustering() {
    }

    /**
     * Groups in {@code [0, k)} for the {@code n} vertices of the graph whose CSR rows
     * {@code off/nb} hold each vertex's partners and {@code x} the pair values (a pair is a link
     * when its value is not 0; other entries are ignored).
     */
    public static int[] cluster(int n, int[] off, int[] nb, float[] x, int k, long seed) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("spectral clustering into " + k + " groups of " + n + " vertices");
        }
        double[] deg = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            for (int p = off[i]; p < off[i + 1]; p++) {
                if (x[p] != 0f) {
                    deg[i]++;
                }
            }
            mean += deg[i];
        }
        double tau = Math.max(mean / n, 1e-9);
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = 1 / Math.sqrt(deg[i] + tau);
        }
        Rng rng = Rng.stream(seed, 1);
        double[] q = new double[n * k];
        for (int e = 0; e < q.length; e++) {
            q[e] = rng.nextGaussian();
        }
        orthonormalize(q, n, k);
        double[] z = new double[n * k];
        double[] col = new double[k];
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            // z = (M + I) q
            java.util.Arrays.fill(col, 0);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    col[c] += scale[i] * q[i * k + c];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    z[i * k + c] = q[i * k + c] + scale[i] * tau / n * col[c];
                }
                for (int p = off[i]; p < off[i + 1]; p++) {
                    if (x[p] != 0f) {
                        int j = nb[p];
                        double w = scale[i] * scale[j];
                        for (int c = 0; c < k; c++) {
                            z[i * k + c] += w * q[j * k + c];
                        }
                    }
                }
            }
            orthonormalize(z, n, k);
            double[] swap = q;
            q = z;
            z = swap;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += q[i * k + c] * q[i * k + c];
            }
            s = Math.sqrt(s);
            for (int c = 0; c < k; c++) {
                q[i * k + c] = s > 0 ? q[i * k + c] / s : 0;
            }
        }
        return kMeans(q, n, k, rng);
    }

    /** Modified Gram-Schmidt on the columns of the row-major {@code rows x cols} block. */
    static void orthonormalize(double[] a, int rows, int cols) {
        for (int c = 0; c < cols; c++) {
            for (int b = 0; b < c; b++) {
                double d = 0;
                for (int r = 0; r < rows; r++) {
                    d += a[r * cols + b] * a[r * cols + c];
                }
                for (int r = 0; r < rows; r++) {
                    a[r * cols + c] -= d * a[r * cols + b];
                }
            }
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += a[r * cols + c] * a[r * cols + c];
            }
            s = Math.sqrt(s);
            for (int r = 0; r < rows; r++) {
                a[r * cols + c] = s > 1e-300 ? a[r * cols + c] / s : 0;
            }
        }
    }

    /** k-means of the rows of {@code y} ({@code n x k}) into {@code k} groups, k-means++ seeded. */
    static int[] kMeans(double[] y, int n, int k, Rng rng) {
        double[] centre = new double[k * k];
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        int first = rng.nextInt(n);
        System.arraycopy(y, first * k, centre, 0, k);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], sq(y, i, centre, c - 1, k));
                total += dist[i];
            }
            int pick = n - 1;
            double u = rng.nextDouble() * total;
            for (int i = 0; i < n; i++) {
                u -= dist[i];
                if (u < 0) {
                    pick = i;
                    break;
                }
            }
            System.arraycopy(y, pick * k, centre, c * k, k);
        }
        int[] label = new int[n];
        int[] count = new int[k];
        for (int it = 0; it < LLOYD_ITERATIONS; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = sq(y, i, centre, c, k);
                    if (d < bd) {
                        bd = d;
                        best = c;
                    }
                }
                if (it == 0 || label[i] != best) {
                    changed = true;
                }
                label[i] = best;
            }
            if (!changed) {
                break;
            }
            java.util.Arrays.fill(centre, 0);
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[label[i]]++;
                for (int c = 0; c < k; c++) {
                    centre[label[i] * k + c] += y[i * k + c];
                }
            }
            for (int g = 0; g < k; g++) {
                for (int c = 0; c < k && count[g] > 0; c++) {
                    centre[g * k + c] /= count[g];
                }
            }
            for (int g = 0; g < k; g++) {
                if (count[g] == 0) { // an empty group takes the point farthest from its centre
                    int far = -1;
                    double fd = -1;
                    for (int i = 0; i < n; i++) {
                        double d = sq(y, i, centre, label[i], k);
                        if (count[label[i]] > 1 && d > fd) {
                            fd = d;
                            far = i;
                        }
                    }
                    if (far < 0) {
                        break;
                    }
                    count[label[far]]--;
                    label[far] = g;
                    count[g] = 1;
                    System.arraycopy(y, far * k, centre, g * k, k);
                }
            }
        }
        return label;
    }

    private static double sq(double[] y, int i, double[] centre, int c, int k) {
        double s = 0;
        for (int e = 0; e < k; e++) {
            double d = y[i * k + e] - centre[c * k + e];
            s += d * d;
        }
        return s;
    }
}
