package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogVerifier;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryBuilder;

/** {@code recursa catalog keygen} and {@code recursa catalog sign} on a repository of the first-party bundles. */
class CatalogCliTest {

    @TempDir
    Path tmp;

    private Path repo;
    private String out;
    private String err;

    @BeforeEach
    void repository() {
        repo = tmp.resolve("repo");
        new RepositoryBuilder("test").build(Path.of(System.getProperty("recursa.test.bundles")), Map.of(), repo);
    }

    @Test
    void keygenThenSignGivesARepositoryThatVerifiesWithThePublicKey() throws Exception {
        assertThat(run("catalog", "keygen", "--out", tmp.resolve("keys/release").toString())).isZero();
        Path key = tmp.resolve("keys/release.key");
        Path pub = tmp.resolve("keys/release.pub");
        String id = Ed25519Keys.keyId(Ed25519Keys.readPublic(pub));
        assertThat(out).isEqualTo("wrote " + key + " (private, keep it secret) and " + pub + "; key id " + id + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        assertThat(run("catalog", "sign", repo.toString(), "--key", key.toString(), "--expires-in", "10")).isZero();
        assertThat(out).startsWith("signed " + repo + ": version 1, 17 plugins, expires ").endsWith("key id " + id
                + "\n");
        assertThat(run("catalog", "sign", repo.toString(), "--key", tmp.resolve("keys/release").toString())).isZero();
        assertThat(out).contains(": version 2, ");

        Catalog catalog = new CatalogVerifier(Ed25519Keys.readPublic(pub)).verify(repo, 2, Instant.now());
        assertThat(Instant.parse(catalog.expires())).isBetween(Instant.now().plus(Duration.ofDays(179)),
                Instant.now().plus(Duration.ofDays(181)));
    }

    @Test
    void mistakesAreOneLineWithExitTwoForWhatWasTypedAndOneForAFailure() throws Exception {
        run("catalog", "keygen", "--out", tmp.resolve("k").toString());

        assertThat(run("catalog", "keygen", "--out", tmp.resolve("k").toString())).isEqualTo(2);
        assertThat(err).isEqualTo("recursa: " + tmp.resolve("k.key") + " already exists; choose another --out or"
                + " remove it\n");
        assertThat(run("catalog", "sign", repo.toString(), "--key", tmp.resolve("none.key").toString())).isEqualTo(2);
        assertThat(err).isEqualTo("recursa: " + tmp.resolve("none.key") + ": no such key file; make one with"
                + " 'recursa catalog keygen --out K'\n");
        assertThat(run("catalog", "sign", tmp.resolve("nowhere").toString(), "--key", tmp.resolve("k").toString()))
                .isEqualTo(2);
        assertThat(err).isEqualTo("recursa: " + tmp.resolve("nowhere") + ": no such directory; DIR is a repository"
                + " directory\n");
        assertThat(run("catalog", "sign", repo.toString(), "--key", tmp.resolve("k").toString(), "--expires-in", "0"))
                .isEqualTo(2);
        assertThat(err).isEqualTo("recursa: --expires-in must be a positive number of days, not 0\n");
        assertThat(run("catalog", "sign", repo.toString())).isEqualTo(2);
        assertThat(err).startsWith("recursa: Missing required option: '--key=K'\n");

        Files.writeString(repo.resolve("catalog.json"), "{ broken");
        assertThat(run("catalog", "sign", repo.toString(), "--key", tmp.resolve("k").toString())).isEqualTo(1);
        assertThat(err).startsWith("recursa: catalog.json: not valid JSON: ").doesNotContain("\n(run with");
        assertThat(err.lines().count()).isEqualTo(1);
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }
}
