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
import org.osgi.framework.Version;

/**
 * A jar file checked to be an OSGi bundle, with the manifest facts the plugin store needs. Reading it
 * fails with a one-line {@link RecursaException} that says what the file is and what it should be.
 *
 * @param path         the file
 * @param symbolicName {@code Bundle-SymbolicName} without directives
 * @param version      {@code Bundle-Version} (0.0.0 when absent)
 * @param module       the {@code Recursa-Module} header, or null for a library bundle
 * @param sha256       the file's SHA-256, hex
 */
public record BundleFile(Path path, String symbolicName, String version, String module, String sha256) {

    /**
     * Reads and checks a bundle file.
     *
     * @throws RecursaException if the file is missing, not a jar, or not an OSGi bundle
     */
    public static BundleFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new RecursaException("no such file: " + path + " (expected the path of a plugin bundle .jar)");
        }
        Manifest manifest = manifestOf(path);
        Attributes main = manifest == null ? null : manifest.getMainAttributes();
        String name = main == null ? null : main.getValue("Bundle-SymbolicName");
        if (name == null || name.isBlank()) {
            throw new RecursaException(path.getFileName() + " is a jar but not an OSGi bundle: its manifest has no "
                    + "Bundle-SymbolicName (build plugins with bnd-maven-plugin; see docs/plugin-guide.md)");
        }
        String version = main.getValue("Bundle-Version");
        try {
            version = Version.parseVersion(version == null ? null : version.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new RecursaException(path.getFileName() + " has an invalid Bundle-Version '" + version
                    + "' (expected major.minor.micro[.qualifier], e.g. 1.0.0)");
        }
        String module = main.getValue(org.recursa.api.plugin.RecursaModule.HEADER);
        return new BundleFile(path, name.split(";")[0].trim(), version, module, sha256(path));
    }

    /** The file name the plugin store gives this bundle. */
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
