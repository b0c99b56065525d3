package org.varec.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varec.data.split.SplitTestData.assertPartition;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.InteractionsBuilder;
import org.varec.data.io.DataFormatException;

class PredefinedFoldsTest {

    private static Path dataDir() {
        String base = System.getProperty("varec.data");
        if (base == null || base.isBlank() || base.startsWith("${")) { // unset, or an unresolved Maven property
            base = "/work/shared/data";
        }
        return Path.of(base, "ml-100k");
    }

    /** Reads u.data directly (the readers are another component): ids indexed in order of appearance. */
    private static Dataset readMl100k(Path dir) throws IOException {
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        InteractionsBuilder b = new InteractionsBuilder();
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("u.data"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t");
                b.add(users.add(f[0]), items.add(f[1]), Float.parseFloat(f[2]));
            }
        }
        var r = b.build(users.size(), items.size(), DuplicatePolicy.ERROR).interactions();
        return SplitTestData.dataset("ml-100k", users, items, r, dir);
    }

    @Test
    void movieLens100kPredefinedFolds() throws IOException {
        Path dir = dataDir();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("u.data")) && Files.isRegularFile(dir.resolve("u1.base")),
                "MovieLens 100K not found at " + dir + " (set -Dvarec.data=DIR holding ml-100k/); skipping");
        Dataset d = readMl100k(dir);
        assertEquals(100_000, d.numRatings());
        List<Split> five = Protocols.parse("folds:u1..u5").splits(d, 0);
        assertEquals(5, five.size());
        for (int f = 0; f < 5; f++) {
            Split s = five.get(f);
            assertEquals("u" + (f + 1), s.name());
            assertEquals(80_000, s.train().size());
            assertEquals(20_000, s.test().size());
            assertPartition(d, s);
        }
        // the source may also be a file: folds are looked up beside it
        Dataset fromFile = new Dataset(d.name(), d.format(), dir.resolve("u.data"), d.users(), d.items(), d.ratings(),
                d.scale(), null, null, null, d.report());
        Split u3 = Protocols.parse("folds:u3").splits(fromFile, 0).get(0);
        assertEquals("u3", u3.name());
        assertEquals(20_000, u3.test().size());
        for (String ab : List.of("ua", "ub")) {
            Split s = Protocols.parse("folds:" + ab).splits(d, 0).get(0);
            assertEquals(ab, s.name());
            assertEquals(9_430, s.test().size()); // ten ratings per user, 943 users
            assertPartition(d, s);
        }
    }

    /** Users 1..3, items 1..3, ratings (1,1) (1,2) (2,2) (3,3), source = dir. */
    private static Dataset tinyDataset(Path source) {
        InteractionsBuilder b = new InteractionsBuilder();
        b.add(0, 0, 5);
        b.add(0, 1, 3);
        b.add(1, 1, 4);
        b.add(2, 2, 1);
        return SplitTestData.dataset("tiny", SplitTestData.ids(3), SplitTestData.ids(3),
                b.build(3, 3, DuplicatePolicy.ERROR).interactions(), source);
    }

    private static void write(Path dir, String name, String... lines) throws IOException {
        Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void smallFoldFilesAreReadAndMappedThroughTheIndex(@TempDir Path dir) throws IOException {
        write(dir, "u2.base", "1\t1\t5\t881250949", "2\t2\t4\t881250949", "", "3\t3\t1\t1");
        write(dir, "u2.test", "1\t2\t3\t881250949");
        Dataset d = tinyDataset(dir);
        Split s = Protocols.parse("folds:u2").splits(d, 0).get(0);
        assertEquals(3, s.train().size());
        assertEquals(1, s.test().size());
        assertEquals(0, s.test().users()[0]);
        assertEquals(1, s.test().items()[0]);
        assertPartition(d, s);
    }

    @Test
    void missingFilesSayTheFoldsAreOnlyForMl100k(@TempDir Path dir) {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Protocols.parse("folds:u1..u5").splits(tinyDataset(dir), 0));
        assertTrue(e.getMessage().contains("u1.base") && e.getMessage().contains("only for MovieLens 100K (ml-100k)"),
                e.getMessage());
        IllegalArgumentException noSource = assertThrows(IllegalArgumentException.class,
                () -> Protocols.parse("folds:ua").splits(tinyDataset(null), 0));
        assertTrue(noSource.getMessage().contains("ml-100k"), noSource.getMessage());
    }

    @Test
    void badLinesNameFileAndLine(@TempDir Path dir) throws IOException {
        Dataset d = tinyDataset(dir);
        write(dir, "u1.test", "1\t2\t3\t0");

        write(dir, "u1.base", "1\t1\t5\t0", "9\t2\t4\t0");
        assertError(d, "u1.base:2: user '9' is not in dataset tiny");

        write(dir, "u1.base", "1\t1\t5\t0", "2\t7\t4\t0");
        assertError(d, "u1.base:2: item '7' is not in dataset tiny");

        write(dir, "u1.base", "1\t1\tfive\t0");
        assertError(d, "u1.base:1: rating 'five' is not a number");

        write(dir, "u1.base", "1\t1");
        assertError(d, "u1.base:1: expected 'user item rating timestamp'");

        write(dir, "u1.base", "1\t1\t9\t0");
        assertError(d, "u1.base:1: rating 9 is outside the dataset's scale 1:5");

        write(dir, "u1.base", "1\t1\t5\t0", "2\t1\t4\t0");
        assertError(d, "u1.base:2: user '2' has no rating of item '1'");

        write(dir, "u1.base", "1\t1\t5\t0", "2\t2\t4\t0", "1\t1\t5\t0");
        assertError(d, "user '1' rates item '1' more than once");

        write(dir, "u1.base", "1\t1\t5\t0", "1\t2\t3\t0", "2\t2\t4\t0", "3\t3\t1\t0");
        assertError(d, "1 ratings are also in u1.base");

        write(dir, "u1.base", "1\t1\t5\t0", "2\t2\t4\t0");
        assertError(d, "hold 3 ratings but dataset tiny has 4");
    }

    private static void assertError(Dataset d, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Protocols.parse("folds:u1").splits(d, 0));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
