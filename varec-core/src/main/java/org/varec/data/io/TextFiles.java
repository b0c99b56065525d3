package org.varec.data.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small text files (catalogs, user tables): whole-file reads with encoding detection, CSV fields. */
final class TextFiles {
    private TextFiles() {
    }

    /**
     * The lines of a small file (line {@code k} is at index {@code k - 1}; {@code \r} dropped).
     * Decoded as UTF-8 when the bytes are valid UTF-8, else as ISO-8859-1: MovieLens 100K and 1M
     * catalogs are Latin-1, later ones UTF-8.
     */
    static List<String> lines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, "file not found");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String> out = new ArrayList<>(text.split("\n", -1).length);
        for (String line : text.split("\n", -1)) {
            out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Splits on a literal separator, keeping empty fields. */
    static String[] split(String line, String separator) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = line.indexOf(separator, from)) >= 0) {
            out.add(line.substring(from, at));
            from = at + separator.length();
        }
        out.add(line.substring(from));
        return out.toArray(new String[0]);
    }

    /**
     * Splits one CSV record (RFC 4180 quoting: {@code "a, b"} and {@code ""} for a quote).
     *
     * @throws IllegalArgumentException on an unterminated quote
     */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        out.add(field.toString());
        return out;
    }
}
