package org.varec.io;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be used: missing, foreign, truncated, corrupted or from a newer format. */
public class ModelFileException extends IOException {
    private final transient Path file;

    public ModelFileException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
