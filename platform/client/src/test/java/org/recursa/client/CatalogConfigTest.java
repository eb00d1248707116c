package org.recursa.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.repository.CatalogException;
import org.recursa.repository.Ed25519Keys;

/** catalogs.json: the shipped default, add, list, remove, and concurrent processes that must not lose entries. */
class CatalogConfigTest {

    @TempDir
    Path dir;

    private Path key(String name) {
        Ed25519Keys.write(Ed25519Keys.generate(), dir.resolve(name));
        return dir.resolve(name + ".pub");
    }

    private Path distribution() throws Exception {
        Path root = dir.resolve("dist");
        if (Files.isDirectory(root)) {
            return root;
        }
        Files.createDirectories(root.resolve("catalog/first-party"));
        Files.copy(key("shipped"), root.resolve("catalog/first-party.pub"));
        return root;
    }

    @Test
    void theShippedCatalogIsTheDefaultUntilTheListIsChanged() throws Exception {
        Path home = dir.resolve("home");
        CatalogConfig config = new CatalogConfig(home, Optional.of(distribution()));
        assertThat(config.list()).extracting(CatalogSource::name).containsExactly("first-party");
        assertThat(config.list().get(0).location()).isEqualTo(dir.resolve("dist/catalog/first-party").toString());
        assertThat(Files.exists(home.resolve("catalogs.json"))).isFalse();

        CatalogSource added = config.add("http://127.0.0.1:9/repo/lab", key("lab"), null);
        assertThat(added.name()).isEqualTo("lab");
        assertThat(added.location()).isEqualTo("http://127.0.0.1:9/repo/lab/");
        assertThat(config.list()).extracting(CatalogSource::name).containsExactly("first-party", "lab");

        config.remove("first-party");
        assertThat(new CatalogConfig(home, Optional.of(distribution())).list()).extracting(CatalogSource::name)
                .containsExactly("lab");
        assertThat(new CatalogConfig(home, Optional.empty()).list()).extracting(CatalogSource::name)
                .containsExactly("lab");
    }

    @Test
    void refusesADuplicateNameAnUnknownNameAndABadKey() throws Exception {
        CatalogConfig config = new CatalogConfig(dir.resolve("home"), Optional.empty());
        config.add("http://127.0.0.1:9/repo/lab/", key("lab"), "lab");
        assertThatThrownBy(() -> config.add("http://127.0.0.1:9/repo/other/", key("other"), "lab"))
                .isInstanceOf(CatalogException.class)
                .hasMessage("a catalog named 'lab' is already configured (http://127.0.0.1:9/repo/lab/); remove it "
                        + "first or pass --name");
        assertThatThrownBy(() -> config.remove("nope")).hasMessage("no catalog named 'nope'; configured: lab");
        Path notAKey = Files.writeString(dir.resolve("bad.pub"), "hello\n");
        assertThatThrownBy(() -> config.add("http://127.0.0.1:9/x/", notAKey, "x"))
                .hasMessageContaining("not a key file");
        assertThatThrownBy(() -> config.add("http://127.0.0.1:9/x/", key("k"), "Bad Name"))
                .hasMessageStartingWith("'Bad Name' is not a catalog name");
        assertThatThrownBy(() -> config.add(dir.resolve("missing").toString(), key("k2"), "m"))
                .hasMessageEndingWith("is neither an http(s) URL nor a repository directory");
    }

    @Test
    void concurrentProcessesAddingCatalogsLoseNone() throws Exception {
        Path home = dir.resolve("home");
        Path key = key("shared");
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AddCatalogs.class.getName(), home.toString(),
                    key.toString(), "p" + p, "5").inheritIO().start());
        }
        for (Process process : processes) {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
        assertThat(new CatalogConfig(home, Optional.empty()).list()).hasSize(20);
    }

    /** A child process adding catalogs {@code <prefix>-0 .. <prefix>-(n-1)}. */
    static final class AddCatalogs {
        public static void main(String[] args) {
            CatalogConfig config = new CatalogConfig(Path.of(args[0]), Optional.empty());
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                config.add("http://127.0.0.1:9/repo/" + args[2] + "-" + i + "/", Path.of(args[1]),
                        args[2] + "-" + i);
            }
        }
    }
}
