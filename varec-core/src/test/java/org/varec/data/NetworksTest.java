package org.varec.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.io.DataFormatException;
import org.varec.data.io.Datasets;
import org.varec.data.io.ReadOptions;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import org.varec.testing.PlantedNetwork;

class NetworksTest {
    @TempDir
    Path dir;

    @Test
    void allPairsWithLinkValues() {
        IdIndex ids = new IdIndex();
        for (int v = 0; v < 4; v++) {
            ids.addNumeric(v);
        }
        Graph g = Graph.of(ids, new int[] {0, 1}, new int[] {1, 2}); // path 0 - 1 - 2, vertex 3 isolated
        Dataset d = Networks.dataset(g, "p", "edges", Path.of("p"), ReadReport.empty());
        assertTrue(d.isNetwork());
        assertEquals(6, d.numRatings());
        Interactions r = d.ratings();
        for (int k = 0; k < r.size(); k++) {
            assertTrue(r.users()[k] < r.items()[k]);
            assertEquals(g.hasEdge(r.users()[k], r.items()[k]) ? 1f : 0f, r.values()[k]);
        }
        Interactions m = Networks.mirror(r);
        assertEquals(12, m.size());
        RatingMatrix rm = RatingMatrix.of(m);
        assertTrue(rm.contains(1, 0) && rm.contains(0, 1) && rm.contains(3, 2));
        RatingMatrix seen = RatingMatrix.of(Networks.linksAndSelf(r)); // links both ways and the diagonal
        assertEquals(4 + 4, seen.nnz());
        assertTrue(seen.contains(0, 0) && seen.contains(0, 1) && seen.contains(1, 0) && seen.contains(1, 1)
                && seen.contains(1, 2) && seen.contains(2, 1) && seen.contains(3, 3) && !seen.contains(0, 2));
    }

    /** Pair splits are disjoint, cover every pair once, are the same for the same seed, and train on both orientations. */
    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42})
    void pairSplitsAreDisjointSymmetricAndReproducible(long seed) throws IOException {
        Dataset d = PlantedNetwork.draw(seed, 60, 3, 0.3, 0.05).dataset();
        List<Split> a = Protocols.parse("holdout:0.9x2").splits(d, seed);
        List<Split> b = Protocols.parse("holdout:0.9x2").splits(d, seed);
        for (int s = 0; s < 2; s++) {
            Split x = a.get(s);
            Set<Long> train = keys(x.train());
            Set<Long> test = keys(x.test());
            assertEquals(d.numRatings(), train.size() + test.size());
            test.forEach(k -> assertTrue(!train.contains(k)));
            assertEquals(keys(b.get(s).test()), test);
            RatingMatrix m = RatingMatrix.of(Networks.mirror(x.train()));
            for (int k = 0; k < x.test().size(); k++) { // a test pair is hidden in both directions
                int i = x.test().users()[k];
                int j = x.test().items()[k];
                assertTrue(i < j);
                assertTrue(!m.contains(i, j) && !m.contains(j, i));
            }
            assertEquals(2 * x.train().size(), m.nnz());
        }
    }

    private static Set<Long> keys(Interactions r) {
        Set<Long> s = new HashSet<>();
        for (int k = 0; k < r.size(); k++) {
            assertTrue(s.add(((long) r.users()[k] << 32) | r.items()[k]));
        }
        return s;
    }

    @Test
    void readsNetworkFormats() throws IOException {
        Path adj = dir.resolve("g.csv");
        Files.writeString(adj, "0,1,0\n1,0,1\n0,1,0\n");
        Dataset d = Datasets.read(adj, ReadOptions.defaults().withFormat("adjacency"));
        assertEquals(3, d.numRatings());
        assertNotNull(d.graph());
        assertEquals(2, d.graph().numEdges());
        Path edges = dir.resolve("g.txt");
        Files.writeString(edges, "a b\nb c\nc d\n");
        Dataset e = Datasets.read(edges, ReadOptions.defaults().withFormat("edges"));
        assertEquals(6, e.numRatings());
        assertEquals(3, e.graph().numEdges());
    }

    @Test
    void malformedNetworksNameFileAndLine() throws IOException {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, "0,1,0\n0,0,1\n0,1,0\n");
        String msg = assertThrows(DataFormatException.class,
                () -> Datasets.read(p, ReadOptions.defaults().withFormat("adjacency"))).getMessage();
        assertTrue(msg.contains("bad.csv:1") && msg.contains("not symmetric"), msg);
        Files.writeString(p, "0,2,0\n2,0,1\n0,1,0\n");
        msg = assertThrows(DataFormatException.class,
                () -> Datasets.read(p, ReadOptions.defaults().withFormat("adjacency"))).getMessage();
        assertTrue(msg.contains("bad.csv:1") && msg.contains("expected 0 or 1"), msg);
        Files.writeString(p, "1,1,0\n1,0,1\n0,1,0\n");
        msg = assertThrows(DataFormatException.class,
                () -> Datasets.read(p, ReadOptions.defaults().withFormat("adjacency"))).getMessage();
        assertTrue(msg.contains("self-loop"), msg);
        Path e = dir.resolve("bad.txt");
        Files.writeString(e, "1 2\n3 3\n");
        msg = assertThrows(DataFormatException.class,
                () -> Datasets.read(e, ReadOptions.defaults().withFormat("edges"))).getMessage();
        assertTrue(msg.contains("bad.txt:2") && msg.contains("self-loop"), msg);
        Files.writeString(e, "1 2 3 4\n");
        msg = assertThrows(DataFormatException.class,
                () -> Datasets.read(e, ReadOptions.defaults().withFormat("edges"))).getMessage();
        assertTrue(msg.contains("bad.txt:1"), msg);
        Files.writeString(e, "1 2\n");
        msg = assertThrows(IllegalArgumentException.class,
                () -> Datasets.read(e, ReadOptions.defaults().withFormat("edges"))).getMessage();
        assertTrue(msg.contains("at least 3 vertices"), msg);
    }
}
