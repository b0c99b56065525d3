package org.varec.data.io;

import java.nio.file.Path;

/**
 * A data file that cannot be read as declared. The message is always
 * {@code file:line: reason} (line omitted when the problem is not on one line), so a user can
 * open the file at the right place.
 */
public class DataFormatException extends RuntimeException {
    private final transient Path file;
    private final long line;
    private final String reason;

    public DataFormatException(Path file, long line, String reason) {
        super(format(file, line, reason));
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public DataFormatException(Path file, String reason) {
        this(file, 0, reason);
    }

    static String format(Path file, long line, String reason) {
        String f = file == null ? "<input>" : file.toString();
        return line > 0 ? f + ":" + line + ": " + reason : f + ": " + reason;
    }

    /** The file, or null when reading from a stream without a name. */
    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when not tied to a line. */
    public long line() {
        return line;
    }

    /** The reason alone, without file and line. */
    public String reason() {
        return reason;
    }
}
