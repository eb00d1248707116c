package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A third party's first plugin of each kind, from outside this repository, with nothing but the packaged
 * distribution and Maven: {@code recursa sdk install} into a fresh local repository, {@code mvn archetype:generate},
 * {@code mvn verify} (the kind's TCK and the bundle check), {@code recursa plugin install} into a fresh home and a
 * short run that uses the plugin. Every step is a child process, as a user would type it.
 *
 * <p>Maven needs third-party artifacts (ND4J, Guice, JUnit, Maven's own plugins) that a user downloads from Maven
 * Central. Here they come from this build's own local repository, which holds all of them since this build resolved
 * them, served as a {@code file://} mirror of every repository ({@code mirrorOf *}): Maven downloads from it into the
 * fresh local repository as it would from Central, without network. A mirror never serves SNAPSHOTs here (Central's
 * policy disables them), so every {@code org.recursa} artifact can only come from {@code recursa sdk install} — as
 * {@link #theSdkIsWhatTheBuildsResolved} checks byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkIT {

    /** The kinds and the extension id each generated project registers. */
    private static final Map<String, String> IDS = Map.of("task", "parity", "architecture", "tiny-loop",
            "sampler", "first-choice", "compressor", "halve");

    @TempDir
    static Path work; // in java.io.tmpdir: outside the repository, so no POM of this build is in reach

    private Path distribution;
    private Path localRepository;
    private Path settings;
    private final Map<String, Path> projects = new HashMap<>();

    @BeforeAll
    void installTheSdk() throws Exception {
        distribution = Path.of(System.getProperty("recursa.distribution"));
        localRepository = work.resolve("m2-repository");
        settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <!-- Maven Central, played by the build's local repository (see SdkIT). -->
                  <mirrors>
                    <mirror>
                      <id>central-from-the-build</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(System.getProperty("recursa.build.repository")).toUri()));
        Result install = recursa(work, "sdk", "install", "--local-repo", localRepository.toString());
        assertThat(install.code()).as(install.output()).isZero();
        assertThat(install.output()).contains("org.recursa:recursa-plugin-archetype:" + version())
                .as("a fresh repository").doesNotContainPattern("(?m)^(updated|unchanged) ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"task", "architecture", "sampler", "compressor"})
    void aGeneratedPluginBuildsInstallsAndRuns(String kind) throws Exception {
        Path project = project(kind);
        String id = IDS.get(kind);
        Path home = work.resolve("home-" + kind);

        Result install = recursa(project, "--home", home.toString(), "plugin", "install", jar(project).toString());
        assertThat(install.code()).as(install.output()).isZero();
        assertThat(install.output()).contains("installed ", kind + " " + id);

        List<String> run = switch (kind) {
            case "task" -> List.of("run", "--task", id, "--arch", "universal");
            case "architecture" -> List.of("run", "--task", "copy", "--arch", id);
            case "sampler" -> List.of("run", "--task", "copy", "--arch", "universal", "--sampler", id);
            default -> List.of("run", "--task", "copy", "--arch", "universal");
        };
        Result trained = recursa(project, concat(List.of("--home", home.toString()), run, List.of("--steps", "50")));
        assertThat(trained.code()).as(trained.output()).isZero();
        Matcher finished = Pattern.compile("(?m)^run (\\S+) finished after 50 steps").matcher(trained.output());
        assertThat(finished.find()).as(trained.output()).isTrue();
        if (kind.equals("compressor")) {
            Result compressed = recursa(project, "--home", home.toString(), "compress", finished.group(1),
                    "--compressor", id);
            assertThat(compressed.code()).as(compressed.output()).isZero();
            assertThat(compressed.output()).containsPattern("(?m)^run \\S+ finished");
        }
    }

    @Test
    void theSdkIsWhatTheBuildsResolved() throws Exception {
        project("task"); // a build has run: anything it lacked would have been fetched into the local repository
        Path sdk = distribution.resolve("sdk");
        try (Stream<Path> files = Files.walk(localRepository.resolve("org/recursa"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(SdkIT::isArtifactFile).toList()) {
                Path shipped = sdk.resolve(localRepository.relativize(file).toString());
                assertThat(shipped).as("%s comes from the SDK", file).exists();
                assertThat(Files.mismatch(file, shipped)).as("%s is the SDK's", file).isEqualTo(-1L);
            }
        }
    }

    @Test
    void anArchitectureProjectTestsOnTheHostsNativeStack() throws Exception {
        Path project = project("architecture");
        Path classpath = work.resolve("architecture-classpath.txt");
        Result listed = mvn(project, "org.apache.maven.plugins:maven-dependency-plugin:"
                + System.getProperty("recursa.dependency.plugin.version") + ":build-classpath",
                "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + classpath);
        assertThat(listed.code()).as(listed.output()).isZero();
        Set<String> tested = nativeStack(Stream.of(Files.readString(classpath).strip().split(":"))
                .map(entry -> Path.of(entry).getFileName().toString()));
        Set<String> host;
        try (Stream<Path> lib = Files.list(distribution.resolve("lib"))) {
            host = nativeStack(lib.map(jar -> jar.getFileName().toString()));
        }
        assertThat(host).as("the host runs JavaCPP, OpenBLAS and ND4J").isNotEmpty();
        assertThat(tested).as("the jars of the architecture's test class path").isEqualTo(host);
    }

    @Test
    void aBundleImportingAnApiVersionTheHostDoesNotExportFailsItsBuildInOneLine() throws Exception {
        Path project = copy(project("task"), work.resolve("too-new-api"));
        Files.writeString(project.resolve("bnd.bnd"), "\nImport-Package: org.recursa.api.task;version=\"[9.0,10)\",*\n",
                StandardOpenOption.APPEND);

        Result build = mvn(project, "verify");

        assertThat(build.code()).as(build.output()).isNotZero();
        String hostVersion = hostExport("org.recursa.api.task");
        Pattern wanted = Pattern.compile("\\[9\\.0(\\.0)?,10(\\.0\\.0)?\\)"); // as written, or as bnd writes it
        assertThat(build.output().lines()).as("one line names the package, the wanted range and the host's version "
                + "%s:%n%s", hostVersion, build.output()).anySatisfy(line -> assertThat(line)
                .contains("org.recursa.api.task", hostVersion).containsPattern(wanted));
    }

    /**
     * docs/examples/pondernet, an architecture written outside this repository's build: built against the SDK as
     * its README says (its TCK, gradient checks and bundle check), installed into a fresh home and trained.
     */
    @Test
    void theOutsideExampleInTheDocsBuildsInstallsAndTrains() throws Exception {
        Path example = copy(Path.of(System.getProperty("recursa.examples"), "pondernet"), work.resolve("pondernet"));
        assertThat(Files.readString(example.resolve("pom.xml")))
                .as("docs/examples/pondernet's parent must be this build's recursa-plugin-parent")
                .contains("<artifactId>recursa-plugin-parent</artifactId>\n    <version>" + version() + "</version>");
        Result verified = mvn(example, "verify");
        assertThat(verified.code()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("BundleCheckIT")
                .doesNotContainPattern("Tests run: \\d+, Failures: [1-9]");

        Path home = work.resolve("home-pondernet");
        Result install = recursa(example, "--home", home.toString(), "plugin", "install", jar(example).toString());
        assertThat(install.code()).as(install.output()).isZero();
        assertThat(install.output()).contains("architecture pondernet");
        Result trained = recursa(example, "--home", home.toString(), "run", "--task", "copy", "--arch", "pondernet",
                "--steps", "50");
        assertThat(trained.code()).as(trained.output()).isZero();
        assertThat(trained.output()).containsPattern("(?m)^run \\S+ finished after 50 steps");
    }

    /** The generated project of {@code kind}, built by {@code mvn verify} once (the first test that needs it). */
    private Path project(String kind) throws Exception {
        Path existing = projects.get(kind);
        if (existing != null) {
            return existing;
        }
        Path parent = Files.createDirectories(work.resolve("projects"));
        Result generated = mvn(parent, "org.apache.maven.plugins:maven-archetype-plugin:"
                + System.getProperty("recursa.archetype.plugin.version") + ":generate",
                "-DarchetypeGroupId=org.recursa", "-DarchetypeArtifactId=recursa-plugin-archetype",
                "-DarchetypeVersion=" + version(), "-Dkind=" + kind, "-Did=" + IDS.get(kind),
                "-DinteractiveMode=false");
        assertThat(generated.code()).as(generated.output()).isZero();
        Path project = parent.resolve(IDS.get(kind) + "-" + kind);
        assertThat(project.resolve("pom.xml")).exists();
        Result verified = mvn(project, "verify");
        assertThat(verified.code()).as(verified.output()).isZero();
        assertThat(verified.output()).as("the TCK and the bundle check ran")
                .contains("BundleCheckIT").containsPattern("Tests run: [1-9]");
        projects.put(kind, project);
        return project;
    }

    private static Path jar(Path project) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("target"))) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList();
            assertThat(jars).as("the build made one jar").hasSize(1);
            return jars.get(0);
        }
    }

    /** The version at which the distribution's host exports {@code pkg} (its --version lists every package). */
    private String hostExport(String pkg) throws Exception {
        Result version = recursa(work, "--version");
        return version.output().lines().filter(line -> line.strip().startsWith(pkg + " "))
                .map(line -> line.strip().substring(pkg.length()).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("--version names no " + pkg + ": " + version.output()));
    }

    /** The JavaCPP, OpenBLAS and ND4J jars among {@code names}: artifact, version and classifier. */
    private static Set<String> nativeStack(Stream<String> names) {
        return names.filter(name -> name.matches("(javacpp|openblas|nd4j)[-.].*\\.jar"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isArtifactFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith("maven-metadata") && !name.equals("_remote.repositories")
                && !name.endsWith(".lastUpdated");
    }

    private static String version() {
        return System.getProperty("recursa.version");
    }

    private record Result(int code, String output) {
    }

    private Result mvn(Path dir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn")
                .toString(), "-B", "--no-transfer-progress", "-s", settings.toString(),
                "-Dmaven.repo.local=" + localRepository));
        command.addAll(List.of(arguments));
        return run(dir, command, 600);
    }

    private Result recursa(Path dir, String... arguments) throws Exception {
        return recursa(dir, List.of(arguments));
    }

    private Result recursa(Path dir, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/recursa").toString()));
        command.addAll(arguments);
        return run(dir, command, 300);
    }

    /** Runs {@code command} in {@code dir}, stdout and stderr into one log (a full pipe would block the child). */
    private Result run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "child", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                    + " s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), "$ " + String.join(" ", command) + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        return to;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
