package org.recursa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;
import org.recursa.sweep.GridAxis;
import org.recursa.sweep.Seeds;
import org.recursa.sweep.Sweep;
import org.recursa.sweep.SweepExecutor;
import org.recursa.sweep.SweepRunner;
import org.recursa.sweep.SweepSpec;
import org.recursa.sweep.SweepState;
import org.recursa.sweep.SweepStore;

/**
 * The Spark executor in {@code local[2]}: a real Spark driver and executor in this JVM, real tasks that check the
 * shipped files' hashes and start a child JVM per point ({@link FakeRecursa} instead of training), the runs coming
 * back and imported into the real run store, the real {@link SweepRunner} deciding what to run.
 */
class SparkSweepExecutorTest {

    @TempDir
    Path home;

    @Test
    void everyPointRunsAsASparkTaskAndItsRunIsImportedOnce() throws Exception {
        Sweep sweep = sweep(Map.of("train.steps", "5"));
        RunStore store = RunStore.at(home.resolve("runs"));
        try (SweepExecutor executor = SparkSweepExecutor.open(options(2), store)) {
            assertThat(executor.slots()).isEqualTo(2);
            assertThat(executor.toString()).contains("local[2,2]");
            SweepRunner.Result result = new SweepRunner(sweep, store, executor, new PrintWriter(new StringWriter()))
                    .run();
            assertThat(result.complete()).as("every point done").isTrue();
            assertThat(store.ids()).hasSize(2);
            for (String id : store.ids()) {
                StoredRun run = store.open(id);
                assertThat(run.state().status()).isEqualTo(RunStatus.FINISHED);
                assertThat(run.config().tags()).containsEntry("sweep", sweep.id());
            }
            assertThat(store.journal().read(0).changes()).hasSize(4);
            // a point submitted again once done: nothing runs, nothing is imported
            SweepExecutor.PointExit again = executor.submit(sweep, sweep.plan().points().get(0)).exit().get();
            assertThat(again.code()).isZero();
            assertThat(again.detail()).startsWith("already finished: run ");
            assertThat(store.ids()).hasSize(2);
            StringWriter out = new StringWriter();
            assertThat(new SweepRunner(sweep, store, executor, new PrintWriter(out)).run().complete()).isTrue();
            assertThat(out.toString()).contains("2 done, 0 being run by another process, 0 to run");
        }
        assertThat(SweepState.counts(SweepState.of(sweep, store)).done()).isEqualTo(2);
    }

    @Test
    void withARunsUriTheTaskWritesTheRunThereAndTheDriverImportsItFromThere() throws Exception {
        Sweep sweep = sweep(Map.of("fail", "never"));
        RunStore store = RunStore.at(home.resolve("runs"));
        Map<String, String> options = options(1);
        options.put("runs-uri", home.resolve("shared").toUri().toString());
        try (SweepExecutor executor = SparkSweepExecutor.open(options, store)) {
            SweepExecutor.PointExit exit = executor.submit(sweep, sweep.plan().points().get(0)).exit().get();
            assertThat(exit.code()).as(exit.detail()).isZero();
        }
        String id = store.ids().get(0);
        assertThat(home.resolve("shared").resolve(sweep.id()).resolve("p001-" + id + ".zip")).isRegularFile();
        assertThat(Files.readString(sweep.log("p001"), StandardCharsets.UTF_8)).contains("run " + id
                + " imported from file:");
    }

    @Test
    void aPointThatAlwaysFailsIsTriedAsOftenAsSparkAllowsThenReportedWithTheChildsError() throws Exception {
        Sweep sweep = sweep(Map.of("fail", "always"));
        RunStore store = RunStore.at(home.resolve("runs"));
        try (SweepExecutor executor = SparkSweepExecutor.open(options(2), store)) {
            SweepExecutor.PointExit exit = executor.submit(sweep, sweep.plan().points().get(0)).exit().get();
            assertThat(exit.code()).isEqualTo(1);
            assertThat(exit.detail()).contains("failed 2 times", "attempt 2: recursa run exited with code 1: "
                    + "recursa: training failed: a test said so");
        }
        assertThat(store.ids()).isEmpty();
        assertThat(Files.readString(sweep.log("p001"), StandardCharsets.UTF_8)).contains("Spark gave up: ");
    }

    @Test
    void aShippedFileWhoseHashDiffersIsRefusedNamingBothHashes() throws Exception {
        Path file = Files.writeString(home.resolve("lib-000-a.jar"), "not what was sent");
        ShippedFile sent = new ShippedFile("lib-000-a.jar", "lib-000-a.jar", ShippedFile.Role.LIB, "ab".repeat(32),
                17);
        assertThatThrownBy(() -> PointTask.verify(sent, file, "point p001 of sweep s"))
                .hasMessage("point p001 of sweep s: shipped file lib-000-a.jar has SHA-256 " + Sha256.of(file)
                        + " (17 bytes) on arrival, the driver sent " + "ab".repeat(32) + " (17 bytes); refusing to "
                        + "run it");
    }

    @Test
    void localMastersGetTheRetriesOthersAreKept() {
        assertThat(SparkSweepExecutor.master("local", 4)).isEqualTo("local[1,4]");
        assertThat(SparkSweepExecutor.master("local[2]", 3)).isEqualTo("local[2,3]");
        assertThat(SparkSweepExecutor.master("local[*]", 4)).isEqualTo("local[*,4]");
        assertThat(SparkSweepExecutor.master("spark://127.0.0.1:7077", 4)).isEqualTo("spark://127.0.0.1:7077");
    }

    private Sweep sweep(Map<String, String> settings) {
        SweepSpec spec = new SweepSpec("copy", "io", "greedy", null, settings,
                List.of(GridAxis.parse(settings.containsKey("fail") ? "arch=vanilla" : "arch=vanilla,universal")),
                List.of(), 0, 1, Seeds.parse("1"));
        return SweepStore.at(home.resolve("sweeps")).create(null, spec, Instant.now()).sweep();
    }

    /** Ships only what the fake needs: this module's test classes, the run store and Jackson. */
    private Map<String, String> options(int maxFailures) throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.writeString(plugins.resolve("installed.json"), "{\"format\": 1, \"plugins\": []}");
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("test-classes") || e.contains("runstore") || e.contains("jackson"))
                .collect(Collectors.joining(File.pathSeparator));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("master", "local[2]");
        options.put("max-failures", Integer.toString(maxFailures));
        options.put("class-path", classPath);
        options.put("plugins", plugins.toString());
        options.put("run-bytes", Long.toString(256L << 20));
        options.put("main-class", FakeRecursa.class.getName());
        return options;
    }
}
