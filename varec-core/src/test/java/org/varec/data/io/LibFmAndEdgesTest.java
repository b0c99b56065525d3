package org.varec.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varec.data.Graph;
import org.varec.data.SparseDesign;

class LibFmAndEdgesTest {
    @TempDir
    Path dir;

    @Test
    void libFmReadsAndWritesTheSameMatrix() throws IOException {
        Path p = dir.resolve("train.libfm");
        Files.writeString(p, "5 0:1 10:1 20:0.5\n3 1:1 11:1\n\n1.5 2:1 12:1 20:-2e-1\n");
        SparseDesign d = LibFm.read(p);
        assertEquals(3, d.numRows());
        assertEquals(21, d.numFeatures());
        assertArrayEquals(new float[] {5, 3, 1.5f}, d.targets());
        assertArrayEquals(new int[] {0, 3, 5, 8}, d.offsets());
        assertArrayEquals(new int[] {0, 10, 20, 1, 11, 2, 12, 20}, d.features());
        assertEquals(-0.2f, d.values()[7]);
        Path out = dir.resolve("copy.libfm");
        LibFm.write(d, out);
        SparseDesign again = LibFm.read(out);
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // created with the default permissions, not createTempFile's owner-only ones
            assertTrue(Files.getPosixFilePermissions(out).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
            assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))),
                    Files.getPosixFilePermissions(out));
        }
        assertArrayEquals(d.targets(), again.targets());
        assertArrayEquals(d.features(), again.features());
        assertArrayEquals(d.values(), again.values());
        Path meta = dir.resolve("meta.txt");
        Files.writeString(meta, "0\n1\n2\n" + "3\n".repeat(18));
        assertEquals(21, LibFm.readGroups(meta, 21).length);
        Files.writeString(meta, "0\n1\n");
        assertTrue(assertThrows(DataFormatException.class, () -> LibFm.readGroups(meta, 21)).getMessage()
                .contains("has groups for 2 features, the data has 21"));
    }

    static java.util.List<Arguments> libFmBad() {
        return java.util.List.of(
                Arguments.of("5 0:1 10:1\nfive 0:1", ":2: target 'five' is not a finite number"),
                Arguments.of("5 0:1 10:1\n4 0:1 10", ":2: expected id:value, got '10'"),
                Arguments.of("5 0:1 10:1\n4 -1:1", ":2: feature id '-1' is not a non-negative integer"),
                Arguments.of("5 0:1 10:x\n", ":1: value 'x' of feature 10 is not a finite number"));
    }

    @ParameterizedTest
    @MethodSource("libFmBad")
    void libFmBadLines(String text, String expected) throws IOException {
        Path p = dir.resolve("bad.libfm");
        Files.writeString(p, text);
        DataFormatException e = assertThrows(DataFormatException.class, () -> LibFm.read(p));
        assertEquals(p + expected, e.getMessage());
    }

    @Test
    void edgeListsCollapseRepeatsAndRefuseSelfLoops() throws IOException {
        Path p = dir.resolve("edges.txt");
        Files.writeString(p, "# co-authors\n0 1\n1 2\n2 1\n0 3\n");
        Graph g = EdgeLists.read(p);
        assertEquals(4, g.numVertices());
        assertEquals(3, g.numEdges());
        assertTrue(g.hasEdge(g.vertices().indexOf("2"), g.vertices().indexOf("1")));
        Files.writeString(p, "0 1\n2 2\n");
        assertEquals(p + ":2: self-loop on vertex 2",
                assertThrows(DataFormatException.class, () -> EdgeLists.read(p)).getMessage());
        Files.writeString(p, "0 1\n2 3 4 5\n");
        assertTrue(assertThrows(DataFormatException.class, () -> EdgeLists.read(p)).getMessage()
                .startsWith(p + ":2: expected 'i j'"));
        Files.writeString(p, "\n");
        assertTrue(assertThrows(DataFormatException.class, () -> EdgeLists.read(p)).getMessage().contains("no edges"));
    }

    @Test
    void adjacencyMatrixKeepsIsolatedVerticesAndChecksSymmetry() throws IOException {
        Path p = dir.resolve("adj.csv");
        Files.writeString(p, "0,1,0,0\n1,0,1,0\n0,1,0,0\n0,0,0,0\n");
        Graph g = EdgeLists.readAdjacency(p);
        assertEquals(4, g.numVertices());
        assertEquals(2, g.numEdges());
        assertEquals(0, g.degree(3));
        Files.writeString(p, "0,1,0\n0,0,0\n0,0,0\n");
        assertTrue(assertThrows(DataFormatException.class, () -> EdgeLists.readAdjacency(p)).getMessage()
                .contains("not symmetric"));
        Files.writeString(p, "0,1\n1,0,0\n");
        assertTrue(assertThrows(DataFormatException.class, () -> EdgeLists.readAdjacency(p)).getMessage()
                .contains(":2: expected 2 values"));
    }

    @Test
    void realNipsCoauthorship() throws IOException {
        Path d = org.varec.testing.TestData.require("nips234", "NIPS.csv");
        Graph adj = EdgeLists.readAdjacency(d.resolve("NIPS.csv"));
        assertEquals(234, adj.numVertices());
        assertEquals(598, adj.numEdges());
        Graph list = EdgeLists.read(d.resolve("nips234_edges.txt"));
        assertEquals(598, list.numEdges());
        assertEquals(225, list.numVertices()); // 9 authors have no co-author in the subset
        assertFalse(adj.hasEdge(0, 0));
    }
}
