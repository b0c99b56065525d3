package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 and later: every failure a user hit that varec must handle, as a command line. Each
 * test names the case; the suite runs alone with {@code bin/test -Dgroups=reliability}.
 */
@Tag("reliability")
class ReliabilityCliTest {
    @TempDir
    static Path dir;
    static Path ratings;

    /** 40 users x 30 items of ratings 1..5 with a header. */
    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("user,item,rating\n");
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                if (rnd.nextDouble() < 0.4) {
                    sb.append(u + 1).append(',').append(i + 1).append(',').append(1 + rnd.nextInt(5)).append('\n');
                }
            }
        }
        ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, sb.toString());
    }

    /** One error line on stderr, exit 2, no stack trace. */
    static void assertOneLineError(CliRun r, String expected) {
        assertEquals(2, r.exit(), r.out() + r.err());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[0].startsWith("varec: error: "), r.err());
        assertFalse(r.err().contains("\tat org."), r.err());
        assertFalse(r.err().contains("error: Error"), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    // ---- data loss ----

    @Test
    void saveWritesThroughASymlinkAndKeepsAPrivateMode() throws IOException {
        Path real = dir.resolve("real.varec");
        Path link = Files.createSymbolicLink(dir.resolve("link.varec"), real.getFileName());
        CliRun r = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--save", link.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.size(real) > 0);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        r = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--save", link.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
    }

    @Test
    void saveRefusesADeviceBeforeTraining() throws IOException {
        Path dev = Files.createSymbolicLink(dir.resolve("dev.varec"), Path.of("/dev/null"));
        CliRun r = CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--save", dev.toString());
        assertOneLineError(r, "not a regular file");
        assertFalse(r.err().contains("epoch"), "refused before training: " + r.err());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    }

    @Test
    void unwritableJsonFailsBeforeAnyWork() throws IOException {
        Files.writeString(dir.resolve("plainfile"), "x");
        Path json = dir.resolve("plainfile/out.json");
        CliRun r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biases", "--json", json.toString());
        assertOneLineError(r, "cannot write " + json);
        assertFalse(r.err().contains("split 1"), "refused before the run: " + r.err());
    }

    @Test
    void splitRefusesAUsedDirectoryUnlessForced() throws IOException {
        Path out = dir.resolve("splits");
        assertEquals(0, CliRun.of("data", "split", "--data", ratings.toString(), "--protocol", "holdout:0.8x2",
                "--out", out.toString(), "--libfm", "-q").exit());
        assertTrue(Files.exists(out.resolve("split-2/train.libfm")));
        CliRun again = CliRun.of("data", "split", "--data", ratings.toString(), "--protocol", "holdout:0.8",
                "--out", out.toString(), "-q");
        assertOneLineError(again, "is not empty");
        Files.writeString(out.resolve("notes.txt"), "mine");
        CliRun forced = CliRun.of("data", "split", "--data", ratings.toString(), "--protocol", "holdout:0.8",
                "--out", out.toString(), "--force", "-q");
        assertEquals(0, forced.exit(), forced.err());
        assertTrue(Files.exists(out.resolve("split-1/train.tsv")));
        assertFalse(Files.exists(out.resolve("split-1/train.libfm")), "stale libFM file of the old run removed");
        assertFalse(Files.exists(out.resolve("split-2")), "stale split folder removed");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "files varec did not write stay");
    }

    // ---- wrong results reported as success ----

    @Test
    void divergedTrainingExits2AndSavesNothing() {
        Path model = dir.resolve("diverged.varec");
        CliRun r = CliRun.of("train", "--data", ratings.toString(), "--algo", "biasmf", "--set", "learning_rate=0.5",
                "--set", "init_stdev=5", "--save", model.toString(), "-q");
        assertOneLineError(r, "diverged");
        assertTrue(r.err().contains("learning rate"), r.err());
        assertFalse(Files.exists(model));
        Path json = dir.resolve("diverged.json");
        r = CliRun.of("eval", "--data", ratings.toString(), "--algo", "biasmf", "--set", "learning_rate=0.5",
                "--set", "init_stdev=5", "--json", json.toString(), "-q");
        assertOneLineError(r, "diverged");
        assertFalse(Files.exists(json));
    }

    @Test
    void overlappingTrainAndTestFilesAreRefused() {
        CliRun r = CliRun.of("eval", "--train", ratings.toString(), "--test", ratings.toString(), "--algo", "mean", "-q");
        assertOneLineError(r, "pairs are in both the train and the test ratings, the first (user '1', item '");
    }

    @Test
    void aBadFirstLineIsNotTakenForAHeader() throws IOException {
        for (String first : new String[] {"1,1,NaN", "1,1,five", "7,42,"}) {
            Path f = dir.resolve("bad-first.csv");
            Files.writeString(f, first + "\n1,2,3\n2,1,4\n");
            CliRun r = CliRun.of("data", "info", "--data", f.toString());
            assertOneLineError(r, "bad-first.csv:1:");
        }
        CliRun r = CliRun.of("data", "info", "--data", ratings.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("header detected: 'user,item,rating'"), r.err());
    }

    @Test
    void undefinedMetricThresholdsAreRefused() {
        assertOneLineError(CliRun.of("eval", "--data", ratings.toString(), "--algo", "mean", "--classify", "99", "-q"),
                "classify threshold 99.0");
        assertOneLineError(CliRun.of("eval", "--data", ratings.toString(), "--algo", "mean", "--topn", "5",
                "--relevance", "NaN", "-q"), "finite");
        assertOneLineError(CliRun.of("eval", "--data", ratings.toString(), "--algo", "mean", "--topn", "5",
                "--relevance", "5", "-q"), "leaves no relevant rating");
    }

    // ---- limits: checked before the data is read ----

    @Test
    void threadsAreCappedAndOptionsCheckedBeforeReading() {
        String missing = dir.resolve("absent.csv").toString();
        assertOneLineError(CliRun.of("eval", "--data", missing, "--algo", "mean", "--threads", "5000"),
                "--threads must be within 1..");
        assertOneLineError(CliRun.of("eval", "--data", missing, "--algo", "mean", "--protocol", "holdout:7"),
                "holdout");
        assertOneLineError(CliRun.of("eval", "--data", missing, "--algo", "mean", "--topn", "0"), "top-N");
        assertOneLineError(CliRun.of("train", "--data", missing, "--algo", "mean", "--threads", "5000", "--save",
                dir.resolve("t.varec").toString()), "--threads must be within 1..");
    }

    @Test
    void controlCharactersFromInputAreEscaped() throws IOException {
        Path f = dir.resolve("esc.csv");
        Files.writeString(f, "1,2,3\n1,2,\u001b[31mred\n");
        CliRun r = CliRun.of("data", "info", "--data", f.toString());
        assertOneLineError(r, "\\x1b[31mred");
        assertFalse(r.err().contains("\u001b"), r.err());
    }

    // ---- out of memory, line guard, messages (issue 10, second part) ----

    /**
     * Too small a heap: {@code VAREC_JAVA_OPTS=-Xmx16m varec data info} on a million ratings runs
     * out of memory on the main thread, where picocli lets an Error through; a child JVM (the
     * heap is per process) must print one line naming the heap and the fix, exit 2.
     */
    @Test
    void outOfMemoryIsOneLineNamingTheFix() throws Exception {
        Path big = dir.resolve("big.csv");
        try (var w = Files.newBufferedWriter(big)) {
            SplittableRandom rnd = new SplittableRandom(5);
            for (int k = 0; k < 1_000_000; k++) {
                w.write((1 + rnd.nextInt(50_000)) + "," + (1 + rnd.nextInt(5_000)) + "," + (1 + rnd.nextInt(5)) + "\n");
            }
        }
        Path jvm = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(jvm.toString(), "-Xmx16m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), VarecCommand.class.getName(), "data", "info", "--data",
                big.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        String[] lines = err.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("varec: error: out of memory"), err);
        assertTrue(last.contains("heap of 16 MB") && last.contains("VAREC_JAVA_OPTS=-Xmx1g"), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), err);
    }

    @Test
    void predictPairsHasTheReadersLineGuardAndRefusesBinaryFiles() throws IOException {
        Path model = dir.resolve("pairs.varec");
        assertEquals(0, CliRun.of("train", "--data", ratings.toString(), "--algo", "biases", "--save", model.toString(),
                "-q").exit());
        Path huge = dir.resolve("oneline.txt");
        Files.write(huge, "1 ".repeat(2_000_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertOneLineError(CliRun.of("predict", "--model", model.toString(), "--pairs", huge.toString()),
                "oneline.txt:1: line longer than 65536 bytes");
        Path binary = dir.resolve("binary.bin");
        byte[] bytes = new byte[3000];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(binary, bytes);
        assertOneLineError(CliRun.of("predict", "--model", model.toString(), "--pairs", binary.toString()),
                "binary.bin:1: not UTF-8 text (a binary file?)");
        Path pairs = dir.resolve("pairs.txt");
        Files.writeString(pairs, "# user item\n1 1\r\n2,3\n");
        CliRun ok = CliRun.of("predict", "--model", model.toString(), "--pairs", pairs.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(2, ok.out().strip().split("\n").length, ok.out());
    }

    /** The guard holds for a long line that fits the read buffer too (it was checked only across refills). */
    @Test
    void aLineLongerThanTheGuardIsRefusedInEveryReader() throws IOException {
        Path f = dir.resolve("longline.csv");
        Files.writeString(f, "u".repeat(70_000) + ",1,3\n1,1,3\n");
        assertOneLineError(CliRun.of("data", "info", "--data", f.toString()), "longline.csv:1: line longer than");
        Path features = dir.resolve("longfeatures.csv");
        Files.writeString(features, "item,genre\n1," + "g".repeat(70_000) + "\n");
        assertOneLineError(CliRun.of("train", "--data", ratings.toString(), "--algo", "als-features",
                "--item-features", features.toString(), "--save", dir.resolve("lf.varec").toString(), "-q"),
                "longfeatures.csv:2: line longer than");
    }

    @Test
    void idsTooLongForTheModelFileAreRefusedWhenRead() throws IOException {
        // 12,000 emoji: 48,000 bytes of UTF-8 (within the line guard), 72,000 in a model file
        Path f = dir.resolve("longid.csv");
        Files.writeString(f, "\uD83D\uDE00".repeat(12_000) + ",1,3\n1,1,3\n");
        Path model = dir.resolve("longid.varec");
        CliRun r = CliRun.of("train", "--data", f.toString(), "--algo", "mean", "--save", model.toString());
        assertOneLineError(r, "longid.csv:1: id '");
        assertTrue(r.err().contains("is too long: 72000 bytes in a model file, at most 65535"), r.err());
        assertFalse(r.err().contains("epoch"), "refused when read, before training: " + r.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void emptyDelimiterIsRefused() {
        assertOneLineError(CliRun.of("data", "info", "--data", ratings.toString(), "--delimiter="),
                "the delimiter is empty");
    }

    @Test
    void damagedGzipFilesAreNamed() throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(ratings));
        }
        Path truncated = dir.resolve("truncated.csv.gz");
        Files.write(truncated, java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2));
        assertOneLineError(CliRun.of("data", "info", "--data", truncated.toString()),
                "truncated.csv.gz:");
        assertTrue(CliRun.of("data", "info", "--data", truncated.toString()).err().contains("damaged or truncated gzip"));
        Path plain = dir.resolve("plain.csv.gz");
        Files.copy(ratings, plain);
        assertOneLineError(CliRun.of("data", "info", "--data", plain.toString()), "plain.csv.gz: not a gzip file");
        Path whole = dir.resolve("whole.csv.gz");
        Files.write(whole, gz.toByteArray());
        assertEquals(0, CliRun.of("data", "info", "--data", whole.toString(), "-q").exit());
    }

    @Test
    void aFileWithoutRatingsSaysWhy() throws IOException {
        Path one = dir.resolve("oneheader.csv");
        Files.writeString(one, "a b c\n");
        assertOneLineError(CliRun.of("data", "info", "--data", one.toString()),
                "oneheader.csv: no ratings: its only data line, 'a b c', was taken for a header");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        assertOneLineError(CliRun.of("data", "info", "--data", empty.toString()), "no ratings: the file is empty");
        Path comments = dir.resolve("comments.csv");
        Files.writeString(comments, "# nothing\n\n");
        assertOneLineError(CliRun.of("data", "info", "--data", comments.toString()), "only blank or comment lines");
    }

    @Test
    void libFmFeatureIdTooLargeSaysSo() throws IOException {
        Path f = dir.resolve("big-id.libfm");
        Files.writeString(f, "3 0:1 2000000000:1\n4 1:1 5:1\n");
        assertOneLineError(CliRun.of("eval", "--format", "libfm", "--train", f.toString(), "--test", f.toString(),
                "--algo", "fm-als", "-q"), "big-id.libfm:1: feature id 2000000000 is too large");
    }

    @Test
    void featureFilesWithoutKnownRowsAreRefused() throws IOException {
        Path headerOnly = dir.resolve("header-only.csv");
        Files.writeString(headerOnly, "item,genre\n");
        assertOneLineError(CliRun.of("data", "info", "--data", ratings.toString(), "--item-features",
                headerOnly.toString(), "-q"), "header-only.csv: has a header but no rows");
        Path unknown = dir.resolve("unknown-ids.csv");
        Files.writeString(unknown, "item,genre\n999,a\n998,b\n");
        assertOneLineError(CliRun.of("data", "info", "--data", ratings.toString(), "--item-features",
                unknown.toString(), "-q"), "unknown-ids.csv: none of its 2 ids is in the data");
    }

    @Test
    void patienceWithoutValidationDataIsRefused() {
        assertOneLineError(CliRun.of("eval", "--data", ratings.toString(), "--algo", "biasmf", "--patience", "3", "-q"),
                "needs validation ratings");
        assertOneLineError(CliRun.of("train", "--data", ratings.toString(), "--algo", "biasmf", "--patience", "3",
                "--save", dir.resolve("p.varec").toString(), "-q"), "needs --validation-share");
    }

    // ---- warnings ----

    @Test
    void minRatingsLeavingNoItemIsAnError() {
        Path model = dir.resolve("als-min.varec");
        assertEquals(0, CliRun.of("train", "--data", ratings.toString(), "--algo", "als", "--set", "iterations=2",
                "--save", model.toString(), "-q").exit());
        assertOneLineError(CliRun.of("items", "--model", model.toString(), "--polarizing", "--min-ratings", "100000"),
                "no item has >= 100000 training ratings (the most rated has ");
    }

    /** A split whose test ratings are all one class leaves AUC and MAP undefined: a warning says so. */
    @Test
    void aMetricUndefinedOnASplitPrintsAWarning() throws IOException {
        Path test = dir.resolve("all-fives.csv");
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 10; u++) {
            sb.append(u).append(",31,5\n");
        }
        Files.writeString(test, sb.toString());
        CliRun r = CliRun.of("eval", "--train", ratings.toString(), "--test", test.toString(), "--algo", "mean",
                "--classify", "4", "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("varec: warning: auc is undefined on split 1/1"), r.err());
        assertTrue(r.err().contains("its test ratings are all in one class"), r.err());
    }

    /** The bar moves within an epoch: by the share of rows done once an epoch has shown how many it takes. */
    @Test
    void theProgressBarMovesWithinALongEpoch() {
        var sink = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true);
        ConsoleTrainingListener l = new ConsoleTrainingListener(sink, false, "", true);
        l.onStart("als", 3);
        l.onEpochProgress(1, 400, 0);
        assertEquals(0, l.bar.getCurrent());
        assertTrue(l.bar.getExtraMessage().contains("epoch 1: 400 rows solved"), l.bar.getExtraMessage());
        l.onEpoch(org.varec.train.EpochReport.builder(1).build(60));
        assertEquals(ConsoleTrainingListener.STEPS, l.bar.getCurrent());
        l.onEpochProgress(2, 500, 1000);
        assertEquals(ConsoleTrainingListener.STEPS * 3 / 2, l.bar.getCurrent());
        l.onEnd(2, false);
    }
}
