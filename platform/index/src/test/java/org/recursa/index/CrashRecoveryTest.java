package org.recursa.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of indexing loses no run: a real child JVM indexes, is killed with SIGKILL, and the next
 * open catches up from the run store. The index stays consistent (Lucene's CheckIndex) throughout.
 */
class CrashRecoveryTest {

    private static final int RUNS = 150;

    @TempDir
    Path home;

    @Test
    void killingTheIndexerMidWayLosesNoRun() throws Exception {
        for (int i = 0; i < RUNS; i++) {
            RunFixtures.run(home.resolve("runs"), String.format("run-%04d", i), i % 2 == 0 ? "vanilla" : "universal",
                    0.9, 0.1, List.of(6, 7), 1_000L * i);
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlowIndexer.class.getName(), home.toString())
                .redirectErrorStream(true).start();
        int seen = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && seen < 20) {
                if (line.startsWith("indexed ")) {
                    seen = Integer.parseInt(line.substring("indexed ".length()));
                }
            }
            child.destroyForcibly();  // SIGKILL on Linux: no shutdown hooks, no Lucene close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).as("the child was killed while indexing").isBetween(20, RUNS - 1);

        try (FSDirectory directory = FSDirectory.open(home.resolve("index"));
             CheckIndex check = new CheckIndex(directory)) {
            assertThat(check.checkIndex().clean).as("the index is consistent after the kill").isTrue();
        }
        try (RunIndex index = RunIndex.open(home.resolve("index"), Duration.ofSeconds(10), () -> { })) {
            long before = RunIndex.searchCommitted(home.resolve("index"), true, "", null, 1).total();
            assertThat(before).as("committed runs survive").isGreaterThanOrEqualTo(20).isLessThan(RUNS);
            RunIndex.Sync sync = index.catchUp(home.resolve("runs"), s -> { });
            assertThat(sync.indexed()).isEqualTo(RUNS - before);
            assertThat(index.searchRuns("", null, 1).total()).isEqualTo(RUNS);
            assertThat(index.searchArtifacts("verdict = 'wrong'", null, 1).total()).isEqualTo(2L * RUNS);
        }
    }
}
