package org.recursa.runstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An exclusive lock shared by threads and processes: an OS file lock on a lock file, for the read-modify-write of
 * state several {@code recursa} processes change at once (the plugin store, the catalog settings, a repository).
 *
 * <p>File locks belong to the whole JVM (a second {@code lock()} in the same JVM throws), so threads of one process
 * first queue on a {@link ReentrantLock} per lock file; a thread that already holds it (a nested call) just runs the
 * action. The lock file is never deleted: deleting it would let two processes lock two different files of the same
 * name.
 */
public final class ProcessLock {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private ProcessLock() {
    }

    /**
     * Runs {@code action} holding the lock on {@code file} (created if missing; its directory must exist); blocks
     * until it is free.
     *
     * @throws UncheckedIOException if the lock file cannot be opened or locked (the action has not run)
     */
    public static <T> T holding(Path file, Supplier<T> action) {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, f -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.get();
            }
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + key + ": " + e.getMessage(), e);
            }
        } finally {
            local.unlock();
        }
    }
}
