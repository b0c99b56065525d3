package org.varec.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnownDatasetsTest {

    @Test
    void theGroupLensDatasets() {
        assertEquals(List.of("ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-latest-small", "ml-latest"),
                KnownDatasets.names());
        for (KnownDataset d : KnownDatasets.all()) {
            assertEquals(d.name() + ".zip", d.zipName());
            assertEquals(URI.create("https://files.grouplens.org/datasets/movielens/" + d.name() + ".zip"),
                    d.url(DatasetFetcher.GROUPLENS));
            assertEquals(Checksum.SHA_256, d.checksum().algorithm(), d.name());
            assertTrue(d.approxBytes() > 500_000, d.name());
            assertEquals(d.name().startsWith("ml-latest"), d.rolling(), d.name());
        }
        assertEquals("ml-10M100K", KnownDatasets.get("ml-10m").directory());
        assertEquals("ml-25m", KnownDatasets.get(" ML-25M ").directory());
        assertEquals("8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa",
                KnownDatasets.get("ml-25m").checksum().hex());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnownDatasets.get("ml-5m"));
        assertTrue(e.getMessage().contains("known datasets: ml-100k, ml-1m"), e.getMessage());
    }

    @Test
    void checksumsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Checksum.sha256("abc"));
        assertThrows(IllegalArgumentException.class, () -> Checksum.md5("zz".repeat(16)));
        assertThrows(IllegalArgumentException.class, () -> new Checksum("SHA-1", "00".repeat(20)));
        assertEquals("sha256:" + "ab".repeat(32), Checksum.sha256("AB".repeat(32)).toString());
    }

    @Test
    void dataDirPrecedence() {
        Map<String, String> env = Map.of("VAREC_DATA", "/srv/varec");
        assertEquals(Path.of("/opt/data"), DataDirs.resolve("/opt/data", env, "/home/ann"));
        assertEquals(Path.of("/srv/varec"), DataDirs.resolve(null, env, "/home/ann"));
        assertEquals(Path.of("/srv/varec"), DataDirs.resolve("  ", env, "/home/ann"));
        assertEquals(Path.of("/home/ann/.varec/data"), DataDirs.resolve(null, Map.of(), "/home/ann"));
        assertEquals(Path.of("/home/ann/.varec/data"), DataDirs.resolve(null, Map.of("VAREC_DATA", ""), "/home/ann"));
        assertEquals(Path.of("/home/ann/ml"), DataDirs.resolve("~/ml", env, "/home/ann"));
        assertEquals(Path.of("/home/ann/x"), DataDirs.resolve(null, Map.of("VAREC_DATA", "~/x"), "/home/ann"));
        assertEquals(Path.of("rel").toAbsolutePath(), DataDirs.resolve("rel", env, "/home/ann"));
    }
}
