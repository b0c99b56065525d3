package org.varec.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FriedmanNemenyiTest {
    /**
     * Demsar 2006, Table 6: AUC of C4.5 with and without cut-off (cf) and minimal examples (m)
     * tuning on 14 datasets. Transcribed; they reproduce his mean ranks (3.143, 2.000, 2.893, 1.964)
     * and statistics of section 3.2.2 exactly, which is what is tested.
     */
    static final double[][] DEMSAR = {
        {0.763, 0.768, 0.771, 0.798}, // adult (sample)
        {0.599, 0.591, 0.590, 0.569}, // breast cancer
        {0.954, 0.971, 0.968, 0.967}, // breast cancer wisconsin
        {0.628, 0.661, 0.654, 0.654}, // cmc
        {0.882, 0.888, 0.886, 0.898}, // ionosphere
        {0.936, 0.931, 0.916, 0.931}, // iris
        {0.661, 0.668, 0.609, 0.685}, // liver disorders
        {0.583, 0.583, 0.563, 0.625}, // lung cancer
        {0.775, 0.838, 0.866, 0.875}, // lymphography
        {1.000, 1.000, 1.000, 1.000}, // mushroom
        {0.940, 0.962, 0.965, 0.962}, // primary tumor
        {0.619, 0.666, 0.614, 0.669}, // rheum
        {0.972, 0.981, 0.975, 0.975}, // voting
        {0.957, 0.978, 0.946, 0.970}, // wine
    };
    static final List<String> C45 = List.of("C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf");

    @Test
    void demsarsWorkedExample() {
        FriedmanTest f = FriedmanTest.of(C45, DEMSAR, true);
        assertArrayEquals(new double[] {44.0 / 14, 2.000, 40.5 / 14, 27.5 / 14}, f.meanRanks(), 1e-12);
        assertEquals(3.143, f.meanRanks()[0], 5e-4);
        assertEquals(2.893, f.meanRanks()[2], 5e-4);
        assertEquals(1.964, f.meanRanks()[3], 5e-4);
        assertEquals(9.28, f.chiSquare(), 5e-3);
        assertEquals(3.69, f.imanDavenport(), 5e-3);
        // p-values: scipy.stats chi2.sf(9.2786, 3) and f.sf(3.6863, 3, 39); Demsar: F(3, 39) critical value 2.85 at .05
        assertEquals(0.025807496707063185, f.chiSquareP(), 1e-10);
        assertEquals(0.019823006192249054, f.p(), 1e-10);
        Nemenyi n05 = Nemenyi.of(f, 0.05);
        Nemenyi n10 = Nemenyi.of(f, 0.10);
        assertEquals(2.569, n05.q(), 5e-4);
        assertEquals(2.291, n10.q(), 5e-4);
        assertEquals(1.25, n05.cd(), 5e-3);
        assertEquals(1.12, n10.cd(), 5e-3);
        // Demsar: at .05 no pair differs (the largest, C4.5 vs C4.5+m+cf, 1.18 < 1.25); at .10 C4.5+m+cf and
        // C4.5+m are better than C4.5 (1.18 and 1.14 >= 1.12)
        assertFalse(n05.differ(f, 0, 3));
        assertTrue(n10.differ(f, 0, 3));
        assertTrue(n10.differ(f, 0, 1));
        assertFalse(n10.differ(f, 0, 2));
        // groups at .10 in rank order (m+cf 1.964, m 2.000, cf 2.893, C4.5 3.143): {m+cf, m, cf} and {cf, C4.5}
        List<int[]> g = n10.groups();
        assertEquals(2, g.size());
        assertArrayEquals(new int[] {3, 1, 2}, g.get(0));
        assertArrayEquals(new int[] {2, 0}, g.get(1));
    }

    /**
     * Demsar's Table 5a: q_alpha for k = 2..10 at alpha 0.05 and 0.10 (three decimals, some
     * truncated: 2.343 for 2.3437), and scipy.stats.studentized_range.ppf(1 - alpha, k, inf) / sqrt(2).
     */
    @ParameterizedTest
    @CsvSource({"2,1.960,1.645,1.9599639845400534,1.6448536269514722",
        "3,2.343,2.052,2.343700586378409,2.0522927304967755", "4,2.569,2.291,2.569031772546482,2.2913414968880566",
        "5,2.728,2.459,2.7277743708703763,2.4595157642714183", "6,2.850,2.589,2.8497054196100016,2.588520601922348",
        "7,2.949,2.693,2.9483200175296744,2.6927321009677594", "8,3.031,2.780,3.030878449614413,2.779883608152978",
        "9,3.102,2.855,3.1017303413033805,2.8546064311980253", "10,3.164,2.920,3.163683577053373,2.9198888400615384"})
    void criticalValuesMatchDemsarsTable(int k, double q05, double q10, double scipy05, double scipy10) {
        assertEquals(q05, Nemenyi.q(k, 0.05), 1e-3);
        assertEquals(q10, Nemenyi.q(k, 0.10), 1e-3);
        assertEquals(scipy05, Nemenyi.q(k, 0.05), 1e-6);
        assertEquals(scipy10, Nemenyi.q(k, 0.10), 1e-6);
    }

    @Test
    void handComputedSmallCaseWithTies() {
        // 3 blocks x 3 models, errors (lower is better); block 2 has a tie between b and c
        double[][] v = {
            {0.80, 0.90, 1.00},
            {0.85, 0.95, 0.90},
            {0.70, 0.75, 0.75},
        };
        assertArrayEquals(new double[] {1, 2.5, 2.5}, FriedmanTest.ranks(v[2], false), 0);
        FriedmanTest f = FriedmanTest.of(List.of("a", "b", "c"), v, false);
        // ranks: a 1,1,1; b 2,3,2.5; c 3,2,2.5 -> means 1, 2.5, 2.5
        assertArrayEquals(new double[] {1, 2.5, 2.5}, f.meanRanks(), 1e-12);
        // chi2 = 12*3/(3*4) * (1 + 6.25 + 6.25 - 3*16/4) = 3 * 1.5 = 4.5; F = 2*4.5/(3*2 - 4.5) = 6
        assertEquals(4.5, f.chiSquare(), 1e-12);
        assertEquals(6.0, f.imanDavenport(), 1e-12);
        assertEquals(Math.exp(-4.5 / 2), f.chiSquareP(), 1e-12); // chi-square with 2 df: exp(-x/2)
        // F(2, 4) survival at 6: (1 + 2*6/4)^(-2) = 1/16
        assertEquals(1.0 / 16, f.p(), 1e-12);
        Nemenyi n = Nemenyi.of(f, 0.05);
        assertEquals(2.343 * Math.sqrt(12.0 / 18), n.cd(), 1e-3);
        assertEquals(1, n.groups().size()); // 1.5 < CD 1.91: one group of all three
        assertEquals(3, n.groups().get(0).length);
        // the same ranking in every block: F_F infinite, p 0
        FriedmanTest same = FriedmanTest.of(List.of("a", "b"), new double[][] {{1, 2}, {1, 2}, {1, 2}}, false);
        assertEquals(Double.POSITIVE_INFINITY, same.imanDavenport());
        assertEquals(0, same.p());
        assertThrows(IllegalArgumentException.class, () -> FriedmanTest.of(List.of("a"), new double[][] {{1}, {2}}, true));
        assertThrows(IllegalArgumentException.class, () -> FriedmanTest.of(List.of("a", "b"), new double[][] {{1, 2}}, true));
        assertThrows(IllegalArgumentException.class,
                () -> FriedmanTest.of(List.of("a", "b"), new double[][] {{1, Double.NaN}, {1, 2}}, true));
    }
}
