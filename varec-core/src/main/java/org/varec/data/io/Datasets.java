package org.varec.data.io;

import java.io.IOException;
import java.nio.file.Path;
import org.varec.data.Dataset;

/**
 * Entry point for reading rating datasets. STUB: to be implemented (see issue 2).
 */
public final class Datasets {
    private Datasets() {
    }

    public static Dataset read(Path path, ReadOptions options) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Dataset read(Path path) throws IOException {
        return read(path, ReadOptions.defaults());
    }
}
