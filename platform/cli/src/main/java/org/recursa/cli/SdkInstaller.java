package org.recursa.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.recursa.runtime.RecursaException;

/**
 * Copies the SDK's artifacts into a local Maven repository and records them the way {@code mvn install} does, so
 * that Maven takes them for locally installed: {@code _remote.repositories} marks each file as installed (not
 * downloaded from a repository the build may not list), and a snapshot's {@code maven-metadata-local.xml} says the
 * local copy is the newest (so it wins over a snapshot of the same version downloaded earlier). Every file is
 * written beside its target and moved over it, so a Maven build running meanwhile reads the old file or the new
 * one, never half of one. A file that is already there with the same bytes is left alone.
 */
final class SdkInstaller {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** What an install did to one artifact. */
    enum Status { INSTALLED, UPDATED, UNCHANGED }

    /** One artifact's outcome; {@code replaced} names the files whose earlier, different content was overwritten. */
    record Outcome(String coordinates, Status status, List<String> replaced, List<String> added) {

        /** {@code installed G:A:V}, {@code updated G:A:V: replaced F (it differed)}, {@code unchanged G:A:V}. */
        String line() {
            return switch (status) {
                case INSTALLED -> "installed " + coordinates;
                case UNCHANGED -> "unchanged " + coordinates;
                case UPDATED -> "updated   " + coordinates + ":"
                        + (replaced.isEmpty() ? "" : " replaced " + String.join(", ", replaced) + " (different "
                        + (replaced.size() == 1 ? "file" : "files") + " before)")
                        + (replaced.isEmpty() || added.isEmpty() ? "" : ";")
                        + (added.isEmpty() ? "" : " added " + String.join(", ", added));
            };
        }
    }

    private SdkInstaller() {
    }

    /** Installs every artifact of {@code sdk} into {@code repository} (created if missing). */
    static List<Outcome> install(SdkRepository sdk, Path repository) {
        if (Files.exists(repository) && !Files.isDirectory(repository)) {
            throw new RecursaException(repository + " is not a directory; a local Maven repository is one");
        }
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP);
        List<Outcome> outcomes = new ArrayList<>();
        for (SdkRepository.Artifact artifact : sdk.artifacts()) {
            try {
                outcomes.add(install(sdk.root(), artifact, repository, now));
            } catch (IOException | UncheckedIOException e) {
                throw new RecursaException(IoMessages.writing("cannot install " + artifact.coordinates(),
                        repository, e), e);
            }
        }
        return outcomes;
    }

    /** {@code N artifacts in REPO: I installed, U updated, C unchanged}. */
    static String summary(List<Outcome> outcomes, Path repository) {
        return outcomes.size() + " SDK artifacts in " + repository + ": " + count(outcomes, Status.INSTALLED)
                + " installed, " + count(outcomes, Status.UPDATED) + " updated, "
                + count(outcomes, Status.UNCHANGED) + " unchanged";
    }

    private static long count(List<Outcome> outcomes, Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    private static Outcome install(Path sdk, SdkRepository.Artifact artifact, Path repository, String now)
            throws IOException {
        Path source = sdk.resolve(artifact.directory());
        Path target = Files.createDirectories(repository.resolve(artifact.directory().toString()));
        List<String> replaced = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (String name : artifact.files()) {
            Path from = source.resolve(name);
            Path to = target.resolve(name);
            if (!Files.exists(to)) {
                added.add(name);
            } else if (Files.mismatch(from, to) != -1) {
                replaced.add(name);
            } else {
                continue;
            }
            replace(to, temp -> Files.copy(from, temp));
        }
        if (replaced.isEmpty() && added.isEmpty()) {
            return new Outcome(artifact.coordinates(), Status.UNCHANGED, List.of(), List.of());
        }
        List<String> written = new ArrayList<>(replaced);
        written.addAll(added);
        markInstalled(target, written);
        if (artifact.snapshot()) {
            writeSnapshotMetadata(target, artifact, now);
        }
        boolean fresh = replaced.isEmpty() && added.size() == artifact.files().size();
        return fresh ? new Outcome(artifact.coordinates(), Status.INSTALLED, List.of(), List.of())
                : new Outcome(artifact.coordinates(), Status.UPDATED, List.copyOf(replaced), List.copyOf(added));
    }

    /** Writes what {@code writer} writes to a new file beside {@code target}, then moves it over {@code target}. */
    private static void replace(Path target, FileWriter writer) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            writer.write(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private interface FileWriter {
        void write(Path file) throws IOException;
    }

    /**
     * Maven's tracking file: {@code NAME>REPO=} says where a file came from; an empty REPO means it was installed
     * locally, which every build accepts. Entries naming a remote repository are dropped for the files replaced.
     */
    private static void markInstalled(Path directory, List<String> files) throws IOException {
        Path tracking = directory.resolve("_remote.repositories");
        Properties entries = new Properties();
        if (Files.isRegularFile(tracking)) {
            try (Reader reader = Files.newBufferedReader(tracking, StandardCharsets.ISO_8859_1)) {
                entries.load(reader);
            }
        }
        for (String file : files) {
            entries.stringPropertyNames().stream().filter(key -> key.startsWith(file + ">")).toList()
                    .forEach(entries::remove);
            entries.setProperty(file + ">", "");
        }
        replace(tracking, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                entries.store(out, "NOTE: This is a Maven Resolver internal implementation file, its format can be "
                        + "changed without prior notice.");
            }
        });
    }

    /** A locally installed snapshot's metadata: the local copy, updated now, for each file of the artifact. */
    private static void writeSnapshotMetadata(Path directory, SdkRepository.Artifact artifact, String now)
            throws IOException {
        String prefix = artifact.artifactId() + "-" + artifact.version();
        StringBuilder versions = new StringBuilder();
        for (String file : artifact.files()) {
            if (!file.startsWith(prefix)) {
                continue;
            }
            String rest = file.substring(prefix.length());
            int dot = rest.indexOf('.');
            String classifier = rest.startsWith("-") && dot > 1 ? rest.substring(1, dot) : "";
            String extension = dot >= 0 ? rest.substring(dot + 1) : "";
            versions.append("      <snapshotVersion>\n")
                    .append(classifier.isEmpty() ? "" : "        <classifier>" + classifier + "</classifier>\n")
                    .append("        <extension>").append(extension).append("</extension>\n")
                    .append("        <value>").append(artifact.version()).append("</value>\n")
                    .append("        <updated>").append(now).append("</updated>\n")
                    .append("      </snapshotVersion>\n");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<metadata modelVersion=\"1.1.0\">\n"
                + "  <groupId>" + artifact.groupId() + "</groupId>\n"
                + "  <artifactId>" + artifact.artifactId() + "</artifactId>\n"
                + "  <versioning>\n"
                + "    <lastUpdated>" + now + "</lastUpdated>\n"
                + "    <snapshot>\n      <localCopy>true</localCopy>\n    </snapshot>\n"
                + "    <snapshotVersions>\n" + versions + "    </snapshotVersions>\n"
                + "  </versioning>\n"
                + "  <version>" + artifact.version() + "</version>\n"
                + "</metadata>\n";
        replace(directory.resolve("maven-metadata-local.xml"),
                temp -> Files.writeString(temp, xml, StandardCharsets.UTF_8));
    }
}
