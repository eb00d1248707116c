package org.recursa.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's baseline check (docs/api-versioning.md), run as a contributor runs it: {@code mvn -o verify} in a child
 * process on a copy of this module (its sources, its committed baseline, the root pom): as committed; with a change
 * to a {@code @ConsumerType} and one to a {@code @ProviderType} that their package versions do not account for; and
 * with those versions bumped.
 */
class BaselineIT {

    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path SOURCES = Path.of("src/main/java/org/recursa/api");

    @TempDir
    Path copy;

    @Test
    void theApiAsCommittedPassesItsBaseline() throws Exception {
        Result result = verify(module());
        assertThat(result.code).as(result.output).isZero();
    }

    @Test
    void unaccountedChangesFailNamingTheirPackagesAndPassOnceBumped() throws Exception {
        Path module = module();
        // Task is @ConsumerType: plugins implement it, so a changed method breaks every task plugin (major).
        edit(module.resolve(SOURCES).resolve("task/Task.java"),
                "Vocabulary vocabulary(Config config);", "Vocabulary vocabulary(Config config, long seed);");
        // CompressionContext is @ProviderType: only the host implements it, so an added method is minor.
        edit(module.resolve(SOURCES).resolve("compress/CompressionContext.java"),
                "    Uptraining uptraining();", "    Uptraining uptraining();\n\n    long seed();");
        Result result = verify(module);
        assertThat(result.code).as(result.output).isNotZero();
        assertThat(result.output).contains("Baseline problems detected")
                .containsPattern("\\* org\\.recursa\\.api\\.task +PACKAGE +MAJOR +1\\.0\\.0 +1\\.0\\.0 +2\\.0\\.0")
                .containsPattern("\\* org\\.recursa\\.api\\.compress +PACKAGE +MINOR +1\\.0\\.0 +1\\.0\\.0 +1\\.1\\.0")
                .doesNotContainPattern("\\* org\\.recursa\\.api\\.model ");

        bump(module.resolve(SOURCES).resolve("task/package-info.java"), "2.0.0");
        bump(module.resolve(SOURCES).resolve("compress/package-info.java"), "1.1.0");
        Result bumped = verify(module);
        assertThat(bumped.code).as("with task 2.0.0 and compress 1.1.0: " + bumped.output).isZero();
    }

    /** A copy of this module beside a copy of the root pom, as the reactor lays them out; returns the module. */
    private Path module() throws IOException {
        Path module = copy.resolve("platform/api");
        Files.createDirectories(module);
        Files.copy(MODULE.resolve("../../pom.xml"), copy.resolve("pom.xml"));
        for (String entry : List.of("pom.xml", "bnd.bnd", "baseline", "src/main")) {
            copyTree(MODULE.resolve(entry), module.resolve(entry));
        }
        return module;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void bump(Path packageInfo, String version) throws IOException {
        edit(packageInfo, "@org.osgi.annotation.versioning.Version(\"1.0.0\")",
                "@org.osgi.annotation.versioning.Version(\"" + version + "\")");
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as(file + " still declares what the test changes").contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    /** {@code mvn -o verify} without tests, on the local repository of the build that runs this test. */
    private static Result verify(Path module) throws Exception {
        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        Path log = Files.createTempFile(module.getParent(), "mvn", ".log");
        ProcessBuilder builder = new ProcessBuilder(mvn.toString(), "-B", "-o", "-q",
                "-Dmaven.repo.local=" + System.getProperty("recursa.localRepository"), "-Dmaven.test.skip=true",
                "verify")
                .directory(module.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // A short build: the JIT's first tier alone starts Maven and javac faster than full optimisation.
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("mvn verify did not finish within 180 s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private record Result(int code, String output) {
    }
}
