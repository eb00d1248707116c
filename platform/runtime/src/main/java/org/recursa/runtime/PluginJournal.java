package org.recursa.runtime;

import org.recursa.runstore.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of installed plugins, {@code plugins/installed.json}: which jar files the host installs at
 * start and where they came from. It is the truth about what is installed; Felix's cache is rebuilt from it
 * at every start. Written atomically.
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
     */
    record Entry(String file, String symbolicName, String version, String sha256, Origin origin,
                 String installedAt) {
    }

    /** The file's content. */
    record Content(int format, List<Entry> plugins) {
    }

    static final String FILE = "installed.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<Entry> entries;

    private PluginJournal(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads the journal in {@code dir}, or empty if there is none yet (see {@link #exists(Path)}). */
    static PluginJournal load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new PluginJournal(file, new ArrayList<>());
        }
        try {
            Content content = JSON.readValue(file.toFile(), Content.class);
            if (content.format() != FORMAT) {
                throw new RecursaException(file + " has format " + content.format() + "; this Recursa reads format "
                        + FORMAT);
            }
            return new PluginJournal(file, new ArrayList<>(content.plugins()));
        } catch (IOException e) {
            throw new RecursaException(file + " is damaged (" + e.getMessage().lines().findFirst().orElse("")
                    + "); restore it or delete it to start again with the distribution's plugins", e);
        }
    }

    /** Whether a journal exists in {@code dir}: false only before the first start. */
    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE));
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    Optional<Entry> bySymbolicName(String name) {
        return entries.stream().filter(e -> e.symbolicName().equals(name)).findFirst();
    }

    /** Adds or replaces the entry with the same symbolic name, then saves. */
    void put(Entry entry) {
        entries.removeIf(e -> e.symbolicName().equals(entry.symbolicName()));
        entries.add(entry);
        save();
    }

    /** Removes the entry with this symbolic name, then saves. */
    void remove(String symbolicName) {
        entries.removeIf(e -> e.symbolicName().equals(symbolicName));
        save();
    }

    void save() {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(new Content(FORMAT, entries)));
        } catch (IOException e) {
            throw new RecursaException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
