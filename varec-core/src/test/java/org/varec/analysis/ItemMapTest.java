package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.stats.Rng;

class ItemMapTest {
    private static final int K = 6;
    private static final int N = 400;

    /**
     * Item vectors in K = 6 dimensions that lie near a plane: {@code v_i = c + a_i d1 + b_i d2 + noise}
     * with orthonormal d1, d2, sd(a) = 3, sd(b) = 1 and noise sd 0.01 in every dimension.
     */
    private record Planted(float[] vectors, double[] a, double[] b) {
    }

    private static Planted planted(long seed) {
        Rng rng = new Rng(seed);
        double[] d1 = unit(rng);
        double[] d2 = unit(rng);
        double dot = 0;
        for (int f = 0; f < K; f++) {
            dot += d1[f] * d2[f];
        }
        double norm = 0;
        for (int f = 0; f < K; f++) {
            d2[f] -= dot * d1[f]; // Gram-Schmidt: d2 orthogonal to d1
            norm += d2[f] * d2[f];
        }
        for (int f = 0; f < K; f++) {
            d2[f] /= Math.sqrt(norm);
        }
        float[] v = new float[N * K];
        double[] a = new double[N];
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = 3 * rng.nextGaussian();
            b[i] = rng.nextGaussian();
            for (int f = 0; f < K; f++) {
                v[i * K + f] = (float) (0.5 + a[i] * d1[f] + b[i] * d2[f] + 0.01 * rng.nextGaussian());
            }
        }
        return new Planted(v, a, b);
    }

    private static double[] unit(Rng rng) {
        double[] d = new double[K];
        double norm = 0;
        for (int f = 0; f < K; f++) {
            d[f] = rng.nextGaussian();
            norm += d[f] * d[f];
        }
        for (int f = 0; f < K; f++) {
            d[f] /= Math.sqrt(norm);
        }
        return d;
    }

    private static double variance(double[] p) {
        double m = 0;
        for (double v : p) {
            m += v / p.length;
        }
        double s = 0;
        for (double v : p) {
            s += (v - m) * (v - m);
        }
        return s / p.length;
    }

    private static double correlation(double[] p, double[] q) {
        double mp = 0;
        double mq = 0;
        for (int k = 0; k < p.length; k++) {
            mp += p[k] / p.length;
            mq += q[k] / q.length;
        }
        double pq = 0;
        double pp = 0;
        double qq = 0;
        for (int k = 0; k < p.length; k++) {
            pq += (p[k] - mp) * (q[k] - mq);
            pp += (p[k] - mp) * (p[k] - mp);
            qq += (q[k] - mq) * (q[k] - mq);
        }
        return pq / Math.sqrt(pp * qq);
    }

    @Test
    void principalComponentsRecoverAPlantedPlane() {
        Planted p = planted(11);
        Fixtures.Vectors model = new Fixtures.Vectors(K, p.vectors());
        ItemMap map = ItemMap.of(model, ItemMap.itemsWithAtLeast(null, N, 0));
        assertTrue(map.principalComponents());
        assertEquals(N, map.size());
        // the first axis is the direction of larger spread (a), the second the other (b), up to sign
        assertTrue(Math.abs(correlation(map.x(), p.a())) > 0.9999, "x ~ a: " + correlation(map.x(), p.a()));
        assertTrue(Math.abs(correlation(map.y(), p.b())) > 0.999, "y ~ b: " + correlation(map.y(), p.b()));
        assertTrue(Math.abs(correlation(map.x(), p.b())) < 0.2);
        // coordinates are centred and keep the planted distances
        double meanX = 0;
        for (double x : map.x()) {
            meanX += x / N;
        }
        assertEquals(0, meanX, 1e-9);
        double planted = Math.hypot(p.a()[0] - p.a()[1], p.b()[0] - p.b()[1]);
        double mapped = Math.hypot(map.x()[0] - map.x()[1], map.y()[0] - map.y()[1]);
        assertEquals(planted, mapped, 0.05);
        // nearly all variance lies in the plane, split between the axes as between a and b
        double plane = map.firstShare() + map.secondShare();
        assertTrue(plane > 0.999 && plane <= 1 + 1e-12, "share in the plane " + plane);
        double ratio = variance(p.a()) / variance(p.b());
        assertEquals(ratio, map.firstShare() / map.secondShare(), 0.05 * ratio);
    }

    @Test
    void theSameModelGivesTheSameMap() {
        Planted p = planted(5);
        ItemMap one = ItemMap.of(new Fixtures.Vectors(K, p.vectors()), new int[] {0, 3, 4, 10, 11, 12, 50, 99});
        ItemMap two = ItemMap.of(new Fixtures.Vectors(K, p.vectors().clone()), new int[] {0, 3, 4, 10, 11, 12, 50, 99});
        assertArrayEquals(one.x(), two.x());
        assertArrayEquals(one.y(), two.y());
        assertArrayEquals(new int[] {0, 3, 4, 10, 11, 12, 50, 99}, one.items());
    }

    @Test
    void aRankTwoModelIsShownAsItIs() {
        float[] v = {1, 2, /* */ -3, 0.5f, /* */ 0, -1};
        ItemMap map = ItemMap.of(new Fixtures.Vectors(2, v), new int[] {0, 2});
        assertFalse(map.principalComponents());
        assertArrayEquals(new double[] {1, 0}, map.x());
        assertArrayEquals(new double[] {2, -1}, map.y());
        assertTrue(Double.isNaN(map.firstShare()));
    }

    @Test
    void itemsAreChosenByTheirRatingCount() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, ItemMap.itemsWithAtLeast(null, 4, 100));
        assertArrayEquals(new int[] {1, 3}, ItemMap.itemsWithAtLeast(new int[] {4, 5, 0, 9}, 4, 5));
        assertArrayEquals(new int[] {0, 1, 2, 3}, ItemMap.itemsWithAtLeast(new int[] {4, 5, 0, 9}, 4, 0));
    }

    @Test
    void tooLowARankOrTooFewItemsIsRefused() {
        Fixtures.Vectors rank1 = new Fixtures.Vectors(1, new float[] {1, 2, 3});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ItemMap.of(rank1, new int[] {0, 1}))
                .getMessage().contains("at least 2 latent dimensions"));
        Fixtures.Vectors rank3 = new Fixtures.Vectors(3, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals("only 1 item(s) to map",
                assertThrows(IllegalArgumentException.class, () -> ItemMap.of(rank3, new int[] {1})).getMessage());
    }

    @Test
    void outermostPointsAreTheExtremesInEvenlySpreadDirections() {
        // a diamond around a centre point; the x extent is ten times the y extent, which the scaling undoes
        float[] v = {0, 0, /* */ 0, 1, /* */ 10, 0, /* */ 0, -1, /* */ -10, 0, /* */ 1, 0.1f};
        ItemMap map = ItemMap.of(new Fixtures.Vectors(2, v), ItemMap.itemsWithAtLeast(null, 6, 0));
        // up, then clockwise: right, down, left
        assertArrayEquals(new int[] {1, 2, 3, 4}, map.outermost(4));
        assertArrayEquals(new int[] {1}, map.outermost(1));
        // more directions than points: each point at most once
        int[] all = map.outermost(40);
        assertEquals(6, all.length);
        assertEquals(6, java.util.Arrays.stream(all).distinct().count());
        assertEquals(0, map.outermost(0).length);
    }

    @Test
    void pointsAreGroupedByTheFirstChosenGenreTheyHave() {
        float[] v = {0, 0, /* */ 1, 1, /* */ 2, 2, /* */ 3, 3};
        ItemMap map = ItemMap.of(new Fixtures.Vectors(2, v), new int[] {0, 1, 2, 3});
        String[] genres = {"Horror|Comedy", "Comedy", null, "Drama"};
        assertArrayEquals(new int[] {0, 1, 2, 2}, map.genreGroups(genres, List.of("Horror", "Comedy")));
        // the order of the chosen genres decides for an item in several of them
        assertArrayEquals(new int[] {0, 0, 2, 2}, map.genreGroups(genres, List.of("Comedy", "Horror")));
        assertArrayEquals(new int[] {0, 0, 0, 0}, map.genreGroups(null, List.of()));
    }
}
