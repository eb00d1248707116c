package org.recursa.runtime.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.recursa.runtime.ManifestHeader;

/**
 * Runs at build time and writes the packages the host's system bundle exports to plugins, one
 * {@code Export-Package} clause per line. Typing that list by hand would drift from the class path; here
 * it follows the dependencies declared in the runtime's POM.
 *
 * <p>A jar that is already an OSGi bundle exports what its own manifest says, with its versions, so that
 * plugins built by bnd against it import ranges the host satisfies. Other jars (ND4J, JavaCPP) export
 * every package that holds classes, at the jar's version.
 */
public final class SystemPackagesGenerator {

    private SystemPackagesGenerator() {
    }

    /**
     * @param args the file listing the exported class path ({@code :}-separated), and the output file
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SystemPackagesGenerator <classpath-file> <output-file>");
        }
        String classPath = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8).trim();
        Map<String, String> exports = new LinkedHashMap<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                exportsOf(Path.of(entry)).forEach(exports::putIfAbsent);
            }
        }
        Path output = Path.of(args[1]);
        Files.createDirectories(output.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# Generated at build time by " + SystemPackagesGenerator.class.getName() + "; do not edit.");
        exports.forEach((pkg, version) -> lines.add(pkg + ";version=\"" + version + "\""));
        Files.write(output, lines, StandardCharsets.UTF_8);
    }

    /** Package name to OSGi version for one jar. */
    public static Map<String, String> exportsOf(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String declared = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            if (declared != null) {
                return declaredExports(declared);
            }
            return scannedExports(file, osgiVersion(versionOf(jar, manifest)));
        }
    }

    private static Map<String, String> declaredExports(String header) {
        Map<String, String> exports = new LinkedHashMap<>();
        for (ManifestHeader.Clause clause : ManifestHeader.parse(header)) {
            String version = clause.attribute("version").orElse("0.0.0");
            clause.names().forEach(name -> exports.putIfAbsent(name, version));
        }
        return exports;
    }

    private static Map<String, String> scannedExports(JarFile file, String version) {
        TreeSet<String> packages = new TreeSet<>();
        Enumeration<JarEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.lastIndexOf('/');
            if (name.endsWith(".class") && slash > 0 && !name.startsWith("META-INF/")
                    && !name.endsWith("module-info.class")) {
                packages.add(name.substring(0, slash).replace('/', '.'));
            }
        }
        Map<String, String> exports = new LinkedHashMap<>();
        packages.forEach(pkg -> exports.put(pkg, version));
        return exports;
    }

    /** The jar's version: from its manifest, else from the Maven repository path ({@code .../<version>/x.jar}). */
    private static String versionOf(Path jar, Manifest manifest) {
        if (manifest != null) {
            Attributes main = manifest.getMainAttributes();
            for (String key : List.of("Bundle-Version", "Implementation-Version", "Specification-Version")) {
                String value = main.getValue(key);
                if (value != null && !value.isBlank()) {
                    return value.trim();
                }
            }
        }
        Path parent = jar.getParent();
        return parent == null ? "0.0.0" : parent.getFileName().toString();
    }

    /** Maven to OSGi version: {@code 1.0.0-M2.1} becomes {@code 1.0.0.M2_1}. */
    public static String osgiVersion(String maven) {
        String[] numberAndQualifier = maven.split("-", 2);
        String[] parts = numberAndQualifier[0].split("\\.");
        int[] numbers = new int[3];
        StringBuilder qualifier = new StringBuilder(numberAndQualifier.length > 1 ? numberAndQualifier[1] : "");
        for (int i = 0; i < parts.length; i++) {
            if (i < 3 && parts[i].matches("\\d{1,9}")) {
                numbers[i] = Integer.parseInt(parts[i]);
            } else {
                qualifier.insert(0, parts[i] + (qualifier.length() > 0 ? "_" : ""));
            }
        }
        String cleaned = qualifier.toString().replaceAll("[^A-Za-z0-9_-]", "_");
        return numbers[0] + "." + numbers[1] + "." + numbers[2] + (cleaned.isEmpty() ? "" : "." + cleaned);
    }
}
