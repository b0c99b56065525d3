package org.varec.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a text file line by line as bytes, without creating a String per line: readers parse
 * fields straight out of {@link #bytes()} between {@link #start()} and {@link #end()}. Tens of
 * millions of MovieLens lines go through here, so it is one reused buffer and index arithmetic.
 *
 * <p>Line ends are {@code \n} or {@code \r\n}; a UTF-8 byte-order mark at the start is dropped;
 * files ending in {@code .gz} are decompressed. A line longer than {@link #MAX_LINE} bytes is an
 * error (a binary or garbage file fails fast instead of filling the heap).
 */
final class LineSource implements Closeable {
    /** Longest line accepted, in bytes. */
    static final int MAX_LINE = 1 << 16;

    private final Path file;
    private final InputStream in;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private int start;
    private int end;

    private LineSource(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** Opens {@code file}; a missing file or a directory is a {@link DataFormatException}. */
    static LineSource open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFormatException(file, "file not found");
        }
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, "is a directory, expected a file");
        }
        InputStream raw = Files.newInputStream(file);
        String name = file.getFileName().toString();
        if (!name.endsWith(".gz")) {
            return new LineSource(file, raw);
        }
        try {
            return new LineSource(file, new GZIPInputStream(raw, 1 << 16));
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            raw.close();
            throw new DataFormatException(file, "not a gzip file (" + e.getMessage() + "); a name ending in .gz is "
                    + "read as gzip-compressed");
        }
    }

    Path file() {
        return file;
    }

    /** Advances to the next line; false at the end of the file. */
    boolean next() throws IOException {
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    if (i - pos > MAX_LINE) {
                        throw tooLong();
                    }
                    setLine(pos, i);
                    pos = i + 1;
                    return true;
                }
            }
            if (limit - pos > MAX_LINE) {
                throw tooLong();
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private DataFormatException tooLong() {
        return new DataFormatException(file, lineNumber + 1, "line longer than " + MAX_LINE
                + " bytes: this does not look like a text data file");
    }

    private void setLine(int from, int to) {
        lineNumber++;
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        if (lineNumber == 1 && to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
                && (buf[from + 2] & 0xff) == 0xBF) {
            from += 3;
        }
        start = from;
        end = to;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // a truncated or damaged .gz: name the file (GZIPInputStream's messages do not)
            throw new DataFormatException(file, lineNumber + 1, "damaged or truncated gzip data (" + e.getMessage() + ")");
        }
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** The buffer holding the current line (valid until the next call to {@link #next()}). */
    byte[] bytes() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }

    /** True when the current line is empty or only spaces and tabs. */
    boolean blank() {
        for (int i = start; i < end; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The current line as text (for error messages), shortened to {@code max} characters. */
    String text(int max) {
        int len = Math.min(end - start, max);
        String s = new String(buf, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        return end - start > max ? s + "..." : s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
