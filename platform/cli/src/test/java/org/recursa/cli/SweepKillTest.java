package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaHome;

/**
 * A sweep survives kill -9: the sweep runs in a real child JVM, is killed with SIGKILL after its first point finished
 * while its second runs, and {@code sweep resume} finishes it. Every point ends with exactly one finished run: the
 * finished point is not run again, and the point whose process outlived the killed sweep is waited for, not started
 * a second time.
 */
class SweepKillTest {

    @TempDir
    Path home;

    @TempDir
    Path distribution;

    private final List<ProcessHandle> started = new ArrayList<>();

    @BeforeEach
    void distribution() throws Exception {
        TestDistribution.install(distribution);
    }

    @AfterEach
    void clear() {
        started.forEach(ProcessHandle::destroyForcibly);
        TestDistribution.uninstall();
    }

    @Test
    void aSweepKilledWithSigkillResumesWithoutRunningAFinishedPointAgain() throws Exception {
        List<String> command = new ArrayList<>(SweepSession.recursaCommand(new RecursaHome(home)));
        command.addAll(List.of("sweep", "--task", "copy", "--grid", "arch=vanilla,universal", "--seeds", "1..2",
                "--parallel", "1", "--id", "killed"));
        command.addAll(List.of(SweepCliTest.SMALL));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("RECURSA_KERNEL_THREADS", "2"); // the sweep's own; its points get one each
        Process sweep = builder.start();
        started.add(sweep.toHandle());
        StringBuilder seen = new StringBuilder();
        String firstRun;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sweep.getInputStream(),
                StandardCharsets.UTF_8))) {
            firstRun = group(await(out, seen, "[1/4] done   p001 "), "run (\\S+) in ");
            await(out, seen, "[1/4] start  p002 ");
            sweep.descendants().forEach(started::add);
            sweep.destroyForcibly(); // SIGKILL: no shutdown hook, its children are not told
            assertThat(sweep.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(sweep.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(seen).doesNotContain("[2/4]");

        // three slots: one for the point the killed sweep's process still runs, two for the points left
        TestDistribution.Result resume = TestDistribution.run("--home", home.toString(), "sweep", "resume", "killed",
                "--parallel", "3");
        assertThat(resume.code()).as(seen + "\n" + resume.out() + resume.err()).isZero();
        assertThat(resume.out()).contains("sweep killed: 4 points (2 configurations x 2 seeds): 1 done, ",
                "sweep killed: 4 of 4 points done").doesNotContain("start  p001");

        RunStore store = RunStore.at(home.resolve("runs"));
        Map<String, List<StoredRun>> byPoint = new LinkedHashMap<>();
        for (String id : store.ids()) {
            StoredRun run = store.open(id);
            byPoint.computeIfAbsent(run.config().tags().get("sweep.point"), p -> new ArrayList<>()).add(run);
        }
        assertThat(byPoint).as("runs per point: %s", byPoint).containsOnlyKeys("p001", "p002", "p003", "p004");
        byPoint.forEach((point, runs) -> {
            assertThat(runs).as("%s is run exactly once", point).hasSize(1);
            assertThat(runs.get(0).state().status()).as(point).isEqualTo(RunStatus.FINISHED);
            assertThat(runs.get(0).config().provenance().engine().kernelThreads()).isEqualTo(1);
        });
        assertThat(byPoint.get("p001").get(0).id()).as("the point finished before the kill was not re-run")
                .isEqualTo(firstRun);
        assertThat(Files.readString(home.resolve("sweeps/killed/logs/p002.log"))).as("p002 had one process")
                .containsOnlyOnce("attempt 1").doesNotContain("attempt 2");

        TestDistribution.Result show = TestDistribution.run("--home", home.toString(), "sweep", "show", "killed");
        assertThat(show.out()).contains("points: 4 done, 0 running, 0 pending, 0 failed (of 4)");
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    private static String await(BufferedReader out, StringBuilder seen, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the sweep ended without printing '" + prefix + "'; it printed:\n" + seen);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no '" + regex + "' in " + text);
        }
        return m.group(1);
    }
}
