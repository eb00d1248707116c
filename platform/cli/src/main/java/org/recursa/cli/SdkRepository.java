package org.recursa.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.recursa.runtime.RecursaException;

/**
 * The distribution's {@code sdk/}: a Maven repository in the standard layout ({@code group/artifact/version/}),
 * each artifact with its POM, built by {@code mvn package} from this reactor.
 */
record SdkRepository(Path root) {

    /** One artifact version: its directory relative to the repository root and the file names in it. */
    record Artifact(String groupId, String artifactId, String version, Path directory, List<String> files) {

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }

        boolean snapshot() {
            return version.endsWith("-SNAPSHOT");
        }
    }

    /** The SDK of the distribution this process runs from ({@code bin/recursa} names it). */
    static SdkRepository ofDistribution() {
        String distribution = System.getProperty(HostSession.DISTRIBUTION_PROPERTY);
        if (distribution == null) {
            throw new RecursaException("the SDK ships in the distribution's sdk/ directory and this recursa runs "
                    + "outside a distribution; use bin/recursa of one (platform/cli/target/recursa)");
        }
        Path root = Path.of(distribution, "sdk");
        if (!Files.isDirectory(root)) {
            throw new RecursaException(root + " is missing: this distribution carries no SDK; rebuild it "
                    + "(mvn -B package -pl platform/cli -am)");
        }
        return new SdkRepository(root.toAbsolutePath().normalize());
    }

    /**
     * Every artifact version in the repository, ordered by coordinates. Repository bookkeeping (metadata,
     * {@code _remote.repositories}, checksums) is not part of an artifact: an install writes its own.
     */
    List<Artifact> artifacts() {
        Map<Path, List<String>> byDirectory = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("maven-metadata") || name.equals("_remote.repositories")
                        || name.endsWith(".sha1") || name.endsWith(".md5") || name.endsWith(".lastUpdated")) {
                    continue;
                }
                byDirectory.computeIfAbsent(root.relativize(file.getParent()), d -> new ArrayList<>()).add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Artifact> artifacts = new ArrayList<>();
        byDirectory.forEach((directory, files) -> {
            if (directory.getNameCount() < 3) {
                throw new RecursaException(root.resolve(directory) + " holds files outside the repository layout "
                        + "(group/artifact/version/); the SDK is damaged, rebuild the distribution");
            }
            int n = directory.getNameCount();
            String groupId = directory.subpath(0, n - 2).toString().replace(directory.getFileSystem()
                    .getSeparator(), ".");
            files.sort(null);
            artifacts.add(new Artifact(groupId, directory.getName(n - 2).toString(),
                    directory.getName(n - 1).toString(), directory, List.copyOf(files)));
        });
        return artifacts;
    }
}
