package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.catalog.CatalogServer;
import org.recursa.catalog.PublishSettings;
import org.recursa.cli.TestDistribution.Result;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryBuilder;

/**
 * {@code recursa catalog publish} against a real server on the loopback address: refusals are one line with exit 1,
 * bad arguments exit 2. (An accepted publish is tested in the catalog module, CatalogPublishTest.)
 */
class CatalogPublishCommandTest {

    private static final String TOKEN = "0123456789abcdef-publish-token";

    @TempDir
    Path dir;

    private Path repo;
    private CatalogServer server;
    private String to;

    @BeforeEach
    void serve() throws IOException {
        KeyPair keys = Ed25519Keys.generate();
        Ed25519Keys.write(keys, dir.resolve("keys/catalog"));
        Path bundles = Files.createDirectories(dir.resolve("bundles"));
        Files.copy(firstParty("recursa-sampler-greedy"), bundles.resolve("greedy.jar"));
        repo = dir.resolve("repo");
        new RepositoryBuilder("test-repo").build(bundles, Map.of(), repo);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now());
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        server = CatalogServer.start(List.of(repo), "127.0.0.1", 0, PublishSettings.read(tokenFile,
                Ed25519Keys.privateFile(dir.resolve("keys/catalog")), PublishSettings.DEFAULT_MAX_UPLOAD,
                Duration.ofDays(30)));
        to = server.uri() + "repo/test-repo/";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Path firstParty(String prefix) throws IOException {
        try (var jars = Files.list(Path.of(System.getProperty("recursa.test.bundles")))) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    @Test
    void aWrongTokenIsOneLineAndExit1() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("wrong"), "not-the-token-at-all\n");
        Result result = TestDistribution.run("catalog", "publish", firstParty("recursa-compressor-identity")
                .toString(), "--to", to, "--token-file", tokenFile.toString());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().strip()).doesNotContain("\n").contains("publish refused (401)");
    }

    @Test
    void aJarThatIsNoBundleIsOneLineAndExit1() throws IOException {
        Path text = Files.writeString(dir.resolve("x.jar"), "not a zip");
        Result result = TestDistribution.run("catalog", "publish", text.toString(), "--to", to, "--token", TOKEN);
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().strip()).doesNotContain("\n").contains("publish refused (422)");
    }

    @Test
    void badArgumentsExit2() throws IOException {
        Path jar = firstParty("recursa-compressor-identity");
        assertThat(TestDistribution.run("catalog", "publish", jar.toString(), "--token", TOKEN).code()).isEqualTo(2);
        assertThat(TestDistribution.run("catalog", "publish", jar.toString(), "--to", to).code()).isEqualTo(2);
        assertThat(TestDistribution.run("catalog", "publish", jar.toString(), "--to", "ftp://x/repo/a/",
                "--token", TOKEN).code()).isEqualTo(2);
        assertThat(TestDistribution.run("catalog", "publish", dir.resolve("none.jar").toString(), "--to", to,
                "--token", TOKEN).code()).isEqualTo(2);
        assertThat(TestDistribution.run("catalog", "publish", jar.toString(), "--to", to, "--token", TOKEN,
                "--token-file", "f").code()).isEqualTo(2);
    }
}
