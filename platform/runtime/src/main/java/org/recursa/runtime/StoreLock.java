package org.recursa.runtime;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.recursa.runstore.ProcessLock;

/**
 * Serialises changes to one plugin store across processes: the {@link ProcessLock} on
 * {@code plugins/installed.json.lock}, held around every read-modify-write of the journal (and the copy or
 * delete of the jar that goes with it). Several {@code recursa} commands may run at once; without it each
 * writes back the journal it read at start, and the last one wins.
 */
final class StoreLock {

    static final String FILE = PluginJournal.FILE + ".lock";

    private StoreLock() {
    }

    /**
     * Runs {@code action} holding the lock of the store in {@code dir}; blocks until it is free. A thread that
     * already holds it (a nested call) just runs {@code action}.
     */
    static <T> T holding(Path dir, Supplier<T> action) {
        Path file = dir.resolve(FILE);
        try {
            return ProcessLock.holding(file, action);
        } catch (UncheckedIOException e) {
            throw new RecursaException("cannot lock " + file + " to change the installed plugins: "
                    + e.getCause().getMessage(), e);
        }
    }
}
