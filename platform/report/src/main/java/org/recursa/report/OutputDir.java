package org.recursa.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The report directory is built in a hidden temporary directory beside it and renamed into place at the end, so a
 * failed report leaves nothing behind and a reader never sees half a report. An existing directory is replaced only
 * when it is empty or holds an earlier report.
 */
final class OutputDir {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputDir() {
    }

    /**
     * Fails unless {@code dir} is absent, an empty directory, or an earlier report.
     *
     * @throws IllegalArgumentException {@code <dir>: <what is wrong>}
     */
    static void checkUsable(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw JsonFiles.problem(dir, "exists and is not a directory");
        }
        if (!isEmpty(dir) && !isReport(dir)) {
            throw JsonFiles.problem(dir, "exists and is neither empty nor an earlier report; choose another directory");
        }
    }

    /** A new, empty, hidden directory beside {@code dir} (so that renaming it to {@code dir} is atomic). */
    static Path createTemp(Path dir) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        return createBeside(dir, "tmp");
    }

    /**
     * A new directory {@code .<name>-<kind>-<random>} beside {@code dir}, created with the default permissions
     * (unlike {@link Files#createTempDirectory}, which makes it private to the user, and the report is renamed, not
     * copied, out of it).
     */
    private static Path createBeside(Path dir, String kind) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve("." + dir.getFileName() + "-" + kind + "-"
                    + Long.toHexString(RANDOM.nextLong() & 0xffffffffL));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Replaces {@code dir} (absent, empty, or an earlier report) with {@code temp}. */
    static void moveIntoPlace(Path temp, Path dir) throws IOException {
        if (!Files.exists(dir)) {
            move(temp, dir);
            return;
        }
        if (isEmpty(dir)) {
            Files.delete(dir);
            move(temp, dir);
            return;
        }
        Path old = createBeside(dir, "old");
        Files.delete(old); // only its name is wanted
        move(dir, old);
        try {
            move(temp, dir);
        } catch (IOException e) {
            move(old, dir); // put the earlier report back
            throw e;
        }
        deleteQuietly(old);
    }

    /** Deletes a directory tree, ignoring failures (clean-up only; the caller is reporting the real problem). */
    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isReport(Path dir) {
        Path index = dir.resolve(ReportFiles.INDEX);
        if (!Files.isRegularFile(index)) {
            return false;
        }
        try {
            String head = new String(Files.readAllBytes(index), StandardCharsets.UTF_8);
            return head.contains(HtmlPage.GENERATOR);
        } catch (IOException e) {
            return false;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
