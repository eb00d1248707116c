package org.recursa.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStore;

/**
 * kill -9 in the middle of indexing loses nothing: a real child JVM rebuilds or catches up the index and is killed
 * with SIGKILL while it is provably mid-way (it is blocked reading one run's summary, a named pipe the test holds,
 * after its other threads have added their documents); the last commit is intact and Lucene's CheckIndex clean,
 * and the next open brings back every run and artifact.
 */
class CrashRecoveryTest {

    private static final int RUNS = 60;
    private static final int NEW_RUNS = 20;

    @TempDir
    Path home;

    @Test
    void killingTheIndexerMidWayThroughARebuildLosesNothing() throws Exception {
        RunStore store = RunStore.at(home.resolve("runs"));
        List<String> ids = write(store, RUNS);
        indexNow(store);
        ids.addAll(write(store, NEW_RUNS));

        killMidWay("rebuild", store.open(ids.get(RUNS / 2)).dir());

        assertClean();
        assertLastCommitHas(RUNS);
        try (RunIndex index = LuceneRunIndex.open(home.resolve("index"), Duration.ofSeconds(10), () -> { })) {
            assertThat(index.catchUp(store, s -> { }).indexed()).isEqualTo(NEW_RUNS);
            assertEverything(index, ids);
        }
        assertClean();
    }

    @Test
    void killingTheIndexerMidWayThroughACatchUpLosesNothing() throws Exception {
        RunStore store = RunStore.at(home.resolve("runs"));
        List<String> ids = write(store, RUNS);
        indexNow(store);
        List<String> added = write(store, NEW_RUNS);
        ids.addAll(added);
        String deleted = ids.remove(3);
        store.delete(deleted, false, Duration.ZERO);

        killMidWay("catchup", store.open(added.get(NEW_RUNS / 2)).dir());

        assertClean();
        assertLastCommitHas(RUNS);
        try (RunIndex index = LuceneRunIndex.open(home.resolve("index"), Duration.ofSeconds(10), () -> { })) {
            RunIndex.Sync sync = index.catchUp(store, s -> { });
            assertThat(sync.indexed()).isEqualTo(NEW_RUNS);
            assertThat(sync.removed()).isEqualTo(1);
            assertEverything(index, ids);
        }
        assertClean();
    }

    /**
     * Replaces {@code run}'s summary with a named pipe, starts the indexer, waits until it opens the pipe (it is then
     * inside the rebuild or catch-up), lets its other threads work a moment, kills it, and restores the summary.
     */
    private void killMidWay(String mode, Path run) throws Exception {
        Path summary = run.resolve("summary.json");
        byte[] saved = Files.readAllBytes(summary);
        Files.delete(summary);
        Process mkfifo = new ProcessBuilder("mkfifo", summary.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        try (ChildJvm child = ChildJvm.start(SlowIndexer.class, mode, home.toString())) {
            child.await("open");
            CompletableFuture<OutputStream> opened = CompletableFuture.supplyAsync(() -> {
                try {
                    return new FileOutputStream(summary.toFile());  // returns once the indexer opens it to read
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream pipe;
            try {
                pipe = opened.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                new FileInputStream(summary.toFile()).close();  // unblocks the opener
                throw new AssertionError("the indexer never read " + summary + "; it printed:\n" + child.kill());
            }
            try (pipe) {
                Thread.sleep(300);  // the indexer's other threads add their documents
                String printed = child.kill();
                assertThat(printed).as("killed before it finished").doesNotContain("done");
            }
        } finally {
            Files.delete(summary);
            Files.write(summary, saved);
        }
    }

    private List<String> write(RunStore store, int runs) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ids.add(RunFixtures.run(store, i % 2 == 0 ? "vanilla" : "universal", 0.9, 0.1, List.of(6, 7)));
        }
        return ids;
    }

    private void indexNow(RunStore store) {
        try (RunIndex index = LuceneRunIndex.open(home.resolve("index"), Duration.ofSeconds(10), () -> { })) {
            assertThat(index.catchUp(store, s -> { }).indexed()).isEqualTo(RUNS);
        }
    }

    private void assertLastCommitHas(int runs) {
        try (RunIndex committed = LuceneRunIndex.openReadOnly(home.resolve("index"))) {
            assertThat(committed.searchRuns("", null, 1).total()).as("the last commit survives the kill whole")
                    .isEqualTo(runs);
            assertThat(committed.searchArtifacts("", null, 1).total()).isEqualTo(3L * runs);
        }
    }

    private static void assertEverything(RunIndex index, List<String> ids) {
        RunIndex.Hits runs = index.searchRuns("", null, ids.size() + 10);
        assertThat(runs.hits()).extracting(RunIndex.Hit::runId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(index.searchArtifacts("verdict = 'wrong'", null, 1).total()).isEqualTo(2L * ids.size());
        assertThat(index.searchArtifacts("verdict = 'correct'", null, 1).total()).isEqualTo(ids.size());
    }

    private void assertClean() throws IOException {
        try (FSDirectory directory = FSDirectory.open(home.resolve("index"));
             CheckIndex check = new CheckIndex(directory)) {
            check.setInfoStream(null);
            assertThat(check.checkIndex().clean).as("Lucene CheckIndex").isTrue();
        }
    }
}
