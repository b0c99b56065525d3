package org.varec.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared MovieLens copies for tests that need real data: {@code -Dvarec.data=DIR}
 * (bin/test passes {@code $VAREC_DATA}, default {@code ../shared/data} beside the repository).
 * Tests call {@link #require} and are skipped with a clear message when the data is absent.
 */
public final class TestData {
    private TestData() {
    }

    /** The data root, or null when not configured. */
    public static Path root() {
        String base = System.getProperty("varec.data");
        if (base == null || base.isBlank() || base.startsWith("${")) { // unset, or an unresolved Maven property
            base = System.getenv("VAREC_DATA");
        }
        if (base == null || base.isBlank()) {
            Path beside = Path.of("..", "..", "shared", "data");
            return Files.isDirectory(beside) ? beside.toAbsolutePath().normalize() : null;
        }
        return Path.of(base);
    }

    /** {@code ROOT/name}, skipping the calling test when it does not hold {@code marker}. */
    public static Path require(String name, String marker) {
        Path root = root();
        Path dir = root == null ? Path.of("<VAREC_DATA unset>", name) : root.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve(marker)),
                "MovieLens data not found: " + dir.resolve(marker) + " is missing (set VAREC_DATA or -Dvarec.data to a"
                        + " directory holding " + name + "/); skipping");
        return dir;
    }
}
