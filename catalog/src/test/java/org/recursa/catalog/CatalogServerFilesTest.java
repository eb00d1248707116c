package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repositories' files over HTTP: byte for byte, only the repository's own files, never a path outside. */
class CatalogServerFilesTest {

    private static final String SECRET = "top secret outside the repository";

    @TempDir
    Path dir;

    private CatalogServer server;
    private Http http;
    private Path repo;

    @BeforeEach
    void serve() throws IOException {
        repo = Repositories.firstParty(dir.resolve("served/first"));
        Files.writeString(dir.resolve("served/secret.txt"), SECRET);
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.writeString(repo.resolve("catalog.key"), "ed25519-private " + SECRET);
        Files.createSymbolicLink(repo.resolve("jars/link.jar"), dir.resolve("secret.txt"));
        server = CatalogServer.start(List.of(repo), "127.0.0.1", 0);
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesEveryRepositoryFileByteForByte() throws Exception {
        for (String file : List.of("catalog.json", "catalog.json.sig", "index.xml",
                "jars/org.recursa.plugins.mor-0.2.0.jar")) {
            HttpResponse<byte[]> response = http.get("/repo/first-party/" + file);
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(response.body()).as(file).isEqualTo(Files.readAllBytes(repo.resolve(file)));
        }
        assertThat(http.get("/repo/first-party/catalog.json").headers().firstValue("content-type"))
                .hasValue("application/json");
        assertThat(http.get("/repo/first-party/jars/org.recursa.plugins.mor-0.2.0.jar").headers()
                .firstValue("content-type")).hasValue("application/java-archive");
        assertThat(server.repositoryNames()).containsExactly("first-party");
    }

    @Test
    void neverServesAPathOutsideTheRepositoryNorAnyOtherFileInIt() throws Exception {
        List<String> attempts = List.of(
                "/repo/first-party/../secret.txt",
                "/repo/first-party/jars/../../secret.txt",
                "/repo/first-party/%2e%2e/secret.txt",
                "/repo/first-party/jars/%2e%2e/%2e%2e/secret.txt",
                "/repo/first-party/%2e%2e%2fsecret.txt",
                "/repo/first-party/jars/..%2f..%2fsecret.txt",
                "/repo/first-party/jars/%2fetc%2fpasswd",
                "/repo/first-party//etc/passwd",
                "/repo/first-party/" + dir.resolve("secret.txt"),
                "/repo/first-party/jars/..%5c..%5csecret.txt",
                "/repo/first-party/catalog.key",
                "/repo/first-party/jars/link.jar",
                "/repo/..%2fsecret.txt",
                "/repo/first-party/",
                "/repo/first-party/jars/");
        for (String target : attempts) {
            String raw = http.raw(target);
            assertThat(raw).as(target).doesNotContain(SECRET).doesNotContain("root:");
            String status = raw.lines().findFirst().orElse("");
            assertThat(status).as(target).matches("HTTP/1\\.1 (400|404) .*");
        }
        assertThat(http.get("/repo/first-party/catalog.key").statusCode()).isEqualTo(404);
    }

    @Test
    void answersOtherMethodsWith405() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        server.uri().resolve("/repo/first-party/catalog.json"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).startsWith("{\"error\":").doesNotContain("\n");
    }

    @Test
    void refusesTwoRepositoriesOfTheSameNameAndADirectoryWithoutCatalog() throws IOException {
        Path copy = Repositories.firstParty(dir.resolve("mirror"));
        assertThatThrownBy(() -> CatalogServer.start(List.of(repo, copy), "127.0.0.1", 0))
                .isInstanceOf(CatalogException.class).hasMessageContaining("are both named 'first-party'");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> CatalogServer.start(List.of(empty), "127.0.0.1", 0))
                .isInstanceOf(CatalogException.class).hasMessage(empty + " is not a catalog repository: it has no "
                        + "catalog.json");
    }

    @Test
    void readsCatalogJsonThroughTheRepositoryModuleAndRefusesWhatItRefuses() throws IOException {
        Path escaping = Repositories.at(dir.resolve("escaping"), "escaping")
                .plugin("org.example.bad", "1.0.0", "Bad", "s", "d", List.of(), "MIT", List.of(), List.of(),
                        "task", "b")
                .write();
        String json = Files.readString(escaping.resolve("catalog.json"));
        Files.writeString(escaping.resolve("catalog.json"),
                json.replace("jars/org.example.bad-1.0.0.jar", "../secret.txt"));
        assertThatThrownBy(() -> CatalogServer.start(List.of(escaping), "127.0.0.1", 0))
                .isInstanceOf(CatalogException.class)
                .hasMessage(escaping + ": org.example.bad 1.0.0: path '../secret.txt' in catalog.json has a '..' "
                        + "segment; refused (paths must stay inside the repository directory)");

        Files.writeString(escaping.resolve("catalog.json"), json.replace("\"format\" : 1", "\"format\" : 2"));
        assertThatThrownBy(() -> CatalogServer.start(List.of(escaping), "127.0.0.1", 0))
                .isInstanceOf(CatalogException.class).hasMessage(escaping + ": catalog.json: format 2 is not "
                        + "supported (this version reads format 1)");

        // sparse: the size is refused before a byte is read
        try (var file = new java.io.RandomAccessFile(escaping.resolve("catalog.json").toFile(), "rw")) {
            file.setLength(org.recursa.repository.CatalogJson.MAX_SIZE + 1);
        }
        assertThatThrownBy(() -> CatalogServer.start(List.of(escaping), "127.0.0.1", 0))
                .isInstanceOf(CatalogException.class).hasMessageContaining("catalog.json: "
                        + (org.recursa.repository.CatalogJson.MAX_SIZE + 1) + " bytes, more than the limit of");
    }
}
