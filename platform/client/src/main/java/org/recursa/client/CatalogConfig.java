package org.recursa.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.recursa.repository.CatalogException;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryFiles;

/**
 * The catalogs a home trusts, {@code <home>/catalogs.json}. Until the file exists the distribution's shipped
 * repository ({@code catalog/first-party} with {@code catalog/first-party.pub}) is the one catalog; the first change
 * writes the file starting from that default, so adding a catalog keeps first-party and removing first-party drops
 * it. Every change re-reads the file under {@link HomeLock} and replaces it atomically, so concurrent commands
 * merge rather than lose one another's entries.
 */
public final class CatalogConfig {

    static final String FILE = "catalogs.json";
    /** The default catalog's name. */
    public static final String DEFAULT_NAME = "first-party";
    private static final int FORMAT = 1;
    private static final long MAX_SIZE = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(int format, List<CatalogSource> catalogs) {
    }

    private final Path home;
    private final Optional<CatalogSource> shipped;

    /**
     * @param home         the platform home
     * @param distribution the distribution's root, whose {@code catalog/} holds the shipped repository, if any
     */
    public CatalogConfig(Path home, Optional<Path> distribution) {
        this.home = home;
        this.shipped = distribution.flatMap(CatalogConfig::shippedCatalog);
    }

    private static Optional<CatalogSource> shippedCatalog(Path root) {
        Path repo = root.resolve("catalog").resolve(DEFAULT_NAME);
        Path key = root.resolve("catalog").resolve(DEFAULT_NAME + ".pub");
        if (!Files.isDirectory(repo) || !Files.isRegularFile(key)) {
            return Optional.empty();
        }
        return Optional.of(new CatalogSource(DEFAULT_NAME, repo.toAbsolutePath().normalize().toString(),
                Ed25519Keys.publicLine(Ed25519Keys.readPublic(key)).trim()));
    }

    /** The configured catalogs, or the shipped default when nothing was ever configured. */
    public List<CatalogSource> list() {
        return read().orElseGet(() -> shipped.map(List::of).orElse(List.of()));
    }

    /** The catalog {@link #add} would store, not stored: to fetch and verify it first. */
    public CatalogSource candidate(String location, Path keyFile, String name) {
        String normalized = normalize(location);
        String key = Ed25519Keys.publicLine(Ed25519Keys.readPublic(keyFile)).trim();
        return new CatalogSource(name != null ? name : nameOf(normalized), normalized, key);
    }

    /**
     * Adds a catalog.
     *
     * @param location an http(s) URL, a file: URL or a directory
     * @param keyFile  its public key file ({@code ed25519 <base64>})
     * @param name     the local name, or null for one derived from the location
     * @return the catalog as stored
     */
    public CatalogSource add(String location, Path keyFile, String name) {
        CatalogSource source = candidate(location, keyFile, name);
        return HomeLock.holding(home, () -> {
            List<CatalogSource> current = new ArrayList<>(list());
            for (CatalogSource existing : current) {
                if (existing.name().equals(source.name())) {
                    throw new CatalogException("a catalog named '" + source.name() + "' is already configured ("
                            + existing.location() + "); remove it first or pass --name");
                }
            }
            current.add(source);
            write(current);
            return source;
        });
    }

    /** Removes the catalog named {@code name}; refuses a name that is not configured. */
    public CatalogSource remove(String name) {
        return HomeLock.holding(home, () -> {
            List<CatalogSource> current = new ArrayList<>(list());
            CatalogSource removed = current.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new CatalogException("no catalog named '" + name + "'; configured: "
                            + String.join(", ", current.stream().map(CatalogSource::name).toList())));
            current.remove(removed);
            write(current);
            return removed;
        });
    }

    private Optional<List<CatalogSource>> read() {
        Path file = home.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Content content = JSON.readValue(RepositoryFiles.readSmall(file, MAX_SIZE), Content.class);
            if (content == null || content.format() != FORMAT) {
                throw new CatalogException(file + ": not a catalog list of format " + FORMAT
                        + "; fix or delete it to go back to the default catalog");
            }
            return Optional.of(content.catalogs() == null ? List.of() : List.copyOf(content.catalogs()));
        } catch (IOException e) {
            throw new CatalogException(file + " is damaged (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or delete it to go back to the default catalog", e);
        }
    }

    private void write(List<CatalogSource> catalogs) {
        try {
            RepositoryFiles.writeAtomically(home.resolve(FILE), JSON.writeValueAsBytes(new Content(FORMAT, catalogs)));
        } catch (IOException e) {
            throw new CatalogException("cannot write " + home.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** An http(s) URL ending in '/', or an absolute directory path (a file: URL becomes its path). */
    static String normalize(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            URI uri;
            try {
                uri = URI.create(location);
            } catch (IllegalArgumentException e) {
                throw new CatalogException("'" + location + "' is not a URL: " + e.getMessage(), e);
            }
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new CatalogException("'" + location + "' is not a repository URL such as "
                        + "http://127.0.0.1:8080/repo/first-party/");
            }
            return location.endsWith("/") ? location : location + "/";
        }
        Path dir = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        if (!Files.isDirectory(dir)) {
            throw new CatalogException("'" + location + "' is neither an http(s) URL nor a repository directory");
        }
        return dir.toAbsolutePath().normalize().toString();
    }

    /** The last path segment of the location, made a valid name. */
    static String nameOf(String location) {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        return last.isEmpty() ? "catalog" : last.length() > 64 ? last.substring(0, 64) : last;
    }
}
