package org.recursa.sweep;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is running a point: the process that runs a point holds an exclusive lock on {@code locks/<point>.lock} from
 * before its run is created until its process ends, and the operating system releases it when that process dies in
 * any way. So two processes never run one point at once, whichever sweep processes started them, and a point whose
 * lock is free is not being run by anyone.
 *
 * <p>The locks are POSIX record locks, as the run store's owner locks: closing any descriptor of the file releases
 * every lock the process holds on it, so a probe never opens a file this JVM holds ({@link #HELD}).
 */
public final class PointLock implements AutoCloseable {

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final Object PROBING = new Object();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private PointLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the point's lock if no other process holds it.
     *
     * @return the lock, held until {@link #close()} or the end of this process; empty when another process holds it
     * @throws SweepException when the lock file cannot be created
     */
    public static Optional<PointLock> tryHold(Sweep sweep, String key) {
        Path file = sweep.lock(key).toAbsolutePath().normalize();
        synchronized (PROBING) {
            if (HELD.contains(file)) {
                return Optional.empty();
            }
            try {
                Files.createDirectories(file.getParent());
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                HELD.add(file);
                return Optional.of(new PointLock(file, channel, lock));
            } catch (IOException e) {
                throw new SweepException("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether some process (this one included) holds the point's lock now. */
    public static boolean held(Sweep sweep, String key) {
        Path file = sweep.lock(key).toAbsolutePath().normalize();
        synchronized (PROBING) {
            if (HELD.contains(file)) {
                return true;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
                if (probe == null) {
                    return true;
                }
                probe.release();
                return false;
            } catch (NoSuchFileException e) {
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (IOException e) {
                throw new SweepException("cannot read the lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Releases the lock. The file stays: deleting it would let two processes lock two files of one name. */
    @Override
    public void close() {
        synchronized (PROBING) {
            HELD.remove(file);
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the descriptor anyway
            }
        }
    }
}
