package org.varec.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.util.Parallel;

class OuterTableTest {
    /** The class comment's worked example: k = 2, v = (a, b) gives [a a, b a, b b, a, b, 1]. */
    @Test
    void rowLayoutIsThePackedTriangleOfTheAugmentedVector() {
        OuterTable t = new OuterTable(2);
        assertEquals(6, t.stride());
        float a = 1.5f;
        float b = -3f;
        t.fill(new float[] {9, 9, a, b}, 2, Parallel.SERIAL);
        double[] acc = new double[6];
        t.accumulate(acc, new int[] {1}, 0, 1, null, null);
        assertArrayEquals(new double[] {a * a, b * a, b * b, a, b, 1}, acc);
    }

    /**
     * Over any rated rows (repeats, every count including the 1-3 left after the blocks of four),
     * the accumulator holds, bit for bit, the float-rounded products of the augmented rows summed
     * in pairs in float and then in double in row order, and the right-hand side has the bits of
     * {@link Gram#addOuters}'s; the unpacked matrix is its lower triangle. On 1 and 3 threads (the
     * fill's blocks).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void sumsAreTheRoundedProductsInRowOrder(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = 1 + rnd.nextInt(14);
        int d = k + 1;
        int rows = 1 + rnd.nextInt(1500);
        float[] f = new float[rows * k];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        int n = rnd.nextInt(40);
        int[] idx = new int[n + 2];
        double[] ts = new double[n];
        for (int p = 0; p < n; p++) {
            idx[p + 1] = rnd.nextInt(rows);
            ts[p] = rnd.nextGaussian();
        }
        for (int threads : new int[] {1, 3}) {
            try (Parallel pool = new Parallel(threads)) {
                OuterTable t = new OuterTable(k);
                t.fill(f, rows, pool);
                assertEquals(rows, t.rows());
                double[] acc = new double[t.stride()];
                double[] rhs = new double[d];
                t.accumulate(acc, idx, 1, n + 1, ts, rhs);

                // float products; rows in pairs summed in float, then in double in row order
                double[] ref = new double[t.stride()];
                for (int p = 0; p < n; p += 2) {
                    int v = idx[p + 1] * k;
                    int w = p + 1 < n ? idx[p + 2] * k : -1;
                    int q = 0;
                    for (int x = 0; x < d; x++) {
                        for (int y = 0; y <= x; y++, q++) {
                            float a = (x < k ? f[v + x] : 1f) * (y < k ? f[v + y] : 1f);
                            if (w >= 0) {
                                a += (x < k ? f[w + x] : 1f) * (y < k ? f[w + y] : 1f);
                            }
                            ref[q] += a;
                        }
                    }
                }
                for (int q = 0; q < ref.length; q++) {
                    assertEquals(Double.doubleToLongBits(ref[q]), Double.doubleToLongBits(acc[q]), "element " + q);
                }
                double[] g = new double[k * k];
                double[] exactRhs = new double[k];
                Gram.addOuters(g, k, f, idx, 1, n + 1, k, ts, exactRhs, -1);
                for (int x = 0; x < k; x++) {
                    assertEquals(Double.doubleToLongBits(exactRhs[x]), Double.doubleToLongBits(rhs[x]), "rhs " + x);
                }
                assertEquals(0.0, rhs[k], "the sum of the targets is the caller's");

                double[] full = new double[d * d];
                t.unpack(acc, full);
                int q = 0;
                for (int x = 0; x < d; x++) {
                    for (int y = 0; y < d; y++) {
                        if (y <= x) {
                            assertEquals(acc[q++], full[x * d + y]);
                        } else {
                            assertEquals(0.0, full[x * d + y]);
                        }
                    }
                }
                // the K x K block is the exact Gram matrix up to the products' float rounding
                for (int x = 0; x < k; x++) {
                    for (int y = 0; y <= x; y++) {
                        assertEquals(g[x * k + y], full[x * d + y], 1e-6 * (1 + Math.abs(g[x * k + y])));
                    }
                }
            }
        }
    }

    /**
     * The fill from double rows with a stride (BPMF's augmented samples) rounds each product and
     * value to float: on rows that are floats it is the float fill, bit for bit; on doubles each
     * entry is within 2^-24 of the exact product.
     */
    @Test
    void fillFromDoubleRowsRoundsEachEntry() {
        SplittableRandom rnd = new SplittableRandom(3);
        int k = 4;
        int rows = 9;
        int rowStride = k + 1;
        float[] f = new float[rows * k];
        double[] asFloats = new double[rows * rowStride];
        double[] doubles = new double[rows * rowStride];
        for (int j = 0; j < rows; j++) {
            for (int x = 0; x < k; x++) {
                f[j * k + x] = (float) rnd.nextGaussian();
                asFloats[j * rowStride + x] = f[j * k + x];
                doubles[j * rowStride + x] = rnd.nextGaussian();
            }
            asFloats[j * rowStride + k] = 99; // the bias slot is not read
        }
        OuterTable a = new OuterTable(k);
        OuterTable b = new OuterTable(k);
        OuterTable c = new OuterTable(k);
        a.fill(f, rows, Parallel.SERIAL);
        b.fill(asFloats, rowStride, null, rows, Parallel.SERIAL);
        c.fill(doubles, rowStride, null, rows, Parallel.SERIAL);
        int[] all = new int[rows];
        for (int j = 0; j < rows; j++) {
            all[j] = j;
        }
        for (int j = 0; j < rows; j++) {
            double[] ra = new double[a.stride()];
            double[] rb = new double[a.stride()];
            double[] rc = new double[a.stride()];
            a.accumulate(ra, all, j, j + 1, null, null);
            b.accumulate(rb, all, j, j + 1, null, null);
            c.accumulate(rc, all, j, j + 1, null, null);
            assertArrayEquals(ra, rb, 0.0);
            int q = 0;
            for (int x = 0; x <= k; x++) {
                for (int y = 0; y <= x; y++, q++) {
                    double zx = x < k ? doubles[j * rowStride + x] : 1;
                    double zy = y < k ? doubles[j * rowStride + y] : 1;
                    assertEquals(zx * zy, rc[q], Math.abs(zx * zy) * 0x1p-24, "row " + j + " (" + x + ", " + y + ")");
                }
            }
        }
    }

    /**
     * The second-moment fill (vbmf's posteriors): the K x K block of row j is {@code m_x m_y + S_xy}
     * in float (full S read row-major, its lower triangle; diagonal S from the variances), the last
     * row m and 1.
     */
    @Test
    void secondMomentFillAddsTheCovariances() {
        SplittableRandom rnd = new SplittableRandom(5);
        int k = 3;
        int rows = 4;
        float[] m = new float[rows * k];
        float[] cov = new float[rows * k * k];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] = (float) rnd.nextDouble();
        }
        for (boolean diagonal : new boolean[] {false, true}) {
            OuterTable t = new OuterTable(k);
            t.fill(m, cov, diagonal, rows, Parallel.SERIAL);
            for (int j = 0; j < rows; j++) {
                double[] acc = new double[t.stride()];
                t.accumulate(acc, new int[] {j}, 0, 1, null, null);
                int q = 0;
                for (int x = 0; x < k; x++) {
                    for (int y = 0; y <= x; y++, q++) {
                        float s = diagonal ? (x == y ? cov[j * k + x] : 0f) : cov[j * k * k + x * k + y];
                        float want = m[j * k + x] * m[j * k + y] + s;
                        assertEquals(want, acc[q], 0.0, "diagonal " + diagonal + " row " + j + " (" + x + ", " + y + ")");
                    }
                }
                for (int y = 0; y < k; y++, q++) {
                    assertEquals(m[j * k + y], acc[q], 0.0);
                }
                assertEquals(1.0, acc[q]);
            }
        }
    }

    /** A refill reuses the array and forgets the old rows; without targets the right-hand side is untouched. */
    @Test
    void refillAndNoTargets() {
        OuterTable t = new OuterTable(3);
        t.fill(new float[] {1, 2, 3, 4, 5, 6}, 2, Parallel.SERIAL);
        t.fill(new float[] {-1, 0, 2}, 1, Parallel.SERIAL);
        assertEquals(1, t.rows());
        double[] acc = new double[t.stride()];
        t.accumulate(acc, new int[] {0, 0, 0, 0, 0}, 0, 5, null, null);
        assertArrayEquals(new double[] {5, 0, 0, -10, 0, 20, -5, 0, 10, 5}, acc);
    }

    /** The rule: at most MAX_BYTES of floats; ML-1M's sides pay at K = 10 and 20, not at 50. */
    @Test
    void paysWhileTheTableFitsItsBudget() {
        assertEquals(66, OuterTable.stride(10));
        assertTrue(OuterTable.pays(10, 6040));
        assertTrue(OuterTable.pays(20, 6040));
        assertFalse(OuterTable.pays(50, 6040));
        long rowsAtK10 = OuterTable.MAX_BYTES / (4 * 66);
        assertTrue(OuterTable.pays(10, (int) rowsAtK10));
        assertFalse(OuterTable.pays(10, (int) rowsAtK10 + 1));
        assertFalse(OuterTable.pays(10, 162_541), "ML-25M's users at K = 10");
        assertThrows(IllegalArgumentException.class, () -> new OuterTable(0));
    }
}
