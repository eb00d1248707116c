package org.recursa.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys (the JDK's own) and their files: {@code <name>.pub} is one line {@code ed25519 <base64 X.509>},
 * {@code <name>.key} is one line {@code ed25519-private <base64 PKCS#8>} readable by its owner only. A key's id is
 * the first 16 hex digits of the SHA-256 of its X.509 encoding.
 */
public final class Ed25519Keys {

    public static final String PUBLIC_TAG = "ed25519";
    public static final String PRIVATE_TAG = "ed25519-private";
    /** Key files are one short line; anything larger is not one. */
    static final long MAX_KEY_FILE = 4096;

    private Ed25519Keys() {
    }

    /** A fresh key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The key id: the first 16 hex digits of the SHA-256 of the key's X.509 encoding. */
    public static String keyId(PublicKey key) {
        return RepositoryFiles.sha256(key.getEncoded()).substring(0, 16);
    }

    /** Writes {@code <base>.pub} and {@code <base>.key}; refuses to overwrite either. */
    public static void write(KeyPair pair, Path base) {
        Path pub = publicFile(base);
        Path key = privateFile(base);
        for (Path existing : new Path[] {pub, key}) {
            if (Files.exists(existing)) {
                throw new CatalogException(existing + ": already exists; choose another name or remove it");
            }
        }
        try {
            Path dir = key.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String privateLine = PRIVATE_TAG + " " + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())
                    + "\n";
            // Created owner-only before a byte is written, so the private key is never readable by others.
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, privateLine, StandardCharsets.US_ASCII);
            Files.writeString(pub, publicLine(pair.getPublic()), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new CatalogException(e.getFile() + ": already exists; choose another name or remove it", e);
        } catch (IOException e) {
            throw new CatalogException("cannot write the key " + base + ": " + e.getMessage(), e);
        }
    }

    /** The line of a public key file. */
    public static String publicLine(PublicKey key) {
        return PUBLIC_TAG + " " + Base64.getEncoder().encodeToString(key.getEncoded()) + "\n";
    }

    /** The public key in {@code file} ({@code ed25519 <base64>}). */
    public static PublicKey readPublic(Path file) {
        byte[] der = decode(file, PUBLIC_TAG);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CatalogException(file + ": not an Ed25519 public key", e);
        }
    }

    /** The public key of one line {@code ed25519 <base64>}, e.g. given on a command line. */
    public static PublicKey parsePublic(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equals(PUBLIC_TAG)) {
            throw new CatalogException("not a public key line 'ed25519 <base64 X.509>'");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(parts[1])));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CatalogException("not an Ed25519 public key: " + parts[1], e);
        }
    }

    /** The private key in {@code file} ({@code ed25519-private <base64>}). */
    public static PrivateKey readPrivate(Path file) {
        byte[] der = decode(file, PRIVATE_TAG);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CatalogException(file + ": not an Ed25519 private key", e);
        }
    }

    /**
     * The key pair of a private key file and the public key file beside it ({@code x.key} and {@code x.pub}); the JDK
     * cannot derive an Ed25519 public key from a private one, and the signature names the public key's id.
     */
    public static KeyPair readPair(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        if (!name.endsWith(".key")) {
            throw new CatalogException(privateKeyFile + ": a private key file's name ends with .key");
        }
        Path pub = privateKeyFile.resolveSibling(name.substring(0, name.length() - 4) + ".pub");
        KeyPair pair = new KeyPair(readPublic(pub), readPrivate(privateKeyFile));
        if (!matches(pair)) {
            throw new CatalogException(privateKeyFile + " and " + pub.getFileName() + " are not one key pair");
        }
        return pair;
    }

    /** {@code <base>.pub}. */
    public static Path publicFile(Path base) {
        return base.resolveSibling(base.getFileName() + ".pub");
    }

    /** {@code <base>.key}. */
    public static Path privateFile(Path base) {
        return base.resolveSibling(base.getFileName() + ".key");
    }

    private static boolean matches(KeyPair pair) {
        try {
            byte[] probe = "recursa key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(pair.getPublic());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] decode(Path file, String tag) {
        String line = new String(RepositoryFiles.readSmall(file, MAX_KEY_FILE), StandardCharsets.US_ASCII).trim();
        String[] parts = line.split("\\s+");
        if (parts.length != 2 || !parts[0].equals(tag)) {
            throw new CatalogException(file + ": not a key file; expected one line '" + tag + " <base64>'");
        }
        try {
            return Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new CatalogException(file + ": the key is not valid base64", e);
        }
    }
}
