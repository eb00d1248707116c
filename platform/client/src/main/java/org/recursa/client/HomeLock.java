package org.recursa.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.recursa.repository.CatalogException;
import org.recursa.runstore.ProcessLock;

/**
 * Serialises the read-modify-write of the client's files in a home ({@code catalogs.json}, the trust state) across
 * threads and processes: the {@link ProcessLock} on {@code <home>/catalogs.lock}.
 */
final class HomeLock {

    static final String FILE = "catalogs.lock";

    private HomeLock() {
    }

    /** Runs {@code action} holding the lock of {@code home}; a nested call just runs it. */
    static <T> T holding(Path home, Supplier<T> action) {
        Path file = home.resolve(FILE);
        try {
            Files.createDirectories(home);
            return ProcessLock.holding(file, action);
        } catch (IOException | UncheckedIOException e) {
            throw new CatalogException("cannot lock " + file + " to change the catalog settings: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }
}
