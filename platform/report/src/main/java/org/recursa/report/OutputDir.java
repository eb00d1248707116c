package org.recursa.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The report is built in a hidden temporary directory beside the report directory and moved into place at the end,
 * so a failed report leaves nothing behind. A new directory is the temporary one renamed. An existing directory is
 * used only when it is empty or holds an earlier report, recognised by its {@link ReportFiles#MANIFEST}: then
 * exactly the files that manifest lists are replaced, and every other file (the user's notes, figures, drafts) is
 * kept; a file the new report would write that the earlier one did not is refused, never overwritten.
 */
final class OutputDir {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputDir() {
    }

    private static final String MANIFEST_HEADER = "# Files written by recursa report. The next report into this "
            + "directory replaces exactly these and keeps every other file.";

    /**
     * Fails unless {@code dir} is absent (and can be created), an empty directory, or an earlier report.
     *
     * @throws IllegalArgumentException {@code <dir>: <what is wrong>}
     */
    static void checkUsable(Path dir) {
        if (!Files.exists(dir)) {
            for (Path above = dir.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
                if (Files.exists(above)) {
                    if (!Files.isDirectory(above)) {
                        throw JsonFiles.problem(dir, "cannot be a directory, " + above
                                + " is a file; choose another directory");
                    }
                    break;
                }
            }
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

    /**
     * Puts the report built in {@code temp} at {@code dir} (absent, empty, or an earlier report), with a manifest of
     * its files; of an earlier report only the files its manifest lists are replaced or removed.
     *
     * @throws IllegalArgumentException {@code <file>: <what is wrong>} when the new report would overwrite a file the
     *                                  earlier one did not write; nothing has changed in {@code dir} then
     */
    static void moveIntoPlace(Path temp, Path dir) throws IOException {
        List<String> files = relativeFiles(temp);
        Files.write(temp.resolve(ReportFiles.MANIFEST), manifest(files), StandardCharsets.UTF_8);
        if (!Files.exists(dir)) {
            move(temp, dir);
            return;
        }
        if (isEmpty(dir)) {
            Files.delete(dir);
            move(temp, dir);
            return;
        }
        List<String> earlier = readManifest(dir);
        for (String file : files) {
            Path target = dir.resolve(file);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !earlier.contains(file)) {
                throw JsonFiles.problem(target, "not written by recursa report, and the new report would replace it; "
                        + "move it or choose another directory");
            }
        }
        List<String> ours = new ArrayList<>(earlier);
        ours.add(ReportFiles.MANIFEST);
        Path old = createBeside(dir, "old");
        List<String> setAside = new ArrayList<>();
        List<String> placed = new ArrayList<>();
        try {
            for (String file : ours) {
                if (Files.exists(dir.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
                    moveCreatingParents(dir.resolve(file), old.resolve(file));
                    setAside.add(file);
                }
            }
            List<String> incoming = new ArrayList<>(files);
            incoming.add(ReportFiles.MANIFEST); // last: a report whose manifest is in place is complete
            for (String file : incoming) {
                moveCreatingParents(temp.resolve(file), dir.resolve(file));
                placed.add(file);
            }
        } catch (IOException e) {
            for (String file : placed) { // put the earlier report back as it was
                Files.deleteIfExists(dir.resolve(file));
            }
            for (String file : setAside) {
                moveCreatingParents(old.resolve(file), dir.resolve(file));
            }
            deleteQuietly(old);
            throw e;
        }
        deleteQuietly(old);
        deleteQuietly(temp);
        for (String file : earlier) { // directories the earlier report made and nothing fills any more
            for (Path parent = dir.resolve(file).getParent(); !parent.equals(dir); parent = parent.getParent()) {
                if (!Files.isDirectory(parent) || !isEmpty(parent)) {
                    break;
                }
                Files.delete(parent);
            }
        }
    }

    /** The files under {@code root}, as relative paths with {@code /}, sorted. */
    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    private static List<String> manifest(List<String> files) {
        List<String> lines = new ArrayList<>();
        lines.add(MANIFEST_HEADER);
        lines.addAll(files);
        return lines;
    }

    /**
     * The files an earlier report in {@code dir} wrote.
     *
     * @throws IllegalArgumentException when the manifest names a path outside {@code dir}
     */
    private static List<String> readManifest(Path dir) throws IOException {
        Path manifest = dir.resolve(ReportFiles.MANIFEST);
        List<String> files = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Path file = dir.resolve(line).normalize();
            if (Path.of(line).isAbsolute() || !file.startsWith(dir.normalize()) || file.equals(dir.normalize())
                    || line.equals(ReportFiles.MANIFEST)) {
                throw JsonFiles.problem(manifest, "line " + number + ": '" + line + "' is not a file inside the "
                        + "report; delete the manifest's damaged lines or choose another directory");
            }
            files.add(dir.normalize().relativize(file).toString().replace('\\', '/'));
        }
        return files;
    }

    private static void moveCreatingParents(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        move(from, to);
    }

    /** Deletes a directory tree, ignoring failures (clean-up only; the caller is reporting the real problem). */
    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
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

    /**
     * Whether {@code dir} holds a report with a manifest. A report written before reports had one is not
     * recognised: what else its directory holds cannot be told from what the report wrote.
     */
    private static boolean isReport(Path dir) {
        return Files.isRegularFile(dir.resolve(ReportFiles.MANIFEST));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
