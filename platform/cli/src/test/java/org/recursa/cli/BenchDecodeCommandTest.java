package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recursa bench decode} in process, with the real host and bundles, at a tiny size: the table's shape, and
 * Recursa's cached and uncached greedy decoding agreeing token for token. The PyTorch side is exercised where
 * python3 imports torch. Nothing is timed against a goal.
 */
class BenchDecodeCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path distribution;

    private String out;
    private String err;

    @BeforeEach
    void distributionWithTheFirstPartyBundles() throws IOException {
        Path plugins = Files.createDirectories(distribution.resolve("plugins"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("recursa.test.bundles")),
                "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, distribution.toString());
    }

    @AfterEach
    void clearDistribution() {
        System.clearProperty(HostSession.DISTRIBUTION_PROPERTY);
    }

    @Test
    void cachedAndUncachedDecodingAgreeInEveryRow() {
        assertThat(run("--home", home.toString(), "bench", "decode", "--arch", "vanilla,universal", "--width", "16",
                "--lengths", "8,9", "--batch", "1,3", "--warmup", "0", "--torch", "off")).as(err).isZero();
        assertThat(err).isEmpty();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).startsWith("OpenBLAS: ");
        assertThat(lines.get(1)).as("the product library, as runs record it")
                .startsWith("Products: oneDNN ").endsWith(", OpenBLAS below");
        assertThat(out).containsPattern("(?m)^vanilla d=16 B=3 L=9: uncached [0-9,]+ tok/s, cached [0-9,]+ tok/s$")
                .doesNotContain("d=128");
        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("ARCH")).findFirst().orElseThrow());
        assertThat(lines.get(header)).matches("ARCH +WIDTH +BATCH +LENGTH +UNCACHED TOK/S +CACHED TOK/S +PYTORCH TOK/S"
                + " +CACHED/UNCACHED +CACHED/PYTORCH +MISMATCHES");
        List<String> rows = lines.subList(header + 1, lines.size());
        assertThat(rows).as("no PyTorch figure, and no row where the two greedy decodings differ")
                .allMatch(line -> line.matches("[a-z]+ +16 +[0-9]+ +[0-9]+ +[0-9,]+ +[0-9,]+ +- +[0-9.]+x +- +0/[13]"));
        assertThat(rows.stream().map(line -> String.join(" ", List.of(line.split(" +")).subList(0, 4))).toList())
                .as("a row per architecture, batch and length, in that order")
                .containsExactly("vanilla 16 1 8", "vanilla 16 1 9", "vanilla 16 3 8", "vanilla 16 3 9",
                        "universal 16 1 8", "universal 16 1 9", "universal 16 3 8", "universal 16 3 9");
    }

    @Test
    void refusesALengthWithoutRoomForAPromptAndAToken() {
        assertThat(run("--home", home.toString(), "bench", "decode", "--lengths", "8,1")).isEqualTo(2);
        assertThat(err).contains("--lengths at least 2", "--lengths [8, 1]");
        assertThat(out).isEmpty();
    }

    @Test
    void pytorchDecodesBesideRecursaAndAMirrorWithoutACacheIsSkippedOnce() throws Exception {
        installTorchScriptsOrSkip();
        assertThat(run("--home", home.toString(), "bench", "decode", "--arch", "universal,mor", "--width", "16",
                "--lengths", "8", "--batch", "2", "--warmup", "0", "--repeat", "2")).as(err).isZero();
        assertThat(out).containsPattern("(?m)^universal d=16 B=2 L=8 run 2/2: uncached [0-9,]+ tok/s, cached [0-9,]+ "
                        + "tok/s, PyTorch [0-9,]+ tok/s$")
                .containsPattern("(?m)^universal +16 +2 +8 +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9.]+x +[0-9.]+x "
                        + "+[0-9.]+-[0-9.]+x +0/2$")
                .containsPattern("(?m)^mor +16 +2 +8 +[0-9,]+ +[0-9,]+ +- +[0-9.]+x +- +- +0/2$");
        assertThat(err.lines()).as("mor's mirror has no incremental forward: one warning, not one per run")
                .singleElement().asString().contains("the mor mirror has no incremental forward");
    }

    @Test
    void theMirrorsCachedDecodingComputesTheirFullForward() throws Exception {
        Path script = installTorchScriptsOrSkip().resolve("torch_decode.py");
        for (String arch : List.of("vanilla", "universal", "relaxed")) {
            Process check = new ProcessBuilder("/usr/bin/python3", script.toString(), "--check", "--arch", arch,
                    "--width", "16", "--hidden", "64", "--batch", "3", "--prompt", "5", "--new", "6")
                    .redirectErrorStream(true).start();
            String log = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(120, TimeUnit.SECONDS) && check.exitValue() == 0).as(arch + ": " + log).isTrue();
            assertThat(log).contains("\"largest_difference\"");
        }
    }

    @Test
    void readingsTakeMediansOfTheFiguresAndOfThePairwiseRatios() {
        BenchDecodeCommand.Readings readings = new BenchDecodeCommand.Readings(8);
        readings.add(100, 1000, 0, Optional.of(500.0));
        readings.add(200, 1200, 1, Optional.of(1000.0));
        readings.add(150, 900, 0, Optional.of(1000.0));
        assertThat(readings.cells("vanilla", 128, 256, true)).containsExactly("vanilla", 128, 8, 256, "150", "1,000",
                "1,000", "6.00x", "1.20x", "0.90-2.00x", "1/8");
        assertThat(readings.mismatches()).isEqualTo(1);
        BenchDecodeCommand.Readings alone = new BenchDecodeCommand.Readings(1);
        alone.add(50, 2000, 0, Optional.empty());
        assertThat(alone.cells("mor", 16, 8, false)).containsExactly("mor", 16, 1, 8, "50", "2,000", "-", "40.00x",
                "-", "0/1");
    }

    /** Skips the test unless python3 imports torch, then puts the PyTorch scripts into the distribution. */
    private Path installTorchScriptsOrSkip() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "PyTorch side skipped: /usr/bin/python3 cannot import torch");
        Path bench = Files.createDirectories(distribution.resolve("bench"));
        for (String script : List.of("torch_train.py", "torch_decode.py")) {
            Files.copy(repository().resolve("bench").resolve(script), bench.resolve(script));
        }
        return bench;
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
            if (Files.isRegularFile(dir.resolve("bench/torch_decode.py"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bench/torch_decode.py not found above " + Path.of("").toAbsolutePath());
    }
}
