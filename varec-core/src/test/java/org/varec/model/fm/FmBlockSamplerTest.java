package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.SparseDesign;
import org.varec.stats.Rng;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;
import org.varec.util.Parallel;

/** fm-mcmc's {@code sweep=block}: each feature's (w_j, v_j) from its joint conditional ({@link FmCoordinate#blockConditional}). */
class FmBlockSamplerTest {
    private static final int USERS = 40;
    private static final int ITEMS = 30;
    private static final int TAGS = 5;

    /**
     * Rows of a user id, an item id and 0-2 tags with values other than 1 (a non-exclusive group):
     * rows of 2 to 4 non-zeros, short enough for the expanded layout.
     */
    private static SparseDesign design(int rows, long seed) {
        Rng rng = new Rng(seed);
        int[] off = new int[rows + 1];
        int[] feat = new int[rows * 4];
        float[] vals = new float[rows * 4];
        float[] t = new float[rows];
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            feat[nnz] = rng.nextInt(USERS);
            vals[nnz++] = 1f;
            feat[nnz] = USERS + rng.nextInt(ITEMS);
            vals[nnz++] = 1f;
            int first = rng.nextInt(TAGS);
            for (int a = 0; a < 2; a++) {
                if (rng.nextDouble() < 0.5) {
                    feat[nnz] = USERS + ITEMS + (first + a) % TAGS;
                    vals[nnz++] = (float) (0.25 + rng.nextDouble());
                }
            }
            off[r + 1] = nnz;
            t[r] = (float) (3 + rng.nextGaussian());
        }
        int p = USERS + ITEMS + TAGS;
        int[] groups = new int[p];
        for (int j = USERS; j < p; j++) {
            groups[j] = j < USERS + ITEMS ? 1 : 2;
        }
        return new SparseDesign(t, off, Arrays.copyOf(feat, nnz), Arrays.copyOf(vals, nnz), p, groups);
    }

    private static FmCoordinate engine(SparseDesign sd, int k, boolean rowQ, Parallel par) {
        FmCoordinate c = new FmCoordinate(FmDesign.of(sd, sd.numFeatures()), k, 0.1, true, false, new double[] {0, 0, 0},
                11, par);
        c.block = true;
        c.forceRowQ = rowQ;
        return c;
    }

    /**
     * The block conditional against one built by brute force: h_r by differences of whole-row
     * predictions (y is linear in theta_j, so a unit step gives h exactly), then
     * {@code P = alpha sum h h^T + diag(lambda)} and {@code P mean = alpha sum h (t - y + h . theta) + lambda mu},
     * for every feature, in both layouts (expanded rows, per-row q).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void blockConditionalMatchesBruteForce(boolean rowQ) {
        int k = 3;
        SparseDesign sd = design(400, 2);
        try (Parallel par = new Parallel(1)) {
            FmCoordinate c = engine(sd, k, rowQ, par);
            for (int it = 1; it <= 3; it++) {
                c.sweep(it); // non-trivial parameters and hyper-parameters
            }
            c.prepareBlockSweep();
            int m = k + 1;
            FmCoordinate.BlockScratch sc = c.newBlockScratch();
            double[] sums = new double[k];
            for (int j = 0; j < sd.numFeatures(); j++) {
                int g = c.d.groupOf[j];
                double[] prec = new double[m * m];
                double[] lin = new double[m];
                for (int r = 0; r < sd.numRows(); r++) {
                    int from = c.d.rowOff[r];
                    int to = c.d.rowOff[r + 1];
                    int[] idx = Arrays.copyOfRange(c.d.rowIdx, from, to);
                    float[] val = Arrays.copyOfRange(c.d.rowVal, from, to);
                    boolean holds = false;
                    for (int l : idx) {
                        holds |= l == j;
                    }
                    if (!holds) {
                        continue;
                    }
                    double y = FmKernel.predict(c.p.w0, c.p.w, c.p.v, k, idx, val, idx.length, sums);
                    double[] h = new double[m];
                    double[] theta = new double[m];
                    for (int x = 0; x < m; x++) {
                        float[] a = x == 0 ? c.p.w : c.p.v;
                        int at = x == 0 ? j : j * k + x - 1;
                        theta[x] = a[at];
                        float keep = a[at];
                        a[at] = keep + 1;
                        h[x] = FmKernel.predict(c.p.w0, c.p.w, c.p.v, k, idx, val, idx.length, sums) - y;
                        a[at] = keep;
                    }
                    double target = c.t[r] - y;
                    for (int x = 0; x < m; x++) {
                        target += h[x] * theta[x];
                    }
                    for (int x = 0; x < m; x++) {
                        lin[x] += c.alpha * h[x] * target;
                        for (int z = 0; z < m; z++) {
                            prec[x * m + z] += c.alpha * h[x] * h[z];
                        }
                    }
                }
                for (int x = 0; x < m; x++) {
                    double lam = x == 0 ? c.lamW[g] : c.lamV[g * k + x - 1];
                    double mu = x == 0 ? c.muW[g] : c.muV[g * k + x - 1];
                    prec[x * m + x] += lam;
                    lin[x] += lam * mu;
                }
                c.blockConditional(j, g, sc, false);
                for (int x = 0; x < m; x++) {
                    assertEquals(lin[x], sc.rhs[x], 1e-4 * (1 + Math.abs(lin[x])), "feature " + j + " P mean " + x);
                    for (int z = 0; z <= x; z++) {
                        assertEquals(prec[x * m + z], sc.gram[x * m + z], 1e-4 * (1 + Math.abs(prec[x * m + z])),
                                "feature " + j + " precision " + x + "," + z);
                    }
                }
            }
        }
    }

    /** The same seed gives the same samples on one thread or two, long columns and coloured groups included, in both layouts. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sameSamplesForAnyThreadCount(boolean rowQ) {
        int rows = 3 * FmCoordinate.LONG_COLUMN; // the tag columns are long: chunked statistics
        SparseDesign sd = design(rows, 4);
        SparseDesign oneGroup = sd.withGroups(new int[sd.numFeatures()]); // coloured into classes
        for (SparseDesign s : new SparseDesign[] {sd, oneGroup}) {
            FmTestSupport.assertSameOnOneAndTwoThreads(par -> engine(s, 2, rowQ, par), 3);
        }
    }

    /**
     * The two layouts compute the same conditionals (up to per-row q stored as floats): with the
     * same random numbers their chains stay together over a few sweeps, and their residuals (kept
     * up to date by the per-row-q layout's updates, recomputed by the expanded one's) match a
     * recomputation from the parameters.
     */
    @Test
    void bothLayoutsRunTheSameChain() {
        sameChainInBothLayouts(design(60_000, 6)); // tag columns of over CHUNK entries: chunked statistics and updates
    }

    /**
     * One group whose features pair up in rows too densely to colour (more than 16 classes): its
     * features are drawn one after another, and one drawn earlier is a later one's only row-mate,
     * so what the expanded layout keeps of it (v_l v_l^T) must follow its draws within the sweep.
     */
    @Test
    void sameChainWhenAGroupCannotBeColoured() {
        int features = 40;
        int rows = 4000;
        Rng rng = new Rng(8);
        int[] off = new int[rows + 1];
        int[] feat = new int[2 * rows];
        float[] vals = new float[2 * rows];
        float[] t = new float[rows];
        for (int r = 0; r < rows; r++) {
            int a = rng.nextInt(features);
            int b = (a + 1 + rng.nextInt(features - 1)) % features;
            feat[2 * r] = Math.min(a, b);
            feat[2 * r + 1] = Math.max(a, b);
            vals[2 * r] = 1f;
            vals[2 * r + 1] = (float) (0.5 + rng.nextDouble());
            off[r + 1] = 2 * r + 2;
            t[r] = (float) (3 + rng.nextGaussian());
        }
        SparseDesign sd = new SparseDesign(t, off, feat, vals, features, new int[features]);
        assertEquals(null, FmDesign.of(sd, features).classes[0], "the group must be beyond colouring");
        sameChainInBothLayouts(sd);
    }

    private static void sameChainInBothLayouts(SparseDesign sd) {
        try (Parallel par = new Parallel(1)) {
            FmCoordinate a = engine(sd, 3, false, par);
            FmCoordinate b = engine(sd, 3, true, par);
            for (int it = 1; it <= 4; it++) {
                a.sweep(it);
                b.sweep(it);
            }
            for (int j = 0; j < a.p.w.length; j++) {
                assertEquals(a.p.w[j], b.p.w[j], 1e-3, "w " + j);
            }
            for (int x = 0; x < a.p.v.length; x++) {
                assertEquals(a.p.v[x], b.p.v[x], 1e-3, "v " + x);
            }
            double[] sums = new double[3];
            for (FmCoordinate c : new FmCoordinate[] {a, b}) {
                for (int r = 0; r < sd.numRows(); r += 97) {
                    int from = c.d.rowOff[r];
                    int to = c.d.rowOff[r + 1];
                    double y = FmKernel.predict(c.p.w0, c.p.w, c.p.v, 3, Arrays.copyOfRange(c.d.rowIdx, from, to),
                            Arrays.copyOfRange(c.d.rowVal, from, to), to - from, sums);
                    assertEquals(y, c.prediction(r), 1e-4, "residual of row " + r);
                }
            }
        }
    }

    /**
     * Planted factors: the block sampler's model predicts within 5% of the coordinate sampler's
     * test RMSE (each one's recovery and calibration: {@code FmMcmcTest}).
     */
    @Test
    void predictsAsWellAsTheCoordinateSampler() {
        PlantedFactors pf = FmTestSupport.planted(3);
        double[] rmse = new double[2];
        for (FmSweep s : FmSweep.values()) {
            FmModel m = new FmMcmcTrainer(FmTestSupport.config(FmMcmcConfig.class,
                    Map.of("rank", 3, "iterations", 150, "burn_in", 30, "sweep", s.name().toLowerCase())))
                    .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 2));
            rmse[s.ordinal()] = FmTestSupport.rmse(m, pf.test());
        }
        assertEquals(rmse[0], rmse[1], 0.05 * rmse[0], "block against coordinate sampler");
    }
}
