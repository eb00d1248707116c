package org.recursa.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The real first-party bundles built by Maven, and real bundles fabricated from test classes. */
final class TestBundles {

    private TestBundles() {
    }

    /** Directory holding the first-party bundle jars (copied there by the build). */
    static Path firstParty() {
        String dir = System.getProperty("recursa.test.bundles");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property recursa.test.bundles must name the directory of "
                    + "built plugin bundles (run the tests through Maven)");
        }
        return Path.of(dir);
    }

    /** The first-party jar whose name starts with {@code prefix}, e.g. {@code recursa-task-copy}. */
    static Path firstParty(String prefix) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(firstParty(), prefix + "-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("no " + prefix + " jar in " + firstParty());
    }

    /**
     * Writes a bundle jar with the given manifest headers and the class files of {@code classes}.
     *
     * @param target  the jar to write
     * @param headers main manifest attributes besides Manifest-Version and Bundle-ManifestVersion
     * @param classes classes whose .class files go into the jar
     */
    static Path fabricate(Path target, Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (headers.containsKey("Bundle-SymbolicName")) {
            main.putValue("Bundle-ManifestVersion", "2");
        }
        headers.forEach(main::putValue);
        try (OutputStream file = Files.newOutputStream(target);
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Class<?> type : withSuperclasses(classes)) {
                String name = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return target;
    }

    /** The classes and their superclasses of the same package (a fixture's base class goes into its bundle). */
    private static Set<Class<?>> withSuperclasses(Class<?>... classes) {
        Set<Class<?>> all = new LinkedHashSet<>();
        for (Class<?> type : classes) {
            for (Class<?> c = type; c != null && c.getPackage() == type.getPackage(); c = c.getSuperclass()) {
                all.add(c);
            }
        }
        return all;
    }

    /** Names and sizes of the files under {@code dir}, to prove a failed command changed nothing. */
    static List<String> snapshot(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted().toList()) {
                if (Files.isRegularFile(path)) {
                    files.add(dir.relativize(path) + " " + Files.size(path) + " " + BundleFile.sha256(path));
                }
            }
        }
        return files;
    }
}
