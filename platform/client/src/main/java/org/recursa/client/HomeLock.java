package org.recursa.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.recursa.repository.CatalogException;

/**
 * Serialises the read-modify-write of the client's files in a home ({@code catalogs.json}, the trust state) across
 * processes: an OS file lock on {@code <home>/catalogs.lock}. File locks belong to the whole JVM, so threads of one
 * process first queue on a {@link ReentrantLock} per lock file. The lock file is never deleted (two processes could
 * otherwise lock two different files of the same name).
 */
final class HomeLock {

    static final String FILE = "catalogs.lock";

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private HomeLock() {
    }

    /** Runs {@code action} holding the lock of {@code home}; a nested call just runs it. */
    static <T> T holding(Path home, Supplier<T> action) {
        Path file = home.toAbsolutePath().normalize().resolve(FILE);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.get();
            }
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return action.get();
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new CatalogException("cannot lock " + file + " to change the catalog settings: " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }
}
