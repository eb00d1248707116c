package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.recursa.runstore.StoredRun;

/** What the end-to-end CLI tests of derived runs share: bundles made on the fly, run files, predictions, hits. */
final class CliFixtures {

    private CliFixtures() {
    }

    /** The predicted tokens of every example of a split, in order, from the run's proof artifacts. */
    static List<String> predictions(StoredRun run, String split) {
        List<String> predicted = new ArrayList<>();
        run.artifacts().get(split).forEach((record, line) -> predicted.add(record.get("example").asText() + " "
                + record.get("predicted")));
        return predicted;
    }

    /** The run ids of {@code runs search --format json} hits. */
    static List<String> ids(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.forEach(hit -> ids.add(hit.path("run_id").asText()));
        return ids;
    }

    /** Every file under {@code dir} with its size and SHA-256: equal snapshots mean nothing was written. */
    static List<String> snapshot(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted().toList()) {
                files.add(dir.relativize(path) + (Files.isRegularFile(path) ? " " + Files.size(path) + " "
                        + sha256(path) : "/"));
            }
        }
        return files;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bundle jar with the given manifest headers and the class files of {@code classes}. */
    static Path fabricate(Path target, Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        new LinkedHashMap<>(headers).forEach(main::putValue);
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file,
                manifest)) {
            for (Class<?> type : classes) {
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
}
