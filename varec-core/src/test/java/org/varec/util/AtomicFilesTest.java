package org.varec.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, data loss: what a save may and may not do to whatever is at its path. */
@Tag("reliability")
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static void write(Path p, String text) throws IOException {
        AtomicFiles.write(p, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesAndReplacesAtomically() throws IOException {
        Path f = dir.resolve("sub/a.txt");
        write(f, "one");
        write(f, "two");
        assertEquals("two", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    @Test
    void failedBodyLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("a.txt");
        write(f, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IllegalStateException("boom");
        }));
        assertEquals("old", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void writesThroughASymbolicLink() throws IOException {
        Path real = dir.resolve("real.txt");
        write(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("real.txt"));
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("new", Files.readString(real));
    }

    @Test
    void writesThroughADanglingLinkCreatingItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("later.txt"));
        write(link, "x");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("x", Files.readString(dir.resolve("later.txt")));
    }

    @Test
    void refusesDevicesAndDirectories() throws IOException {
        Path dev = Files.createSymbolicLink(dir.resolve("null.varec"), Path.of("/dev/null"));
        IOException e = assertThrows(IOException.class, () -> write(dev, "x"));
        assertTrue(e.getMessage().contains("not a regular file") && e.getMessage().contains("null.varec"), e.getMessage());
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
        Path sub = Files.createDirectory(dir.resolve("d"));
        e = assertThrows(IOException.class, () -> write(sub, "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertThrows(IOException.class, () -> AtomicFiles.checkWritable(sub));
    }

    @Test
    void keepsTheModeOfAnExistingFile() throws IOException {
        Path f = dir.resolve("private.varec");
        write(f, "a");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        write(f, "b");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void removesStaleTempSiblingsButNotFreshOnes() throws IOException {
        Path f = dir.resolve("m.varec");
        Path stale = Files.createFile(dir.resolve(".m.varec.1a2b3c.tmp")); // left by a kill -9
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path fresh = Files.createFile(dir.resolve(".m.varec.4d5e6f.tmp")); // another save just starting
        Path other = Files.createFile(dir.resolve(".other.varec.1a2b3c.tmp"));
        Files.setLastModifiedTime(other, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        write(f, "x");
        assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(fresh));
        assertTrue(Files.exists(other), "only the target's own temp siblings");
    }

    @Test
    void errorsNameTheTargetNotTheTempFile() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        Path under = dir.resolve("file/m.varec"); // a directory that is a file
        IOException e = assertThrows(IOException.class, () -> write(under, "x"));
        assertTrue(e.getMessage().startsWith("cannot write " + under), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(under));
        assertTrue(e.getMessage().startsWith("cannot write " + under), e.getMessage());
    }
}
