package org.recursa.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.recursa.repository.Ed25519Keys;

/**
 * What a server needs to accept uploads: the publish token (kept only as its SHA-256, so comparing takes the same
 * time whatever a caller sends), the key that re-signs a repository after a bundle is added, the largest upload
 * accepted and how long the re-signed catalog stays valid.
 */
public record PublishSettings(byte[] tokenSha256, KeyPair signingKeys, long maxUploadBytes, Duration validity) {

    /** Larger than any plugin bundle we know of (the biggest first-party jar is well under 1 MiB). */
    public static final long DEFAULT_MAX_UPLOAD = 64L << 20;
    /** As {@code recursa catalog sign}'s default. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(180);
    /** A token shorter than this is guessable; refused when the server starts. */
    static final int MIN_TOKEN_LENGTH = 16;

    public PublishSettings {
        tokenSha256 = tokenSha256.clone();
        if (maxUploadBytes <= 0) {
            throw new CatalogException("the upload limit must be positive, not " + maxUploadBytes);
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new CatalogException("the validity must be positive, not " + validity);
        }
    }

    /**
     * Reads the token (the first line of {@code tokenFile}) and the signing key pair ({@code K.key} with
     * {@code K.pub} beside it).
     */
    public static PublishSettings read(Path tokenFile, Path signingKey, long maxUploadBytes, Duration validity) {
        String token;
        try {
            if (Files.size(tokenFile) > 4096) {
                throw new CatalogException(tokenFile + ": more than 4096 bytes; a token file holds one line");
            }
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new CatalogException("cannot read the publish token file " + tokenFile + ": " + e.getMessage(), e);
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new CatalogException(tokenFile + ": the token has " + token.length() + " characters; use at least "
                    + MIN_TOKEN_LENGTH + " random ones (e.g. 'openssl rand -hex 32')");
        }
        KeyPair keys;
        try {
            keys = Ed25519Keys.readPair(signingKey);
        } catch (org.recursa.repository.CatalogException e) {
            throw new CatalogException("cannot read the signing key " + signingKey + ": " + e.getMessage(), e);
        }
        return new PublishSettings(sha256(token), keys, maxUploadBytes, validity);
    }

    /** Whether {@code presented} is the token, in time independent of where the two differ. */
    boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(tokenSha256, sha256(presented));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
