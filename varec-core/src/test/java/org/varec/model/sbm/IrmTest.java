package org.varec.model.sbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.Dataset;
import org.varec.data.Graph;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;
import org.varec.data.Networks;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.io.ModelFile;
import org.varec.metrics.Clustering;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.Params;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.stats.SpecialFunctions;
import org.varec.stats.Rng;
import org.varec.testing.PlantedBlocks;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingResult;

class IrmTest {
    @TempDir
    Path dir;

    private static final PlantedBlocks PLANTED = PlantedBlocks.fourGroups(5);

    private static IrmConfig config(String... set) {
        List<String> all = new ArrayList<>(List.of("iterations=120", "burn_in=40"));
        all.addAll(List.of(set));
        return (IrmConfig) Algorithms.get("irm").parseConfig(Params.parse(all));
    }

    private static TrainingResult<IrmModel> fit(IrmConfig c, TrainingData data, long seed) {
        @SuppressWarnings("unchecked")
        Algorithm<IrmConfig, IrmModel> a = (Algorithm<IrmConfig, IrmModel>) Algorithms.get("irm");
        return a.fit(c, data, TrainingContext.of(seed, 1));
    }

    /** Planted group g's recovered group: the MAP group most of its vertices are in. */
    private static int[] matchGroups(int[] planted, int[] found, int k, int kFound) {
        int[][] count = new int[k][kFound];
        for (int v = 0; v < planted.length; v++) {
            count[planted[v]][found[v]]++;
        }
        int[] match = new int[k];
        for (int g = 0; g < k; g++) {
            for (int h = 0; h < kFound; h++) {
                if (count[g][h] > count[g][match[g]]) {
                    match[g] = h;
                }
            }
        }
        return match;
    }

    @Test
    void recoversPlantedGroupsAndBlockProbabilities() {
        TrainingResult<IrmModel> r = fit(config(), PLANTED.trainingData(), 3);
        IrmModel m = r.model();
        assertTrue(m.symmetric());
        double ari = Clustering.adjustedRand(PLANTED.groups(), m.groups());
        assertTrue(ari >= 0.9, "ARI " + ari + ", groups " + m.numGroups());
        assertEquals(4, m.numGroups());
        int[] match = matchGroups(PLANTED.groups(), m.groups(), 4, m.numGroups());
        double[][] found = m.blockProbabilities();
        for (int g = 0; g < 4; g++) {
            for (int h = 0; h < 4; h++) {
                assertEquals(PLANTED.p()[g][h], found[match[g]][match[h]], 0.04, "block " + g + "," + h);
                assertEquals(found[g][h], found[h][g], 1e-12);
            }
        }
        // groups are numbered by decreasing size
        int[] size = new int[m.numGroups()];
        for (int g : m.groups()) {
            size[g]++;
        }
        for (int g = 1; g < size.length; g++) {
            assertTrue(size[g - 1] >= size[g], Arrays.toString(size));
        }
        // the epoch reports carry the figures; the chain keeps 4 groups after burn-in
        EpochReport last = r.history().get(r.history().size() - 1);
        assertEquals(4, last.figure("groups"));
        assertTrue(Double.isFinite(last.figure("log_joint")) && last.figure("log_joint") < 0);
        assertTrue(last.figure("alpha") > 0);
        assertTrue(last.figure("train_loglik") < 0);
        // link probabilities: within-group pairs of group 0 near 0.40
        int a = -1;
        int b = -1;
        for (int v = 0; v < PLANTED.numVertices() && b < 0; v++) {
            if (PLANTED.groups()[v] == 0) {
                if (a < 0) {
                    a = v;
                } else {
                    b = v;
                }
            }
        }
        assertEquals(0.40, m.predict(a, b), 0.04);
        assertEquals(m.predict(a, b), m.predict(b, a), 1e-12);
    }

    @Test
    void startsFromOneGroupOrManyAlike() {
        for (String init : new String[] {"init_groups=1", "init_groups=200"}) {
            IrmModel m = fit(config(init), PLANTED.trainingData(), 8).model();
            double ari = Clustering.adjustedRand(PLANTED.groups(), m.groups());
            assertTrue(ari >= 0.9, init + ": ARI " + ari);
        }
    }

    @Test
    void sameSeedGivesTheSameModel() {
        IrmConfig c = config("iterations=30", "burn_in=10");
        IrmModel one = fit(c, PLANTED.trainingData(), 21).model();
        IrmModel two = fit(c, PLANTED.trainingData(), 21).model();
        IrmModel other = fit(c, PLANTED.trainingData(), 22).model();
        assertArrayEquals(one.groups(), two.groups());
        assertArrayEquals(one.logJoints(), two.logJoints());
        assertArrayEquals(one.alphas(), two.alphas());
        assertFalse(Arrays.equals(one.logJoints(), other.logJoints()));
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 50; j++) {
                assertEquals(one.predict(i, j), two.predict(i, j), 0.0);
            }
        }
    }

    @Test
    void savesAndLoadsThroughTheModelFile() throws IOException {
        Dataset d = PLANTED.dataset();
        Algorithm<?, ?> a = Algorithms.get("irm");
        TrainedModel tm = Fitting.fit(a, config("iterations=40", "burn_in=20"), d, d.ratings(), TrainingContext.of(4, 1));
        IrmModel m = (IrmModel) tm.model();
        assertTrue(m.symmetric(), "Fitting trains a network on both orientations");
        Path f = dir.resolve("irm.varec");
        ModelFile.save(tm, f);
        IrmModel back = (IrmModel) ModelFile.load(f).model();
        assertArrayEquals(m.groups(), back.groups());
        assertEquals(m.numSamples(), back.numSamples());
        assertTrue(Arrays.deepEquals(m.blockProbabilities(), back.blockProbabilities()));
        for (int i = -1; i < 200; i += 3) {
            for (int j = -1; j < 200; j += 7) {
                assertEquals(m.predict(i, j), back.predict(i, j), 0.0);
            }
        }
        UserState s1 = m.foldIn(new int[] {1, 5, 9}, new float[] {1, 1, 0});
        UserState s2 = back.foldIn(new int[] {1, 5, 9}, new float[] {1, 1, 0});
        for (int j = 0; j < 200; j += 11) {
            assertEquals(m.predict(s1, j), back.predict(s2, j), 0.0);
        }
    }

    @Test
    void foldedInVertexLandsInItsGroup() {
        // train on vertices 0..198; fold in vertex 199 from its links to them
        int n = PLANTED.numVertices();
        int last = n - 1;
        Graph full = PLANTED.dataset().graph();
        IdIndex ids = new IdIndex();
        for (int v = 0; v < last; v++) {
            ids.addNumeric(v);
        }
        List<int[]> edges = new ArrayList<>();
        List<Integer> links = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            for (int p = full.offsets()[v]; p < full.offsets()[v + 1]; p++) {
                int w = full.neighbours()[p];
                if (v == last && w != last) {
                    links.add(w);
                } else if (v < w && w != last) {
                    edges.add(new int[] {v, w});
                }
            }
        }
        Graph sub = Graph.of(ids, edges.stream().mapToInt(e -> e[0]).toArray(), edges.stream().mapToInt(e -> e[1]).toArray());
        Dataset d = Networks.dataset(sub, "planted-199", "synthetic", null, ReadReport.empty());
        TrainingData data = new TrainingData(RatingMatrix.of(Networks.mirror(d.ratings())), new RatingScale(0, 1),
                null, null);
        IrmModel m = fit(config(), data, 6).model();
        int[] planted = Arrays.copyOf(PLANTED.groups(), last);
        int[] match = matchGroups(planted, m.groups(), 4, m.numGroups());
        int[] items = links.stream().mapToInt(Integer::intValue).toArray();
        float[] ones = new float[items.length];
        Arrays.fill(ones, 1f);
        UserState s = m.foldIn(items, ones);
        assertEquals(match[PLANTED.groups()[last]], m.group(s));
        // and it predicts like a trained member of that group
        int mate = -1;
        for (int v = 0; v < last && mate < 0; v++) {
            if (PLANTED.groups()[v] == PLANTED.groups()[last]) {
                mate = v;
            }
        }
        for (int j = 0; j < last; j += 5) {
            if (j != mate) {
                assertEquals(m.predict(mate, j), m.predict(s, j), 0.02, "towards " + j);
            }
        }
        double[] all = new double[last];
        m.scoreAll(s, all);
        for (int j = 0; j < last; j++) {
            assertEquals(m.predict(s, j), all[j], 1e-12);
        }
        // with no links listed, every vertex is a non-link: a vertex of no planted group's profile
        UserState none = m.foldIn(new int[0], new float[0]);
        assertTrue(m.predict(none, 0) < 0.2);
    }

    @Test
    void refusesSymmetricOnRatingsAndCoClustersThem() {
        // 40 users in 2 groups x 30 items in 3 groups, ratings 1..5 from a planted block mean, 60% observed
        Rng rng = new Rng(12);
        int nu = 40;
        int ni = 30;
        int[] ug = new int[nu];
        int[] ig = new int[ni];
        for (int u = 0; u < nu; u++) {
            ug[u] = u % 2;
        }
        for (int i = 0; i < ni; i++) {
            ig[i] = i % 3;
        }
        double[][] mean = {{1.5, 4.5, 3}, {4.5, 1.5, 3}};
        List<int[]> cells = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int u = 0; u < nu; u++) {
            for (int i = 0; i < ni; i++) {
                if (rng.nextDouble() < 0.6) {
                    cells.add(new int[] {u, i});
                    values.add((float) Math.max(1, Math.min(5, Math.round(mean[ug[u]][ig[i]] + 0.5 * rng.nextGaussian()))));
                }
            }
        }
        float[] vals = new float[values.size()];
        for (int k = 0; k < vals.length; k++) {
            vals[k] = values.get(k);
        }
        Interactions r = new Interactions(nu, ni, cells.stream().mapToInt(c -> c[0]).toArray(),
                cells.stream().mapToInt(c -> c[1]).toArray(), vals, true);
        TrainingData data = new TrainingData(RatingMatrix.of(r), RatingScale.STARS_1_5, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(config("relation=symmetric"), data, 1));
        assertTrue(e.getMessage().contains("relation=symmetric needs a network"), e.getMessage());
        IrmModel m = fit(config("beta_a=1"), data, 1).model();
        assertFalse(m.symmetric());
        assertTrue(Clustering.adjustedRand(ug, m.groups()) >= 0.9, Arrays.toString(m.groups()));
        assertTrue(Clustering.adjustedRand(ig, m.columnGroups()) >= 0.9, Arrays.toString(m.columnGroups()));
        // predictions are on the rating scale, near the planted means
        assertEquals(1.5, m.predict(0, 0), 0.4);
        assertEquals(4.5, m.predict(0, 1), 0.4);
        assertEquals(m.blockProbabilities().length, m.numGroups());
    }

    // ---- the sampler against the exact posterior on tiny relations ----

    /** A 5-vertex network: triangle 0-1-2, link 3-4, pair (2, 3) unobserved, the rest non-links. */
    private static RatingMatrix tinyNetwork() {
        int[][] pairs = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 2}, {1, 3}, {1, 4}, {2, 4}, {3, 4}};
        float[] x = {1, 1, 0, 0, 1, 0, 0, 0, 1};
        Interactions r = new Interactions(5, 5, Arrays.stream(pairs).mapToInt(p -> p[0]).toArray(),
                Arrays.stream(pairs).mapToInt(p -> p[1]).toArray(), x, true);
        return RatingMatrix.of(Networks.mirror(r));
    }

    /** All set partitions of n objects as restricted growth strings. */
    private static List<int[]> partitions(int n) {
        List<int[]> out = new ArrayList<>();
        grow(new int[n], 1, 0, out);
        return out;
    }

    private static void grow(int[] z, int pos, int max, List<int[]> out) {
        if (pos == z.length) {
            out.add(z.clone());
            return;
        }
        for (int g = 0; g <= max + 1; g++) {
            z[pos] = g;
            grow(z, pos + 1, Math.max(max, g), out);
        }
    }

    private static double logCrp(int[] z, double alpha) {
        int k = Arrays.stream(z).max().getAsInt() + 1;
        int[] size = new int[k];
        for (int g : z) {
            size[g]++;
        }
        double l = k * Math.log(alpha) + SpecialFunctions.logGamma(alpha) - SpecialFunctions.logGamma(alpha + z.length);
        for (int c : size) {
            l += SpecialFunctions.logGamma(c);
        }
        return l;
    }

    /** log p(data, z) by brute force over the observed cells: rows zr, columns zc (the same array when symmetric). */
    private static double logJoint(RatingMatrix m, int[] zr, int[] zc, boolean sym, double alpha, double a, double b) {
        int kr = Arrays.stream(zr).max().getAsInt() + 1;
        int kc = Arrays.stream(zc).max().getAsInt() + 1;
        double[][] s = new double[kr][kc];
        double[][] t = new double[kr][kc];
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = m.userOffsets()[u]; p < m.userOffsets()[u + 1]; p++) {
                int i = m.userItems()[p];
                if (sym && i <= u) {
                    continue;
                }
                int g = zr[u];
                int h = zc[i];
                if (sym && g > h) {
                    int tmp = g;
                    g = h;
                    h = tmp;
                }
                s[g][h] += m.userValues()[p];
                t[g][h] += 1;
            }
        }
        double l = logCrp(zr, alpha) + (sym ? 0 : logCrp(zc, alpha));
        for (int g = 0; g < kr; g++) {
            for (int h = 0; h < kc; h++) {
                if (t[g][h] > 0) {
                    l += SpecialFunctions.logBeta(s[g][h] + a, t[g][h] - s[g][h] + b) - SpecialFunctions.logBeta(a, b);
                }
            }
        }
        return l;
    }

    /** Exact co-clustering probabilities P(z_i = z_j) of the rows (and, bipartite, of the columns after them). */
    private static double[] exactCoClustering(RatingMatrix m, boolean sym, double alpha, double a, double b) {
        int nr = m.numUsers();
        int nc = m.numItems();
        List<int[]> rowParts = partitions(nr);
        List<int[]> colParts = sym ? List.of(new int[0]) : partitions(nc);
        double[] out = new double[nr * nr + (sym ? 0 : nc * nc)];
        double total = 0;
        double max = Double.NEGATIVE_INFINITY;
        double[][] lj = new double[rowParts.size()][colParts.size()];
        for (int x = 0; x < rowParts.size(); x++) {
            for (int y = 0; y < colParts.size(); y++) {
                int[] zr = rowParts.get(x);
                lj[x][y] = logJoint(m, zr, sym ? zr : colParts.get(y), sym, alpha, a, b);
                max = Math.max(max, lj[x][y]);
            }
        }
        for (int x = 0; x < rowParts.size(); x++) {
            for (int y = 0; y < colParts.size(); y++) {
                double w = Math.exp(lj[x][y] - max);
                total += w;
                addCoClustering(out, rowParts.get(x), sym ? null : colParts.get(y), w);
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= total;
        }
        return out;
    }

    private static void addCoClustering(double[] out, int[] zr, int[] zc, double w) {
        int nr = zr.length;
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < nr; j++) {
                out[i * nr + j] += zr[i] == zr[j] ? w : 0;
            }
        }
        if (zc != null) {
            int nc = zc.length;
            for (int i = 0; i < nc; i++) {
                for (int j = 0; j < nc; j++) {
                    out[nr * nr + i * nc + j] += zc[i] == zc[j] ? w : 0;
                }
            }
        }
    }

    private static double[] chainCoClustering(RatingMatrix m, boolean sym, boolean gibbs, int splitMerge,
                                              double alpha, double a, double b, int sweeps) {
        boolean binary = true;
        for (float v : m.userValues()) {
            binary &= v == 0f || v == 1f;
        }
        Rng rng = new Rng(99);
        IrmChain c = new IrmChain(m, m.userValues(), m.itemValues(), binary, sym, a, b, 1, rng);
        double[] out = new double[m.numUsers() * m.numUsers() + (sym ? 0 : m.numItems() * m.numItems())];
        int burn = sweeps / 10;
        for (int t = 0; t < sweeps; t++) {
            if (gibbs) {
                c.sweep(rng, alpha);
                assertTrue(t > 100 || c.consistent(), "after sweep " + t);
            }
            c.splitMerge(rng, alpha, splitMerge);
            assertTrue(t > 100 || c.consistent(), "after split-merge " + t);
            if (t >= burn) {
                addCoClustering(out, c.rows.z, sym ? null : c.cols.z, 1);
            }
            // the incremental counts and the joint agree with a recount from the assignments
            if (t % 997 == 0) {
                assertEquals(logJoint(m, dense(c.rows.z), dense(c.cols.z), sym, alpha, a, b), c.logJoint(alpha), 1e-9);
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= sweeps - burn;
        }
        return out;
    }

    /** Labels renumbered by first appearance (a restricted growth string). */
    private static int[] dense(int[] z) {
        int[] map = new int[z.length + 1];
        Arrays.fill(map, -1);
        int next = 0;
        int[] out = new int[z.length];
        for (int v = 0; v < z.length; v++) {
            if (map[z[v]] < 0) {
                map[z[v]] = next++;
            }
            out[v] = map[z[v]];
        }
        return out;
    }

    private static void assertClose(double[] exact, double[] sampled, double tol, String what) {
        for (int k = 0; k < exact.length; k++) {
            assertEquals(exact[k], sampled[k], tol, what + " entry " + k + ": exact " + Arrays.toString(exact)
                    + "\nsampled " + Arrays.toString(sampled));
        }
    }

    @Test
    void gibbsAndSplitMergeSampleTheExactPosteriorOfANetwork() {
        RatingMatrix m = tinyNetwork();
        assertTrue(IrmTrainer.isNetwork(m));
        double[] exact = exactCoClustering(m, true, 1.0, 0.5, 0.5);
        assertClose(exact, chainCoClustering(m, true, true, 0, 1.0, 0.5, 0.5, 60_000), 0.02, "gibbs");
        assertClose(exact, chainCoClustering(m, true, false, 1, 1.0, 0.5, 0.5, 60_000), 0.02, "split-merge");
        assertClose(exact, chainCoClustering(m, true, true, 3, 1.0, 0.5, 0.5, 30_000), 0.02, "both");
    }

    @Test
    void gibbsAndSplitMergeSampleTheExactPosteriorOfABipartiteRelation() {
        // 3 x 4 values in [0, 1] (fractional: the non-table path), two cells unobserved
        int[] u = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
        int[] i = {0, 1, 3, 0, 1, 2, 0, 1, 2, 3};
        float[] x = {1, 0.75f, 0, 1, 1, 0.25f, 0, 0.5f, 1, 1};
        RatingMatrix m = RatingMatrix.of(new Interactions(3, 4, u, i, x, true));
        assertFalse(IrmTrainer.isNetwork(m));
        double[] exact = exactCoClustering(m, false, 0.8, 1, 1);
        assertClose(exact, chainCoClustering(m, false, true, 0, 0.8, 1, 1, 20_000), 0.02, "gibbs");
        assertClose(exact, chainCoClustering(m, false, false, 1, 0.8, 1, 1, 20_000), 0.02, "split-merge");
    }
}
