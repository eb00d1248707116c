package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private record Result(int code, String out, String err) {
    }

    private static Result recursa(String... args) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("recursa.distribution"), "bin", "recursa");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
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
