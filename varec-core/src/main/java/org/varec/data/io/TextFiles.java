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
        // line by line through the readers' guard (no line longer than LineSource.MAX_LINE, .gz
        // decompressed), decoded once the whole file is known to be valid UTF-8 or not
        List<byte[]> raw = new ArrayList<>();
        boolean utf8 = true;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (LineSource src = LineSource.open(file)) {
            while (src.next()) {
                byte[] line = java.util.Arrays.copyOfRange(src.bytes(), src.start(), src.end());
                if (utf8) {
                    try {
                        decoder.decode(ByteBuffer.wrap(line));
                    } catch (CharacterCodingException e) {
                        utf8 = false;
                    }
                }
                raw.add(line);
            }
        }
        List<String> out = new ArrayList<>(raw.size());
        for (byte[] line : raw) {
            out.add(new String(line, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        }
        if (!out.isEmpty() && !out.get(0).isEmpty() && out.get(0).charAt(0) == '\uFEFF') {
            out.set(0, out.get(0).substring(1));
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
