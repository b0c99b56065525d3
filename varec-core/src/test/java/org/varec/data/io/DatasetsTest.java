package org.varec.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.RatingScale;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static float rating(Dataset d, String user, String item) {
        int u = d.users().indexOf(user);
        int i = d.items().indexOf(item);
        var r = d.ratings();
        for (int k = 0; k < r.size(); k++) {
            if (r.users()[k] == u && r.items()[k] == i) {
                return r.values()[k];
            }
        }
        return Float.NaN;
    }

    static List<String> delimitedVariants() {
        return List.of(
                "user\titem\trating\n1\t10\t4\n2\t10\t3.5\n1\t20\t5\n",
                "1,10,4,881250949\n2,10,3.5,881250950\n1,20,5,881250951\n",
                "1::10::4::1\n2::10::3.5::2\n1::20::5::3\n",
                "# a comment\n1 10   4\n\n2  10 3.5\n1 20 5\n",
                "userId;movieId;rating\r\n1;10;4\r\n2;10;3.5\r\n1;20;5\r\n",
                "1, 10, 4\n2, 10, 3.5\n1, 20, 5");
    }

    @ParameterizedTest
    @MethodSource("delimitedVariants")
    void delimitedFilesDetectDelimiterAndHeader(String text) throws IOException {
        Dataset d = Datasets.read(write("r.txt", text));
        assertEquals("delimited", d.format());
        assertEquals(2, d.numUsers());
        assertEquals(2, d.numItems());
        assertEquals(3, d.numRatings());
        assertEquals(4f, rating(d, "1", "10"));
        assertEquals(3.5f, rating(d, "2", "10"));
        assertEquals(5f, rating(d, "1", "20"));
        assertEquals(RatingScale.UNBOUNDED, d.scale());
        assertEquals("1", d.users().externalId(0)); // first appearance order
    }

    @Test
    void textualIdsGzipAndExplicitOptions() throws IOException {
        Path p = dir.resolve("r.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write("alice|m1|1e0\nbob|m1|-2.5\nalice|007|3\n".getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = Datasets.read(p, ReadOptions.defaults().withDelimiter("|").withHeader(false));
        assertEquals(3, d.numRatings());
        assertEquals(1f, rating(d, "alice", "m1"));
        assertEquals(-2.5f, rating(d, "bob", "m1"));
        assertEquals(3f, rating(d, "alice", "007"));
        assertEquals(-1, d.items().indexOf("7")); // "007" and "7" are different ids
        assertEquals("r", d.name());
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("1\t2\t3\n4\t5\n", ":2:", "expected 3 or 4 fields (user item rating [timestamp]) separated by tabs, got 2"),
                Arguments.of("1\t2\t3\n4\t5\t6\t7\t8\n", ":2:", "expected 3 or 4 fields"),
                Arguments.of("1\t2\t3\n4\t5\tfive\n", ":2:", "rating 'five' is not a finite number"),
                Arguments.of("1\t2\t3\n4\t5\tNaN\n", ":2:", "rating 'NaN' is not a finite number"),
                Arguments.of("1\t2\t3\n4\t5\t9\n", ":2:", "rating 9 is outside the rating scale 1:5"),
                Arguments.of("1\t2\t3\n\t5\t4\n", ":2:", "empty user id"),
                Arguments.of("1\t2\t3\n1\t2\t3\n2\t\t4\n", ":3:", "empty item id"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedLinesNameFileLineAndReason(String text, String line, String reason) throws IOException {
        Path p = write("bad.tsv", text);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.read(p, ReadOptions.defaults().withScale(RatingScale.STARS_1_5).withHeader(false)));
        assertTrue(e.getMessage().startsWith(p + line + " " + reason), e.getMessage());
    }

    @Test
    void skipBadLinesCountsAndReports() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            sb.append(k % 10).append('\t').append(k).append('\t').append(k % 7 == 0 ? "x" : "3").append('\n');
        }
        Path p = write("some-bad.tsv", sb.toString());
        Dataset d = Datasets.read(p, ReadOptions.defaults().withSkipBadLines(true).withHeader(false));
        assertEquals(15, d.report().skippedLines());
        assertEquals(85, d.numRatings());
        assertEquals(BadLines.EXAMPLES, d.report().skippedExamples().size());
        assertTrue(d.report().skippedExamples().get(0).startsWith(p + ":1: rating 'x'"), d.report().skippedExamples().get(0));
    }

    @Test
    void garbageFailsFastEvenWhenSkipping() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] junk = new byte[200_000];
        for (int k = 0; k < junk.length; k++) {
            junk[k] = (byte) (rnd.nextInt(60) == 0 ? '\n' : 'a' + rnd.nextInt(26));
        }
        Path p = dir.resolve("junk.txt");
        Files.write(p, junk);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.read(p, ReadOptions.defaults().withSkipBadLines(true)));
        assertTrue(e.getMessage().contains("of the first 1000 lines are malformed"), e.getMessage());
        assertTrue(e.getMessage().contains("right file and --format"), e.getMessage());
    }

    @Test
    void hugeLineWithoutNewlineIsRefusedNotBuffered() throws IOException {
        Path p = dir.resolve("one-line.bin");
        byte[] big = new byte[5 << 20];
        java.util.Arrays.fill(big, (byte) 'z');
        Files.write(p, big);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.read(p));
        assertTrue(e.getMessage().contains(":1: line longer than"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "user,item,rating\n", "# only a comment\n"})
    void emptyDatasetsAreAClearError(String text) throws IOException {
        Path p = write("empty.csv", text);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.read(p));
        assertTrue(e.getMessage().contains("no ratings"), e.getMessage());
    }

    @Test
    void missingPathsAndUnknownFormats() throws IOException {
        Path none = dir.resolve("nope.csv");
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.read(none)).getMessage()
                .contains("no such file"));
        Path empty = Files.createDirectories(dir.resolve("emptydir"));
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.read(empty)).getMessage()
                .contains("not a recognised MovieLens directory"));
        Path f = write("x.csv", "1,2,3\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Datasets.read(f, ReadOptions.defaults()
                .withFormat("parquet"))).getMessage().contains("unknown format 'parquet'"));
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.read(f, ReadOptions.defaults()
                .withFormat("ml-100k"))).getMessage().contains("reads a MovieLens directory"));
    }

    @ParameterizedTest
    @CsvSource({"LAST,2,1", "FIRST,4,1", "MEAN,3,1"})
    void duplicatesFollowThePolicyAndAreCounted(DuplicatePolicy policy, float expected, long merged) throws IOException {
        Path p = write("dup.csv", "1,1,4\n1,2,5\n1,1,2\n");
        Dataset d = Datasets.read(p, ReadOptions.defaults().withDuplicates(policy));
        assertEquals(expected, rating(d, "1", "1"));
        assertEquals(merged, d.report().duplicates());
        assertEquals(2, d.numRatings());
    }

    @Test
    void duplicatePolicyErrorNamesThePair() throws IOException {
        Path p = write("dup.csv", "1,1,4\n1,2,5\n1,1,2\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.read(p, ReadOptions.defaults().withDuplicates(DuplicatePolicy.ERROR)));
        assertTrue(e.getMessage().contains("user '1' rates item '1' more than once"), e.getMessage());
    }

    // ---- MovieLens layouts (tiny hand-written copies) ----

    private Path ml100k() throws IOException {
        Path d = Files.createDirectories(dir.resolve("ml-100k"));
        Files.writeString(d.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t5\t1\n");
        Files.writeString(d.resolve("u.genre"), "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\n"
                + "Crime|6\nDocumentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\n"
                + "Romance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n\n");
        byte[] latin1 = ("242|Kolya (1996)|24-Jan-1997||http://x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                + "302|L.A. Confidential (1997)|01-Jan-1997||http://x|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0\n"
                + "543|Mis\u00e9rables, Les (1995)|01-Jan-1995||http://x|0|0|0|0|0|0|0|0|1|0|0|0|1|0|0|0|0|0|0\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(d.resolve("u.item"), latin1);
        Files.writeString(d.resolve("u.user"), "186|39|F|executive|00000\n196|49|M|writer|55105\n");
        return d;
    }

    @Test
    void movieLens100kLayout() throws IOException {
        Dataset d = Datasets.read(ml100k());
        assertEquals("ml-100k", d.format());
        assertEquals("ml-100k", d.name());
        assertEquals(RatingScale.STARS_1_5, d.scale());
        assertEquals(3, d.numRatings());
        assertEquals(3, d.numItems()); // 543 is in the catalog without ratings: indexed after the rated ones
        assertEquals(2, d.items().indexOf("543"));
        assertEquals("Mis\u00e9rables, Les (1995)", d.title(2));
        assertEquals(List.of("Crime", "Film-Noir", "Mystery", "Thriller"), d.itemFeatures().labels(d.items().indexOf("302"), "genre"));
        assertEquals(List.of("Comedy"), d.itemFeatures().labels(d.items().indexOf("242"), "genre"));
        int u186 = d.users().indexOf("186");
        assertEquals(List.of("F"), d.userFeatures().labels(u186, "gender"));
        assertEquals(List.of("35-44"), d.userFeatures().labels(u186, "age"));
        assertEquals(List.of("executive"), d.userFeatures().labels(u186, "occupation"));
    }

    @Test
    void badCatalogLineNamesFileAndLine() throws IOException {
        Path d = ml100k();
        Files.writeString(d.resolve("u.item"), "242|Kolya (1996)|x||u|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n302|short|x\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.read(d));
        assertTrue(e.getMessage().startsWith(d.resolve("u.item") + ":2: expected 24"), e.getMessage());
        Files.writeString(d.resolve("u.item"), "242|Kolya (1996)|x||u|0|0|0|0|0|2|0|0|0|0|0|0|0|0|0|0|0|0|0\n");
        e = assertThrows(DataFormatException.class, () -> Datasets.read(d));
        assertTrue(e.getMessage().contains(":1: genre flag 6 is '2'"), e.getMessage());
    }

    @Test
    void movieLens1mLayoutWithDatOrCsvRatings() throws IOException {
        Path d = Files.createDirectories(dir.resolve("ml-1m"));
        Files.writeString(d.resolve("movies.dat"), "1::Toy Story (1995)::Animation|Children's|Comedy\n"
                + "2::Jumanji (1995)::Adventure|Children's|Fantasy\n3::Unrated (2000)::Drama\n");
        Files.writeString(d.resolve("users.dat"), "1::F::1::10::48067\n2::M::56::16::70072\n");
        Files.writeString(d.resolve("ratings.dat"), "1::1::5::978300760\n2::1::4::978300761\n2::2::3::978300762\n");
        Dataset dat = Datasets.read(d);
        assertEquals("ml-1m", dat.format());
        assertEquals(3, dat.numRatings());
        assertEquals(3, dat.numItems());
        assertEquals("Toy Story (1995)", dat.title(dat.items().indexOf("1")));
        assertEquals(List.of("under 18"), dat.userFeatures().labels(dat.users().indexOf("1"), "age"));
        assertEquals(List.of("self-employed"), dat.userFeatures().labels(dat.users().indexOf("2"), "occupation"));
        Files.delete(d.resolve("ratings.dat"));
        Files.writeString(d.resolve("ratings.csv"), "user_id,movie_id,rating\n1,1,5\n2,1,4\n2,2,3\n");
        Dataset csv = Datasets.read(d);
        assertEquals("ml-1m", csv.format());
        assertArrayEquals(dat.ratings().values(), csv.ratings().values());
        assertEquals(dat.items().ids(), csv.items().ids());
        Files.writeString(d.resolve("users.dat"), "1::F::1::10::48067\n2::M::57::16::70072\n");
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.read(d)).getMessage()
                .contains("users.dat:2: unknown age code '57'"));
    }

    @Test
    void movieLens10mAndCsvLayouts() throws IOException {
        Path ten = Files.createDirectories(dir.resolve("ml-10M100K"));
        Files.writeString(ten.resolve("movies.dat"), "122::Boomerang (1992)::Comedy|Romance\n");
        Files.writeString(ten.resolve("ratings.dat"), "1::122::4.5::838985046\n2::122::0.5::838985047\n");
        Dataset d10 = Datasets.read(ten);
        assertEquals("ml-10m", d10.format());
        assertEquals(RatingScale.HALF_STARS, d10.scale());
        assertEquals(0.5f, rating(d10, "2", "122"));
        assertNull(d10.userFeatures());

        Path csv = Files.createDirectories(dir.resolve("ml-latest-small"));
        Files.writeString(csv.resolve("movies.csv"), "movieId,title,genres\r\n1,Toy Story (1995),Adventure|Animation\r\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
                + "99,\"Quote \"\"Test\"\" (2000)\",(no genres listed)\r\n");
        Files.writeString(csv.resolve("ratings.csv"), "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n"
                + "1,11,3.5,964981247\r\n");
        Dataset dc = Datasets.read(csv);
        assertEquals("ml-csv", dc.format());
        assertEquals("American President, The (1995)", dc.title(dc.items().indexOf("11")));
        assertEquals("Quote \"Test\" (2000)", dc.title(dc.items().indexOf("99")));
        assertEquals(List.of(), dc.itemFeatures().labels(dc.items().indexOf("99"), "genre"));
        assertEquals(3.5f, rating(dc, "1", "11"));
        Files.writeString(csv.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,11,5.5,2\n");
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.read(csv)).getMessage()
                .contains("ratings.csv:3: rating 5.5 is outside the rating scale 0.5:5"));
    }

    // ---- the real files, when present ----

    @Test
    void realMovieLens100k() throws IOException {
        Path d = org.varec.testing.TestData.require("ml-100k", "u.data");
        Dataset ds = Datasets.read(d);
        assertEquals(943, ds.numUsers());
        assertEquals(1682, ds.numItems());
        assertEquals(100_000, ds.numRatings());
        assertEquals("Toy Story (1995)", ds.title(ds.items().indexOf("1")));
        assertEquals(List.of("Animation", "Children's", "Comedy"), ds.itemFeatures().labels(ds.items().indexOf("1"), "genre"));
        assertTrue(ds.title(ds.items().indexOf("543")).startsWith("Mis\u00e9rables"), ds.title(ds.items().indexOf("543")));
        assertEquals(3.52986, ds.ratings().mean(), 1e-5);
    }

    @Test
    void realMovieLens1mAndLatestSmall() throws IOException {
        Path d = org.varec.testing.TestData.require("ml-1m", "movies.dat");
        Dataset ds = Datasets.read(d);
        assertEquals(6040, ds.numUsers());
        assertEquals(3883, ds.numItems()); // 3706 rated + 177 catalog-only
        assertEquals(1_000_209, ds.numRatings());
        Path s = org.varec.testing.TestData.require("ml-latest-small", "ratings.csv");
        Dataset small = Datasets.read(s);
        assertEquals(610, small.numUsers());
        assertEquals(100_836, small.numRatings());
        assertEquals(9742, small.numItems());
    }
}
