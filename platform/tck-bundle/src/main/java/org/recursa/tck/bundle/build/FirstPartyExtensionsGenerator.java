package org.recursa.tck.bundle.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.recursa.runtime.ExtensionEntry;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;

/**
 * Build step: starts a real host on the first-party bundles and writes the extensions they register, one
 * {@code kind id bundle description} line each (the description has spaces; readers that want only the first three
 * columns split them off), to the resource {@code BundleConformance} and the bundle repository's build read. The ids
 * come from the bundles themselves (their modules' bindings), so the list cannot drift from what the distribution
 * ships.
 */
public final class FirstPartyExtensionsGenerator {

    private FirstPartyExtensionsGenerator() {
    }

    /**
     * @param args the directory of first-party bundle jars, and the file to write
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FirstPartyExtensionsGenerator BUNDLE_DIR OUTPUT_FILE");
        }
        Path bundles = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Path home = Files.createTempDirectory("recursa-first-party-");
        List<String> lines = new ArrayList<>();
        lines.add("# kind id bundle description: the extensions of the first-party bundles, written at build time");
        try (RecursaHost host = RecursaHost.start(new RecursaHome(home), Optional.of(bundles))) {
            host.plugins().list().stream().filter(p -> p.problem().isPresent()).findFirst().ifPresent(p -> {
                throw new IllegalStateException("first-party bundle " + p.symbolicName() + " failed: "
                        + p.problem().get());
            });
            for (ExtensionEntry entry : host.registry().all()) {
                String description = entry.description() == null ? "" : entry.description().strip()
                        .replaceAll("\\s+", " ");
                lines.add(entry.kind().label() + " " + entry.id() + " " + entry.bundle().symbolicName()
                        + (description.isEmpty() ? "" : " " + description));
            }
        } finally {
            delete(home);
        }
        if (lines.size() == 1) {
            throw new IllegalStateException("no first-party extension registered from " + bundles);
        }
        Files.createDirectories(output.getParent());
        Files.write(output, lines, StandardCharsets.UTF_8);
        // The JVM may keep ND4J's threads alive; the file is written, so end it.
        System.exit(0);
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
