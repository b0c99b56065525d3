package org.varec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Dataset;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.RatingModel;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.testing.Synthetic;
import org.varec.train.TrainingContext;

class ModelFileTest {
    @TempDir
    Path dir;

    static Stream<String> algorithms() {
        return Algorithms.names().stream();
    }

    private static TrainedModel trained(String algorithm) {
        Algorithm<?, ?> a = Algorithms.get(algorithm);
        Dataset d = a.networksOnly() ? org.varec.testing.PlantedNetwork.draw(3, 40, 3, 0.3, 0.05).dataset()
                : withGenres(Synthetic.biases(3, 40, 30, 0.3, 0.3).dataset());
        return Fitting.fit(a, a.defaultConfig(), d, d.ratings(), TrainingContext.of(9, 2));
    }

    /** Adds item genres (group "genre", item i has genre i % 3) for models that need side features. */
    private static Dataset withGenres(Dataset d) {
        org.varec.data.FeatureTable.Builder b = new org.varec.data.FeatureTable.Builder(d.numItems());
        for (int i = 0; i < d.numItems(); i++) {
            b.add(i, "genre", "G" + (i % 3));
        }
        return new Dataset(d.name(), d.format(), d.source(), d.users(), d.items(), d.ratings(), d.scale(), b.build(),
                d.userFeatures(), d.itemTitles(), d.report());
    }

    /** Every registered model saves, loads and predicts identically, with its provenance. */
    @ParameterizedTest
    @MethodSource("algorithms")
    void roundTripPredictsIdentically(String algorithm) throws IOException {
        TrainedModel m = trained(algorithm);
        Path f = dir.resolve(algorithm + ".varec");
        ModelFile.save(m, f);
        TrainedModel back = ModelFile.load(f);
        assertEquals(m.algorithm(), back.algorithm());
        assertEquals(m.config(), back.config());
        assertEquals(m.provenance(), back.provenance());
        assertEquals(m.users().ids(), back.users().ids());
        assertEquals(m.items().ids(), back.items().ids());
        assertArrayEquals(m.seen().items(), back.seen().items());
        for (int u = 0; u < m.users().size(); u++) {
            for (int i = 0; i < m.items().size(); i++) {
                assertEquals(m.model().predict(u, i), back.model().predict(u, i), 0.0);
            }
        }
        float[] values = Algorithms.get(algorithm).networksOnly() ? new float[] {1, 0} : new float[] {5, 1};
        UserState a = m.model().foldIn(new int[] {1, 2}, values);
        UserState b = back.model().foldIn(new int[] {1, 2}, values);
        assertEquals(m.model().predict(a, 4), back.model().predict(b, 4), 0.0);
        assertEquals(m.recommend("0", 5), back.recommend("0", 5));
        assertEquals(algorithm, back.provenance().algorithm());
        assertEquals(9, back.provenance().seed());
        assertEquals(Version.get(), back.provenance().varecVersion());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9, 40, 200, -40, -1})
    void corruptedByteIsRefused(int where) throws IOException {
        Path f = dir.resolve("m.varec");
        ModelFile.save(trained("biases"), f);
        byte[] bytes = Files.readAllBytes(f);
        int pos = where >= 0 ? where : bytes.length + where;
        bytes[pos] ^= 0x5A;
        Files.write(f, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("checksum") || e.getMessage().contains("magic"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 33, 100, 1000})
    void truncatedFileIsRefused(int cut) throws IOException {
        Path f = dir.resolve("m.varec");
        ModelFile.save(trained("biases"), f);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - cut)));
        assertThrows(ModelFileException.class, () -> ModelFile.load(f));
    }

    @Test
    void foreignAndMissingFilesAreRefused() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "this is not a model file at all, just some text that is long enough");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("not a varec model file"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> ModelFile.load(dir.resolve("absent.varec")));
        assertTrue(e.getMessage().contains("no such model file"), e.getMessage());
    }

    /** A save that fails half-way leaves the previous file as it was and no temporary file behind. */
    @Test
    void failedSaveLosesNothing() throws IOException {
        Path f = dir.resolve("m.varec");
        TrainedModel good = trained("biases");
        ModelFile.save(good, f);
        byte[] before = Files.readAllBytes(f);
        RatingModel failing = new FailingModel(good.model());
        TrainedModel bad = new TrainedModel(failing, good.config(), good.users(), good.items(), good.scale(),
                good.catalog(), good.seen(), good.provenance());
        assertThrows(IOException.class, () -> ModelFile.save(bad, f));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    /** The file's bytes with {@code edit} applied and the SHA-256 recomputed: what a tamperer would write. */
    private static void tamper(Path f, java.util.function.Consumer<java.nio.ByteBuffer> edit) throws Exception {
        byte[] bytes = Files.readAllBytes(f);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        edit.accept(b);
        byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(bytes,
                bytes.length - 32));
        System.arraycopy(sum, 0, bytes, bytes.length - 32, 32);
        Files.write(f, bytes);
    }

    /** Issue 10: a model with NaN parameters is never saved, and the target keeps what it had. */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void nonFiniteModelIsNotSaved() throws IOException {
        TrainedModel good = trained("biases");
        Path f = dir.resolve("m.varec");
        ModelFile.save(good, f);
        byte[] before = Files.readAllBytes(f);
        org.varec.model.baseline.BiasesModel m = (org.varec.model.baseline.BiasesModel) good.model();
        TrainedModel bad = new TrainedModel(new NanModel(m), good.config(), good.users(), good.items(), good.scale(),
                good.catalog(), good.seen(), good.provenance());
        IOException e = assertThrows(IOException.class, () -> ModelFile.save(bad, f));
        assertTrue(e.getMessage().startsWith("cannot write " + f + ": the biases model has non-finite parameters"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    /** Issue 10: a file with a valid checksum but NaN parameters (the checksum detects corruption, not tampering). */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void tamperedNanParametersAreRefused() throws Exception {
        Path f = dir.resolve("m.varec");
        ModelFile.save(trained("biases"), f);
        int items = trained("biases").items().size();
        // the last float of the item biases sits before the end mark and the checksum
        tamper(f, b -> b.putFloat(b.capacity() - 32 - 4 - 4, Float.NaN));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("non-finite parameters") && e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(items > 0);
    }

    /** Issue 10: a crafted array length is refused from what the file can hold, not by allocating until OOM. */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void tamperedHugeLengthIsRefusedWithoutAllocating() throws Exception {
        Path f = dir.resolve("m.varec");
        TrainedModel t = trained("biases");
        ModelFile.save(t, f);
        int lengthAt = (int) Files.size(f) - 32 - 4 - 4 * t.items().size() - 4; // the item-bias array's length
        tamper(f, b -> {
            assertEquals(t.items().size(), b.getInt(lengthAt));
            b.putInt(lengthAt, Integer.MAX_VALUE - 8);
        });
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("corrupt array length"), e.getMessage());
    }

    /** Issue 10: seen-item indices outside the item range are refused on load. */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void outOfRangeSeenItemsAreRefused() throws Exception {
        Path f = dir.resolve("m.varec");
        TrainedModel t = trained("biases");
        assertTrue(t.seen() != null);
        TrainedModel bad = new TrainedModel(t.model(), t.config(), t.users(), t.items(), t.scale(), t.catalog(),
                new org.varec.data.SeenItems(t.seen().offsets(), java.util.stream.IntStream.of(t.seen().items())
                        .map(i -> i + 1_000_000).toArray()), t.provenance());
        ModelFile.save(bad, f);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("seen item index"), e.getMessage());
    }

    /** The biases model with its global mean replaced by NaN. */
    private record NanModel(RatingModel inner) implements RatingModel {
        @Override
        public void writeParameters(DataOutput out) throws IOException {
            out.writeDouble(Double.NaN);
        }

        @Override
        public String algorithm() {
            return inner.algorithm();
        }

        @Override
        public int numUsers() {
            return inner.numUsers();
        }

        @Override
        public int numItems() {
            return inner.numItems();
        }

        @Override
        public double predict(int user, int item) {
            return Double.NaN;
        }

        @Override
        public UserState user(int user) {
            return inner.user(user);
        }

        @Override
        public UserState foldIn(int[] items, float[] ratings) {
            return inner.foldIn(items, ratings);
        }

        @Override
        public double predict(UserState user, int item) {
            return Double.NaN;
        }
    }

    /** Writes some parameters, then fails like a full disk would. */
    private record FailingModel(RatingModel inner) implements RatingModel {
        @Override
        public void writeParameters(DataOutput out) throws IOException {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }

        @Override
        public String algorithm() {
            return inner.algorithm();
        }

        @Override
        public int numUsers() {
            return inner.numUsers();
        }

        @Override
        public int numItems() {
            return inner.numItems();
        }

        @Override
        public double predict(int user, int item) {
            return inner.predict(user, item);
        }

        @Override
        public UserState user(int user) {
            return inner.user(user);
        }

        @Override
        public UserState foldIn(int[] items, float[] ratings) {
            return inner.foldIn(items, ratings);
        }

        @Override
        public double predict(UserState user, int item) {
            return inner.predict(user, item);
        }
    }
}
