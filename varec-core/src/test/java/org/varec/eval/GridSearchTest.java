package org.varec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.data.split.Protocols;
import org.varec.model.Algorithms;
import org.varec.stats.Rng;
import org.varec.train.TrainingContext;

class GridSearchTest {
    /**
     * Planted user and item biases (sd 0.5 each) plus noise 0.3, 40 ratings per user: only the point
     * fitting both biases (small penalties on both) is right; a penalty of 1e9 removes that side.
     */
    private static Dataset plantedBiases() {
        int users = 120;
        int items = 80;
        Rng rng = new Rng(7);
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int u = 0; u < users; u++) {
            bu[u] = 0.5 * rng.nextGaussian();
        }
        for (int i = 0; i < items; i++) {
            bi[i] = 0.5 * rng.nextGaussian();
        }
        InteractionsBuilder b = new InteractionsBuilder();
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < 40; k++) {
                int i = rng.nextInt(items);
                b.add(u, i, (float) (3.5 + bu[u] + bi[i] + 0.3 * rng.nextGaussian()));
            }
        }
        return new Dataset("planted", "test", null, ids(users), ids(items),
                b.build(users, items, DuplicatePolicy.LAST).interactions(), RatingScale.UNBOUNDED, null, null, null,
                ReadReport.empty());
    }

    private static IdIndex ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Integer.toString(i));
        }
        return IdIndex.of(ids);
    }

    /** Counts fitted and resumed points. */
    private static final class Counter implements GridSearch.Listener {
        int fitted;
        int resumed;
        boolean refit;

        @Override
        public void onPoint(int index, int total, Map<String, String> params, boolean fromFile) {
            if (fromFile) {
                resumed++;
            } else {
                fitted++;
            }
        }

        @Override
        public void onRefit(GridSearch.Point best) {
            refit = true;
        }
    }

    private static GridSearch.Result tune(Dataset d, String grid, String metric, long seed, Path file, Counter c)
            throws Exception {
        return GridSearch.run(Algorithms.get("biases"), List.of("iterations=5"), GridSearch.Grid.parse(grid), d,
                Protocols.parse("holdout:0.7,0.15,0.15"), TrainingContext.of(seed, 2), "", EvalOptions.defaults(),
                metric, file, c);
    }

    @Test
    void picksThePlantedBestPointAndReportsItsTestMetrics() throws Exception {
        Counter c = new Counter();
        GridSearch.Result r = tune(plantedBiases(), "reg_user=1e9,2;reg_item=1e9,2", "rmse", 1, null, c);
        assertEquals(4, c.fitted);
        assertTrue(c.refit);
        assertEquals(3, r.tune().best()); // reg_user=2, reg_item=2
        assertEquals(Map.of("reg_user", "2", "reg_item", "2"), r.tune().points().get(3).params());
        assertEquals(2.0, ((Number) r.chosen().config().get("reg_user")).doubleValue());
        // the validation RMSE of the chosen point is near the noise; the others carry a bias of sd 0.5 or more
        assertEquals(0.3, r.tune().points().get(3).validation().get("rmse"), 0.05);
        for (int i = 0; i < 3; i++) {
            assertTrue(r.tune().points().get(i).validation().get("rmse") > 0.5);
        }
        assertEquals(0.3, r.chosen().summary().get("rmse").mean(), 0.05);
        assertEquals(1, r.chosen().runs().size());
        assertTrue(r.chosen().runs().get(0).testRatings() > 0);
    }

    @Test
    void aResumedSearchSkipsFinishedPointsAndRefusesADifferentOne(@TempDir Path dir) throws Exception {
        Dataset d = plantedBiases();
        Path file = dir.resolve("t.json");
        Counter first = new Counter();
        GridSearch.Result a = tune(d, "reg_user=1e9,2;reg_item=2", "rmse", 1, file, first);
        assertEquals(2, first.fitted);
        Counter second = new Counter();
        GridSearch.Result b = tune(d, "reg_user=1e9,2;reg_item=2", "rmse", 1, file, second);
        assertEquals(0, second.fitted);
        assertEquals(2, second.resumed);
        assertEquals(a.tune().best(), b.tune().best());
        assertEquals(a.chosen().summary().get("rmse").mean(), b.chosen().summary().get("rmse").mean());

        // an interrupted search: the file holds only the first point; only the second is fitted
        String json = Files.readString(file);
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) GridSearch.JSON.readTree(json);
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("tune").get("points")).remove(1);
        Files.writeString(file, GridSearch.JSON.writeValueAsString(root));
        Counter third = new Counter();
        GridSearch.Result c = tune(d, "reg_user=1e9,2;reg_item=2", "rmse", 1, file, third);
        assertEquals(1, third.fitted);
        assertEquals(1, third.resumed);
        assertEquals(a.tune().points().get(1).validation(), c.tune().points().get(1).validation());

        // another seed, grid or metric is another search
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                () -> tune(d, "reg_user=1e9,2;reg_item=2", "rmse", 2, file, new Counter()));
        assertTrue(seed.getMessage().contains("seed"), seed.getMessage());
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class,
                () -> tune(d, "reg_user=1e9,3;reg_item=2", "rmse", 1, file, new Counter()));
        assertTrue(grid.getMessage().contains("grid"), grid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tune(d, "reg_user=1e9,2;reg_item=2", "mae", 1, file,
                new Counter()));
    }

    /** A grid point whose fit diverges is recorded with its error, skipped, and kept on resume. */
    @Test
    void aFailedPointDoesNotEndTheSearch(@TempDir Path dir) throws Exception {
        Dataset d = plantedBiases();
        Path file = dir.resolve("t.json");
        Counter c = new Counter();
        GridSearch.Result r = GridSearch.run(Algorithms.get("biasmf"), List.of("epochs=30", "rank=4"),
                GridSearch.Grid.parse("learning_rate=1,0.01"), d, Protocols.parse("holdout:0.7,0.15,0.15"),
                TrainingContext.of(1, 1), "", EvalOptions.defaults(), "rmse", file, c);
        GridSearch.Point bad = r.tune().points().get(0);
        assertTrue(bad.failed());
        assertTrue(bad.error().contains("diverged"), bad.error());
        assertTrue(bad.validation().isEmpty());
        assertEquals(1, r.tune().best());
        assertTrue(Files.readString(file).contains("diverged"));

        Counter again = new Counter();
        GridSearch.Result resumed = GridSearch.run(Algorithms.get("biasmf"), List.of("epochs=30", "rank=4"),
                GridSearch.Grid.parse("learning_rate=1,0.01"), d, Protocols.parse("holdout:0.7,0.15,0.15"),
                TrainingContext.of(1, 1), "", EvalOptions.defaults(), "rmse", file, again);
        assertEquals(0, again.fitted);
        assertEquals(bad.error(), resumed.tune().points().get(0).error());

        // every point failed: the search fails, naming the errors
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                () -> GridSearch.run(Algorithms.get("biasmf"), List.of("epochs=30", "rank=4"),
                        GridSearch.Grid.parse("learning_rate=1,0.9"), d, Protocols.parse("holdout:0.7,0.15,0.15"),
                        TrainingContext.of(1, 1), "", EvalOptions.defaults(), "rmse", null, new Counter()));
        assertTrue(all.getMessage().contains("diverged"), all.getMessage());
    }

    @Test
    void badGridValuesFailBeforeAnyFitting() {
        Counter c = new Counter();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tune(plantedBiases(), "reg_user=1,-1", "rmse", 1, null, c));
        assertTrue(e.getMessage().contains("reg_user=-1"), e.getMessage());
        assertEquals(0, c.fitted);
        assertThrows(IllegalArgumentException.class, () -> tune(plantedBiases(), "no_such=1", "rmse", 1, null, c));
        assertThrows(IllegalArgumentException.class, () -> tune(plantedBiases(), "iterations=1,2", "rmse", 1, null, c));
        assertThrows(IllegalArgumentException.class, () -> tune(plantedBiases(), "reg_user=1", "speed", 1, null, c));
        assertThrows(IllegalArgumentException.class, () -> GridSearch.Grid.parse("reg_user"));
        assertThrows(IllegalArgumentException.class, () -> GridSearch.Grid.parse("a=1;a=2"));
        assertThrows(IllegalArgumentException.class, () -> GridSearch.Grid.parse("a=1,,2"));
        assertEquals(6, GridSearch.Grid.parse("rank=10,25,50;reg=0,0.01").points().size());
        assertEquals(Map.of("rank", "10", "reg", "0.01"), GridSearch.Grid.parse("rank=10,25,50;reg=0,0.01").points().get(1));
    }

    @Test
    void higherIsBetterMetricsPickTheLargestAndNaNIsNeverBest() {
        GridSearch.Point[] p = {
            new GridSearch.Point(0, Map.of(), Map.of("ndcg@20", Double.NaN), 0, ""),
            new GridSearch.Point(1, Map.of(), Map.of("ndcg@20", 0.5), 0, ""),
            new GridSearch.Point(2, Map.of(), Map.of("ndcg@20", 0.7), 0, ""),
            new GridSearch.Point(3, Map.of(), Map.of("ndcg@20", 0.7), 0, ""),
        };
        assertEquals(2, GridSearch.best(p, "ndcg@20", true));
        assertEquals(1, GridSearch.best(p, "ndcg@20", false));
        assertEquals(List.of(10, 20), GridSearch.withMetric(new EvalOptions(List.of(10), 3, null, true), "ndcg@20").topN());
    }
}
