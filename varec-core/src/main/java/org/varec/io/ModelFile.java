package org.varec.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.varec.data.IdIndex;
import org.varec.data.ItemCatalog;
import org.varec.data.RatingScale;
import org.varec.data.SeenItems;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.RatingModel;
import org.varec.model.TrainedModel;
import org.varec.util.AtomicFiles;

/**
 * The varec model file: a versioned, checksummed container written atomically.
 *
 * <pre>
 *   magic         8 bytes  "VARECMF" 0x1A
 *   format        int      {@value #FORMAT_VERSION}
 *   algorithm     UTF      registry name
 *   provenance    int length + UTF-8 JSON ({@link Provenance})
 *   users, items  int count + UTF per external id, in dense order
 *   scale         double min, double max
 *   catalog       boolean present; then per item: nullable UTF title, nullable UTF genres
 *   seen items    boolean present; then int[] offsets, int[] items (CSR of rated items per user)
 *   parameters    whatever {@link RatingModel#writeParameters} writes
 *   end mark      int 0x454E4421 ("END!")
 *   checksum      32 bytes SHA-256 of everything above
 * </pre>
 * Saving writes a temporary file beside the target, forces it to disk and renames it over the
 * target, so a failed save never leaves a half-written model. Loading first verifies the size and
 * checksum over the whole file, then parses; a truncated, corrupted or foreign file is refused with
 * a {@link ModelFileException} before any of it is used.
 */
public final class ModelFile {
    public static final int FORMAT_VERSION = 1;
    static final byte[] MAGIC = {'V', 'A', 'R', 'E', 'C', 'M', 'F', 0x1A};
    private static final int END_MARK = 0x454E4421;
    private static final int CHECKSUM_BYTES = 32;
    private static final int MAX_PROVENANCE_BYTES = 256 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ModelFile() {
    }

    /**
     * Writes {@code model} to {@code target} atomically through {@link AtomicFiles} (temp file,
     * fsync, rename; links written through, non-regular targets refused, an existing file's mode kept).
     */
    public static void save(TrainedModel model, Path target) throws IOException {
        AtomicFiles.write(target, raw -> {
            MessageDigest md = sha256();
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, md));
            try {
                writeBody(model, out);
            } catch (ModelIo.NonFiniteException e) {
                // a diverged model must never reach a file that predict and recommend would trust
                throw new IOException("cannot write " + target + ": the " + model.algorithm()
                        + " model has non-finite parameters (" + e.getMessage() + ")", e);
            }
            out.flush();
            raw.write(md.digest());
        });
    }

    private static void writeBody(TrainedModel m, DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(m.algorithm());
        byte[] prov = JSON.writeValueAsBytes(m.provenance());
        out.writeInt(prov.length);
        out.write(prov);
        writeIndex(out, m.users());
        writeIndex(out, m.items());
        out.writeDouble(m.scale().min());
        out.writeDouble(m.scale().max());
        ItemCatalog c = m.catalog();
        out.writeBoolean(c != null);
        if (c != null) {
            for (int i = 0; i < c.size(); i++) {
                writeNullable(out, c.title(i));
                writeNullable(out, c.genres(i));
            }
        }
        out.writeBoolean(m.seen() != null);
        if (m.seen() != null) {
            ModelIo.writeInts(out, m.seen().offsets());
            ModelIo.writeInts(out, m.seen().items());
        }
        ModelIo.CheckedOutput params = new ModelIo.CheckedOutput(out);
        m.model().writeParameters(params);
        params.flush();
        out.writeInt(END_MARK);
    }

    /** Reads and verifies a model file; nothing of a bad file is returned. */
    public static TrainedModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "no such model file");
        }
        long size = Files.size(file);
        if (size < MAGIC.length + 4 + CHECKSUM_BYTES) {
            throw new ModelFileException(file, "not a varec model file (only " + size + " bytes)");
        }
        byte[] head = new byte[MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, head.length);
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new ModelFileException(file, "not a varec model file (bad magic bytes)");
        }
        verifyChecksum(file, size);
        try (ModelIo.CheckedInput in = new ModelIo.CheckedInput(new BufferedInputStream(
                new BoundedInputStream(Files.newInputStream(file), size - CHECKSUM_BYTES), 1 << 16),
                size - CHECKSUM_BYTES)) {
            return readBody(file, in);
        } catch (EOFException e) {
            throw new ModelFileException(file, "truncated: the file ends before the model does");
        } catch (ModelIo.NonFiniteException e) {
            throw new ModelFileException(file, "refused: non-finite parameters (" + e.getMessage()
                    + "); the model was saved from a diverged training or the file was altered");
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFileException mfe) {
                throw mfe;
            }
            throw new ModelFileException(file, "corrupt model file: " + e.getMessage());
        }
    }

    private static TrainedModel readBody(Path file, ModelIo.CheckedInput in) throws IOException {
        in.readFully(new byte[MAGIC.length]);
        int format = in.readInt();
        if (format != FORMAT_VERSION) {
            throw new ModelFileException(file, "model file format " + format + " is not supported by varec "
                    + Version.get() + " (which reads format " + FORMAT_VERSION + ")");
        }
        String algorithm = in.readUTF();
        Algorithm<?, ?> algo;
        try {
            algo = Algorithms.get(algorithm);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "model of unknown algorithm '" + algorithm + "'");
        }
        int provLen = in.readInt();
        if (provLen < 0 || provLen > MAX_PROVENANCE_BYTES) {
            throw new ModelFileException(file, "corrupt provenance length " + provLen);
        }
        in.need(provLen);
        byte[] provBytes = new byte[provLen];
        in.readFully(provBytes);
        Provenance prov = JSON.readValue(new String(provBytes, StandardCharsets.UTF_8), Provenance.class);
        AlgorithmConfig config = algo.storedConfig(prov.config());
        IdIndex users = readIndex(in);
        IdIndex items = readIndex(in);
        RatingScale scale = new RatingScale(in.readDouble(), in.readDouble());
        ItemCatalog catalog = null;
        if (in.readBoolean()) {
            String[] titles = new String[items.size()];
            String[] genres = new String[items.size()];
            for (int i = 0; i < titles.length; i++) {
                titles[i] = readNullable(in);
                genres[i] = readNullable(in);
            }
            catalog = new ItemCatalog(titles, genres);
        }
        SeenItems seen = null;
        if (in.readBoolean()) {
            seen = new SeenItems(ModelIo.readInts(in), ModelIo.readInts(in));
            // checked here, not trusted: recommend indexes arrays with these
            if (seen.numUsers() != users.size()) {
                throw new ModelFileException(file, "corrupt model file: seen items for " + seen.numUsers()
                        + " users, the model has " + users.size());
            }
            for (int i : seen.items()) {
                if (i < 0 || i >= items.size()) {
                    throw new ModelFileException(file, "corrupt model file: seen item index " + i
                            + " outside 0.." + (items.size() - 1));
                }
            }
        }
        in.startParameters();
        RatingModel model = algo.read(in, config);
        if (in.readInt() != END_MARK) {
            throw new ModelFileException(file, "corrupt model file: parameters do not end where expected");
        }
        if (in.read() != -1) {
            throw new ModelFileException(file, "corrupt model file: trailing bytes after the parameters");
        }
        if (model.numUsers() != users.size() || model.numItems() != items.size()) {
            throw new ModelFileException(file, "corrupt model file: model size " + model.numUsers() + "x"
                    + model.numItems() + " does not match its id indices " + users.size() + "x" + items.size());
        }
        return new TrainedModel(model, config, users, items, scale, catalog, seen, prov);
    }

    private static void verifyChecksum(Path file, long size) throws IOException {
        MessageDigest md = sha256();
        byte[] stored = new byte[CHECKSUM_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            long left = size - CHECKSUM_BYTES;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new ModelFileException(file, "truncated while reading");
                }
                md.update(buf, 0, n);
                left -= n;
            }
            if (in.readNBytes(stored, 0, CHECKSUM_BYTES) != CHECKSUM_BYTES) {
                throw new ModelFileException(file, "truncated while reading the checksum");
            }
        }
        if (!MessageDigest.isEqual(stored, md.digest())) {
            throw new ModelFileException(file, "checksum mismatch: the file is truncated or corrupted");
        }
    }

    private static void writeIndex(DataOutputStream out, IdIndex index) throws IOException {
        out.writeInt(index.size());
        for (int i = 0; i < index.size(); i++) {
            out.writeUTF(index.externalId(i));
        }
    }

    private static IdIndex readIndex(ModelIo.CheckedInput in) throws IOException {
        int n = ModelIo.readLength(in);
        in.need(2L * n); // at least a length per id
        IdIndex index = new IdIndex();
        for (int i = 0; i < n; i++) {
            if (index.add(in.readUTF()) != i) {
                throw new IOException("duplicate id in stored index");
            }
        }
        return index;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s.length() > 20_000 ? s.substring(0, 20_000) : s);
        }
    }

    private static String readNullable(java.io.DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads at most {@code limit} bytes of the underlying stream (so the checksum is not parsed). */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Lists what {@link #load} checks, for documentation. */
    public static List<String> checks() {
        return List.of("magic bytes", "format version", "SHA-256 checksum over the whole file", "known algorithm",
                "array lengths within bounds", "end mark", "no trailing bytes", "model size matches its id indices");
    }
}
