package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run without an outcome is running exactly while its owning process lives: real child JVMs own runs and are
 * killed with SIGKILL; a writer that could not record its outcome leaves last words.
 */
class RunOwnerTest {

    @TempDir
    Path runs;

    @Test
    void aRunIsRunningWhileItsProcessLivesAndCrashedOnceKilled() throws Exception {
        RunStore store = RunStore.at(runs);
        try (Child child = Child.start("own", runs.toString(), "owned")) {
            String id = child.await("id ");
            StoredRun run = store.open(id);
            assertThat(run.state()).isEqualTo(new StoredRun.State(RunStatus.RUNNING, Optional.empty()));
            assertThat(run.summary().status()).isEqualTo("running");
            assertThat(run.summary().endTime()).isNull();

            child.process.destroyForcibly();  // SIGKILL: no shutdown hook runs
            child.waitFor();

            StoredRun.State state = store.open(id).state();
            assertThat(state.status()).isEqualTo(RunStatus.CRASHED);
            assertThat(state.reason()).hasValue("process " + child.process.pid() + " on " + host()
                    + " ended without recording an outcome (killed, or the machine stopped)");
            assertThat(store.open(id).summary().status()).isEqualTo("crashed");
            assertThat(store.open(id).progress().steps()).hasSize(1);
        }
    }

    @Test
    void readingItsOwnRunDoesNotCostTheOwnerItsLock() throws Exception {
        RunStore store = RunStore.at(runs);
        try (RunWriter writer = store.create(Runs.config("vanilla"), "mine")) {
            // This JVM reads its own run (as the index does when it catches up in the process of a run).
            assertThat(store.open(writer.id()).state().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.open(writer.id()).summary().status()).isEqualTo("running");
            try (Child reader = Child.start("state", runs.toString(), writer.id())) {
                assertThat(reader.await("state ")).as("another process still sees the run alive").isEqualTo("running");
            }
            writer.finish(RunStatus.FINISHED, 0, false, 0.0, Map.of());
        }
    }

    @Test
    void aWriterWhoseFinalWriteFailedLeavesLastWords() throws Exception {
        RunStore store = RunStore.at(runs);
        RunWriter writer = store.create(Runs.config("vanilla"), "disk-full");
        Path blocker = writer.dir().resolve(RunFormat.FINAL);
        // A directory in the way of the rename: the outcome cannot be written, as on a full disk.
        Files.createDirectories(blocker.resolve("in-the-way"));
        try (writer) {
            assertThatThrownBy(() -> writer.fail("out of memory in step 7", 7, 3.0))
                    .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("cannot write " + blocker);
        }
        Files.delete(blocker.resolve("in-the-way"));
        Files.delete(blocker);

        StoredRun.State state = store.open(writer.id()).state();
        assertThat(state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(state.reason().orElseThrow()).startsWith("out of memory in step 7; then final.json could not be "
                + "written: cannot write " + blocker);
        assertThat(store.open(writer.id()).summary().reason()).isEqualTo(state.reason().get());
    }

    @Test
    void aFinishThatCouldNotBeRecordedReadsAsFailedNamingTheOutcome() throws Exception {
        RunStore store = RunStore.at(runs);
        RunWriter writer = store.create(Runs.config("vanilla"), "disk-full");
        Path blocker = Files.createDirectories(writer.dir().resolve(RunFormat.FINAL).resolve("in-the-way"));
        try (writer) {
            assertThatThrownBy(() -> writer.finish(RunStatus.FINISHED, 3, false, 1.0, Runs.splits()))
                    .isInstanceOf(UncheckedIOException.class);
        }
        Files.delete(blocker);
        Files.delete(blocker.getParent());
        assertThat(store.open(writer.id()).state().reason().orElseThrow())
                .startsWith("the outcome (finished); then final.json could not be written");
    }

    @Test
    void closingWithoutAnOutcomeRecordsTheRunAsFailed() {
        RunStore store = RunStore.at(runs);
        String id;
        try (RunWriter writer = store.create(Runs.config("vanilla"), "abandoned")) {
            id = writer.id();
            writer.progress(Runs.step(1, 0.9, 1000));
            writer.progress(Runs.step(2, 0.8, 1000));
            writer.artifacts("test-ood-carry", List.of(Runs.artifact(id, 0, true)));
        }
        StoredRun run = store.open(id);
        assertThat(run.state()).isEqualTo(new StoredRun.State(RunStatus.FAILED,
                Optional.of("the run ended without recording an outcome")));
        assertThat(run.end().orElseThrow().steps()).isEqualTo(2);
        SummaryRecord summary = run.summary();
        assertThat(summary.status()).isEqualTo("failed");
        assertThat(summary.reason()).isEqualTo("the run ended without recording an outcome");
        assertThat(summary.artifacts()).as("a failed run's artifacts are not trusted").isEmpty();
        assertThat(run.trustedArtifacts(summary)).isEmpty();
        assertThat(summary.metrics()).containsEntry("final_loss", 0.8);
    }

    private static String host() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }
}
