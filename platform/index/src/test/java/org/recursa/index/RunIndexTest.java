package org.recursa.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index against real run directories and a real Lucene index on disk. */
class RunIndexTest {

    @TempDir
    Path home;

    private Path runs() {
        return home.resolve("runs");
    }

    private RunIndex open() {
        return RunIndex.open(home.resolve("index"), Duration.ofSeconds(5), () -> { });
    }

    @Test
    void catchUpIndexesRunsAndArtifactsAndIsIdempotent() {
        RunFixtures.run(runs(), "r1-vanilla", "vanilla", 0.99, 0.10, List.of(6, 7, 8), 1_000);
        RunFixtures.run(runs(), "r2-universal", "universal", 0.97, 0.40, List.of(6), 2_000);
        RunFixtures.run(runs(), "r3-mor", "mor", 0.30, 0.05, List.of(3), 3_000);
        try (RunIndex index = open()) {
            assertThat(index.catchUp(runs(), s -> { }).indexed()).isEqualTo(3);
            RunIndex.Hits hits = index.searchRuns("metrics.seq_acc_test_id > 0.5", "metrics.seq_acc_ood DESC", 10);
            assertThat(hits.hits()).extracting(RunIndex.Hit::runId).containsExactly("r2-universal", "r1-vanilla");
            assertThat(index.catchUp(runs(), s -> { }).indexed()).as("nothing changed").isZero();
            assertThat(index.searchRuns("", null, 10).total()).isEqualTo(3);
            RunIndex.Hits wrong = index.searchArtifacts("task = 'binary-successor' and verdict = 'wrong' and "
                    + "carry_chain >= 6 and run.params.arch = 'vanilla'", null, 10);
            assertThat(wrong.total()).isEqualTo(3);
            assertThat(index.searchArtifacts("verdict = 'wrong' and carry_chain >= 6", null, 10).total()).isEqualTo(4);
            assertThat(index.searchRuns("tags.note LIKE '%universal%'", null, 10).hits())
                    .extracting(RunIndex.Hit::runId).containsExactly("r2-universal");
        }
    }

    @Test
    void aChangedRunIsReindexedAndADeletedOneDropped() throws IOException {
        Path r1 = RunFixtures.run(runs(), "r1", "vanilla", 0.99, 0.10, List.of(6), 1_000);
        RunFixtures.run(runs(), "r2", "vanilla", 0.50, 0.10, List.of(6), 2_000);
        try (RunIndex index = open()) {
            index.catchUp(runs(), s -> { });
        }
        RunFixtures.run(runs(), "r1", "vanilla", 0.99, 0.90, List.of(), 1_000);
        Files.setLastModifiedTime(r1.resolve("final.json"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 5_000));
        deleteTree(runs().resolve("r2"));
        try (RunIndex index = open()) {
            RunIndex.Sync sync = index.catchUp(runs(), s -> { });
            assertThat(sync.indexed()).isEqualTo(1);
            assertThat(sync.removed()).isEqualTo(1);
            assertThat(index.searchRuns("metrics.seq_acc_ood > 0.5", null, 10).hits()).extracting(RunIndex.Hit::runId)
                    .containsExactly("r1");
            assertThat(index.searchArtifacts("verdict = 'wrong'", null, 10).total()).as("old artifacts replaced").isZero();
            assertThat(index.searchRuns("", null, 10).total()).isEqualTo(1);
        }
    }

    @Test
    void aDamagedRunIsReportedWithItsPathAndSkipped() throws IOException {
        RunFixtures.run(runs(), "good", "vanilla", 0.99, 0.10, List.of(6), 1_000);
        Path bad = RunFixtures.run(runs(), "bad", "vanilla", 0.99, 0.10, List.of(6), 2_000);
        String json = Files.readString(bad.resolve("final.json"));
        Files.writeString(bad.resolve("final.json"), json.substring(0, json.length() / 2));
        Path missing = RunFixtures.run(runs(), "missing", "vanilla", 0.99, 0.10, List.of(6), 3_000);
        Files.delete(missing.resolve("config.json"));
        try (RunIndex index = open()) {
            RunIndex.Sync sync = index.rebuild(runs(), s -> { });
            assertThat(sync.indexed()).isEqualTo(1);
            assertThat(sync.damaged()).extracting(Throwable::getMessage).containsExactly(
                    bad + ": final.json is truncated or not JSON (" + firstLine(sync.damaged().get(0)) + ")",
                    missing + ": config.json is missing");
            assertThat(index.searchRuns("", null, 10).hits()).extracting(RunIndex.Hit::runId).containsExactly("good");
        }
    }

    @Test
    void aRunStillRunningIsIndexedWithItsStatus() throws IOException {
        Path dir = RunFixtures.run(runs(), "live", "vanilla", 0.99, 0.10, List.of(), 1_000);
        Files.delete(dir.resolve("final.json"));
        Files.writeString(dir.resolve("status"), "running\n");
        deleteTree(dir.resolve("artifacts"));
        try (RunIndex index = open()) {
            index.catchUp(runs(), s -> { });
            assertThat(index.searchRuns("attributes.status = 'running'", null, 10).hits())
                    .extracting(RunIndex.Hit::runId).containsExactly("live");
        }
    }

    @Test
    void aSecondWriterWaitsThenReportsTheIndexBusy() {
        try (RunIndex first = open()) {
            long started = System.nanoTime();
            boolean[] told = {false};
            assertThatThrownBy(() -> RunIndex.open(home.resolve("index"), Duration.ofMillis(300), () -> told[0] = true))
                    .isInstanceOf(IndexBusyException.class)
                    .hasMessage("the index at " + home.resolve("index") + " is busy: another recursa process is "
                            + "writing it; try again when it has finished");
            assertThat(told[0]).isTrue();
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            RunFixtures.run(runs(), "r1", "vanilla", 0.99, 0.10, List.of(6), 1_000);
            first.catchUp(runs(), s -> { });
            assertThat(RunIndex.searchCommitted(home.resolve("index"), true, "", null, 10).total())
                    .as("readers need no lock").isEqualTo(1);
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        return message.substring(message.indexOf('(') + 1, message.lastIndexOf(')'));
    }

    static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
