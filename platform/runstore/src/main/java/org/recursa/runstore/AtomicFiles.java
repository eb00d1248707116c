package org.recursa.runstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers see the old content or the new, never a half-written file: write to a
 * temporary file beside the target, then rename it into place. The target's directory must exist: a writer whose
 * directory was removed (a deleted run) fails instead of silently recreating it.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) {
        Path temp = tempBeside(target);
        try {
            Files.write(temp, bytes);
            move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Copies {@code source} to {@code target}, replacing it. */
    public static void copy(Path source, Path target) {
        Path temp = tempBeside(target);
        try {
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file if it exists, ignoring failures (for clean-up paths only). */
    public static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // clean-up is best effort; the caller is already reporting the real problem
        }
    }

    private static Path tempBeside(Path target) {
        try {
            return Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file beside " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
