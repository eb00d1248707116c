package org.recursa.runstore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process that owns a running run. It holds an exclusive lock on {@code owner.lock} for as long as it lives;
 * the operating system releases the lock when the process dies in any way (SIGKILL, a JVM crash), so a reader that
 * can take the lock knows the owner is gone. {@code owner.json} says who the owner was, for the messages.
 */
final class RunOwner implements AutoCloseable {

    /** What a reader learns about a run's owner. */
    enum Liveness { ALIVE, GONE, UNTRACKED }

    /**
     * Who owns (or owned) a run.
     *
     * @param pid          process id
     * @param processStart when that process started (tells a reused pid apart)
     * @param host         host name
     * @param since        when it took the run
     */
    record Info(long pid, String processStart, String host, String since) {

        String describe() {
            return "process " + pid + " on " + host;
        }
    }

    /**
     * Room reserved in {@code owner.lock} at creation for the owner's last words: a failure reason written in place
     * needs no new disk block, so it can still be recorded when the disk is full.
     */
    static final int LAST_WORDS_BYTES = 1024;

    /**
     * The lock files this JVM owns, by file key. The locks are POSIX record locks, and closing any descriptor of a
     * file releases every such lock the process holds on it: a probe that opened and closed the lock file of a run
     * this JVM owns would silently give up its ownership, and other processes would read the live run as crashed.
     * So a probe looks here first and never opens a file this JVM holds.
     */
    private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();
    /**
     * Serialises probes within this JVM: Java file locks belong to the whole JVM, so two threads probing the same
     * file at once would see each other's probe lock as an owner.
     */
    private static final Object PROBING = new Object();

    private final FileChannel channel;
    private final FileLock lock;
    private final Object key;

    private RunOwner(FileChannel channel, FileLock lock, Object key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /** Takes ownership of a freshly created run directory and records who took it. */
    static RunOwner claim(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(RunFormat.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new RunStoreException(dir + ": another process owns this run");
        }
        channel.write(java.nio.ByteBuffer.wrap(" ".repeat(LAST_WORDS_BYTES).getBytes(StandardCharsets.US_ASCII)), 0);
        ProcessHandle self = ProcessHandle.current();
        Info info = new Info(self.pid(), self.info().startInstant().map(Instant::toString).orElse(""), host(),
                Instant.now().toString());
        Object key = key(dir.resolve(RunFormat.LOCK));
        HELD.add(key);
        try {
            AtomicFiles.write(dir.resolve(RunFormat.OWNER), Json.document(info));
        } catch (RuntimeException e) {
            HELD.remove(key);
            lock.release();
            channel.close();
            throw e;
        }
        return new RunOwner(channel, lock, key);
    }

    /**
     * Writes why the run failed into the reserved room of the lock file, when the ordinary records cannot be written
     * (a full disk). Best effort.
     */
    void lastWords(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] padded = " ".repeat(LAST_WORDS_BYTES).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, padded, 0, Math.min(text.length, LAST_WORDS_BYTES));
        try {
            channel.write(java.nio.ByteBuffer.wrap(padded), 0);
            channel.force(false);
        } catch (IOException ignored) {
            // nothing more can be done; readers will report the run as crashed
        }
    }

    /** The owner's last words, if it left any. */
    static Optional<String> lastWords(Path dir) {
        try {
            String text = new String(Files.readAllBytes(dir.resolve(RunFormat.LOCK)), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether a live process owns the run in {@code dir}; {@code UNTRACKED} for runs of format 1. */
    static Liveness probe(Path dir) {
        Path file = dir.resolve(RunFormat.LOCK);
        try {
            if (HELD.contains(key(file))) {
                return Liveness.ALIVE; // this very JVM owns it: opening the file would release the lock
            }
            synchronized (PROBING) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
                    if (probe == null) {
                        return Liveness.ALIVE;
                    }
                    probe.release();
                    return Liveness.GONE;
                }
            }
        } catch (OverlappingFileLockException e) {
            return Liveness.ALIVE; // this very JVM owns it
        } catch (NoSuchFileException e) {
            return Liveness.UNTRACKED;
        } catch (IOException e) {
            throw new DamagedRunException(dir, RunFormat.LOCK + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** What identifies a file however it is named: its file key (device and inode), else its absolute path. */
    private static Object key(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toAbsolutePath().normalize();
    }

    /** The recorded owner, if any. */
    static Optional<Info> info(Path dir) {
        try {
            return Optional.of(Json.DOCUMENT.readValue(dir.resolve(RunFormat.OWNER).toFile(), Info.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        HELD.remove(key);
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown host");
        }
    }
}
