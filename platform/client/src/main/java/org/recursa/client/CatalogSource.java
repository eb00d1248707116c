package org.recursa.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.security.PublicKey;
import java.util.regex.Pattern;
import org.recursa.repository.CatalogException;
import org.recursa.repository.Ed25519Keys;

/**
 * One configured catalog: a local name, where its repository is (an http(s) URL, a file: URL or a directory path)
 * and the public key it must be signed with, pinned when it was added (the key line itself, so a later change to the
 * key file changes nothing).
 *
 * @param name     the local name, e.g. {@code first-party}
 * @param location the repository's URL or directory
 * @param key      the pinned public key line, {@code ed25519 <base64 X.509>}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogSource(String name, String location, String key) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Refuses a name that is not a short lower-case word. */
    public CatalogSource {
        requireName(name);
        if (location == null || location.isBlank()) {
            throw new CatalogException("catalog '" + name + "' has no location");
        }
    }

    /** Whether {@code name} is a valid catalog name. */
    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CatalogException("'" + name + "' is not a catalog name; use lower-case letters, digits, '.', "
                    + "'_' and '-' (up to 64), e.g. first-party");
        }
    }

    /** The pinned key. */
    public PublicKey publicKey() {
        return Ed25519Keys.parsePublic(key);
    }

    /** The pinned key's id. */
    public String keyId() {
        return Ed25519Keys.keyId(publicKey());
    }

    /** Whether the repository is fetched over HTTP. */
    public boolean remote() {
        return location.startsWith("http://") || location.startsWith("https://");
    }
}
