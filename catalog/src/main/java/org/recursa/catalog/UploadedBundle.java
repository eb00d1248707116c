package org.recursa.catalog;

import aQute.bnd.header.OSGiHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * An uploaded jar's identity from its manifest: a symbolic name and an explicit, valid OSGi version, both usable in
 * the file name {@code jars/<bsn>-<version>.jar} the repository gives it.
 */
record UploadedBundle(String symbolicName, String version, Manifest manifest) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** @throws PublishRejected 422 naming what is wrong */
    static UploadedBundle read(Path jar) {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw new PublishRejected(422, "the upload is not a jar file (" + e.getMessage()
                    + "); expected an OSGi bundle .jar");
        }
        String header = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (header == null || header.isBlank()) {
            throw new PublishRejected(422, "the upload is not an OSGi bundle: its manifest has no "
                    + "Bundle-SymbolicName");
        }
        String name = OSGiHeader.parseHeader(header).keySet().iterator().next();
        if (!NAME.matcher(name).matches()) {
            throw new PublishRejected(422, "Bundle-SymbolicName '" + name + "' is not valid here; expected letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
        String version = manifest.getMainAttributes().getValue("Bundle-Version");
        if (version == null || version.isBlank()) {
            throw new PublishRejected(422, "bundle " + name + " has no Bundle-Version; a published bundle names its "
                    + "version (e.g. 1.0.0)");
        }
        version = version.strip();
        try {
            Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            throw new PublishRejected(422, "bundle " + name + " has Bundle-Version '" + version + "', not an OSGi "
                    + "version (major.minor.micro.qualifier)");
        }
        return new UploadedBundle(name, version, manifest);
    }

    /** Whether {@code otherVersion} is this version (1.0 and 1.0.0 are the same). */
    boolean sameVersion(String otherVersion) {
        try {
            return Version.parseVersion(otherVersion.strip()).equals(Version.parseVersion(version));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The packages a manifest header (Import-Package, Export-Package) names. */
    static List<String> packages(Manifest manifest, String header) {
        String value = manifest == null ? null : manifest.getMainAttributes().getValue(header);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return OSGiHeader.parseHeader(value).keySet().stream().map(UploadedBundle::key).toList();
    }

    private static String key(String clause) {
        int end = clause.length();
        while (end > 0 && clause.charAt(end - 1) == '~') {
            end--;
        }
        return clause.substring(0, end);
    }
}
