package org.recursa.runstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code runs/journal}: an append-only log of run changes (created, ended, deleted) that the index consumes from the
 * last position it applied, instead of looking at every run directory. The first line names the journal with a
 * random id, so an index can tell a replaced journal from a grown one. Appends take an exclusive file lock and write
 * one whole line, so several processes append safely; a reader applies complete lines only and keeps its position
 * at the start of a line still being written.
 */
public final class ChangeJournal {

    /** The journal's file name inside {@code runs/}. */
    public static final String FILE = "journal";
    /** Journal format version (its first line). */
    static final int FORMAT = 1;

    /** What happened to a run. */
    public enum Op { CREATED, ENDED, DELETED }

    /**
     * One entry.
     *
     * @param op  what happened
     * @param run the run id
     * @param at  ISO-8601 instant
     */
    public record Change(Op op, String run, String at) {
    }

    /**
     * Entries read from a position.
     *
     * @param changes the complete entries after the position, in order
     * @param next    the position after the last complete entry; read from here next time
     */
    public record Batch(List<Change> changes, long next) {
    }

    private record Header(String journal, int format) {
    }

    private record Line(String op, String run, String at) {
    }

    /**
     * Serialises this JVM's appends: Java file locks belong to the whole JVM, so a second thread's lock() throws
     * OverlappingFileLockException instead of waiting, and closing its channel would release the first thread's lock.
     */
    private static final Object APPENDING = new Object();

    private final Path file;

    ChangeJournal(Path runs) {
        this.file = runs.resolve(FILE);
    }

    /**
     * The journal's id, creating the journal when there is none and the directory is writable.
     *
     * @return the id, or empty when there is no journal and none can be created (a read-only home)
     */
    public java.util.Optional<String> id() {
        // Not cached: a journal replaced while this process lives must be seen as another journal. An empty file is
        // a journal another process is creating (its channel creates the file before it takes the lock to write the
        // header), so it is completed under the lock too.
        if (!Files.exists(file) || size() == 0) {
            try {
                Files.createDirectories(file.getParent());
                withLock(channel -> {
                    if (channel.size() == 0) {
                        write(channel, Json.line(new Header(UUID.randomUUID().toString(), FORMAT)));
                    }
                });
            } catch (AccessDeniedException | java.nio.file.ReadOnlyFileSystemException e) {
                return java.util.Optional.empty();
            } catch (FileSystemException e) {
                if (!Files.exists(file)) {
                    return java.util.Optional.empty();
                }
            } catch (IOException e) {
                throw new RunStoreException("cannot create " + file + ": " + e.getMessage(), e);
            }
        }
        String first = firstLine();
        try {
            Header header = Json.LINE.readValue(first, Header.class);
            if (header == null || header.journal() == null) {
                throw new RunStoreException(file + ": the first line is not a journal header; delete the journal and "
                        + "run 'recursa index rebuild'");
            }
            if (header.format() > FORMAT) {
                throw new RunStoreException(file + " is in journal format " + header.format() + "; this Recursa reads "
                        + "format " + FORMAT + ": upgrade Recursa");
            }
            return java.util.Optional.of(header.journal());
        } catch (IOException e) {
            throw new RunStoreException(file + ": the first line is not a journal header (" + e.getMessage().lines()
                    .findFirst().orElse("") + "); delete the journal and run 'recursa index rebuild'", e);
        }
    }

    /**
     * Appends one entry. Like the run files, it is not forced to the device: a process killed at any point loses
     * nothing (the page cache survives it), and after a power loss 'recursa index rebuild' restores the index.
     */
    void append(Op op, String run) {
        if (id().isEmpty()) {
            throw new RunStoreException("cannot write " + file + ": the run store is read-only");
        }
        String line = Json.line(new Line(op.name().toLowerCase(java.util.Locale.ROOT), run, Instant.now().toString()));
        try {
            withLock(channel -> {
                if (channel.size() == 0) {
                    // The journal was deleted after id() looked: start a new one, header first.
                    write(channel, Json.line(new Header(UUID.randomUUID().toString(), FORMAT)));
                }
                write(channel, line);
            });
        } catch (IOException e) {
            throw new RunStoreException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The position after the last byte written so far. */
    public long end() {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new RunStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The complete entries from {@code position} on (0 = the start; the header is skipped).
     *
     * @throws RunStoreException when the position is past the end (the journal was replaced or truncated)
     */
    public Batch read(long position) {
        long size = end();
        if (position > size) {
            throw new RunStoreException(file + " is shorter (" + size + " bytes) than the position " + position
                    + " read before: it was replaced or truncated");
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = size - position;
            if (length > Integer.MAX_VALUE - 16) {
                throw new RunStoreException(file + " has " + length + " unread bytes, more than can be read at once; "
                        + "run 'recursa index rebuild'");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) length);
            while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
                // read until full or end of file
            }
            bytes = java.util.Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return new Batch(List.of(), position);
        } catch (IOException e) {
            throw new RunStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, position);
    }

    private Batch parse(byte[] bytes, long position) {
        List<Change> changes = new ArrayList<>();
        int start = 0;
        long next = position;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            boolean header = position == 0 && start == 0;
            start = i + 1;
            next = position + start;
            if (header || text.isBlank()) {
                continue;
            }
            changes.add(change(text));
        }
        return new Batch(changes, next);
    }

    private Change change(String text) {
        try {
            JsonNode node = Json.LINE.readTree(text);
            Op op = Op.valueOf(node.path("op").asText("").toUpperCase(java.util.Locale.ROOT));
            return new Change(op, node.path("run").asText(), node.path("at").asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new RunStoreException(file + " holds a damaged entry '" + abbreviate(text) + "'; run 'recursa index "
                    + "rebuild', which does not need the journal", e);
        }
    }

    private String firstLine() {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RunStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private interface ChannelAction {
        void run(FileChannel channel) throws IOException;
    }

    private void withLock(ChannelAction action) throws IOException {
        synchronized (APPENDING) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND); FileLock ignored = channel.lock()) {
                action.run(channel);
            }
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void write(FileChannel channel, String line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
