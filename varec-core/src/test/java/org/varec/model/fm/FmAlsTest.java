package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.Task;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;
import org.varec.util.Parallel;

class FmAlsTest {
    private static FmAlsConfig config(Map<String, ?> p) {
        return FmTestSupport.config(FmAlsConfig.class, p);
    }

    /**
     * Each coordinate step, and each block step ({@code sweep=block}: the block's exact minimiser),
     * never increases the objective; the block sweep in both of its layouts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"coordinate", "block", "block-rowq"})
    void objectiveNeverIncreases(String sweep) {
        PlantedFactors pf = FmTestSupport.planted(8);
        SparseDesign d = FmLayout.idsOnly(pf.train().numUsers(), pf.train().numItems()).design(pf.train());
        for (int threads : new int[] {1, 2}) {
            try (Parallel par = new Parallel(threads)) {
                FmCoordinate c = FmAlsTrainer.engine(d, config(Map.of("rank", 3, "regular", "0.5,2,3",
                        "sweep", sweep.startsWith("block") ? "block" : "coordinate")), 4, par);
                c.forceRowQ = sweep.endsWith("rowq");
                double before = c.objective();
                for (int it = 1; it <= 15; it++) {
                    c.sweep(it);
                    double after = c.objective();
                    assertTrue(after <= before * (1 + 1e-9) + 1e-9, "sweep " + it + ": " + before + " -> " + after);
                    before = after;
                }
            }
        }
    }

    /**
     * A block step sets (w_j, v_j) to the exact minimiser of the objective over the block: after a
     * block sweep, every feature of the group drawn last (item ids: they share no rows, so drawing
     * one leaves the others' minimisers alone) has a zero gradient,
     * {@code sum_r h_r e_r = (r1 w_j, r2 v_j)}, with h_r by differences of whole-row predictions.
     */
    @Test
    void blockStepIsTheBlockMinimiser() {
        PlantedFactors pf = FmTestSupport.planted(8);
        SparseDesign sd = FmLayout.idsOnly(pf.train().numUsers(), pf.train().numItems()).design(pf.train());
        int k = 3;
        double r1 = 2;
        double r2 = 3;
        try (Parallel par = new Parallel(1)) {
            FmCoordinate c = FmAlsTrainer.engine(sd, config(Map.of("rank", k, "regular", "0.5," + r1 + "," + r2,
                    "sweep", "block")), 4, par);
            c.sweep(1);
            c.sweep(2);
            int last = c.d.numGroups - 1;
            double[] sums = new double[k];
            int checked = 0;
            for (int j = 0; j < sd.numFeatures(); j++) {
                if (c.d.groupOf[j] != last) {
                    continue;
                }
                double[] grad = new double[k + 1];
                for (int a = c.d.colOff[j]; a < c.d.colOff[j + 1]; a++) {
                    int r = c.d.colRow[a];
                    int[] idx = java.util.Arrays.copyOfRange(c.d.rowIdx, c.d.rowOff[r], c.d.rowOff[r + 1]);
                    float[] val = java.util.Arrays.copyOfRange(c.d.rowVal, c.d.rowOff[r], c.d.rowOff[r + 1]);
                    double y = FmKernel.predict(c.p.w0, c.p.w, c.p.v, k, idx, val, idx.length, sums);
                    double e = sd.targets()[r] - y;
                    for (int x = 0; x <= k; x++) {
                        float[] arr = x == 0 ? c.p.w : c.p.v;
                        int at = x == 0 ? j : j * k + x - 1;
                        float keep = arr[at];
                        arr[at] = keep + 1;
                        double h = FmKernel.predict(c.p.w0, c.p.w, c.p.v, k, idx, val, idx.length, sums) - y;
                        arr[at] = keep;
                        grad[x] += h * e;
                    }
                }
                for (int x = 0; x <= k; x++) {
                    double theta = x == 0 ? c.p.w[j] : c.p.v[j * k + x - 1];
                    double expect = (x == 0 ? r1 : r2) * theta;
                    assertEquals(expect, grad[x], 1e-3 * (1 + Math.abs(expect)), "feature " + j + " element " + x);
                }
                checked++;
            }
            assertTrue(checked > 10, "features checked: " + checked);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"coordinate", "block"})
    void learnsPlantedFactorsAndRoundTrips(String sweep) throws Exception {
        PlantedFactors pf = FmTestSupport.planted(3);
        FmModel m = new FmAlsTrainer(config(Map.of("rank", 3, "iterations", 30, "regular", "0,1,1", "sweep", sweep)))
                .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 2));
        double rmse = FmTestSupport.rmse(m, pf.test());
        double base = FmTestSupport.meanRmse(pf.train(), pf.test());
        assertTrue(rmse < 0.5 * base, sweep + " test RMSE " + rmse + " vs mean " + base);
        FmModel back = FmTestSupport.roundTrip(m);
        assertEquals(m.predictive(2, 3), back.predictive(2, 3));
        FmModel again = new FmAlsTrainer(config(Map.of("rank", 3, "iterations", 30, "regular", "0,1,1", "sweep", sweep)))
                .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 1));
        assertEquals(m.predict(2, 3), again.predict(2, 3));
    }

    @Test
    void classificationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("task", "classification")));
        assertThrows(IllegalArgumentException.class,
                () -> Algorithms.get("fm-als").parseConfig(Params.empty(), Task.CLASSIFICATION));
        assertEquals(Task.REGRESSION,
                ((FmAlsConfig) Algorithms.get("fm-als").parseConfig(Params.empty(), Task.REGRESSION)).task());
    }

    /** libFM's names are aliases, its regular syntax is parsed once and spelled one way. */
    @Test
    void libFmNamesAndRegularSyntax() {
        FmAlsConfig c = config(Map.of("dim", 4, "regular", "0,10,10"));
        assertEquals(4, c.rank());
        assertEquals(c, config(Map.of("rank", 4, "regular", "0.0,10,10.0")));
        assertArrayEquals(new double[] {0, 10, 10}, c.penalties());
        assertArrayEquals(new double[] {2, 2, 2}, config(Map.of("regular", "2")).penalties());
        assertEquals("2.0", config(Map.of("regular", "2")).regular());
        for (String bad : new String[] {"1,2", "-1", "a,b,c", "1,2,Infinity"}) {
            assertThrows(IllegalArgumentException.class, () -> config(Map.of("regular", bad)), bad);
        }
    }
}
