package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting runs: a running run only with force (which stops its real process), journaled, never resurrected. */
class RunStoreDeleteTest {

    @TempDir
    Path runs;

    @Test
    void aRunningRunIsRefusedWithoutForceAndStoppedThenDeletedWithIt() throws Exception {
        RunStore store = RunStore.at(runs);
        try (Child child = Child.start("own", runs.toString(), "owned")) {
            String id = child.await("id ");
            assertThatThrownBy(() -> store.delete(id, false, Duration.ofSeconds(1)))
                    .isExactlyInstanceOf(RunStoreException.class)
                    .hasMessage("run " + id + " is running (process " + child.process.pid() + " on " + host()
                            + "); wait for it to end, stop it, or pass --force to stop it and delete it");
            assertThat(child.process.isAlive()).isTrue();
            assertThat(store.ids()).containsExactly(id);

            store.delete(id, true, Duration.ofSeconds(30));

            assertThat(child.waitFor()).as("SIGTERM, not SIGKILL").isEqualTo(143);
            assertThat(store.ids()).isEmpty();
            assertThat(runs.resolve(id)).doesNotExist();
            assertThat(hidden()).as("no half-deleted directory is left").isEmpty();
            assertThat(store.journal().read(0).changes()).extracting(c -> c.op() + " " + c.run()).containsExactly(
                    "CREATED " + id, "ENDED " + id, "DELETED " + id);
        }
    }

    @Test
    void deletingAFinishedRunRemovesItsDirectoryAndJournalsIt() throws IOException {
        RunStore store = RunStore.at(runs);
        String kept = Runs.finished(store, "kept");
        String doomed = Runs.finished(store, "doomed");
        long before = store.journal().end();

        store.delete(doomed, false, Duration.ZERO);

        assertThat(store.ids()).containsExactly(kept);
        assertThat(runs.resolve(doomed)).doesNotExist();
        assertThat(hidden()).isEmpty();
        ChangeJournal.Batch batch = store.journal().read(before);
        assertThat(batch.changes()).hasSize(1);
        assertThat(batch.changes().get(0).op()).isEqualTo(ChangeJournal.Op.DELETED);
        assertThat(batch.changes().get(0).run()).isEqualTo(doomed);
        assertThatThrownBy(() -> store.open(doomed)).isInstanceOf(UnknownRunException.class);
        assertThatThrownBy(() -> store.delete(doomed, false, Duration.ZERO)).isInstanceOf(UnknownRunException.class);
    }

    @Test
    void aDamagedRunCanBeDeleted() throws IOException {
        RunStore store = RunStore.at(runs);
        String id = Runs.finished(store, "damaged");
        Files.writeString(runs.resolve(id).resolve(RunFormat.FINAL), "{\"status\": \"fini");

        store.delete(id, false, Duration.ZERO);

        assertThat(store.ids()).isEmpty();
    }

    @Test
    void aWriterWhoseRunWasDeletedCannotRecreateItsDirectory() {
        RunStore store = RunStore.at(runs);
        try (RunWriter writer = store.create(Runs.config("vanilla"), "removed")) {
            // Another process removed the directory while the writer runs (as delete does: rename, then remove).
            StoredRun.deleteTree(writer.dir());

            assertThatThrownBy(() -> writer.artifacts("test-id", List.of(Runs.artifact(writer.id(), 0, true))))
                    .hasMessageContaining(writer.dir().toString());
            assertThatThrownBy(() -> writer.checkpoint(target -> Files.writeString(target, "weights")))
                    .isInstanceOf(RunStoreException.class);
            assertThat(writer.dir()).doesNotExist();
            assertThatThrownBy(() -> writer.finish(RunStatus.FINISHED, 1, false, 1.0, Map.of()))
                    .hasMessageContaining(writer.dir().toString());
            assertThat(writer.dir()).doesNotExist();
        }
        assertThat(store.ids()).isEmpty();
    }

    private List<Path> hidden() throws IOException {
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static String host() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }
}
