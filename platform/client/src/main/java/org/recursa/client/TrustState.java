package org.recursa.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.recursa.repository.CatalogException;
import org.recursa.repository.RepositoryFiles;

/**
 * The highest catalog version this home has believed, per signing key and catalog name
 * ({@code <home>/catalog-trust.json}): a client refuses a lower one (rollback). Keyed by the key and the signed name
 * rather than the URL, so a mirror of the same repository cannot roll it back either. Only ever raised, under
 * {@link HomeLock}, and only after the catalog verified.
 */
final class TrustState {

    static final String FILE = "catalog-trust.json";
    private static final long MAX_SIZE = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(int format, Map<String, Long> seen) {
    }

    private final Path home;

    TrustState(Path home) {
        this.home = home;
    }

    /** The highest version seen of catalog {@code name} signed by {@code keyId}; 0 if none. */
    long lastSeen(String keyId, String name) {
        return read().getOrDefault(key(keyId, name), 0L);
    }

    /** Records {@code version} if it is higher than the one stored. */
    void raise(String keyId, String name, long version) {
        HomeLock.holding(home, () -> {
            Map<String, Long> seen = read();
            if (seen.getOrDefault(key(keyId, name), 0L) < version) {
                seen.put(key(keyId, name), version);
                try {
                    RepositoryFiles.writeAtomically(home.resolve(FILE), JSON.writeValueAsBytes(new Content(1, seen)));
                } catch (IOException e) {
                    throw new CatalogException("cannot write " + home.resolve(FILE) + ": " + e.getMessage(), e);
                }
            }
            return null;
        });
    }

    private static String key(String keyId, String name) {
        return keyId + "/" + name;
    }

    private Map<String, Long> read() {
        Path file = home.resolve(FILE);
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            Content content = JSON.readValue(RepositoryFiles.readSmall(file, MAX_SIZE), Content.class);
            return content == null || content.seen() == null ? new TreeMap<>() : new TreeMap<>(content.seen());
        } catch (IOException e) {
            // Never silently reset: that would re-open rollback to any version ever signed.
            throw new CatalogException(file + " is damaged (" + e.getMessage().lines().findFirst().orElse("")
                    + "); restore it (deleting it forgets which catalog versions were seen)", e);
        }
    }
}
