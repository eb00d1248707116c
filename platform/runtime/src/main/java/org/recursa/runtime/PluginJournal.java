package org.recursa.runtime;

import org.recursa.runstore.AtomicFiles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The record of installed plugins, {@code plugins/installed.json}: which jar files the host installs at
 * start and where they came from. It is the truth about what is installed; Felix's cache is rebuilt from it
 * at every start. Written atomically, and changed only inside {@link #update}, which holds the store's
 * {@link StoreLock} and re-reads the file first, so concurrent commands merge their changes instead of
 * overwriting each other's. The file may have been edited by hand: its {@code file} names are only used
 * through {@link StorePaths#inside}.
 */
final class PluginJournal {

    /** Where a plugin came from: shipped with the distribution, or installed by the user. */
    enum Origin { DISTRIBUTION, USER }

    /**
     * One installed plugin.
     *
     * @param file         the jar's name inside {@code plugins/}
     * @param symbolicName its Bundle-SymbolicName
     * @param version      its Bundle-Version
     * @param sha256       the jar's SHA-256
     * @param origin       where it came from
     * @param installedAt  ISO-8601 instant
     * @param dependency   true if it was installed only because another plugin needs it (so uninstalling that
     *                     plugin removes it too once nothing else needs it); absent means false
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String file, String symbolicName, String version, String sha256, Origin origin,
                 String installedAt, Boolean dependency) {

        boolean isDependency() {
            return Boolean.TRUE.equals(dependency);
        }
    }

    /** The file's content. */
    record Content(int format, List<Entry> plugins) {
    }

    static final String FILE = "installed.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Path file;
    private final PluginHistory history;
    private List<Entry> entries;
    private boolean updating;

    private PluginJournal(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.history = new PluginHistory(dir);
        this.entries = read(file);
    }

    /** Reads the journal in {@code dir}, or empty if there is none yet (only before the first start). */
    static PluginJournal load(Path dir) {
        return new PluginJournal(dir);
    }

    private static List<Entry> read(Path file) {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            Content content = JSON.readValue(file.toFile(), Content.class);
            if (content.format() != FORMAT) {
                throw new RecursaException(file + " has format " + content.format() + "; this Recursa reads format "
                        + FORMAT);
            }
            return new ArrayList<>(content.plugins() == null ? List.of() : content.plugins());
        } catch (IOException e) {
            throw new RecursaException(file + " is damaged (" + e.getMessage().lines().findFirst().orElse("")
                    + "); restore it or delete it to start again with the distribution's plugins", e);
        }
    }

    /**
     * Runs {@code change} holding the store lock, on the journal as it is on disk now (another process may
     * have changed it since this one read it). {@code change} edits with {@link #put}, {@link #remove} and
     * {@link #save}, and may copy or delete jars. If it throws, this journal is re-read, since the file
     * holds whatever was saved.
     */
    <T> T update(Supplier<T> change) {
        return update(null, change);
    }

    /**
     * Like {@link #update(Supplier)}, and if {@code change} changed the entries of an existing journal, records the
     * entries before it in the {@link PluginHistory} as the set {@code recursa plugin rollback} returns to.
     *
     * @param reason the command, e.g. {@code install mor}; null records nothing
     */
    <T> T update(String reason, Supplier<T> change) {
        return StoreLock.holding(dir, () -> {
            entries = read(file);
            boolean existed = existsOnDisk();
            List<Entry> before = List.copyOf(entries);
            updating = true;
            try {
                T result = change.get();
                if (reason != null && existed && !before.equals(entries)) {
                    recordQuietly(reason, before);
                }
                return result;
            } catch (RuntimeException e) {
                entries = read(file);
                throw e;
            } finally {
                updating = false;
            }
        });
    }

    /**
     * Records the set before a saved change. The change stands even if the history cannot be written (it only serves
     * rollback): failing the command now would report as failed a change that is saved.
     */
    private void recordQuietly(String reason, List<Entry> before) {
        try {
            history.record(reason, before, entries);
        } catch (RuntimeException e) {
            System.err.println("recursa: warning: " + e.getMessage() + "; 'recursa plugin rollback' cannot undo '"
                    + reason + "'");
        }
    }

    /** Whether the file exists; inside {@link #update} this is the truth, since no one else can create it. */
    boolean existsOnDisk() {
        return Files.exists(file);
    }

    /** The earlier installed sets and the jars they name. */
    PluginHistory history() {
        return history;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    Optional<Entry> bySymbolicName(String name) {
        return entries.stream().filter(e -> e.symbolicName().equals(name)).findFirst();
    }

    /** Adds or replaces the entry with the same symbolic name, then saves. Only inside {@link #update}. */
    void put(Entry entry) {
        requireUpdating();
        entries.removeIf(e -> e.symbolicName().equals(entry.symbolicName()));
        entries.add(entry);
        save();
    }

    /** Removes the entry with this symbolic name, then saves. Only inside {@link #update}. */
    void remove(String symbolicName) {
        requireUpdating();
        entries.removeIf(e -> e.symbolicName().equals(symbolicName));
        save();
    }

    /** Replaces every entry by {@code replacement}, then saves once. Only inside {@link #update}. */
    void replaceAll(List<Entry> replacement) {
        requireUpdating();
        entries = new ArrayList<>(replacement);
        save();
    }

    /** Writes the entries. Only inside {@link #update}. */
    void save() {
        requireUpdating();
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(new Content(FORMAT, entries)));
        } catch (IOException e) {
            throw new RecursaException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RecursaException(e.getMessage(), e);
        }
    }

    private void requireUpdating() {
        if (!updating) {
            throw new IllegalStateException("the plugin journal is changed only inside update(), under the store lock");
        }
    }
}
