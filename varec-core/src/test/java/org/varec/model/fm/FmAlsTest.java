package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
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

    @Test
    void objectiveNeverIncreases() {
        PlantedFactors pf = FmTestSupport.planted(8);
        SparseDesign d = FmLayout.idsOnly(pf.train().numUsers(), pf.train().numItems()).design(pf.train());
        for (int threads : new int[] {1, 2}) {
            try (Parallel par = new Parallel(threads)) {
                FmCoordinate c = FmAlsTrainer.engine(d, config(Map.of("rank", 3, "regular", "0.5,2,3")), 4, par);
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

    @Test
    void learnsPlantedFactorsAndRoundTrips() throws Exception {
        PlantedFactors pf = FmTestSupport.planted(3);
        FmModel m = new FmAlsTrainer(config(Map.of("rank", 3, "iterations", 30, "regular", "0,1,1")))
                .fit(FmTestSupport.data(pf.train()), TrainingContext.of(1, 2));
        double rmse = FmTestSupport.rmse(m, pf.test());
        double base = FmTestSupport.meanRmse(pf.train(), pf.test());
        assertTrue(rmse < 0.5 * base, "fm-als test RMSE " + rmse + " vs mean " + base);
        FmModel back = FmTestSupport.roundTrip(m);
        assertEquals(m.predictive(2, 3), back.predictive(2, 3));
        FmModel again = new FmAlsTrainer(config(Map.of("rank", 3, "iterations", 30, "regular", "0,1,1")))
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
