package org.recursa.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and every refusal of verification, on a real repository directory built from real bundle jars. */
class CatalogSigningTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path tmp;

    private Path repo;
    private KeyPair keys;

    @BeforeEach
    void repository() throws Exception {
        repo = tmp.resolve("repo");
        new RepositoryBuilder("example").build(TestBundles.twoBundles(tmp.resolve("in")), Map.of(), repo);
        keys = Ed25519Keys.generate();
    }

    @Test
    void signedRepositoryVerifiesWithThePinnedKey() throws Exception {
        Catalog signed = new CatalogSigner(keys).sign(repo, Duration.ofDays(30), NOW);

        assertThat(signed.version()).isEqualTo(1);
        assertThat(signed.expires()).isEqualTo("2026-12-30T12:00:00Z");
        assertThat(Files.readString(repo.resolve("catalog.json.sig")))
                .matches("ed25519 " + Ed25519Keys.keyId(keys.getPublic()) + " [A-Za-z0-9+/=]+\n");
        Catalog verified = new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW);
        assertThat(verified).isEqualTo(signed);
        for (Catalog.Plugin plugin : verified.plugins()) {
            assertThat(CatalogVerifier.checkFile(repo, plugin.path(), plugin.sha256(), plugin.size(), 1 << 20))
                    .isEqualTo(repo.resolve(plugin.path()).toAbsolutePath().normalize());
        }
        try (var left = Files.list(repo)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("index.xml", "jars", "catalog.json", "catalog.json.sig");
        }
    }

    @Test
    void everySigningCountsUp() {
        CatalogSigner signer = new CatalogSigner(keys);
        signer.sign(repo, Duration.ofDays(1), NOW);
        signer.sign(repo, Duration.ofDays(1), NOW);
        assertThat(signer.sign(repo, Duration.ofDays(1), NOW).version()).isEqualTo(3);
        assertThat(new CatalogVerifier(keys.getPublic()).verify(repo, 3, NOW).version()).isEqualTo(3);
    }

    @Test
    void everyByteOfCatalogJsonIsCovered() throws Exception {
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), NOW);
        byte[] json = Files.readAllBytes(repo.resolve("catalog.json"));
        byte[] sig = Files.readAllBytes(repo.resolve("catalog.json.sig"));
        CatalogVerifier verifier = new CatalogVerifier(keys.getPublic());
        for (int i = 0; i < json.length; i += Math.max(1, json.length / 40)) {
            byte[] tampered = json.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> verifier.verify(tampered, sig, 0, NOW))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageStartingWith("catalog.json: the signature does not verify with the pinned key");
        }
    }

    @Test
    void aTamperedFileOnDiskIsRefused() throws Exception {
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), NOW);
        Path json = repo.resolve("catalog.json");
        Files.writeString(json, Files.readString(json).replace("\"Looped\"", "\"Lopped\""));
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW))
                .hasMessage("catalog.json: the signature does not verify with the pinned key "
                        + Ed25519Keys.keyId(keys.getPublic()) + " (the file was changed after signing); refused");
    }

    @Test
    void anotherKeysSignatureIsRefused() {
        new CatalogSigner(Ed25519Keys.generate()).sign(repo, Duration.ofDays(30), NOW);
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW))
                .hasMessageContaining("not by the pinned key " + Ed25519Keys.keyId(keys.getPublic()));
    }

    @Test
    void anotherKeysSignatureUnderThePinnedKeyIdIsRefused() throws Exception {
        new CatalogSigner(Ed25519Keys.generate()).sign(repo, Duration.ofDays(30), NOW);
        Path sig = repo.resolve("catalog.json.sig");
        String[] parts = Files.readString(sig).trim().split(" ");
        Files.writeString(sig, "ed25519 " + Ed25519Keys.keyId(keys.getPublic()) + " " + parts[2] + "\n");
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW))
                .hasMessageStartingWith("catalog.json: the signature does not verify");
    }

    @Test
    void anOlderCatalogThanOneSeenIsRefused() throws Exception {
        CatalogSigner signer = new CatalogSigner(keys);
        signer.sign(repo, Duration.ofDays(30), NOW);
        byte[] oldJson = Files.readAllBytes(repo.resolve("catalog.json"));
        byte[] oldSig = Files.readAllBytes(repo.resolve("catalog.json.sig"));
        signer.sign(repo, Duration.ofDays(30), NOW);
        CatalogVerifier verifier = new CatalogVerifier(keys.getPublic());
        long seen = verifier.verify(repo, 0, NOW).version();
        assertThatThrownBy(() -> verifier.verify(oldJson, oldSig, seen, NOW))
                .hasMessage("catalog.json: version 1 is older than version 2 seen before (rollback); refused");
    }

    @Test
    void anExpiredCatalogIsRefused() {
        new CatalogSigner(keys).sign(repo, Duration.ofDays(1), NOW);
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW.plus(Duration.ofDays(2))))
                .hasMessage("catalog.json: expired at 2026-12-01T12:00:00Z (now 2026-12-02T12:00:00Z); refused until"
                        + " the repository is signed again");
    }

    @Test
    void anIndexOrJarWhoseHashDiffersIsRefused() throws Exception {
        Catalog signed = new CatalogSigner(keys).sign(repo, Duration.ofDays(30), NOW);
        Catalog.Plugin plugin = signed.plugins().get(0);
        Path jar = repo.resolve(plugin.path());
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 1;
        Files.write(jar, bytes);
        assertThatThrownBy(() -> CatalogVerifier.checkFile(repo, plugin.path(), plugin.sha256(), plugin.size(),
                1 << 20))
                .hasMessageStartingWith(plugin.path() + ": SHA-256 ")
                .hasMessageEndingWith("differs from " + plugin.sha256() + " in catalog.json; refused");
        assertThatThrownBy(() -> CatalogVerifier.checkFile(repo, plugin.path(), plugin.sha256(), plugin.size(), 10))
                .hasMessageContaining("more than the limit of 10; refused");

        Files.writeString(repo.resolve("index.xml"), "<repository/>\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW))
                .hasMessageStartingWith("index.xml: ").hasMessageContaining("differs from");
    }

    @Test
    void pathsFromTheCatalogMayNotLeaveTheRepository() throws Exception {
        Files.writeString(tmp.resolve("outside.jar"), "x");
        List<String> escapes = new ArrayList<>(List.of("../outside.jar", "jars/../../outside.jar", "/etc/passwd",
                "jars\\..\\..\\outside.jar", "C:/x.jar", "", "jars//a.jar", "./index.xml"));
        for (String escape : escapes) {
            assertThatThrownBy(() -> CatalogVerifier.checkFile(repo, escape, "00", -1, 1 << 20))
                    .as(escape)
                    .isInstanceOf(CatalogException.class)
                    .hasMessageStartingWith("path '" + escape + "' in catalog.json ")
                    .hasMessageEndingWith("; refused (paths must stay inside the repository directory)");
        }
        Files.createSymbolicLink(repo.resolve("jars/link.jar"), tmp.resolve("outside.jar"));
        assertThatThrownBy(() -> CatalogVerifier.checkFile(repo, "jars/link.jar", "00", -1, 1 << 20))
                .hasMessageContaining("leads outside the repository directory through a link");
    }

    @Test
    void anOversizedCatalogIsRefusedBeforeItIsRead() throws Exception {
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), NOW);
        try (var channel = java.nio.channels.FileChannel.open(repo.resolve("catalog.json"),
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), CatalogJson.MAX_SIZE + 10);
        }
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW))
                .hasMessage("catalog.json: " + (CatalogJson.MAX_SIZE + 11) + " bytes, more than the limit of "
                        + CatalogJson.MAX_SIZE);
    }

    @Test
    void aCatalogNeverSignedIsRefused() throws Exception {
        Path sig = repo.resolve("catalog.json.sig");
        Files.writeString(sig, "not a signature\n");
        assertThatThrownBy(() -> new CatalogVerifier(keys.getPublic()).verify(repo, 0, NOW))
                .hasMessage("catalog.json.sig: not a signature line"
                        + " 'ed25519 <16 hex digit key id> <base64 signature>'");
    }
}
