package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.catalog.fixtures.EchoModule;
import org.recursa.catalog.fixtures.EchoTask;
import org.recursa.catalog.fixtures.FlipModule;
import org.recursa.catalog.fixtures.FlipTask;
import org.recursa.catalog.fixtures.MirrorModule;
import org.recursa.catalog.fixtures.MirrorTask;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.CatalogVerifier;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.repository.RepositoryFiles;

/**
 * {@code POST /api/publish/<name>} against a real server on the loopback address, a real signed repository and real
 * bundles checked in a real host: what is accepted is served, signed and searchable; what is refused leaves the
 * repository byte for byte as it was.
 */
class CatalogPublishTest {

    private static final String TOKEN = "0123456789abcdef-publish-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private KeyPair keys;
    private Path repo;
    private CatalogServer server;

    @BeforeEach
    void serve() throws IOException {
        keys = Ed25519Keys.generate();
        Ed25519Keys.write(keys, dir.resolve("keys/catalog"));
        Path bundles = dir.resolve("bundles");
        TestBundles.plugin(bundles, "test.mirror", "1.0.0", MirrorModule.class, MirrorTask.class);
        repo = dir.resolve("repo");
        new RepositoryBuilder("test-repo").build(bundles, Map.of("test.mirror",
                List.of(new Catalog.Extension("task", "mirror", "reverse a string of digits"))), repo);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now());
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        server = CatalogServer.start(List.of(repo), "127.0.0.1", 0, PublishSettings.read(tokenFile,
                Ed25519Keys.privateFile(dir.resolve("keys/catalog")), PublishSettings.DEFAULT_MAX_UPLOAD,
                Duration.ofDays(30)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> publish(Path jar, String token) throws IOException, InterruptedException {
        return publish(server, jar, token);
    }

    private HttpResponse<String> publish(CatalogServer to, Path jar, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.uri().resolve("/api/publish/test-repo"))
                .POST(HttpRequest.BodyPublishers.ofFile(jar));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Catalog verifiedCatalog(long lastSeen) throws Exception {
        Http http = new Http(server.uri());
        byte[] json = http.get("/repo/test-repo/catalog.json").body();
        byte[] sig = http.get("/repo/test-repo/catalog.json.sig").body();
        return new CatalogVerifier(keys.getPublic()).verify(json, sig, lastSeen, Instant.now());
    }

    /** Every file under the repository with its SHA-256: equal maps mean byte-for-byte the same directory. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(repo)) {
            for (Path path : paths.toList()) {
                String name = repo.relativize(path).toString();
                files.put(name, Files.isRegularFile(path) ? RepositoryFiles.sha256(path) : "dir");
            }
        }
        return files;
    }

    private static String error(HttpResponse<String> response) throws IOException {
        assertThat(response.body()).doesNotContain("\n");
        return JSON.readTree(response.body()).get("error").asText();
    }

    @Test
    void aGoodBundleIsServedSignedAndSearchable() throws Exception {
        long before = verifiedCatalog(0).version();
        Path jar = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class, EchoTask.class,
                MirrorTask.class);

        HttpResponse<String> response = publish(jar, TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("bundle").asText()).isEqualTo("test.echo");
        assertThat(body.get("catalogVersion").asLong()).isEqualTo(before + 1);
        Catalog catalog = verifiedCatalog(before);
        assertThat(catalog.version()).isEqualTo(before + 1);
        Catalog.Plugin echo = catalog.plugins().stream().filter(p -> p.bundle().equals("test.echo")).findFirst()
                .orElseThrow();
        assertThat(echo.extensions()).containsExactly(new Catalog.Extension("task", "echo",
                "reverse a string of digits"));
        assertThat(echo.name()).isEqualTo("Plugin test.echo");
        assertThat(echo.sha256()).isEqualTo(RepositoryFiles.sha256(jar));
        assertThat(catalog.plugins()).extracting(Catalog.Plugin::bundle).containsExactly("test.echo", "test.mirror");
        HttpResponse<byte[]> served = new Http(server.uri()).get("/repo/test-repo/" + echo.path());
        assertThat(served.body()).isEqualTo(Files.readAllBytes(jar));
        assertThat(Files.readString(repo.resolve("index.xml"))).contains("test.echo");
        assertThat(new Http(server.uri()).json("/api/search?q=echo", 200).toString()).contains("test.echo");
        assertThat(Files.list(repo).map(p -> p.getFileName().toString()))
                .as("no staging directory is left behind")
                .containsExactlyInAnyOrder("index.xml", "catalog.json", "catalog.json.sig", "jars");
    }

    @Test
    void aWrongTokenIs401AndStoresNothing() throws Exception {
        Map<String, String> before = snapshot();
        Path jar = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class, EchoTask.class,
                MirrorTask.class);
        HttpResponse<String> response = publish(jar, TOKEN + "x");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).contains("publish token");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aMissingTokenIs401AndStoresNothing() throws Exception {
        Map<String, String> before = snapshot();
        Path jar = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class, EchoTask.class,
                MirrorTask.class);
        HttpResponse<String> response = publish(jar, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aJarThatIsNoBundleIs422AndChangesNothing() throws Exception {
        Map<String, String> before = snapshot();
        Path jar = TestBundles.fabricate(dir.resolve("up/plain.jar"), Map.of("Created-By", "test"),
                MirrorTask.class);
        HttpResponse<String> response = publish(jar, TOKEN);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(error(response)).isEqualTo("the upload is not an OSGi bundle: its manifest has no "
                + "Bundle-SymbolicName");
        Path text = Files.writeString(dir.resolve("up/text.jar"), "not a zip");
        assertThat(publish(text, TOKEN).statusCode()).isEqualTo(422);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aBundleTheBundleCheckRefusesIs422NamingTheRule() throws Exception {
        Map<String, String> before = snapshot();
        Path jar = TestBundles.fabricate(dir.resolve("up/test.library.jar"), Map.of("Bundle-SymbolicName",
                "test.library", "Bundle-Version", "1.0.0", "Import-Package", TestBundles.IMPORTS), MirrorTask.class);
        HttpResponse<String> response = publish(jar, TOKEN);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(error(response)).startsWith("the bundle check refused it: bundle test.library 1.0.0 registers "
                + "no extension: its manifest has no Recursa-Module header");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aVersionAlreadyInTheRepositoryIs409AndChangesNothing() throws Exception {
        Map<String, String> before = snapshot();
        Path jar = TestBundles.plugin(dir.resolve("up"), "test.mirror", "1.0", MirrorModule.class,
                MirrorTask.class);
        HttpResponse<String> response = publish(jar, TOKEN);
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(error(response)).isEqualTo("bundle test.mirror 1.0 is already in test-repo; publish a higher "
                + "Bundle-Version");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void concurrentPublishesAreBothKept() throws Exception {
        long before = verifiedCatalog(0).version();
        Path echo = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class, EchoTask.class,
                MirrorTask.class);
        Path flip = TestBundles.plugin(dir.resolve("up"), "test.flip", "2.0.0", FlipModule.class, FlipTask.class,
                MirrorTask.class);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> send(echo));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> send(flip));
        assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(200);
        assertThat(second.get().statusCode()).as(second.get().body()).isEqualTo(200);
        Catalog catalog = verifiedCatalog(before);
        assertThat(catalog.version()).isEqualTo(before + 2);
        assertThat(catalog.plugins()).extracting(Catalog.Plugin::bundle)
                .containsExactlyInAnyOrder("test.echo", "test.flip", "test.mirror");
        assertThat(repo.resolve("jars/test.echo-1.0.0.jar")).exists();
        assertThat(repo.resolve("jars/test.flip-2.0.0.jar")).exists();
    }

    @Test
    void twoProcessesPublishingToOneDirectoryAtOnceAreBothKept() throws Exception {
        long before = verifiedCatalog(0).version();
        Path echo = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class, EchoTask.class,
                MirrorTask.class);
        Path flip = TestBundles.plugin(dir.resolve("up"), "test.flip", "2.0.0", FlipModule.class, FlipTask.class,
                MirrorTask.class);
        Path key = Ed25519Keys.privateFile(dir.resolve("keys/catalog"));
        List<Process> children = new java.util.ArrayList<>();
        List<java.io.BufferedReader> outputs = new java.util.ArrayList<>();
        try {
            for (Path jar : List.of(echo, flip)) {
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        PublishMain.class.getName(), repo.toString(), jar.toString(), dir.resolve("token").toString(),
                        key.toString()).redirectErrorStream(true).start();
                children.add(child);
                outputs.add(new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8)));
            }
            for (java.io.BufferedReader output : outputs) {
                assertThat(lastLine(output, "ready")).isEqualTo("ready");
            }
            for (Process child : children) {  // both read the catalog only now, so they overlap
                child.getOutputStream().write('\n');
                child.getOutputStream().flush();
            }
            List<String> results = new java.util.ArrayList<>();
            for (java.io.BufferedReader output : outputs) {
                results.add(lastLine(output, "published "));
            }
            assertThat(results).as("each child's catalog version")
                    .containsExactlyInAnyOrder("published " + (before + 1), "published " + (before + 2));
        } finally {
            for (Process child : children) {
                child.destroyForcibly().waitFor();
            }
        }
        Catalog catalog = verifiedCatalog(before);
        assertThat(catalog.version()).isEqualTo(before + 2);
        assertThat(catalog.plugins()).extracting(Catalog.Plugin::bundle)
                .containsExactlyInAnyOrder("test.echo", "test.flip", "test.mirror");
        assertThat(RepositoryFiles.sha256(repo.resolve("jars/test.echo-1.0.0.jar")))
                .isEqualTo(RepositoryFiles.sha256(echo));
        assertThat(RepositoryFiles.sha256(repo.resolve("jars/test.flip-2.0.0.jar")))
                .isEqualTo(RepositoryFiles.sha256(flip));
        assertThat(Files.list(repo).map(p -> p.getFileName().toString()))
                .as("the lock file is beside the repository, not in it")
                .containsExactlyInAnyOrder("index.xml", "catalog.json", "catalog.json.sig", "jars");
        assertThat(dir.resolve(".repo.lock")).isRegularFile();
    }

    /** Reads a child's lines until one starts with {@code prefix}; fails with everything it printed otherwise. */
    private static String lastLine(java.io.BufferedReader output, String prefix) throws IOException {
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the child ended without printing '" + prefix + "'; it printed:\n" + seen);
    }

    @Test
    void aRenameThatFailsMidwayPutsBackWhatWasMoved() throws Exception {
        // a directory where the signature goes: the jar, index.xml and catalog.json are renamed in, then the
        // signature's rename fails
        Files.delete(repo.resolve("catalog.json.sig"));
        Files.createDirectories(repo.resolve("catalog.json.sig/in-the-way"));
        Map<String, String> before = snapshot();
        Path jar = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class, EchoTask.class,
                MirrorTask.class);

        HttpResponse<String> response = publish(jar, TOKEN);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(error(response)).contains("moving catalog.json.sig in failed")
                .endsWith("the repository is as it was");
        assertThat(snapshot()).isEqualTo(before);
    }

    private HttpResponse<String> send(Path jar) {
        try {
            return publish(jar, TOKEN);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aServerWithoutPublishSettingsDoesNotPublish() throws Exception {
        Map<String, String> before = snapshot();
        try (CatalogServer plain = CatalogServer.start(List.of(repo), "127.0.0.1", 0)) {
            Path jar = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class,
                    EchoTask.class, MirrorTask.class);
            HttpResponse<String> response = publish(plain, jar, TOKEN);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(error(response)).startsWith("publishing is not enabled on this server");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anUploadOverTheLimitIs413BeforeItIsRead() throws Exception {
        Map<String, String> before = snapshot();
        Path tokenFile = Files.writeString(dir.resolve("token2"), TOKEN);
        try (CatalogServer small = CatalogServer.start(List.of(repo), "127.0.0.1", 0, PublishSettings.read(
                tokenFile, Ed25519Keys.privateFile(dir.resolve("keys/catalog")), 100, Duration.ofDays(30)))) {
            Path jar = TestBundles.plugin(dir.resolve("up"), "test.echo", "1.0.0", EchoModule.class,
                    EchoTask.class, MirrorTask.class);
            HttpResponse<String> response = publish(small, jar, TOKEN);
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(error(response)).contains("more than the limit of 100");
        }
        assertThat(snapshot()).isEqualTo(before);
        assertThat(Files.readString(repo.resolve("catalog.json"), StandardCharsets.UTF_8)).doesNotContain("echo");
    }

}
