package org.varec.util;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files for atomic writes (write the temp file, then rename it over the target). Unlike
 * {@link Files#createTempFile}, whose owner-only permissions would stay on the final file, the
 * temp file is created with the process's default permissions (umask), so a saved model or data
 * file is as readable as any other file the user writes.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Creates and returns a new empty hidden file beside {@code target}, e.g. {@code .model.varec.1a2b.tmp}. */
    public static Path newTempSibling(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }
}
