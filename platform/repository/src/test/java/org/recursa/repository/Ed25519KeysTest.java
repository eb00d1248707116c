package org.recursa.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeysTest {

    @TempDir
    Path tmp;

    @Test
    void writesAndReadsBackOneLineKeyFilesPrivateOneOwnerOnly() throws Exception {
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.write(pair, tmp.resolve("release"));

        Path pub = tmp.resolve("release.pub");
        Path key = tmp.resolve("release.key");
        assertThat(Files.readString(pub)).matches("ed25519 [A-Za-z0-9+/=]+\n");
        assertThat(Files.readString(key)).matches("ed25519-private [A-Za-z0-9+/=]+\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Ed25519Keys.readPublic(pub)).isEqualTo(pair.getPublic());
        assertThat(Ed25519Keys.readPrivate(key).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Ed25519Keys.readPair(key).getPublic()).isEqualTo(pair.getPublic());
        assertThat(Ed25519Keys.parsePublic(Files.readString(pub))).isEqualTo(pair.getPublic());
    }

    @Test
    void keyIdIsSixteenHexDigitsOfTheX509Sha256() {
        KeyPair pair = Ed25519Keys.generate();
        assertThat(Ed25519Keys.keyId(pair.getPublic()))
                .hasSize(16)
                .isEqualTo(RepositoryFiles.sha256(pair.getPublic().getEncoded()).substring(0, 16));
    }

    @Test
    void refusesToOverwriteAKey() {
        Ed25519Keys.write(Ed25519Keys.generate(), tmp.resolve("k"));
        assertThatThrownBy(() -> Ed25519Keys.write(Ed25519Keys.generate(), tmp.resolve("k")))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("k.pub: already exists");
    }

    @Test
    void refusesAPrivateKeyWhosePublicFileIsAnotherKeys() throws Exception {
        Ed25519Keys.write(Ed25519Keys.generate(), tmp.resolve("a"));
        Ed25519Keys.write(Ed25519Keys.generate(), tmp.resolve("b"));
        Files.copy(tmp.resolve("b.pub"), tmp.resolve("a.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Ed25519Keys.readPair(tmp.resolve("a.key")))
                .hasMessageEndingWith("a.key and a.pub are not one key pair");
    }

    @Test
    void refusesFilesThatAreNoKeysWithoutReadingHugeOnes() throws Exception {
        Path text = Files.writeString(tmp.resolve("x.pub"), "hello\n");
        assertThatThrownBy(() -> Ed25519Keys.readPublic(text))
                .hasMessageEndingWith("x.pub: not a key file; expected one line 'ed25519 <base64>'");
        Path huge = tmp.resolve("huge.pub");
        Files.write(huge, new byte[10_000]);
        assertThatThrownBy(() -> Ed25519Keys.readPublic(huge))
                .hasMessage("huge.pub: 10000 bytes, more than the limit of 4096");
    }
}
