package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of every format up to {@link RunFormat#VERSION} read; newer ones are refused with one line. */
class RunFormatTest {

    @TempDir
    Path runs;

    @Test
    void aNewerFormatIsRefusedWithOneLineNamingTheFileAndSayingToUpgrade() throws Exception {
        RunStore store = RunStore.at(runs);
        String id = Runs.finished(store, "newer");
        Path dir = store.open(id).dir();
        for (String file : new String[] {RunFormat.CONFIG, RunFormat.FINAL, RunFormat.SUMMARY}) {
            String text = Files.readString(dir.resolve(file));
            assertThat(text).contains("\"format\" : 2");
            Files.writeString(dir.resolve(file), text.replace("\"format\" : 2", "\"format\" : 3"));
        }
        StoredRun run = store.open(id);
        assertThatThrownBy(run::config).isInstanceOf(DamagedRunException.class).hasMessage(dir + ": config.json is "
                + "in run format 3; this Recursa reads formats 1 to 2: upgrade Recursa to read this run");
        assertThatThrownBy(run::end).hasMessage(dir + ": final.json is in run format 3; this Recursa reads formats 1 "
                + "to 2: upgrade Recursa to read this run");
        assertThatThrownBy(run::state).hasMessageStartingWith(dir + ": final.json is in run format 3");
        assertThatThrownBy(run::summary).hasMessageStartingWith(dir + ": summary.json is in run format 3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFormatOneDirectoryReadsWithItsSummaryDerived() throws Exception {
        Path dir = formatOne("20240301-101500-binary-successor-universal-1a2b", "finished");
        Files.writeString(dir.resolve("final.json"), """
                {"status": "finished", "finished_at": "2024-03-01T10:20:00Z", "steps": 100, "stopped_early": false,
                 "seconds": 300.0, "splits": {
                   "test-id": {"examples": 10, "token_acc": 1.0, "seq_acc": 1.0},
                   "test-ood-carry": {"examples": 10, "token_acc": 0.5, "seq_acc": 0.25,
                                      "by_feature": {"carry_chain": {"6": {"examples": 4, "token_acc": 0.5, "seq_acc": 0.25}}}}}}
                """);
        StoredRun run = RunStore.at(runs).find("20240301-101500");

        assertThat(run.config().format()).isEqualTo(1);
        assertThat(run.config().id()).as("assigned from the directory name").isEqualTo(run.id());
        assertThat(run.end().orElseThrow().format()).isEqualTo(1);
        assertThat(run.state().status()).isEqualTo(RunStatus.FINISHED);
        SummaryRecord summary = run.summary();
        assertThat(summary.id()).isEqualTo(run.id());
        assertThat(summary.status()).isEqualTo("finished");
        assertThat(summary.startTime()).isEqualTo(java.time.Instant.parse("2024-03-01T10:15:00Z").toEpochMilli());
        assertThat(summary.endTime()).isEqualTo(java.time.Instant.parse("2024-03-01T10:20:00Z").toEpochMilli());
        assertThat(summary.metrics()).containsEntry("seq_acc_ood", 0.25).containsEntry("seq_acc_test_id", 1.0)
                .containsEntry("final_loss", 0.4).containsEntry("tokens_per_s", 1500.0).containsEntry("steps", 100.0);
        assertThat(summary.params()).containsEntry("arch.d_model", "128").containsEntry("train.lr", "0.001");
        assertThat(summary.artifacts()).containsExactly("test-ood-carry");
        assertThat(run.progress().steps()).hasSize(2);
    }

    @Test
    void aFormatOneRunningDirectoryReadsAsCrashed() throws Exception {
        Path dir = formatOne("20240301-101500-binary-successor-vanilla-3c4d", "running");
        StoredRun run = RunStore.at(runs).open(dir.getFileName().toString());

        StoredRun.State state = run.state();
        assertThat(state.status()).isEqualTo(RunStatus.CRASHED);
        assertThat(state.reason()).hasValue("no outcome was recorded and no process owns the run (it was written by "
                + "a Recursa that did not record its process)");
        SummaryRecord summary = run.summary();
        assertThat(summary.status()).isEqualTo("crashed");
        assertThat(summary.endTime()).isNull();
        assertThat(summary.artifacts()).as("a crashed run's artifacts may be partial").isEmpty();
        assertThat(summary.metrics()).containsEntry("final_loss", 0.4).doesNotContainKey("steps");
    }

    /** A run directory as Recursa wrote it before the format was versioned (docs/runs.md), without final.json. */
    private Path formatOne(String id, String status) throws Exception {
        Path dir = runs.resolve(id);
        Files.createDirectories(dir.resolve("artifacts"));
        Files.writeString(dir.resolve("config.json"), """
                {"started_at": "2024-03-01T10:15:00Z", "seed": 3, "mode": "io", "tags": {"note": "old"},
                 "task": {"id": "binary-successor", "bundle": "recursa-tasks-recursion", "version": "0.1.0",
                          "settings": {"max_bits": 10}},
                 "architecture": {"id": "universal", "bundle": "recursa-arch-universal", "version": "0.1.0",
                                  "settings": {"d_model": 128}},
                 "sampler": {"id": "greedy", "bundle": "recursa-sampler-greedy", "version": "0.1.0", "settings": {}},
                 "train": {"steps": 100, "lr": 0.001}, "model": {"parameters": 1000}}
                """);
        Files.writeString(dir.resolve("metrics.jsonl"), """
                {"type":"step","step":1,"loss":0.9,"tokens_per_s":1000}
                {"type":"eval","step":1,"split":"test-id","token_acc":0.5,"seq_acc":0.1}
                {"type":"step","step":2,"loss":0.4,"tokens_per_s":2000}
                """);
        Files.writeString(dir.resolve("status"), status + "\n");
        Files.writeString(dir.resolve("artifacts/test-ood-carry.jsonl"), "{\"schema\":1,\"verdict\":\"wrong\"}\n");
        return dir;
    }
}
