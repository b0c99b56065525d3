package org.varec.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable, append-only log of {@code POST /v1/feedback}: one line {@code model TAB user TAB
 * item TAB rating} per accepted rating, written and fsync'ed before the request is acknowledged, so
 * that a crash (kill -9 included) loses nothing that was answered with 200. Read back in full at
 * start ({@link #replay}); a torn last line (a crash in the middle of a write) is ignored, since it
 * was never acknowledged. Ids may not contain tabs or line breaks (refused at the endpoint).
 */
final class FeedbackLog implements AutoCloseable {
    /** One logged rating. */
    record Entry(String model, String user, String item, float rating) {
    }

    private final Path file;
    private final FileChannel channel;

    FeedbackLog(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    Path file() {
        return file;
    }

    /** Every complete line of {@code file} (none when it does not exist). */
    static List<Entry> replay(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return out;
        }
        for (String line : text.substring(0, end).split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                continue;
            }
            try {
                out.add(new Entry(f[0], f[1], f[2], Float.parseFloat(f[3])));
            } catch (NumberFormatException e) {
                // a damaged line: skipped, as a torn write would be
            }
        }
        return out;
    }

    /** Appends and forces one entry to disk; returns only when it is durable. */
    synchronized void append(Entry e) throws IOException {
        String line = e.model() + "\t" + e.user() + "\t" + e.item() + "\t" + e.rating() + "\n";
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
