package org.varec.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every file varec writes goes through here: the bytes go to a hidden temp file beside the target,
 * which is forced to disk and renamed over the target, so a reader never sees a half-written file
 * and a failed or killed write leaves the old file as it was. On top of the rename:
 * <ul>
 *   <li>a symbolic link is written through (its final target is replaced, the link stays);</li>
 *   <li>an existing target that is not a regular file (directory, device, FIFO) is refused, since
 *       renaming over it would destroy it;</li>
 *   <li>an existing file keeps its permissions (a {@code chmod 600} model stays private); a new
 *       file gets the process's default permissions (umask), not {@link Files#createTempFile}'s
 *       owner-only ones;</li>
 *   <li>temp siblings left by a killed writer are removed: a writer holds a lock on its temp file
 *       while writing, and a lock that can be taken belongs to a dead process;</li>
 *   <li>every error names the target, never the temp file.</li>
 * </ul>
 */
public final class AtomicFiles {
    /** Temp files younger than this are left alone even when unlocked (they may be about to be locked). */
    private static final long STALE_MILLIS = 5_000;

    private AtomicFiles() {
    }

    /** Writes the bytes of one file. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically with the bytes {@code body} writes (buffered; the stream
     * must not be closed by the body).
     */
    public static void write(Path target, Body body) throws IOException {
        Path file = resolve(target);
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure(target, e);
        }
        removeStaleTemps(file);
        Path tmp;
        try {
            tmp = newTempSibling(file);
        } catch (IOException e) {
            throw failure(target, e);
        }
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                try (FileLock lock = ch.tryLock()) { // null where locks are unsupported: write anyway
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                    body.write(out);
                    out.flush();
                    ch.force(true);
                }
            }
            keepPermissions(file, tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Checks, before any long work, that {@link #write} to {@code target} can succeed as far as can
     * be known now: the target is not a directory or device, its directory exists or can be
     * created, and a file can be created there. Errors name the target.
     */
    public static void checkWritable(Path target) throws IOException {
        Path file = resolve(target);
        try {
            Files.createDirectories(file.getParent());
            Files.delete(newTempSibling(file));
        } catch (IOException e) {
            throw failure(target, e);
        }
        if (Files.exists(file) && !Files.isWritable(file) && !Files.isWritable(file.getParent())) {
            throw new IOException("cannot write " + target + ": permission denied");
        }
    }

    /**
     * The file a write to {@code target} replaces: {@code target} itself, or the final target of a
     * chain of symbolic links (which may not exist yet). Refuses anything that is not a regular file.
     */
    public static Path resolve(Path target) throws IOException {
        Path p = target.toAbsolutePath().normalize();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops > 40) {
                throw new IOException("cannot write " + target + ": too many levels of symbolic links");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).toAbsolutePath().normalize();
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            String what = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "a directory" : "not a regular file";
            throw new IOException("refusing to write " + target + (p.equals(target.toAbsolutePath().normalize())
                    ? "" : " (-> " + p + ")") + ": it is " + what + " and would be replaced");
        }
        if (p.getParent() == null) {
            throw new IOException("cannot write " + target + ": not a file path");
        }
        return p;
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

    /**
     * Deletes temp siblings of {@code file} ({@code .NAME.HEX.tmp}) whose writer is gone: older than
     * a few seconds and not locked. A process killed while saving leaves one; nothing else would
     * ever remove it.
     */
    static void removeStaleTemps(Path file) {
        Pattern name = Pattern.compile(Pattern.quote("." + file.getFileName() + ".") + "[0-9a-f]{1,16}\\.tmp");
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent(),
                p -> name.matcher(p.getFileName().toString()).matches())) {
            for (Path p : ds) {
                try {
                    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            || now - Files.getLastModifiedTime(p).toMillis() < STALE_MILLIS) {
                        continue;
                    }
                    boolean free;
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
                         FileLock lock = ch.tryLock()) {
                        free = lock != null;
                    } catch (OverlappingFileLockException e) {
                        free = false; // this process is writing it
                    }
                    if (free) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // not ours to remove (permissions) or already gone: leave it
                }
            }
        } catch (IOException e) {
            // an unreadable directory fails the write itself with a clear message
        }
    }

    private static void keepPermissions(Path file, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null || !Files.exists(file)) {
            return;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** An IOException whose one-line message names the target and the reason (never the temp file). */
    private static IOException failure(Path target, IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("cannot write " + target)) {
            return e;
        }
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such directory";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new IOException("cannot write " + target + ": " + reason, e);
    }
}
