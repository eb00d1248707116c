package org.recursa.repository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Decides whether a repository is believed, against a pinned public key: the signature must verify over
 * catalog.json's exact bytes, the version may not be lower than the last one seen (rollback), the expiry must be in
 * the future (freeze), and every file must have the SHA-256 and size catalog.json gives it, at a path inside the
 * repository. Each refusal is a {@link CatalogException} with one line saying which check failed.
 */
public final class CatalogVerifier {

    private final PublicKey pinned;
    private final String pinnedId;

    public CatalogVerifier(PublicKey pinned) {
        this.pinned = pinned;
        this.pinnedId = Ed25519Keys.keyId(pinned);
    }

    /**
     * The catalog of these bytes, if its signature verifies and it is neither older than {@code lastSeenVersion} nor
     * expired at {@code now}. Checks nothing of the files it lists.
     */
    public Catalog verify(byte[] catalogJson, byte[] signatureFile, long lastSeenVersion, Instant now) {
        if (catalogJson.length > CatalogJson.MAX_SIZE) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": larger than the limit of " + CatalogJson.MAX_SIZE
                    + " bytes");
        }
        if (signatureFile.length > CatalogSignature.MAX_SIZE) {
            throw new CatalogException(RepositoryLayout.SIGNATURE + ": larger than the limit of "
                    + CatalogSignature.MAX_SIZE + " bytes");
        }
        CatalogSignature signature = CatalogSignature.parse(signatureFile);
        if (!signature.keyId().equals(pinnedId)) {
            throw new CatalogException(RepositoryLayout.CATALOG + " is signed by key " + signature.keyId()
                    + ", not by the pinned key " + pinnedId + "; refused");
        }
        if (!verifies(catalogJson, signature.signature())) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": the signature does not verify with the pinned key "
                    + pinnedId + " (the file was changed after signing); refused");
        }
        Catalog catalog = CatalogJson.parse(catalogJson);
        if (catalog.version() < lastSeenVersion) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": version " + catalog.version()
                    + " is older than version " + lastSeenVersion + " seen before (rollback); refused");
        }
        Instant expires = expiry(catalog);
        if (!now.isBefore(expires)) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": expired at " + expires + " (now " + now
                    + "); refused until the repository is signed again");
        }
        return catalog;
    }

    /**
     * The catalog of the repository in {@code dir}, verified as {@link #verify(byte[], byte[], long, Instant)} and
     * with its index's SHA-256 checked.
     */
    public Catalog verify(Path dir, long lastSeenVersion, Instant now) {
        byte[] json = RepositoryFiles.readSmall(dir.resolve(RepositoryLayout.CATALOG), CatalogJson.MAX_SIZE);
        byte[] sig = RepositoryFiles.readSmall(dir.resolve(RepositoryLayout.SIGNATURE), CatalogSignature.MAX_SIZE);
        Catalog catalog = verify(json, sig, lastSeenVersion, now);
        if (catalog.index() == null) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": names no index; refused");
        }
        checkFile(dir, catalog.index().path(), catalog.index().sha256(), -1, CatalogJson.MAX_SIZE);
        return catalog;
    }

    /**
     * The file at {@code relative} in {@code dir}, if it stays inside {@code dir}, is no larger than {@code maxSize},
     * has {@code size} bytes (unless negative) and the SHA-256 {@code sha256}.
     */
    public static Path checkFile(Path dir, String relative, String sha256, long size, long maxSize) {
        Path file = RepositoryFiles.resolveInside(dir, relative);
        if (!Files.isRegularFile(file)) {
            throw new CatalogException(relative + ": no such file in the repository");
        }
        long actual;
        try {
            actual = Files.size(file);
        } catch (java.io.IOException e) {
            throw new CatalogException(relative + ": " + e.getMessage(), e);
        }
        if (actual > maxSize) {
            throw new CatalogException(relative + ": " + actual + " bytes, more than the limit of " + maxSize
                    + "; refused");
        }
        if (size >= 0 && actual != size) {
            throw new CatalogException(relative + ": " + actual + " bytes, not the " + size
                    + " catalog.json gives; refused");
        }
        String hash = RepositoryFiles.sha256(file);
        if (!hash.equalsIgnoreCase(String.valueOf(sha256))) {
            throw new CatalogException(relative + ": SHA-256 " + hash + " differs from " + sha256
                    + " in catalog.json; refused");
        }
        return file;
    }

    private boolean verifies(byte[] bytes, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(pinned);
            verifier.update(bytes);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Instant expiry(Catalog catalog) {
        if (catalog.expires() == null) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": has no expiry (never signed); refused");
        }
        try {
            return Instant.parse(catalog.expires());
        } catch (DateTimeParseException e) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": expiry '" + catalog.expires()
                    + "' is not an ISO-8601 instant such as 2027-05-30T00:00:00Z; refused", e);
        }
    }
}
