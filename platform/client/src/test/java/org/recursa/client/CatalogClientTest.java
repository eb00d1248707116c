package org.recursa.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;

/** The client against a repository directory: trust raised only after verification, the cache, --offline. */
class CatalogClientTest {

    @TempDir
    Path dir;

    private Path home;
    private Path repo;
    private KeyPair keys;
    private CatalogSource source;

    @BeforeEach
    void signedRepository() throws IOException {
        home = dir.resolve("home");
        keys = Ed25519Keys.generate();
        Path bundles = Files.createDirectories(dir.resolve("bundles"));
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.example.looped");
        main.putValue("Bundle-Version", "1.0.0");
        try (OutputStream file = Files.newOutputStream(bundles.resolve("looped.jar"));
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.flush();
        }
        repo = dir.resolve("repo");
        new RepositoryBuilder("lab").build(bundles, Map.of("org.example.looped",
                List.of(new Catalog.Extension("architecture", "looped", "a looped transformer"))), repo);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now());
        source = new CatalogSource("lab", repo.toString(), Ed25519Keys.publicLine(keys.getPublic()).trim());
    }

    private CatalogClient client(boolean offline) {
        return new CatalogClient(home, offline, Clock.systemUTC());
    }

    @Test
    void theVersionSeenIsRaisedOnlyByAVerifiedCatalog() throws IOException {
        assertThat(client(false).fetch(source).catalog().version()).isEqualTo(1);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now());
        Path catalog = repo.resolve(RepositoryLayout.CATALOG);
        String signed = Files.readString(catalog);
        Files.writeString(catalog, signed.replace("\"version\" : 2", "\"version\" : 9"));
        assertThatThrownBy(() -> client(false).fetch(source)).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("catalog 'lab' (" + repo + "): catalog.json: the signature does not verify");
        assertThat(new TrustState(home).lastSeen(Ed25519Keys.keyId(keys.getPublic()), "lab")).isEqualTo(1);
        Files.writeString(catalog, signed);
        assertThat(client(false).fetch(source).catalog().version()).isEqualTo(2);
        assertThat(new TrustState(home).lastSeen(Ed25519Keys.keyId(keys.getPublic()), "lab")).isEqualTo(2);
    }

    @Test
    void offlineServesOnlyWhatWasFetchedAndStillChecksExpiry() {
        assertThatThrownBy(() -> client(true).fetch(source))
                .hasMessage("catalog 'lab' (" + repo + "): not in the cache (never fetched); run the command without "
                        + "--offline");
        VerifiedCatalog online = client(false).fetch(source);
        Catalog.Plugin plugin = online.catalog().plugins().get(0);
        assertThatThrownBy(() -> client(true).jar(online, plugin))
                .hasMessage("org.example.looped 1.0.0 is not in the cache; run the command without --offline to "
                        + "download it");
        Path jar = client(false).jar(online, plugin);
        assertThat(jar).isEqualTo(home.resolve("cache/sha256/" + plugin.sha256() + ".jar"));

        VerifiedCatalog offline = client(true).fetch(source);
        assertThat(client(true).jar(offline, plugin)).isEqualTo(jar);
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertThatThrownBy(() -> new CatalogClient(home, true, later).fetch(source)).hasMessageContaining("expired at");
    }

    @Test
    void aDamagedCachedJarIsFetchedAgain() throws IOException {
        VerifiedCatalog verified = client(false).fetch(source);
        Catalog.Plugin plugin = verified.catalog().plugins().get(0);
        Path jar = client(false).jar(verified, plugin);
        Files.write(jar, new byte[] {1, 2, 3});
        assertThat(RepositoryFiles.sha256(client(false).jar(verified, plugin))).isEqualTo(plugin.sha256());
    }
}
