package org.varec.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.IdIndex;

class SideInformationTest {
    @TempDir
    Path dir;

    private final IdIndex items = IdIndex.of(List.of("10", "20", "30"));

    @Test
    void everyColumnIsAGroupAndCellsMayHoldSeveralValues() throws IOException {
        Path f = dir.resolve("items.csv");
        Files.writeString(f, "item,genre,decade\n20,Comedy|Drama,1990s\n10,Animation,\n99,Horror,1980s\n");
        SideInformation.Result r = SideInformation.read(f, items, null);
        assertEquals(2, r.rows());
        assertEquals(1, r.unknownIds());
        assertEquals(List.of("genre", "decade"), r.table().groupNames());
        assertEquals(3, r.table().numRows());
        assertEquals(List.of("Comedy", "Drama"), r.table().labels(1, "genre"));
        assertEquals(List.of("1990s"), r.table().labels(1, "decade"));
        assertEquals(List.of("Animation"), r.table().labels(0, "genre"));
        assertEquals(List.of(), r.table().labels(0, "decade")); // empty cell
        assertEquals(List.of(), r.table().labels(2, "genre"));  // no line for item 30
    }

    @Test
    void tabsAndAnExplicitDelimiter() throws IOException {
        Path f = dir.resolve("items.tsv");
        Files.writeString(f, "id\tstudio\n30\tPixar\n");
        assertEquals(List.of("Pixar"), SideInformation.read(f, items, null).table().labels(2, "studio"));
        Path g = dir.resolve("items.txt");
        Files.writeString(g, "id;studio\n30;Ghibli\n");
        assertEquals(List.of("Ghibli"), SideInformation.read(g, items, ";").table().labels(2, "studio"));
    }

    @Test
    void badLinesNameFileAndLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "item,genre\n10,Comedy\n20,Drama,extra\n");
        assertEquals(f + ":3: expected 2 fields as in the header, got 3",
                assertThrows(DataFormatException.class, () -> SideInformation.read(f, items, null)).getMessage());
        Files.writeString(f, "item,genre\n10,Comedy\n10,Drama\n");
        assertEquals(f + ":3: id '10' appears twice",
                assertThrows(DataFormatException.class, () -> SideInformation.read(f, items, null)).getMessage());
        Files.writeString(f, "item,genre\n,Comedy\n");
        assertEquals(f + ":2: empty id",
                assertThrows(DataFormatException.class, () -> SideInformation.read(f, items, null)).getMessage());
        Files.writeString(f, "item\n10\n");
        assertTrue(assertThrows(DataFormatException.class, () -> SideInformation.read(f, items, null)).getMessage()
                .contains(":1: the header needs an id column and at least one feature column"));
        Files.writeString(f, "\n");
        assertTrue(assertThrows(DataFormatException.class, () -> SideInformation.read(f, items, null)).getMessage()
                .contains("empty file"));
    }
}
