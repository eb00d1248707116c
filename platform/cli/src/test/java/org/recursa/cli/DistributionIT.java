package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.index.bench.SyntheticRuns;
import org.recursa.runstore.RunStore;

/** The packaged distribution's bin/recursa, run as a user runs it: a child process. */
class DistributionIT {

    @TempDir
    Path home;

    @Test
    void theLauncherListsTheBundledExtensionsOnAFreshHome() throws Exception {
        Result result = recursa("--home", home.toString(), "extensions");
        assertThat(result.code).as(result.err).isZero();
        assertThat(result.out).contains("TASKS", "copy", "SAMPLERS", "greedy", "COMPRESSORS", "identity");
        assertThat(result.err).isEmpty();
        assertThat(home.resolve("plugins/installed.json")).exists();
        try (var caches = Files.list(home.resolve("framework"))) {
            assertThat(caches).as("the framework cache is removed at exit").isEmpty();
        }
    }

    @Test
    void theLauncherReportsItsVersion() throws Exception {
        Result result = recursa("--version");
        assertThat(result.code).isZero();
        assertThat(result.out).startsWith("recursa 0.1.0-SNAPSHOT");
    }

    @Test
    void theLauncherComputesOnTheBundledOpenBlasWhenAskedTo() throws Exception {
        Result result = recursa(Map.of("RECURSA_BLAS", "bundled"), benchArguments());
        assertThat(result.code).as(result.err).isZero();
        String libraries = openBlasLine(result.out);
        for (String library : libraries.split(", ")) {
            assertThat(library).as("every OpenBLAS mapped is the bundled copy")
                    .matches("/.*/openblas-[0-9.]+-[0-9.]+-linux-[^/]+\\.jar/.*/libopenblas[^/]*");
        }
    }

    @Test
    void theLauncherComputesOnTheSystemOpenBlasWhereOneIsInstalled() throws Exception {
        assumeTrue(Files.isRegularFile(SYSTEM_OPENBLAS), "no system OpenBLAS here (" + SYSTEM_OPENBLAS
                + "); CI installs libopenblas0-pthread");
        Result result = recursa(Map.of(), benchArguments());
        assertThat(result.code).as(result.err).isZero();
        String libraries = openBlasLine(result.out);
        for (String library : libraries.split(", ")) {
            assertThat(Files.isSameFile(Path.of(library), SYSTEM_OPENBLAS)
                    || Files.mismatch(Path.of(library), SYSTEM_OPENBLAS) == -1)
                    .as("%s (of %s) is the system library", library, libraries).isTrue();
        }
    }

    @Test
    void theLauncherRefusesAnUnknownBlasChoiceInOneLine() throws Exception {
        Result result = recursa(Map.of("RECURSA_BLAS", "mkl"), "--version");
        assertThat(result.code).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.err.strip()).isEqualTo("recursa: RECURSA_BLAS=mkl is not a choice; use auto, system or bundled");
    }

    private static final Path SYSTEM_OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");

    private String[] benchArguments() {
        return new String[] {"--home", home.toString(), "bench", "train", "--arch", "vanilla", "--width", "16",
            "--steps", "1", "--warmup", "0", "--torch", "off"};
    }

    /** The libraries named on bench train's "OpenBLAS: " line. */
    private static String openBlasLine(String out) {
        return out.lines().filter(line -> line.startsWith("OpenBLAS: ")).findFirst().orElseThrow()
                .substring("OpenBLAS: ".length());
    }

    @Test
    void aRunKilledWithSigkillIsReportedAsCrashedByTheNextSearch() throws Exception {
        Path launcher = Path.of(System.getProperty("recursa.distribution"), "bin", "recursa");
        Path log = home.resolve("run.log");
        Process run = new ProcessBuilder(launcher.toString(), "--home", home.toString(), "run", "--task", "copy",
                "--arch", "vanilla", "--steps", "100000", "--set", "arch.d_model=16", "--set", "arch.heads=2",
                "--set", "train.batch_size=8", "--set", "train.eval_examples=8")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path runs = home.resolve("runs");
        String id;
        try {
            id = awaitFirstStep(runs, run);
        } finally {
            run.destroyForcibly(); // SIGKILL: no shutdown hook, nothing recorded
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(runs.resolve(id).resolve("status")).trim()).as("the run had no chance to record "
                + "an outcome").isEqualTo("running");

        Result running = recursa("--home", home.toString(), "runs", "search", "attributes.status = 'running'",
                "--format", "json");
        assertThat(running.code()).as(running.err()).isZero();
        assertThat(running.out().trim()).isEqualTo("[ ]");
        Result crashed = recursa("--home", home.toString(), "runs", "search", "attributes.status = 'crashed'",
                "--format", "json");
        assertThat(crashed.code()).as(crashed.err()).isZero();
        assertThat(crashed.out()).contains("\"run_id\" : \"" + id + "\"", "ended without recording an outcome")
                .as("a run that never ended has no end time").doesNotContain("end_time");
        Result show = recursa("--home", home.toString(), "runs", "show", id);
        assertThat(show.out()).contains("status    crashed (process " + run.pid() + " on ");
    }

    @Test
    void aReadOnlyHomeIsSearchedReadOnly() throws Exception {
        RunStore store = RunStore.at(home.resolve("runs"));
        for (int i = 0; i < 3; i++) {
            SyntheticRuns.write(store, i, 2);
        }
        Result indexed = recursa("--home", home.toString(), "runs", "search", "", "--format", "csv");
        assertThat(indexed.code()).as(indexed.err()).isZero();
        assertThat(indexed.out().lines()).hasSize(4);
        SyntheticRuns.write(store, 3, 2); // not in the index's last commit
        List<String> before = snapshot(home);

        List<String> command = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
                "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", home.toString(),
                Path.of(System.getProperty("recursa.distribution"), "bin", "recursa").toString(), "--home",
                home.toString(), "runs", "search", "", "--format", "csv"));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(!err.contains("unshare:") && !err.contains("mount:"), "no mount namespaces here: " + err);

        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out.lines()).as("the last commit's runs").hasSize(4);
        assertThat(err.lines()).containsExactly("recursa: " + home.resolve("index") + " cannot be written; searching "
                + "its last commit, which may lag the runs");
        assertThat(snapshot(home)).as("nothing in the home changed").isEqualTo(before);
    }

    /** Every path under {@code dir} with its size. */
    private static List<String> snapshot(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            return paths.map(p -> dir.relativize(p) + (Files.isRegularFile(p) ? " " + p.toFile().length() : "/"))
                    .sorted().toList();
        }
    }

    /** Waits until the child's run has written its first step; returns the run id. */
    private static String awaitFirstStep(Path runs, Process run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(run.isAlive()).as("the run is still training").isTrue();
            if (Files.isDirectory(runs)) {
                try (var dirs = Files.list(runs)) {
                    for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                        Path metrics = dir.resolve("metrics.jsonl");
                        if (Files.exists(metrics) && Files.readString(metrics).contains("\"type\":\"step\"")) {
                            return dir.getFileName().toString();
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the run wrote no step within 120 s");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result recursa(String... args) throws IOException, InterruptedException {
        return recursa(Map.of(), args);
    }

    private static Result recursa(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("recursa.distribution"), "bin", "recursa");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/recursa did not finish within 120 s");
        }
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
