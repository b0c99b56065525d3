package org.varec.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.varec.data.io.FeedbackRatings.Entry;

/**
 * The durable, append-only log of {@code POST /v1/feedback}: one line {@code model TAB user TAB
 * item TAB rating} per accepted rating, written and fsync'ed before the request is acknowledged,
 * so that a crash (kill -9 included) loses nothing that was answered with 200. Read back in full
 * at start with {@link org.varec.data.io.FeedbackRatings#read}, which ignores a torn last line (a
 * crash in the middle of a write: never acknowledged). Ids may not contain tabs or line breaks
 * (refused at the endpoint).
 */
final class FeedbackLog implements AutoCloseable {
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
