package org.recursa.repository;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Signs a repository: sets catalog.json's version one above the one it had, its expiry, and the index's current
 * SHA-256, then writes catalog.json and catalog.json.sig, each replaced atomically (catalog.json first: a reader
 * between the two sees a signature that does not verify, and refuses, rather than an unsigned catalog believed).
 */
public final class CatalogSigner {

    private final KeyPair keys;

    /** @param keys a key pair whose halves belong together ({@link Ed25519Keys#readPair}) */
    public CatalogSigner(KeyPair keys) {
        this.keys = keys;
    }

    /**
     * Signs the repository in {@code dir}.
     *
     * @param validity how long clients believe the catalog, from {@code now}
     * @return the catalog as signed
     */
    public Catalog sign(Path dir, Duration validity, Instant now) {
        if (validity.isNegative() || validity.isZero()) {
            throw new CatalogException("the validity must be positive, not " + validity);
        }
        if (!Files.isDirectory(dir)) {
            throw new CatalogException(dir + ": not a repository directory");
        }
        Catalog previous = CatalogJson.read(dir);
        Path index = RepositoryFiles.resolveInside(dir, previous.index() == null ? RepositoryLayout.INDEX
                : previous.index().path());
        if (!Files.isRegularFile(index)) {
            throw new CatalogException(index + ": no such file; a repository has an OSGi index");
        }
        Catalog signed = previous.signedAs(previous.version() + 1,
                now.plus(validity).truncatedTo(ChronoUnit.SECONDS).toString(),
                new Catalog.Index(dir.toAbsolutePath().normalize().relativize(index).toString().replace('\\', '/'),
                        RepositoryFiles.sha256(index)));
        byte[] json = CatalogJson.bytes(signed);
        CatalogSignature signature = new CatalogSignature(Ed25519Keys.keyId(keys.getPublic()), sign(json));
        RepositoryFiles.writeAtomically(dir.resolve(RepositoryLayout.CATALOG), json);
        RepositoryFiles.writeAtomically(dir.resolve(RepositoryLayout.SIGNATURE),
                signature.line().getBytes(StandardCharsets.US_ASCII));
        return signed;
    }

    private byte[] sign(byte[] bytes) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(bytes);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new CatalogException("cannot sign with this key: " + e.getMessage(), e);
        }
    }
}
