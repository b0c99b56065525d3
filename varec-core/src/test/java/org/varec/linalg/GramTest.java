package org.varec.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GramTest {
    /** Both kernels agree with the textbook sum of weighted outer products on the lower triangle; the upper stays 0. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void kernelsMatchTheDefinition(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = 1 + rnd.nextInt(12);
        int n = rnd.nextInt(30);
        int stride = d + rnd.nextInt(3);
        float[] rows = new float[n * d];
        double[] rowsD = new double[n * d];
        double[] w = new double[n];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) rnd.nextGaussian();
            rowsD[i] = rows[i];
        }
        for (int q = 0; q < n; q++) {
            w[q] = rnd.nextDouble() * 2;
        }
        double[] one = new double[d * stride];
        double[] blocked = new double[d * d];
        double[] blockedUnit = new double[d * d];
        for (int q = 0; q < n; q++) {
            Gram.addOuter(one, stride, rows, q * d, d);
        }
        Gram.addWeightedOuters(blocked, d, rowsD, w, n);
        Gram.addWeightedOuters(blockedUnit, d, rowsD, null, n);
        for (int x = 0; x < d; x++) {
            for (int y = 0; y < d; y++) {
                double plain = 0;
                double weighted = 0;
                for (int q = 0; q < n; q++) {
                    plain += (double) rows[q * d + x] * rows[q * d + y];
                    weighted += w[q] * rows[q * d + x] * rows[q * d + y];
                }
                if (y <= x) {
                    assertEquals(plain, one[x * stride + y], 1e-9);
                    assertEquals(plain, blockedUnit[x * d + y], 1e-9);
                    assertEquals(weighted, blocked[x * d + y], 1e-9);
                } else {
                    assertEquals(0.0, one[x * stride + y]);
                    assertEquals(0.0, blocked[x * d + y]);
                }
            }
        }
    }

    /**
     * addOuters over indexed rows (repeats, any count including the 1-3 left after the blocks of
     * four) gives the bits of addOuter called row by row, and leaves the upper triangle and the
     * padding of the stride alone.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void addOutersIsAddOuterRowByRow(long seed) {
        for (int k = 1; k <= Gram.BLOCKED_MAX_K + 8; k++) { // every remainder of the blocks of four, both kernels
            addOutersIsAddOuterRowByRow(new SplittableRandom(seed * 1000 + k), k);
        }
    }

    private static void addOutersIsAddOuterRowByRow(SplittableRandom rnd, int k) {
        int stride = k + rnd.nextInt(3);
        int rows = 1 + rnd.nextInt(20);
        float[] factors = gaussianFactors(rnd, rows, k);
        int n = rnd.nextInt(40);
        int[] idx = rowIndices(rnd, n + 3, rows);
        double[] one = new double[k * stride];
        double[] four = new double[k * stride];
        for (int e = 0; e < one.length; e++) {
            one[e] = rnd.nextGaussian();
            four[e] = one[e];
        }
        for (int p = 2; p < 2 + n; p++) {
            Gram.addOuter(one, stride, factors, idx[p] * k, k);
        }
        Gram.addOuters(four, stride, factors, idx, 2, 2 + n, k);
        for (int e = 0; e < one.length; e++) {
            assertEquals(Double.doubleToRawLongBits(one[e]), Double.doubleToRawLongBits(four[e]), "k " + k + ", element " + e);
        }
    }

    /** A factor table of {@code rows} rows of {@code k} standard normal floats. */
    private static float[] gaussianFactors(SplittableRandom rnd, int rows, int k) {
        float[] factors = new float[rows * k];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) rnd.nextGaussian();
        }
        return factors;
    }

    /** {@code n} row indices below {@code rows}, repeats allowed. */
    private static int[] rowIndices(SplittableRandom rnd, int n, int rows) {
        int[] idx = new int[n];
        for (int p = 0; p < n; p++) {
            idx[p] = rnd.nextInt(rows);
        }
        return idx;
    }

    /**
     * The fused pass (Gram, right-hand side and the bias row of the augmented regressor
     * {@code [v; 1]}) gives the bits of the row-by-row loops it replaced in the ALS row solve:
     * {@code rhs[x] += v[x] t} and {@code G[bias + x] += v[x]} per row, then addOuter.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void fusedRightHandSideAndBiasRowHaveTheBitsOfSeparateLoops(long seed) {
        for (int k = 1; k <= Gram.BLOCKED_MAX_K + 8; k++) {
            fusedRightHandSideAndBiasRow(new SplittableRandom(seed * 1000 + k), k);
        }
    }

    private static void fusedRightHandSideAndBiasRow(SplittableRandom rnd, int k) {
        int d = k + 1; // the augmented system: row k is the bias row
        int rows = 1 + rnd.nextInt(20);
        float[] factors = gaussianFactors(rnd, rows, k);
        int n = rnd.nextInt(40);
        int[] idx = rowIndices(rnd, n + 3, rows);
        double[] t = new double[n];
        for (int p = 0; p < n; p++) {
            t[p] = rnd.nextGaussian();
        }
        boolean bias = rnd.nextBoolean();
        int biasRow = bias ? k * d : -1;
        double[] g1 = new double[d * d];
        double[] r1 = new double[k];
        for (int e = 0; e < g1.length; e++) {
            g1[e] = rnd.nextGaussian();
        }
        for (int x = 0; x < k; x++) {
            r1[x] = rnd.nextGaussian();
        }
        double[] g2 = g1.clone();
        double[] r2 = r1.clone();
        for (int p = 2; p < 2 + n; p++) {
            int base = idx[p] * k;
            for (int x = 0; x < k; x++) {
                r1[x] += factors[base + x] * t[p - 2];
                if (bias) {
                    g1[biasRow + x] += factors[base + x];
                }
            }
        }
        for (int p = 2; p < 2 + n; p++) {
            Gram.addOuter(g1, d, factors, idx[p] * k, k);
        }
        Gram.addOuters(g2, d, factors, idx, 2, 2 + n, k, t, r2, biasRow);
        for (int e = 0; e < g1.length; e++) {
            assertEquals(Double.doubleToRawLongBits(g1[e]), Double.doubleToRawLongBits(g2[e]), "k " + k + ", G element " + e);
        }
        for (int x = 0; x < k; x++) {
            assertEquals(Double.doubleToRawLongBits(r1[x]), Double.doubleToRawLongBits(r2[x]), "k " + k + ", rhs " + x);
        }
    }
    /**
     * The register-blocked pass has the bits of the row-at-a-time pass for every K up to beyond
     * either bound, whichever one this machine's JIT uses ({@link Gram#BLOCKED_MAX_K}).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void blockedPassHasTheBitsOfTheRowPassForEveryK(long seed) {
        for (int k = 1; k <= 40; k++) {
            SplittableRandom rnd = new SplittableRandom(seed * 1000 + k);
            int stride = k + rnd.nextInt(3);
            float[] factors = gaussianFactors(rnd, 6, k);
            int[] b = rowIndices(rnd, 4, 6);
            double[] rows = new double[k * stride];
            for (int e = 0; e < rows.length; e++) {
                rows[e] = rnd.nextGaussian();
            }
            double[] blocked = rows.clone();
            Gram.addFourRows(rows, stride, factors, b[0] * k, b[1] * k, b[2] * k, b[3] * k, 0, k);
            Gram.addFourBlocked(blocked, stride, factors, b[0] * k, b[1] * k, b[2] * k, b[3] * k, k);
            for (int e = 0; e < rows.length; e++) {
                assertEquals(Double.doubleToRawLongBits(rows[e]), Double.doubleToRawLongBits(blocked[e]),
                        "k " + k + ", element " + e);
            }
        }
    }

    /** The bound follows the JIT's register file: 32 with AVX-512 in use, else 16. */
    @org.junit.jupiter.api.Test
    void blockedBoundFollowsTheRegisterFile() {
        assertEquals(org.varec.util.Cpu.wideRegisterFile() ? 32 : 16, Gram.BLOCKED_MAX_K);
        java.lang.management.RuntimeMXBean rt = java.lang.management.ManagementFactory.getRuntimeMXBean();
        if (rt.getInputArguments().contains("-XX:UseAVX=2")) {
            assertEquals(16, Gram.BLOCKED_MAX_K);
        }
    }
    /**
     * The weighted pass with targets (BPMF's row conditional) adds {@code h += sum_q t_q z_q} with
     * the bits of the row-by-row loop it replaced, and leaves G as the pass without targets does;
     * every count of rows, so the blocks of eight and four and the single rows are all met.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void weightedPassWithTargetsHasTheBitsOfTheSeparateLoop(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n = 0; n <= 21; n++) {
            int d = 1 + rnd.nextInt(24);
            double[] z = new double[n * d];
            double[] w = new double[n];
            double[] t = new double[n];
            for (int e = 0; e < z.length; e++) {
                z[e] = rnd.nextGaussian();
            }
            for (int q = 0; q < n; q++) {
                w[q] = rnd.nextDouble() * 2;
                t[q] = rnd.nextGaussian();
            }
            double[] h = new double[d];
            for (int x = 0; x < d; x++) {
                h[x] = rnd.nextGaussian();
            }
            double[] hFused = h.clone();
            for (int q = 0; q < n; q++) {
                for (int x = 0; x < d; x++) {
                    h[x] += z[q * d + x] * t[q];
                }
            }
            double[] g = new double[d * d];
            double[] gFused = new double[d * d];
            Gram.addWeightedOuters(g, d, z, w, n);
            Gram.addWeightedOuters(gFused, d, z, w, n, t, hFused);
            for (int x = 0; x < d; x++) {
                assertEquals(Double.doubleToRawLongBits(h[x]), Double.doubleToRawLongBits(hFused[x]), "n " + n + ", h " + x);
            }
            for (int e = 0; e < g.length; e++) {
                assertEquals(Double.doubleToRawLongBits(g[e]), Double.doubleToRawLongBits(gFused[e]), "n " + n + ", G " + e);
            }
        }
    }
}
