package org.recursa.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;

/**
 * The runner with the real executor: every point a child JVM ({@link FakePoint}) that takes the point's lock through
 * the real {@link PointCommand} and records a run in the real run store. What is done comes from the run store, so
 * these tests are about resuming: nothing finished is run again, failures and crashes are, and a point another
 * process holds is waited for.
 */
class SweepRunnerTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();

    private Sweep sweep() {
        SweepSpec spec = new SweepSpec("copy", "io", "greedy", null, Map.of("train.steps", "5"),
                List.of(GridAxis.parse("arch=vanilla,universal")), List.of(), 0, 1, Seeds.parse("1..2"));
        return SweepStore.at(home.resolve("sweeps")).create(null, spec, Instant.now()).sweep();
    }

    private RunStore store() {
        return RunStore.at(home.resolve("runs"));
    }

    private SweepRunner.Result run(Sweep sweep, int slots) {
        try (LocalSweepExecutor executor = new LocalSweepExecutor(FakePoint.command(home), Map.of(), slots)) {
            return new SweepRunner(sweep, store(), executor, new PrintWriter(out, true)).run();
        }
    }

    @Test
    void everyPointRunsOnceAndRunningTheSweepAgainRunsNothing() throws Exception {
        Sweep sweep = sweep();
        SweepRunner.Result result = run(sweep, 2);
        assertThat(result.complete()).as(out.toString()).isTrue();
        assertThat(result.counts()).isEqualTo(new SweepState.Counts(4, 0, 0, 0));
        assertThat(out.toString()).contains("sweep " + sweep.id() + ": 4 points (2 configurations x 2 seeds): 0 done, "
                + "0 being run by another process, 4 to run", "[0/4] start  p001 arch=vanilla seed=1",
                "[0/4] start  p002 arch=universal seed=1", "[4/4] done   ", "; ETA ", "; none left",
                "sweep " + sweep.id() + ": 4 of 4 points done (");
        assertThat(out.toString()).containsPattern("\\[1/4\\] done   p00[12] arch=\\w+ seed=1: run \\S+ in [0-9.]+ s, "
                + "test-id seq acc 0\\.1000; ETA \\d+ s");
        Map<String, List<SweepState.RunRef>> runs = Runs.byPoint(store(), sweep);
        assertThat(runs).containsOnlyKeys("p001", "p002", "p003", "p004");
        runs.values().forEach(list -> assertThat(list).singleElement().extracting(SweepState.RunRef::status)
                .isEqualTo(RunStatus.FINISHED));
        assertThat(store().open(runs.get("p004").get(0).id()).config().tags()).containsEntry("sweep", sweep.id())
                .containsEntry("sweep.point", "p004").containsEntry("sweep.arch", "universal");
        assertThat(Files.readString(sweep.log("p003"))).contains("point p003 arch=vanilla seed=2 of sweep "
                + sweep.id() + ", attempt 1");

        out.getBuffer().setLength(0);
        assertThat(run(sweep, 2).complete()).isTrue();
        assertThat(out.toString()).contains("4 done, 0 being run by another process, 0 to run")
                .doesNotContain("start");
        assertThat(Runs.byPoint(store(), sweep).values()).allSatisfy(list -> assertThat(list).hasSize(1));
    }

    @Test
    void failedAndCrashedPointsAreRedoneWhenTheSweepRunsAgain() throws Exception {
        Sweep sweep = sweep();
        Files.writeString(home.resolve("behave-p002"), "fail");
        Files.writeString(home.resolve("behave-p003"), "crash");
        SweepRunner.Result first = run(sweep, 1);
        assertThat(first.complete()).isFalse();
        assertThat(first.failed()).extracting(SweepPoint::key).containsExactly("p002", "p003");
        assertThat(first.counts()).isEqualTo(new SweepState.Counts(2, 0, 0, 2));
        assertThat(out.toString()).contains("FAILED p002 arch=universal seed=1: training failed: a test said so (log: "
                + sweep.log("p002") + ")", "FAILED p003 arch=vanilla seed=2: ",
                "2 of 4 points done", "'recursa sweep resume " + sweep.id() + "' runs the rest");
        List<SweepState.Point> states = SweepState.of(sweep, store());
        assertThat(states.get(2).runs()).singleElement().satisfies(r -> {
            assertThat(r.status()).as("the child halted without an outcome").isEqualTo(RunStatus.CRASHED);
            assertThat(r.reason()).contains("ended without recording an outcome");
        });
        assertThat(states.get(1).last().orElseThrow().status()).isEqualTo(RunStatus.FAILED);

        Files.delete(home.resolve("behave-p002"));
        Files.delete(home.resolve("behave-p003"));
        out.getBuffer().setLength(0);
        SweepRunner.Result second = run(sweep, 2);
        assertThat(second.complete()).as(out.toString()).isTrue();
        assertThat(out.toString()).contains("2 done, 0 being run by another process, 2 to run")
                .doesNotContain("start  p001", "start  p004");
        Map<String, List<SweepState.RunRef>> runs = Runs.byPoint(store(), sweep);
        assertThat(runs.get("p001")).hasSize(1);
        assertThat(runs.get("p004")).hasSize(1);
        assertThat(runs.get("p002")).extracting(SweepState.RunRef::status)
                .containsExactly(RunStatus.FAILED, RunStatus.FINISHED);
        assertThat(runs.get("p003")).extracting(SweepState.RunRef::status)
                .containsExactly(RunStatus.CRASHED, RunStatus.FINISHED);
        assertThat(Files.readString(sweep.log("p003"))).contains("attempt 1", "attempt 2");
    }

    @Test
    void aPointAnotherProcessHoldsIsWaitedForAndNeverRunTwice() throws Exception {
        Sweep sweep = sweep();
        SweepPoint first = sweep.plan().point("p001");
        PointLock lock = PointLock.tryHold(sweep, "p001").orElseThrow();
        try (LocalSweepExecutor executor = new LocalSweepExecutor(FakePoint.command(home), Map.of(), 1)) {
            SweepExecutor.PointExit busy = executor.submit(sweep, first).exit().get(60, TimeUnit.SECONDS);
            assertThat(busy.code()).as("a child that finds the lock taken runs nothing").isEqualTo(PointCommand.BUSY);
            assertThat(busy.detail()).isEqualTo("point p001 arch=vanilla seed=1 of sweep " + sweep.id()
                    + " is being run by another process");
        }
        assertThat(Runs.byPoint(store(), sweep)).isEmpty();
        assertThat(SweepState.of(sweep, store()).get(0).state()).isEqualTo(SweepState.State.RUNNING);

        CompletableFuture<SweepRunner.Result> result = CompletableFuture.supplyAsync(() -> run(sweep, 2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains("[3/4] done")) {
            assertThat(System.nanoTime()).as(out.toString()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(result).isNotDone();
        String other = Runs.finished(store(), sweep, first, Runs.splits(1)); // the other process finishes it
        lock.close();
        SweepRunner.Result done = result.get(60, TimeUnit.SECONDS);
        assertThat(done.complete()).isTrue();
        assertThat(out.toString()).contains("0 done, 1 being run by another process, 3 to run",
                "[4/4] done   p001 arch=vanilla seed=1: run " + other + " finished by another process");
        assertThat(Runs.byPoint(store(), sweep).get("p001")).extracting(SweepState.RunRef::id).containsExactly(other);
        assertThat(Files.readString(sweep.log("p001"))).doesNotContain("attempt");
    }

    @Test
    void aPointThatNoLongerFitsThePluginsStopsTheSweep() throws Exception {
        Sweep sweep = sweep();
        Files.writeString(home.resolve("behave-p001"), "usage");
        assertThatThrownBy(() -> run(sweep, 1)).isInstanceOf(SweepException.class)
                .hasMessage("point p001 arch=vanilla seed=1 of sweep " + sweep.id() + ": unknown setting 'nope'; "
                        + "valid settings: a test's (log: " + sweep.log("p001") + ")");
        assertThat(Runs.byPoint(store(), sweep)).isEmpty();
    }
}
