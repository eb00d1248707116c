package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.cli.TestDistribution.Result;
import org.recursa.runtime.RecursaException;

/** {@code recursa sdk install} and {@code sdk path} on a distribution whose sdk/ holds two small artifacts. */
class SdkInstallTest {

    private static final String API_DIR = "org/recursa/recursa-api/0.1.0-SNAPSHOT/";
    private static final String API_JAR = API_DIR + "recursa-api-0.1.0-SNAPSHOT.jar";
    private static final String API_POM = API_DIR + "recursa-api-0.1.0-SNAPSHOT.pom";
    private static final String PARENT_POM =
            "org/recursa/recursa-parent/0.1.0-SNAPSHOT/recursa-parent-0.1.0-SNAPSHOT.pom";

    @TempDir
    Path dir;

    private Path sdk;
    private Path repo;

    @BeforeEach
    void distributionWithAnSdk() throws IOException {
        Path distribution = dir.resolve("recursa");
        sdk = distribution.resolve("sdk");
        write(sdk.resolve(API_JAR), "api jar");
        write(sdk.resolve(API_POM), "<project>api</project>");
        write(sdk.resolve(PARENT_POM), "<project>parent</project>");
        // what the build's copy leaves beside the artifacts: bookkeeping an install writes afresh, not copies
        write(sdk.resolve(API_DIR + "_remote.repositories"), "recursa-api-0.1.0-SNAPSHOT.jar>=\n");
        write(sdk.resolve(API_DIR + "maven-metadata-local.xml"), "<metadata/>");
        repo = dir.resolve("m2 repo");
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, distribution.toString());
    }

    @AfterEach
    void noDistribution() {
        TestDistribution.uninstall();
    }

    @Test
    void installsEveryArtifactAsMavenInstallWould() throws IOException {
        Result result = TestDistribution.run("sdk", "install", "--local-repo", repo.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).containsExactly(
                "installed org.recursa:recursa-api:0.1.0-SNAPSHOT",
                "installed org.recursa:recursa-parent:0.1.0-SNAPSHOT",
                "2 SDK artifacts in " + repo + ": 2 installed, 0 updated, 0 unchanged");
        assertThat(Files.readString(repo.resolve(API_JAR))).isEqualTo("api jar");
        assertThat(Files.readString(repo.resolve(PARENT_POM))).isEqualTo("<project>parent</project>");
        assertThat(Files.readAllLines(repo.resolve(API_DIR + "_remote.repositories")))
                .as("installed locally, which Maven accepts whatever repositories a build lists")
                .contains("recursa-api-0.1.0-SNAPSHOT.jar>=", "recursa-api-0.1.0-SNAPSHOT.pom>=");
        String metadata = Files.readString(repo.resolve(API_DIR + "maven-metadata-local.xml"));
        assertThat(metadata).contains("<artifactId>recursa-api</artifactId>", "<localCopy>true</localCopy>",
                "<extension>jar</extension>", "<extension>pom</extension>", "<version>0.1.0-SNAPSHOT</version>");
        assertThat(leftovers()).as("no temporary file is left").isEmpty();
    }

    @Test
    void aSecondInstallChangesNothing() throws IOException {
        assertThat(TestDistribution.run("sdk", "install", "--local-repo", repo.toString()).code()).isZero();
        long modified = Files.getLastModifiedTime(repo.resolve(API_DIR + "maven-metadata-local.xml")).toMillis();

        Result again = TestDistribution.run("sdk", "install", "--local-repo", repo.toString());

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out().lines()).containsExactly(
                "unchanged org.recursa:recursa-api:0.1.0-SNAPSHOT",
                "unchanged org.recursa:recursa-parent:0.1.0-SNAPSHOT",
                "2 SDK artifacts in " + repo + ": 0 installed, 0 updated, 2 unchanged");
        assertThat(Files.getLastModifiedTime(repo.resolve(API_DIR + "maven-metadata-local.xml")).toMillis())
                .isEqualTo(modified);
    }

    @Test
    void aDifferentFileIsReplacedAndNamed() throws IOException {
        write(repo.resolve(API_JAR), "an older api jar");
        write(repo.resolve(API_POM), "<project>api</project>");
        write(repo.resolve(API_DIR + "_remote.repositories"), "recursa-api-0.1.0-SNAPSHOT.jar>snapshots=\n"
                + "recursa-api-0.1.0-SNAPSHOT.pom>snapshots=\n");

        Result result = TestDistribution.run("sdk", "install", "--local-repo", repo.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().lines()).containsExactly(
                "updated   org.recursa:recursa-api:0.1.0-SNAPSHOT: replaced recursa-api-0.1.0-SNAPSHOT.jar "
                        + "(different file before)",
                "installed org.recursa:recursa-parent:0.1.0-SNAPSHOT",
                "2 SDK artifacts in " + repo + ": 1 installed, 1 updated, 0 unchanged");
        assertThat(Files.readString(repo.resolve(API_JAR))).isEqualTo("api jar");
        assertThat(Files.readAllLines(repo.resolve(API_DIR + "_remote.repositories")))
                .as("the replaced jar is no longer the one downloaded from 'snapshots'; the unchanged POM still is")
                .contains("recursa-api-0.1.0-SNAPSHOT.jar>=", "recursa-api-0.1.0-SNAPSHOT.pom>snapshots=")
                .doesNotContain("recursa-api-0.1.0-SNAPSHOT.jar>snapshots=");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFileGivenAsTheLocalRepositoryIsAUsageError() throws IOException {
        Path file = write(dir.resolve("file"), "x");

        Result result = TestDistribution.run("sdk", "install", "--local-repo", file.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).containsExactly("recursa: --local-repo " + file
                + " is a file; give a directory (it is created if missing)");
    }

    @Test
    void aDistributionWithoutAnSdkFailsInOneLine() throws IOException {
        deleteTree(sdk);

        Result result = TestDistribution.run("sdk", "install", "--local-repo", repo.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("recursa: " + sdk + " is missing: this distribution "
                + "carries no SDK; rebuild it (mvn -B package -pl platform/cli -am)");
        assertThat(repo).doesNotExist();
    }

    @Test
    void anUnwritableRepositoryFailsInOneLine() throws IOException {
        write(repo.resolve("org/recursa/recursa-api"), "a file where a directory belongs");

        Result result = TestDistribution.run("sdk", "install", "--local-repo", repo.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("recursa: cannot install org.recursa:recursa-api:0.1.0-SNAPSHOT: "
                        + repo.resolve("org/recursa/recursa-api"));
    }

    @Test
    void pathPrintsTheSdkDirectory() {
        Result result = TestDistribution.run("sdk", "path");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(sdk.toString());
    }

    @Test
    void theDefaultRepositoryIsTheUsersM2Repository() {
        assertThat(MavenLocalRepository.ofUser(dir, Map.of())).isEqualTo(dir.resolve(".m2/repository"));
    }

    @Test
    void theDefaultRepositoryHonoursLocalRepositoryOfSettingsXml() throws IOException {
        write(dir.resolve(".m2/settings.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
                  <mirrors><mirror><localRepository>not this</localRepository></mirror></mirrors>
                  <localRepository>
                    ${user.home}/repos/${env.FLAVOUR}
                  </localRepository>
                </settings>
                """);

        assertThat(MavenLocalRepository.ofUser(dir, Map.of("FLAVOUR", "maven")))
                .isEqualTo(dir.resolve("repos/maven"));
    }

    @Test
    void settingsWithoutLocalRepositoryMeanTheDefault() throws IOException {
        write(dir.resolve(".m2/settings.xml"), "<settings><offline>true</offline></settings>");

        assertThat(MavenLocalRepository.ofUser(dir, Map.of())).isEqualTo(dir.resolve(".m2/repository"));
    }

    @Test
    void malformedSettingsAreNamedWithTheirLine() throws IOException {
        Path settings = write(dir.resolve(".m2/settings.xml"), "<settings>\n<localRepository>x</settings>\n");

        assertThatThrownBy(() -> MavenLocalRepository.ofUser(dir, Map.of()))
                .isInstanceOf(RecursaException.class)
                .hasMessageStartingWith(settings + " line 2: ")
                .hasMessageEndingWith("; fix it or give the repository with --local-repo DIR");
    }

    @Test
    void anUnsetExpressionInSettingsIsNamed() throws IOException {
        Path settings = write(dir.resolve(".m2/settings.xml"),
                "<settings><localRepository>${env.NOPE}/repo</localRepository></settings>");

        assertThatThrownBy(() -> MavenLocalRepository.ofUser(dir, Map.of()))
                .isInstanceOf(RecursaException.class)
                .hasMessage(settings + ": <localRepository> uses ${env.NOPE}, which is not set; set it or give the "
                        + "repository with --local-repo DIR");
    }

    private Stream<Path> leftovers() throws IOException {
        return Files.walk(repo).filter(p -> p.getFileName().toString().endsWith(".part")).toList().stream();
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
