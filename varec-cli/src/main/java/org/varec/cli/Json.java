package org.varec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** JSON output for scripts: snake_case field names, pretty-printed. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static void print(Object value) {
        try {
            System.out.println(MAPPER.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the mapper's serializers for {@code sample}'s classes on a background daemon thread,
     * by writing it to nowhere: Jackson introspects a record type the first time it writes one,
     * which cost an {@code eval --json} 0.08-0.09 s of wall time at its end (class loading and
     * reflection no start-up cache holds). Started before the data is read, that work overlaps the
     * reading; the real write then finds the serializers cached. Nothing is written and failures
     * are ignored (the real write reports its own).
     */
    static void prepare(Object sample) {
        Thread t = new Thread(() -> {
            try {
                MAPPER.writeValue(java.io.OutputStream.nullOutputStream(), sample);
            } catch (IOException | RuntimeException e) {
                // the real write will meet and report whatever this one met
            }
        }, "varec-json-prepare");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Writes JSON to a file (atomically), or to stdout when the path is "-". */
    static void write(Object value, String path) throws IOException {
        if ("-".equals(path)) {
            print(value);
            return;
        }
        org.varec.util.AtomicFiles.write(Path.of(path), out -> MAPPER.writer()
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value));
    }
}
