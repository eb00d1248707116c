package org.recursa.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.recursa.runstore.ProcessLock;

/**
 * The one writer lock of a repository directory, across threads and processes: a publishing server, a second server
 * on the same directory and {@code recursa catalog sign} each change the repository only while holding it, so none
 * loses another's change.
 *
 * <p>The lock file is a sibling of the repository, {@code .<directory name>.lock} next to it, not a file inside it:
 * a mirror is a copy of the repository directory and must not carry it, and the directory holds only what the
 * format names (the server serves nothing else anyway). It is a {@link ProcessLock}: threads of one process queue
 * in the JVM first, and the empty file stays after use.
 */
public final class RepositoryLock {

    private RepositoryLock() {
    }

    /** The lock file of the repository directory {@code root}. */
    public static Path file(Path root) {
        Path real = real(root);
        Path parent = real.getParent();
        if (parent == null) {
            throw new CatalogException(root + ": a repository cannot be a file system root (its lock file is a "
                    + "sibling)");
        }
        return parent.resolve("." + real.getFileName() + ".lock");
    }

    /** Runs {@code action} holding the repository's lock; waits for a holder in this or another process. */
    public static <T> T holding(Path root, Supplier<T> action) {
        Path file = file(root);
        try {
            return ProcessLock.holding(file, action);
        } catch (UncheckedIOException e) {
            throw new CatalogException("cannot lock the repository " + root + " with " + file + ": "
                    + e.getCause().getMessage(), e);
        }
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new CatalogException(root + ": no such repository directory", e);
        }
    }
}
