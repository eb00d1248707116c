package org.recursa.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * A jar file checked to be an OSGi bundle, with the manifest facts the plugin store needs. Reading it
 * fails with a one-line {@link RecursaException} that says what the file is and what it should be.
 *
 * @param path         the file
 * @param symbolicName {@code Bundle-SymbolicName} without directives, valid per the OSGi grammar
 * @param version      {@code Bundle-Version} in canonical form (0.0.0 when absent)
 * @param module       the {@code Recursa-Module} header, or null for a library bundle
 * @param sha256       the file's SHA-256, hex
 */
public record BundleFile(Path path, String symbolicName, String version, String module, String sha256) {

    /** Refuses a bundle whose name or version could make {@link #storeName()} a path rather than a name. */
    public BundleFile {
        if (!OsgiNames.isSymbolicName(symbolicName) || !version.equals(OsgiNames.canonicalVersion(version))) {
            throw new IllegalArgumentException("not a valid symbolic name and canonical version: " + symbolicName
                    + " " + version);
        }
    }

    /**
     * Reads and checks a bundle file.
     *
     * @throws RecursaException if the file is missing, not a jar, or not an OSGi bundle whose symbolic name
     *                          and version follow the OSGi grammar
     */
    public static BundleFile read(Path path) {
        requireFile(path);
        Manifest manifest = manifestOf(path);
        Attributes main = manifest == null ? null : manifest.getMainAttributes();
        String header = main == null ? null : main.getValue("Bundle-SymbolicName");
        if (header == null || header.isBlank()) {
            throw new RecursaException(path.getFileName() + " is a jar but not an OSGi bundle: its manifest has no "
                    + "Bundle-SymbolicName (build plugins with bnd-maven-plugin; see docs/plugin-guide.md)");
        }
        String name = header.split(";")[0].trim();
        if (!OsgiNames.isSymbolicName(name)) {
            throw new RecursaException(path.getFileName() + " has an invalid Bundle-SymbolicName '" + name
                    + "' (expected " + OsgiNames.SYMBOLIC_NAME_HINT + ")");
        }
        String declared = main.getValue("Bundle-Version");
        String version = declared == null || declared.isBlank() ? "0.0.0" : OsgiNames.canonicalVersion(declared.trim());
        if (version == null) {
            throw new RecursaException(path.getFileName() + " has an invalid Bundle-Version '" + declared
                    + "' (expected " + OsgiNames.VERSION_HINT + ")");
        }
        String module = main.getValue(org.recursa.api.plugin.RecursaModule.HEADER);
        return new BundleFile(path, name, version, module, sha256(path));
    }

    /**
     * Checks that {@code path} names an existing regular file, so that a wrong argument is refused before
     * anything starts.
     *
     * @throws UsageException saying what the path is instead (missing, a directory, something else): the user typed it
     */
    public static void requireFile(Path path) {
        String expected = "; expected the path of a plugin bundle .jar file";
        if (Files.isDirectory(path)) {
            throw new UsageException(path + " is a directory" + expected);
        }
        if (!Files.exists(path)) {
            throw new UsageException(path + " does not exist" + expected);
        }
        if (!Files.isRegularFile(path)) {
            throw new UsageException(path + " is not a regular file" + expected);
        }
    }

    /**
     * The file name the plugin store gives this bundle: only letters, digits, '_', '-' and '.', since both
     * parts were checked against the OSGi grammar, so it is always a plain name inside {@code plugins/}.
     */
    public String storeName() {
        return symbolicName + "-" + version + ".jar";
    }

    private static Manifest manifestOf(Path path) {
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getManifest();
        } catch (ZipException e) {
            throw new RecursaException(path.getFileName() + " is not a jar file (" + e.getMessage()
                    + "); expected an OSGi bundle .jar");
        } catch (IOException | SecurityException e) {
            throw new RecursaException("cannot read " + path + " as a jar: " + e.getMessage());
        }
    }

    /** The hex SHA-256 of bytes, e.g. a jar read whole. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The hex SHA-256 of a file. */
    public static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new RecursaException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
