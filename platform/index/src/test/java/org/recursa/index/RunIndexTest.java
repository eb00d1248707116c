package org.recursa.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.ChangeJournal;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/** The index against runs written through the real run store and a real Lucene index on disk. */
class RunIndexTest {

    @TempDir
    Path home;

    private RunStore store() {
        return RunStore.at(home.resolve("runs"));
    }

    private LuceneRunIndex open() {
        return LuceneRunIndex.open(home.resolve("index"), Duration.ofSeconds(5), () -> { });
    }

    @Test
    void catchUpIndexesRunsAndArtifactsAndIsIdempotent() {
        RunStore store = store();
        String r1 = RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6, 7, 8));
        String r2 = RunFixtures.run(store, "universal", 0.97, 0.40, List.of(6));
        RunFixtures.run(store, "mor", 0.30, 0.05, List.of(3));
        try (RunIndex index = open()) {
            assertThat(index.catchUp(store, s -> { }).indexed()).isEqualTo(3);
            RunIndex.Hits hits = index.searchRuns("metrics.seq_acc_test_id > 0.5", "metrics.seq_acc_ood DESC", 10);
            assertThat(hits.hits()).extracting(RunIndex.Hit::runId).containsExactly(r2, r1);
            assertThat(index.catchUp(store, s -> { })).as("nothing changed")
                    .isEqualTo(new RunIndex.Sync(0, 0, List.of()));
            assertThat(index.searchRuns("", null, 10).total()).isEqualTo(3);
            assertThat(index.searchRuns("attributes.status = 'finished'", null, 10).total()).isEqualTo(3);
            RunIndex.Hits wrong = index.searchArtifacts("task = 'binary-successor' and verdict = 'wrong' and "
                    + "carry_chain >= 6 and run.params.arch = 'vanilla'", null, 10);
            assertThat(wrong.total()).isEqualTo(3);
            assertThat(wrong.hits()).extracting(RunIndex.Hit::runId).containsOnly(r1);
            assertThat(index.searchArtifacts("verdict = 'wrong' and carry_chain >= 6", null, 10).total()).isEqualTo(4);
            assertThat(index.searchArtifacts("", null, 10).total()).isEqualTo(8);
            assertThat(index.searchRuns("tags.note LIKE '%universal%'", null, 10).hits())
                    .extracting(RunIndex.Hit::runId).containsExactly(r2);
        }
        try (RunIndex index = open()) {
            assertThat(index.catchUp(store, s -> { }).indexed()).as("the position was committed").isZero();
        }
    }

    @Test
    void aDeletedRunIsDroppedByTheNextCatchUp() {
        RunStore store = store();
        String kept = RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6));
        String doomed = RunFixtures.run(store, "vanilla", 0.50, 0.10, List.of(6, 7));
        try (RunIndex index = open()) {
            index.catchUp(store, s -> { });
            store.delete(doomed, false, Duration.ZERO);
            assertThat(index.catchUp(store, s -> { })).isEqualTo(new RunIndex.Sync(0, 1, List.of()));
            assertThat(index.searchRuns("", null, 10).hits()).extracting(RunIndex.Hit::runId).containsExactly(kept);
            assertThat(index.searchArtifacts("", null, 10).hits()).extracting(RunIndex.Hit::runId).containsOnly(kept)
                    .hasSize(2);
        }
    }

    @Test
    void aDamagedRunIsReportedWithItsPathAndSkippedOnRebuild() throws IOException {
        RunStore store = store();
        String good = RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6));
        Path truncated = store.open(RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6))).dir();
        String json = Files.readString(truncated.resolve("summary.json"));
        Files.writeString(truncated.resolve("summary.json"), json.substring(0, json.length() / 2));
        Path missing = store.open(RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6))).dir();
        Files.delete(missing.resolve("summary.json"));
        Files.delete(missing.resolve("config.json"));
        Path badArtifact = store.open(RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6))).dir();
        Files.writeString(badArtifact.resolve("artifacts/test-ood-carry.jsonl"), "{\"schema\":1}\n{\"sch\n");
        try (RunIndex index = open()) {
            RunIndex.Sync sync = index.rebuild(store, s -> { });
            assertThat(sync.indexed()).isEqualTo(1);
            List<String> messages = new ArrayList<>(sync.damaged().stream().map(Throwable::getMessage).toList());
            assertThat(messages).hasSize(3).allSatisfy(m -> assertThat(m).doesNotContain("\n"));
            assertThat(messages).anySatisfy(m -> assertThat(m).startsWith(truncated + ": summary.json is truncated "
                    + "or not a valid record ("));
            assertThat(messages).contains(missing + ": config.json is missing",
                    badArtifact + ": artifacts/test-ood-carry.jsonl line 2 is not JSON");
            assertThat(index.searchRuns("", null, 10).hits()).extracting(RunIndex.Hit::runId).containsExactly(good);
            assertThat(index.searchArtifacts("", null, 10).hits()).extracting(RunIndex.Hit::runId).containsOnly(good);
        }
    }

    @Test
    void aRunStillRunningIsIndexedAsRunningAndFinishedOnceItsWriterFinishes() {
        RunStore store = store();
        try (RunIndex index = open(); RunWriter writer = RunFixtures.open(store, "vanilla")) {
            writer.artifacts("test-ood-carry", RunFixtures.artifacts(writer.id(), "vanilla", List.of(6, 7)));
            index.catchUp(store, s -> { });
            assertThat(index.searchRuns("attributes.status = 'running'", null, 10).hits())
                    .extracting(RunIndex.Hit::runId).containsExactly(writer.id());
            assertThat(index.searchArtifacts("", null, 10).total()).as("a running run's artifacts may be partial")
                    .isZero();
            assertThat(index.catchUp(store, s -> { }).indexed()).as("running runs are re-read").isEqualTo(1);

            writer.finish(RunStatus.FINISHED, 100, false, 60.0, RunFixtures.splits(0.99, 0.5));
            assertThat(index.catchUp(store, s -> { }).indexed()).isEqualTo(1);
            assertThat(index.searchRuns("attributes.status = 'finished' and metrics.seq_acc_ood = 0.5", null, 10)
                    .hits()).extracting(RunIndex.Hit::runId).containsExactly(writer.id());
            assertThat(index.searchArtifacts("verdict = 'wrong'", null, 10).total()).isEqualTo(2);
            assertThat(index.catchUp(store, s -> { }).indexed()).as("nothing runs any more").isZero();
        }
    }

    @Test
    void aRunKilledWithSigkillIsReportedCrashedByTheNextSearch() throws Exception {
        RunStore store = store();
        RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6));
        try (ChildJvm child = ChildJvm.start(OwnedRun.class, store.root().toString());
             RunIndex index = open()) {
            String id = child.await("id ");
            index.catchUp(store, s -> { });
            assertThat(index.searchRuns("attributes.status = 'running'", null, 10).hits())
                    .extracting(RunIndex.Hit::runId).containsExactly(id);

            child.kill();  // kill -9

            index.catchUp(store, s -> { });
            RunIndex.Hits crashed = index.searchRuns("attributes.status = 'crashed'", null, 10);
            assertThat(crashed.hits()).extracting(RunIndex.Hit::runId).containsExactly(id);
            assertThat(crashed.hits().get(0).source()).contains("\"status\":\"crashed\"", "\"reason\":\"process "
                    + child.process.pid() + " on ");
            assertThat(index.searchRuns("attributes.status = 'running'", null, 10).total()).isZero();
            assertThat(store.open(id).artifacts()).as("the child wrote one split before it was killed").hasSize(1);
            assertThat(index.searchArtifacts("run = '" + id + "'", null, 10).total())
                    .as("the partial artifacts of a run killed in evaluation are not indexed").isZero();
            assertThat(index.catchUp(store, s -> { }).indexed()).as("a crashed run is not re-read").isZero();
        }
    }

    @Test
    void anIndexOfAnotherJournalIsRebuilt() throws IOException {
        RunStore store = store();
        RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6));
        RunFixtures.run(store, "universal", 0.99, 0.10, List.of(6));
        try (RunIndex index = open()) {
            index.catchUp(store, s -> { });
        }
        Files.delete(store.root().resolve(ChangeJournal.FILE));
        List<String> said = new ArrayList<>();
        try (RunIndex index = open()) {
            assertThat(index.catchUp(store, said::add).indexed()).isEqualTo(2);
            assertThat(said).containsExactly("the index follows another journal than " + store.root()
                    + "'s; rebuilding it");
            assertThat(index.catchUp(store, s -> { }).indexed()).isZero();
        }

        RunStore other = RunStore.at(home.resolve("other-runs"));
        String only = RunFixtures.run(other, "mor", 0.5, 0.5, List.of());
        try (RunIndex index = open()) {
            assertThat(index.catchUp(other, s -> { }).indexed()).isEqualTo(1);
            assertThat(index.searchRuns("", null, 10).hits()).extracting(RunIndex.Hit::runId).containsExactly(only);
            assertThat(index.searchArtifacts("", null, 10).total()).isEqualTo(1);
        }
    }

    @Test
    void aSecondWriterWaitsThenReportsTheIndexBusyAndReadersSearchTheLastCommit() {
        RunStore store = store();
        try (RunIndex first = open()) {
            long started = System.nanoTime();
            boolean[] told = {false};
            assertThatThrownBy(() -> LuceneRunIndex.open(home.resolve("index"), Duration.ofMillis(300),
                    () -> told[0] = true))
                    .isInstanceOf(IndexBusyException.class)
                    .hasMessage("the index at " + home.resolve("index") + " is busy: another recursa process is "
                            + "writing it; try again when it has finished");
            assertThat(told[0]).isTrue();
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            String id = RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6));
            first.catchUp(store, s -> { });
            String later = RunFixtures.run(store, "vanilla", 0.99, 0.10, List.of(6));
            try (RunIndex reader = LuceneRunIndex.openReadOnly(home.resolve("index"))) {
                assertThat(reader.readOnly()).isTrue();
                assertThat(reader.searchRuns("", null, 10).hits()).as("readers need no lock")
                        .extracting(RunIndex.Hit::runId).containsExactly(id);
                assertThat(reader.catchUp(store, s -> { })).isEqualTo(new RunIndex.Sync(0, 0, List.of()));
                assertThat(reader.searchRuns("", null, 10).total()).as("a reader writes nothing").isEqualTo(1);
                assertThatThrownBy(() -> reader.rebuild(store, s -> { })).isInstanceOf(IllegalStateException.class);
            }
            first.catchUp(store, s -> { });
            try (RunIndex reader = LuceneRunIndex.openReadOnly(home.resolve("index"))) {
                assertThat(reader.searchRuns("", null, 10).hits()).extracting(RunIndex.Hit::runId)
                        .containsExactlyInAnyOrder(id, later);
            }
        }
        assertThatThrownBy(() -> LuceneRunIndex.openReadOnly(home.resolve("no-index")))
                .hasMessageContaining("no index at " + home.resolve("no-index"));
    }
}
