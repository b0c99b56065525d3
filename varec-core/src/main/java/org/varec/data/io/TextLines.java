package org.varec.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The lines of a UTF-8 text file as strings, for readers outside this package (pair lists,
 * predefined folds) that must not read a line of any length: it goes through the same guard as
 * every data reader ({@link LineSource}: lines of at most {@value LineSource#MAX_LINE} bytes,
 * {@code .gz} decompressed, a missing file or a directory refused), and a line that is not UTF-8
 * text or holds a NUL byte is a {@link DataFormatException} naming file and line ("a binary
 * file?") instead of a decoder's "Input length = 1".
 */
public final class TextLines implements Closeable {
    private final LineSource src;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private TextLines(LineSource src) {
        this.src = src;
    }

    public static TextLines open(Path file) throws IOException {
        return new TextLines(LineSource.open(file));
    }

    /** The next line ({@code \r\n} or {@code \n} dropped), or null at the end of the file. */
    public String next() throws IOException {
        if (!src.next()) {
            return null;
        }
        byte[] b = src.bytes();
        for (int i = src.start(); i < src.end(); i++) {
            if (b[i] == 0) {
                throw notText();
            }
        }
        try {
            return utf8.decode(ByteBuffer.wrap(b, src.start(), src.end() - src.start())).toString();
        } catch (CharacterCodingException e) {
            throw notText();
        }
    }

    private DataFormatException notText() {
        return new DataFormatException(src.file(), src.lineNumber(), "not UTF-8 text (a binary file?)");
    }

    /** 1-based number of the line last returned. */
    public long lineNumber() {
        return src.lineNumber();
    }

    @Override
    public void close() throws IOException {
        src.close();
    }
}
