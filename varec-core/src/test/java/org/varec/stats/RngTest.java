package org.varec.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void splitMix64MatchesReferenceOutputs() {
        // SplitMix64 seeded with 0 outputs mix64(k * golden) for k = 1, 2, 3 (reference values)
        long golden = 0x9e3779b97f4a7c15L;
        assertEquals(0xe220a8397b1dcdafL, Rng.mix64(golden));
        assertEquals(0x6e789e6aa1b965f4L, Rng.mix64(2 * golden));
        assertEquals(0x06c45d188009454fL, Rng.mix64(3 * golden));
    }

    @Test
    void xoshiro256StarStarMatchesReferenceOutputs() {
        Rng r = Rng.ofState(1, 2, 3, 4);
        assertEquals(11520L, r.nextLong());
        assertEquals(0L, r.nextLong());
        assertEquals(1509978240L, r.nextLong());
        assertEquals(1215971899390074240L, r.nextLong());
    }

    /** Values cross-checked against an independent re-implementation (Python, arbitrary-precision ints). */
    @Test
    void seededSequencesArePinned() {
        Rng r = new Rng(42);
        assertEquals(1546998764402558742L, r.nextLong());
        assertEquals(6990951692964543102L, r.nextLong());
        assertEquals(-5902157311460992607L, r.nextLong());

        Rng ints = new Rng(42);
        int[] got = new int[10];
        for (int k = 0; k < 10; k++) {
            got[k] = ints.nextInt(10);
        }
        assertArrayEquals(new int[] {0, 3, 6, 9, 9, 7, 7, 8, 7, 5}, got);

        Rng d = new Rng(42);
        assertEquals(0.08386297105988216, d.nextDouble());
        assertEquals(0.3789802506626686, d.nextDouble());
        assertEquals(0.6800434110281394, d.nextDouble());

        Rng g = new Rng(42);
        // polar method: pairs (u f, v f); the reference used the platform log, so allow an ulp or two
        assertEquals(-0.7262191382447857, g.nextGaussian(), 1e-15);
        assertEquals(-0.21119691823195985, g.nextGaussian(), 1e-15);
        assertEquals(0.2216227015035933, g.nextGaussian(), 1e-15);
        assertEquals(0.5227716877560146, g.nextGaussian(), 1e-15);

        Rng s = Rng.stream(7, 3);
        assertEquals(2900918663363756914L, s.nextLong());
        assertEquals(8845750395675553539L, s.nextLong());

        int[] p = new Rng(1).permutation(10);
        assertArrayEquals(new int[] {3, 6, 1, 5, 0, 9, 2, 8, 4, 7}, p);
    }

    /** The SplitMix64 mode is the sequence of SplittableRandom, which the synthetic data's seeds were defined on. */
    @Test
    void splitMix64ModeGivesTheSplittableRandomSequence() {
        Rng zero = Rng.splitMix64(0);
        assertEquals(0xe220a8397b1dcdafL, zero.nextLong());
        assertEquals(0x6e789e6aa1b965f4L, zero.nextLong());
        assertEquals(0x06c45d188009454fL, zero.nextLong());
        for (long seed : new long[] {1, 42, -7, Long.MIN_VALUE}) {
            java.util.SplittableRandom reference = new java.util.SplittableRandom(seed);
            Rng r = Rng.splitMix64(seed);
            for (int k = 0; k < 1000; k++) {
                assertEquals(reference.nextLong(), r.nextLong(), "seed " + seed + ", draw " + k);
            }
        }
        // the distributions on top are the same code as for xoshiro256**: a polar-method pair from two doubles
        Rng g = Rng.splitMix64(3);
        Rng bits = Rng.splitMix64(3);
        double u;
        double v;
        double s;
        do {
            u = 2 * bits.nextDouble() - 1;
            v = 2 * bits.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        assertEquals(u * f, g.nextGaussian());
        assertEquals(v * f, g.nextGaussian());
    }

    @Test
    void sameSeedSameSequenceDifferentSeedOrStreamDifferent() {
        assertArrayEquals(longs(new Rng(5), 20), longs(new Rng(5), 20));
        assertArrayEquals(longs(Rng.stream(5, 9), 20), longs(Rng.stream(5, 9), 20));
        Set<String> seen = new HashSet<>();
        seen.add(Arrays.toString(longs(new Rng(5), 4)));
        for (long seed = 0; seed < 4; seed++) {
            for (long id = 0; id < 50; id++) {
                assertTrue(seen.add(Arrays.toString(longs(Rng.stream(seed, id), 4))), "stream " + seed + "/" + id);
            }
        }
        assertNotEquals(Rng.deriveSeed(1, 0), Rng.deriveSeed(0, 1));
    }

    @Test
    void nextIntStaysInRangeAndIsRoughlyUniform() {
        Rng r = new Rng(3);
        int bound = 7;
        int[] counts = new int[bound];
        int n = 70_000;
        for (int k = 0; k < n; k++) {
            counts[r.nextInt(bound)]++;
        }
        double chi2 = 0;
        for (int c : counts) {
            double e = (double) n / bound;
            chi2 += (c - e) * (c - e) / e;
        }
        assertTrue(chi2 < 25, "chi2 with 6 dof = " + chi2); // p ~ 3e-4
        for (int k = 0; k < 1000; k++) {
            assertEquals(0, r.nextInt(1));
            int big = r.nextInt(Integer.MAX_VALUE);
            assertTrue(big >= 0 && big < Integer.MAX_VALUE);
            int x = r.nextInt(-5, 5);
            assertTrue(x >= -5 && x < 5);
            int w = r.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
            assertTrue(w < Integer.MAX_VALUE);
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(3, 3));
    }

    @Test
    void doublesAndGaussiansHaveTheRightMoments() {
        Rng r = new Rng(11);
        int n = 200_000;
        double s = 0;
        double ss = 0;
        double us = 0;
        for (int k = 0; k < n; k++) {
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1);
            float f = r.nextFloat();
            assertTrue(f >= 0 && f < 1);
            us += u;
            double g = r.nextGaussian();
            s += g;
            ss += g * g;
        }
        assertEquals(0.5, us / n, 0.005);
        assertEquals(0, s / n, 0.01);
        assertEquals(1, ss / n - (s / n) * (s / n), 0.015);
        Rng m = new Rng(11);
        Rng m2 = new Rng(11);
        m.nextGaussian();
        m2.nextGaussian();
        assertEquals(3 + 2 * m2.nextGaussian(), m.nextGaussian(3, 2), 1e-12);
    }

    @Test
    void shuffleIsAPermutationAndUniformOnSmallArrays() {
        Rng r = new Rng(8);
        int[] a = r.permutation(1000);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, sorted[i]);
        }
        // all 6 orders of 3 elements, each about 1/6 of the time
        int[] counts = new int[6];
        int n = 60_000;
        for (int k = 0; k < n; k++) {
            int[] p = {0, 1, 2};
            r.shuffle(p);
            counts[p[0] * 2 + (p[1] > p[2] ? 1 : 0)]++;
        }
        for (int c : counts) {
            assertEquals(n / 6.0, c, 500);
        }
        int[] part = {9, 8, 7, 6, 5, 4};
        r.shuffle(part, 2, 4);
        assertEquals(9, part[0]);
        assertEquals(8, part[1]);
        assertEquals(5, part[4]);
        assertEquals(4, part[5]);
        assertFalse(Arrays.equals(new Rng(1).permutation(50), new Rng(2).permutation(50)));
        assertThrows(IndexOutOfBoundsException.class, () -> r.shuffle(part, 3, 9));
    }

    private static long[] longs(Rng r, int n) {
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = r.nextLong();
        }
        return out;
    }
}
