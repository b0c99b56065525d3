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
