package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run ids name directories inside the store and nothing else; prefixes find runs; labels cannot escape. */
class RunIdsTest {

    @TempDir
    Path home;

    @Test
    void idsThatWouldLeaveTheStoreOrNameHiddenDirectoriesAreRefused() throws Exception {
        RunStore store = RunStore.at(home.resolve("runs"));
        Runs.finished(store, "real");
        Files.createDirectories(home.resolve("x"));
        Files.createDirectories(store.root().resolve(".hidden"));
        for (String id : new String[] {"../x", "/etc", ".hidden", "..", "", "a/b", "-rf"}) {
            assertThatThrownBy(() -> store.open(id)).as(id).isInstanceOf(UnknownRunException.class)
                    .hasMessage("invalid run id '" + id + "': use letters, digits, '.', '-' and '_', not starting with "
                            + "'.' or '-', at most 200 characters");
            assertThat(store.exists(id)).as(id).isFalse();
            assertThatThrownBy(() -> store.delete(id, true, Duration.ZERO)).isInstanceOf(UnknownRunException.class);
        }
        assertThatThrownBy(() -> store.find("../x")).isInstanceOf(UnknownRunException.class);
        assertThatThrownBy(() -> store.find(".hidden")).isInstanceOf(UnknownRunException.class);
        assertThat(store.ids()).hasSize(1);
        assertThat(home.resolve("x")).exists();
    }

    @Test
    void findTakesAUniquePrefixAndNamesTheMatchesOfAnAmbiguousOne() {
        RunStore store = RunStore.at(home.resolve("runs"));
        String alpha = Runs.finished(store, "alpha");
        String beta = Runs.finished(store, "beta");
        String common = alpha.substring(0, 2);  // both start with the century

        assertThat(store.find(alpha).id()).isEqualTo(alpha);
        assertThat(store.find(alpha.substring(0, alpha.length() - 2)).id()).isEqualTo(alpha);
        assertThat(store.find(beta.substring(0, beta.lastIndexOf('-'))).id()).isEqualTo(beta);
        assertThatThrownBy(() -> store.find(common)).isInstanceOf(UnknownRunException.class)
                .hasMessage("run id prefix '" + common + "' matches 2 runs, e.g. " + alpha + ", " + beta
                        + "; give more of the id");
        assertThatThrownBy(() -> store.find("zzz")).isInstanceOf(UnknownRunException.class)
                .hasMessage("unknown run 'zzz'; 2 runs in " + store.root() + ", newest: " + alpha + ", " + beta);
        assertThatThrownBy(() -> RunStore.at(home.resolve("none")).find("zzz"))
                .hasMessage("unknown run 'zzz'; there are no runs in " + home.resolve("none"));
    }

    @Test
    void labelsAreSanitisedSoCreateNeverEscapesTheStore() {
        RunStore store = RunStore.at(home.resolve("runs"));
        for (String label : new String[] {"../../escape", "/etc/passwd", "a b/c\\d", "..", "ünïcode"}) {
            try (RunWriter writer = store.create(Runs.config("vanilla"), label)) {
                assertThat(writer.dir().getParent()).as(label).isEqualTo(store.root());
                assertThat(writer.id()).as(label).matches("\\d{8}-\\d{6}-[A-Za-z0-9._-]*-[0-9a-f]{4}")
                        .doesNotContain("/");
                assertThat(store.open(writer.id()).dir()).isEqualTo(writer.dir());
                writer.finish(RunStatus.FINISHED, 0, false, 0.0, Map.of());
            }
        }
        assertThat(store.ids()).hasSize(5).anySatisfy(id -> assertThat(id).contains("-.._.._escape-"))
                .anySatisfy(id -> assertThat(id).contains("-a_b_c_d-"));
        assertThat(home.resolve("escape")).doesNotExist();
        assertThat(store.create(Runs.config("vanilla"), "x".repeat(300)).id())
                .as("long labels are cut").hasSize(15 + 1 + 80 + 1 + 4);
    }

    @Test
    void aDerivedRunRecordsItsParentAndOnlyAnEndedParentCanHaveOne() {
        RunStore store = RunStore.at(home.resolve("runs"));
        String parent = Runs.finished(store, "parent");
        String child;
        try (RunWriter writer = store.derive(parent.substring(0, parent.length()), Runs.config("universal"), "eval")) {
            child = writer.id();
            assertThat(writer.config().parent()).isEqualTo(parent);
            writer.finish(RunStatus.FINISHED, 0, false, 0.0, Runs.splits());
        }
        assertThat(store.open(child).config().parent()).isEqualTo(parent);
        assertThat(store.open(child).summary().parent()).isEqualTo(parent);
        assertThat(store.open(child).summary().params()).containsEntry("parent", parent);

        try (RunWriter running = store.create(Runs.config("vanilla"), "running")) {
            assertThatThrownBy(() -> store.derive(running.id(), Runs.config("vanilla"), "eval"))
                    .isExactlyInstanceOf(RunStoreException.class)
                    .hasMessage("run " + running.id() + " is still running; derive from it once it has ended");
            running.finish(RunStatus.INTERRUPTED, 0, false, 0.0, Map.of());
        }
        assertThatThrownBy(() -> store.derive("20990101-000000-none-0000", Runs.config("vanilla"), "eval"))
                .isInstanceOf(UnknownRunException.class);
        assertThat(store.ids()).hasSize(3);
    }
}
