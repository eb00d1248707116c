package org.recursa.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises changes to one plugin store across processes: an OS file lock on
 * {@code plugins/installed.json.lock}, held around every read-modify-write of the journal (and the copy or
 * delete of the jar that goes with it). Several {@code recursa} commands may run at once; without it each
 * writes back the journal it read at start, and the last one wins.
 *
 * <p>File locks belong to the whole JVM (a second {@code lock()} in the same JVM throws), so threads of one
 * process first queue on a {@link ReentrantLock} per lock file. The lock file is never deleted: deleting it
 * would let two processes lock two different files of the same name.
 */
final class StoreLock {

    static final String FILE = PluginJournal.FILE + ".lock";

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private StoreLock() {
    }

    /**
     * Runs {@code action} holding the lock of the store in {@code dir}; blocks until it is free. A thread that
     * already holds it (a nested call) just runs {@code action}.
     */
    static <T> T holding(Path dir, Supplier<T> action) {
        Path file = dir.toAbsolutePath().normalize().resolve(FILE);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.get();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return action.get();
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw new RecursaException("cannot lock " + file + " to change the installed plugins: "
                        + e.getMessage(), e);
            }
        } finally {
            local.unlock();
        }
    }
}
