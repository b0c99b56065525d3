package org.varec.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varec.metrics.Clustering.adjustedRand;

import org.junit.jupiter.api.Test;
import org.varec.stats.Rng;

class ClusteringTest {
    @Test
    void matchesScikitLearnExamples() {
        // sklearn.metrics.adjusted_rand_score documentation examples
        assertEquals(1.0, adjustedRand(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 1}), 1e-15);
        assertEquals(1.0, adjustedRand(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-15);
        assertEquals(0.5714285714285714, adjustedRand(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}), 1e-15);
        assertEquals(0.5714285714285714, adjustedRand(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-15);
        assertEquals(0.0, adjustedRand(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}), 1e-15);
        assertEquals(-0.5, adjustedRand(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-15);
    }

    @Test
    void handWorkedContingencyTable() {
        // a = [0 0 0 1 1 1], b = [0 0 1 1 2 2]: cells (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=2 -> sum C = 1+0+0+1 = 2;
        // rows 3,3 -> 3+3 = 6; columns 2,2,2 -> 3; C(6,2) = 15; E = 6*3/15 = 1.2; max = 4.5
        // ARI = (2 - 1.2) / (4.5 - 1.2) = 0.8 / 3.3
        assertEquals(0.8 / 3.3, adjustedRand(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2}), 1e-12);
    }

    @Test
    void labelsAreArbitraryInts() {
        int[] a = {5, 5, -3, -3, 7, 7, 7};
        int[] b = {100, 100, 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE};
        int[] c = {0, 0, 1, 1, 2, 2, 3};
        assertEquals(adjustedRand(new int[] {0, 0, 1, 1, 2, 2, 2}, c), adjustedRand(a, b), 1e-15);
        assertEquals(adjustedRand(a, b), adjustedRand(b, a), 1e-15);
    }

    @Test
    void degenerateCasesAreOne() {
        assertEquals(1.0, adjustedRand(new int[] {3, 3, 3}, new int[] {1, 1, 1}));
        assertEquals(1.0, adjustedRand(new int[] {0, 1, 2}, new int[] {2, 0, 1}));
        assertEquals(1.0, adjustedRand(new int[] {4}, new int[] {9}));
        assertEquals(1.0, adjustedRand(new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> adjustedRand(new int[] {0, 1}, new int[] {0}));
    }

    @Test
    void independentClusteringsScoreNearZero() {
        Rng rng = new Rng(3);
        int n = 20000;
        int[] a = new int[n];
        int[] b = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = rng.nextInt(5);
            b[k] = rng.nextInt(4);
        }
        double ari = adjustedRand(a, b);
        assertTrue(Math.abs(ari) < 0.01, "ARI " + ari);
    }
}
