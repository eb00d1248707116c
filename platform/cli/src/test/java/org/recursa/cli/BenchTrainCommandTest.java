package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recursa bench train} in process with the real bundles and the repository's bench/torch_train.py: the
 * PyTorch side runs for every mirrored architecture (skipped, with the reason, when python3 cannot import torch).
 */
class BenchTrainCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path distribution;

    private String out;
    private String err;

    @BeforeEach
    void distributionWithTheBundlesAndTheMirrors() throws IOException {
        Path plugins = Files.createDirectories(distribution.resolve("plugins"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("recursa.test.bundles")),
                "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Path bench = Files.createDirectories(distribution.resolve("bench"));
        Files.copy(repository().resolve("bench/torch_train.py"), bench.resolve("torch_train.py"));
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, distribution.toString());
    }

    @AfterEach
    void clearDistribution() {
        System.clearProperty(HostSession.DISTRIBUTION_PROPERTY);
    }

    @Test
    void printsAPyTorchFigureAndRatioForMor() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "PyTorch side skipped: /usr/bin/python3 cannot import torch");
        assertThat(run("--home", home.toString(), "bench", "train", "--arch", "mor,sliced", "--width", "16",
                "--steps", "1")).isZero();
        assertThat(err).isEmpty();
        assertThat(out).containsPattern("(?m)^mor +16 +[0-9,]+ +[0-9,]+ +[0-9.]+x$")
                .containsPattern("(?m)^sliced +16 +[0-9,]+ +- +-$");
    }

    @Test
    void refusesANonPositiveStepCount() {
        assertThat(run("--home", home.toString(), "bench", "train", "--steps", "0")).isEqualTo(2);
        assertThat(err).contains("--steps must be at least 1 and --warmup at least 0, got --steps 0 --warmup 10");
        assertThat(out).isEmpty();
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bench/torch_train.py"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bench/torch_train.py not found above " + Path.of("").toAbsolutePath());
    }
}
