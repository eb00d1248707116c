package org.recursa.repository;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code catalog.json.sig}: one line {@code ed25519 <keyid> <base64 signature>} over catalog.json's exact bytes.
 *
 * @param keyId     the signing key's id ({@link Ed25519Keys#keyId})
 * @param signature the raw 64-byte Ed25519 signature
 */
public record CatalogSignature(String keyId, byte[] signature) {

    /** A signature file is one short line. */
    public static final long MAX_SIZE = 1024;

    /** The file's line, with its newline. */
    public String line() {
        return Ed25519Keys.PUBLIC_TAG + " " + keyId + " " + Base64.getEncoder().encodeToString(signature) + "\n";
    }

    /** The signature of a file's bytes. */
    public static CatalogSignature parse(byte[] bytes) {
        String[] parts = new String(bytes, StandardCharsets.US_ASCII).trim().split("\\s+");
        if (parts.length != 3 || !parts[0].equals(Ed25519Keys.PUBLIC_TAG) || !parts[1].matches("[0-9a-f]{16}")) {
            throw new CatalogException(RepositoryLayout.SIGNATURE
                    + ": not a signature line 'ed25519 <16 hex digit key id> <base64 signature>'");
        }
        try {
            return new CatalogSignature(parts[1], Base64.getDecoder().decode(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new CatalogException(RepositoryLayout.SIGNATURE + ": the signature is not valid base64", e);
        }
    }
}
