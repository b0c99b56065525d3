package org.varec.model.sbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.data.Networks;
import org.varec.data.RatingMatrix;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.TrainedModel;
import org.varec.model.Fitting;
import org.varec.stats.Rng;
import org.varec.testing.PlantedNetwork;
import org.varec.testing.Synthetic;
import org.varec.train.TrainingContext;

class SbmTest {
    private static SbmConfig config(String set) {
        return (SbmConfig) Algorithms.get("sbm").parseConfig(Params.parse(java.util.List.of(set.split(" "))));
    }

    private static TrainedModel fit(Dataset d, String set, long seed, int threads) {
        return Fitting.fit(Algorithms.get("sbm"), config(set), d, d.ratings(), TrainingContext.of(seed, threads));
    }

    /** The planted partition and block probabilities come back (4 groups, 200 vertices). */
    @ParameterizedTest
    @ValueSource(longs = {3, 11})
    void recoversPlantedBlocks(long seed) {
        PlantedNetwork g = PlantedNetwork.draw(seed, 200, 4, 0.3, 0.03);
        TrainedModel m = fit(g.dataset(), "truncation=8 epochs=1500 warmup=30", seed, 2);
        SbmModel sbm = (SbmModel) m.model();
        int[] groups = sbm.groups();
        double ari = org.varec.metrics.Clustering.adjustedRand(g.truth(), groups);
        assertTrue(ari >= 0.9, "adjusted Rand " + ari);
        assertEquals(4, sbm.numGroups());
        assertArrayEquals(new int[] {50, 50, 50, 50}, sizes(groups));
        // block probabilities against the planted graph's own link rates per block (its sampling noise
        // aside); the Gaussian priors on the group features shrink the within-group rates a little
        double[][] p = sbm.blockProbabilities();
        double[][] links = new double[4][4];
        double[][] pairs = new double[4][4];
        var all = g.dataset().ratings();
        for (int k = 0; k < all.size(); k++) {
            int a = groups[all.users()[k]];
            int b = groups[all.items()[k]];
            links[a][b] += all.values()[k];
            pairs[a][b]++;
            if (a != b) {
                links[b][a] += all.values()[k];
                pairs[b][a]++;
            }
        }
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                assertEquals(links[a][b] / pairs[a][b], p[a][b], a == b ? 0.05 : 0.015, "block " + a + "," + b);
            }
        }
        // a trained vertex folded in from its links alone lands in its own group
        for (int v : new int[] {0, 57, 199}) {
            RatingMatrix r = RatingMatrix.of(Networks.mirror(g.dataset().ratings()));
            int count = 0;
            int[] items = new int[r.userCount(v)];
            for (int q = r.userOffsets()[v]; q < r.userOffsets()[v + 1]; q++) {
                if (r.userValues()[q] == 1f) {
                    items[count++] = r.userItems()[q];
                }
            }
            float[] ones = new float[count];
            Arrays.fill(ones, 1f);
            SbmModel.Vertex f = (SbmModel.Vertex) sbm.foldIn(Arrays.copyOf(items, count), ones);
            assertEquals(argmax(sbm.groupProbabilities(v)), argmax(f.eta()), "vertex " + v);
            assertEquals(sbm.predict(v, 10), sbm.predict(f, 10), 0.05);
        }
    }

    @Test
    void sameSeedSameModelForAnyThreadCount() {
        Dataset d = PlantedNetwork.draw(5, 80, 3, 0.3, 0.05).dataset();
        SbmModel a = (SbmModel) fit(d, "epochs=40 warmup=10", 9, 1).model();
        SbmModel b = (SbmModel) fit(d, "epochs=40 warmup=10", 9, 2).model();
        for (int i = 0; i < 80; i++) {
            assertArrayEquals(a.groupProbabilities(i), b.groupProbabilities(i), 0.0);
            assertEquals(a.predict(i, (i + 7) % 80), b.predict(i, (i + 7) % 80), 0.0);
        }
    }

    @Test
    void refusesRatingData() {
        Dataset ratings = Synthetic.biases(1, 20, 20, 0.3, 0.3).dataset();
        String msg = assertThrows(IllegalArgumentException.class, () -> fit(ratings, "epochs=2", 1, 1)).getMessage();
        assertTrue(msg.contains("--format adjacency"), msg);
    }

    // ---------------------------------------------------------------- the closed-form steps

    /** A small random graph with random q and random (valid, symmetric) expected log-likelihoods. */
    private static final class Fixture {
        final SbmBlocks blocks;
        final double[] l1;
        final double[] l0;

        Fixture(long seed, int n, int t) {
            Dataset d = PlantedNetwork.draw(seed, n, 3, 0.4, 0.1).dataset();
            RatingMatrix r = RatingMatrix.of(Networks.mirror(d.ratings()));
            Rng rng = new Rng(seed);
            double[] eta = new double[n * t];
            for (int i = 0; i < n; i++) {
                double z = 0;
                for (int c = 0; c < t; c++) {
                    eta[i * t + c] = 0.05 + rng.nextDouble();
                    z += eta[i * t + c];
                }
                for (int c = 0; c < t; c++) {
                    eta[i * t + c] /= z;
                }
            }
            blocks = new SbmBlocks(n, t, r.userOffsets(), r.userItems(), r.userValues(), eta, 0.7);
            for (int c = 0; c < t - 1; c++) {
                blocks.rho1[c] = 0.5 + 3 * rng.nextDouble();
                blocks.rho2[c] = 0.5 + 3 * rng.nextDouble();
            }
            blocks.computeLogPi();
            l1 = new double[t * t];
            l0 = new double[t * t];
            for (int a = 0; a < t; a++) {
                for (int b = a; b < t; b++) {
                    double s = 2 * rng.nextGaussian() - 2;
                    l1[a * t + b] = l1[b * t + a] = SbmTrainer.logSigmoid(s);
                    l0[a * t + b] = l0[b * t + a] = SbmTrainer.logSigmoid(-s);
                }
            }
        }
    }

    /** Eq. (9), the stick steps (closed form and damped) and the alpha update never decrease the objective. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void closedFormStepsNeverDecreaseTheElbo(long seed) {
        Fixture f = new Fixture(seed, 40, 6);
        SbmBlocks b = f.blocks;
        int[] order = new int[b.n];
        for (int i = 0; i < b.n; i++) {
            order[i] = i;
        }
        double before = b.objective(f.l1, f.l0);
        for (int sweep = 0; sweep < 5; sweep++) {
            for (int v = 0; v < b.n; v++) {
                b.updateEta(new int[] {v}, 1, f.l1, f.l0);
                double now = b.objective(f.l1, f.l0);
                assertTrue(now >= before - 1e-9 * Math.abs(before), "eta step " + before + " -> " + now);
                before = now;
            }
            b.updateSticks(sweep % 2 == 0 ? 0.3 : 1.0);
            double now = b.objective(f.l1, f.l0);
            assertTrue(now >= before - 1e-9 * Math.abs(before), "stick step " + before + " -> " + now);
            before = now;
            b.updateAlpha();
            now = b.objective(f.l1, f.l0);
            assertTrue(now >= before - 1e-9 * Math.abs(before), "alpha step " + before + " -> " + now);
            before = now;
        }
    }

    /** After eq. (9) for vertex v, moving eta_v along the simplex (e_a - e_b) in either direction lowers the objective. */
    @Test
    void assignmentUpdateIsTheCoordinateMaximum() {
        Fixture f = new Fixture(9, 30, 5);
        SbmBlocks b = f.blocks;
        int v = 4;
        b.updateEta(new int[] {v}, 1, f.l1, f.l0);
        double at = b.objective(f.l1, f.l0);
        double h = 1e-6;
        for (int a = 0; a < b.t; a++) {
            for (int c = a + 1; c < b.t; c++) {
                double[] diffs = new double[2];
                for (int sgn = 0; sgn < 2; sgn++) {
                    double d = sgn == 0 ? h : -h;
                    b.eta[v * b.t + a] += d;
                    b.eta[v * b.t + c] -= d;
                    diffs[sgn] = b.objective(f.l1, f.l0) - at;
                    b.eta[v * b.t + a] -= d;
                    b.eta[v * b.t + c] += d;
                }
                assertTrue(diffs[0] <= 1e-10 && diffs[1] <= 1e-10, "not a maximum along " + a + "-" + c);
                assertEquals(0, (diffs[0] - diffs[1]) / (2 * h), 1e-5, "directional derivative " + a + "-" + c);
            }
        }
    }

    /** dL/drho matches central differences of the objective, and vanishes at the closed-form q(V). */
    @Test
    void stickGradientMatchesFiniteDifferences() {
        Fixture f = new Fixture(13, 30, 5);
        SbmBlocks b = f.blocks;
        double[] g = b.stickGradient();
        for (int c = 0; c < b.t - 1; c++) {
            for (int side = 0; side < 2; side++) {
                double[] rho = side == 0 ? b.rho1 : b.rho2;
                double x = rho[c];
                double h = 1e-5 * x;
                rho[c] = x + h;
                b.computeLogPi();
                double up = b.objective(f.l1, f.l0);
                rho[c] = x - h;
                b.computeLogPi();
                double down = b.objective(f.l1, f.l0);
                rho[c] = x;
                b.computeLogPi();
                double fd = (up - down) / (2 * h);
                assertEquals(fd, g[2 * c + side], 1e-5 * Math.max(1, Math.abs(fd)), "rho" + (side + 1) + "[" + c + "]");
            }
        }
        b.updateSticks(1);
        for (double x : b.stickGradient()) {
            assertEquals(0, x, 1e-9);
        }
    }

    @Test
    void spectralClusteringSplitsPlantedGroups() {
        PlantedNetwork g = PlantedNetwork.draw(21, 150, 3, 0.3, 0.02);
        RatingMatrix r = RatingMatrix.of(Networks.mirror(g.dataset().ratings()));
        int[] label = SpectralClustering.cluster(150, r.userOffsets(), r.userItems(), r.userValues(), 3, 5);
        assertTrue(org.varec.metrics.Clustering.adjustedRand(g.truth(), label) > 0.9);
        assertArrayEquals(label, SpectralClustering.cluster(150, r.userOffsets(), r.userItems(), r.userValues(), 3, 5));
    }

    private static int[] sizes(int[] g) {
        int[] s = new int[Arrays.stream(g).max().orElse(0) + 1];
        for (int x : g) {
            s[x]++;
        }
        return s;
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

}
