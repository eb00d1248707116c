package org.recursa.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.recursa.runstore.AtomicFiles;

/**
 * What was installed before each change to the plugin store, so that {@code recursa plugin rollback} can return to
 * it: {@code plugins/history.json} lists the earlier installed sets, newest last, at most {@link #KEEP}; the jars they
 * name that are no longer installed are kept in {@code plugins/history/<sha256>.jar}, so a rollback needs neither the
 * network nor the files the user installed from. Written only under the store lock (by {@link PluginJournal}). The
 * file may have been edited by hand: a hash is used as a file name only if it is 64 hex digits, and a kept jar is used
 * only if its bytes have that hash.
 */
final class PluginHistory {

    /** How many earlier sets are kept. */
    static final int KEEP = 20;
    static final String FILE = "history.json";
    static final String JARS = "history";
    private static final int FORMAT = 1;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The installed set before one change.
     *
     * @param at     when the change was made (ISO-8601)
     * @param reason the command that made it, e.g. {@code install mor}
     * @param before the journal's entries before it
     */
    record Change(String at, String reason, List<PluginJournal.Entry> before) {
    }

    /** The file's content. */
    record Content(int format, List<Change> changes) {
    }

    private final Path file;
    private final Path jars;

    PluginHistory(Path storeDir) {
        this.file = storeDir.resolve(FILE);
        this.jars = storeDir.resolve(JARS);
    }

    /** The recorded sets, oldest first. */
    List<Change> changes() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            Content content = JSON.readValue(file.toFile(), Content.class);
            if (content.format() != FORMAT) {
                throw new RecursaException(file + " has format " + content.format() + "; this Recursa reads format "
                        + FORMAT);
            }
            return content.changes() == null ? List.of() : List.copyOf(content.changes());
        } catch (IOException e) {
            throw new RecursaException(file + " is damaged (" + e.getMessage().lines().findFirst().orElse("")
                    + "); delete it to start the plugin history again (only rollback needs it)", e);
        }
    }

    /** Appends the set before a change, keeping the newest {@link #KEEP}, and drops jars no set names any more. */
    void record(String reason, List<PluginJournal.Entry> before, List<PluginJournal.Entry> after) {
        List<Change> changes = new ArrayList<>(changes());
        changes.add(new Change(Instant.now().toString(), reason, before));
        while (changes.size() > KEEP) {
            changes.remove(0);
        }
        save(changes, after);
    }

    /** Forgets the newest set (after a rollback returned to it). */
    void dropNewest(List<PluginJournal.Entry> installedNow) {
        List<Change> changes = new ArrayList<>(changes());
        if (!changes.isEmpty()) {
            changes.remove(changes.size() - 1);
        }
        save(changes, installedNow);
    }

    /**
     * Keeps a jar that leaves the store: moved into {@code history/} under its hash (if that hash is well formed and
     * not kept yet), otherwise deleted. Never throws: the store change it belongs to has already been saved.
     */
    void keep(Path jar, String sha256) {
        try {
            if (sha256 != null && SHA256.matcher(sha256).matches()) {
                Files.createDirectories(jars);
                Path kept = jars.resolve(sha256 + ".jar");
                if (!Files.exists(kept)) {
                    Files.move(jar, kept, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
            }
        } catch (IOException e) {
            // falls through to deleting: rollback to a set naming this jar will say it is gone
        }
        AtomicFiles.deleteQuietly(jar);
    }

    /** Keeps a copy of {@code jar} (which is about to be overwritten), like {@link #keep}; never throws. */
    void keepCopy(Path jar, String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            return;
        }
        Path kept = jars.resolve(sha256 + ".jar");
        try {
            if (!Files.exists(kept) && Files.isRegularFile(jar)) {
                Files.createDirectories(jars);
                AtomicFiles.copy(jar, kept);
            }
        } catch (IOException | RuntimeException e) {
            // not kept: a rollback to a set naming this jar will say it is gone
        }
    }

    /** The kept jar with this hash, if there is one and its bytes still have that hash. */
    Optional<Path> jar(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        Path kept = jars.resolve(sha256 + ".jar");
        return Files.isRegularFile(kept) && BundleFile.sha256(kept).equals(sha256) ? Optional.of(kept)
                : Optional.empty();
    }

    private void save(List<Change> changes, List<PluginJournal.Entry> installedNow) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(new Content(FORMAT, changes)));
        } catch (IOException e) {
            throw new RecursaException("cannot write " + file + ": " + e.getMessage(), e);
        }
        pruneJars(changes, installedNow);
    }

    /** Deletes kept jars that no recorded set names (they could never be rolled back to). */
    private void pruneJars(List<Change> changes, List<PluginJournal.Entry> installedNow) {
        if (!Files.isDirectory(jars)) {
            return;
        }
        Set<String> named = new HashSet<>();
        changes.forEach(c -> c.before().forEach(e -> named.add(e.sha256() + ".jar")));
        installedNow.forEach(e -> named.add(e.sha256() + ".jar"));
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(jars, "*.jar")) {
            for (Path jar : stream) {
                if (!named.contains(jar.getFileName().toString())) {
                    AtomicFiles.deleteQuietly(jar);
                }
            }
        } catch (IOException e) {
            // an unpruned jar only costs disk space
        }
    }
}
