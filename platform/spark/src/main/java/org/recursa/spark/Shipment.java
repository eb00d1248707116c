package org.recursa.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * What the driver ships to the executors, staged under unique names in one directory (Spark serves files by name):
 * every entry of the launcher's class path ({@code lib/*.jar} of the distribution; a directory of classes, as in a
 * build, is packed into a jar) and the installed plugins of the driver's home ({@code plugins/installed.json} and
 * its bundles), each with its SHA-256.
 *
 * @param staging the directory holding the staged files (hard links to the originals or copies, packed jars)
 * @param files   the files with their hashes, class path first in its order
 */
record Shipment(Path staging, List<ShippedFile> files) {

    /** The journal of installed plugins in {@code plugins/}. */
    static final String PLUGIN_JOURNAL = "installed.json";

    static Shipment prepare(List<Path> classPath, Path plugins, Path staging) throws IOException {
        Files.createDirectories(staging);
        List<ShippedFile> files = new ArrayList<>();
        int index = 0;
        for (Path entry : classPath) {
            if (!Files.exists(entry)) {
                continue;
            }
            String base = entry.getFileName().toString();
            String name = String.format(Locale.ROOT, "lib-%03d-%s", index++, base.endsWith(".jar") ? base
                    : base + ".jar");
            Path staged = staging.resolve(name);
            if (Files.isDirectory(entry)) {
                pack(entry, staged);
            } else {
                link(entry, staged);
            }
            files.add(new ShippedFile(name, name, ShippedFile.Role.LIB, Sha256.of(staged), Files.size(staged)));
        }
        if (!Files.isRegularFile(plugins.resolve(PLUGIN_JOURNAL))) {
            throw new IOException("no installed plugins in " + plugins + " (" + PLUGIN_JOURNAL + " is missing)");
        }
        List<Path> pluginFiles;
        try (Stream<Path> list = Files.list(plugins)) {
            pluginFiles = list.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".jar")
                    || p.getFileName().toString().equals(PLUGIN_JOURNAL)).sorted().toList();
        }
        for (Path file : pluginFiles) {
            String target = file.getFileName().toString();
            String name = "plugin-" + target;
            Path staged = staging.resolve(name);
            Files.copy(file, staged); // a copy: the journal may change while the sweep runs
            files.add(new ShippedFile(name, target, ShippedFile.Role.PLUGIN, Sha256.of(staged), Files.size(staged)));
        }
        return new Shipment(staging, files);
    }

    /** A hard link where the file system allows one (no copy of large jars), else a copy. */
    private static void link(Path file, Path staged) throws IOException {
        try {
            Files.createLink(staged, file.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, staged);
        }
    }

    /** The staged path of a shipped file. */
    Path path(ShippedFile file) {
        return staging.resolve(file.name());
    }

    /** Total bytes shipped. */
    long bytes() {
        return files.stream().mapToLong(ShippedFile::size).sum();
    }

    /** A directory of classes as a jar, entries in name order with a fixed time, so that its hash is stable. */
    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                ZipEntry entry = new ZipEntry(dir.relativize(path).toString().replace('\\', '/'));
                entry.setTime(0);
                out.putNextEntry(entry);
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }
}
