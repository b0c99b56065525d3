package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.data.Dataset;
import org.varec.data.Graph;
import org.varec.data.IdIndex;
import org.varec.data.Networks;
import org.varec.data.ReadReport;
import org.varec.model.BlockModel;

class BlockStructureTest {
    /** Groups given outright. */
    private record Fixed(int[] groups, double[][] blockProbabilities) implements BlockModel {
        @Override
        public int numGroups() {
            return blockProbabilities.length;
        }
    }

    @Test
    void ordersByGroupThenDegreeAndCountsLinksPerBlock() {
        // vertices a..e; groups a,c,e -> 0 and b,d -> 1; links a-c, c-e, a-e (triangle in 0), b-d, a-b
        IdIndex ids = IdIndex.of(List.of("a", "b", "c", "d", "e"));
        Graph g = Graph.of(ids, new int[] {0, 2, 0, 1, 0}, new int[] {2, 4, 4, 3, 1});
        Dataset d = Networks.dataset(g, "toy", "edges", null, ReadReport.empty());
        Fixed m = new Fixed(new int[] {0, 1, 0, 1, 0}, new double[][] {{0.9, 0.1}, {0.1, 0.8}});
        // the model indexes vertices in another order: e d c b a
        List<String> modelIds = List.of("e", "d", "c", "b", "a");
        Fixed permuted = new Fixed(new int[] {0, 1, 0, 1, 0}, m.blockProbabilities());
        BlockStructure b = BlockStructure.of(permuted, modelIds::indexOf, d);
        assertEquals(5, b.numVertices());
        assertEquals(2, b.numGroups());
        assertArrayEquals(new int[] {0, 3, 5}, b.offsets());
        // group 0 = a (degree 3), c (2), e (2); group 1 = b (2), d (1)
        assertEquals(List.of("a", "c", "e"), b.members(0));
        assertEquals(List.of("b", "d"), b.members(1));
        assertEquals(3, b.links()[0][0]);
        assertEquals(1, b.links()[1][1]);
        assertEquals(1, b.links()[0][1]);
        assertEquals(1, b.links()[1][0]);
        assertEquals(3, b.pairs()[0][0]);
        assertEquals(6, b.pairs()[0][1]);
        assertEquals(1, b.pairs()[1][1]);
        assertEquals(5, b.numLinks());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockStructure.of(m, List.of("a", "b", "c", "d")::indexOf, d));
        assertTrue(e.getMessage().contains("vertex e of toy is unknown to the model"), e.getMessage());
    }
}
