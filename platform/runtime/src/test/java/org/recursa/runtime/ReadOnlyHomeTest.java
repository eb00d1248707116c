package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home on a read-only file system (or without write permission) still lists its plugins, and writes
 * nothing; installing into it fails with one line. The host runs in a child JVM: as root (CI, this machine)
 * file permissions do not stop writes, so the child runs in a private mount namespace where the home is
 * bind-mounted read-only, which stops root too. Without such a namespace, a non-root user gets the home
 * chmod-ed read-only instead; root without one skips.
 */
class ReadOnlyHomeTest {

    private static final String READ_ONLY_MOUNT =
            "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"";

    @TempDir
    Path root;

    private Path home;
    private Path tmp;
    private String out;
    private String err;
    private boolean chmodded;

    @BeforeEach
    void seededHome() throws IOException {
        home = root.resolve("home");
        tmp = Files.createDirectories(root.resolve("tmp"));
        RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty())).close();
    }

    @AfterEach
    void writableAgain() throws IOException {
        if (chmodded) {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.forEach(p -> p.toFile().setWritable(true, true));
            }
        }
    }

    @Test
    void listWorksAndWritesNothing() throws Exception {
        List<String> before = tree(home);

        int code = runReadOnly("list", home.toString(), TestBundles.firstParty().toString());

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(out).contains("recursa-task-copy 0.1.0.SNAPSHOT active", "recursa-sampler-greedy 0.1.0.SNAPSHOT active");
        assertThat(out + err).doesNotContain("ERROR").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(tree(home)).as("the home is unchanged").isEqualTo(before);
        assertThat(tree(tmp)).as("the temporary framework cache is deleted at exit").isEmpty();
    }

    @Test
    void installFailsWithOneLineNamingTheReadOnlyPath() throws Exception {
        Path jar = TestBundles.fabricate(root.resolve("ro.jar"), Map.of(
                "Bundle-SymbolicName", "test.ro", "Bundle-Version", "1.0.0"));
        List<String> before = tree(home);

        int code = runReadOnly("install", home.toString(), "-", jar.toString());

        assertThat(code).as("exit code; stdout: %s", out).isEqualTo(1);
        assertThat(err.lines().toList()).hasSize(1);
        assertThat(err).startsWith("error: cannot install " + jar + ": " + home.resolve("plugins")
                + " is not writable (").contains("); use a writable home (--home or RECURSA_HOME)");
        assertThat(tree(home)).isEqualTo(before);
    }

    private int runReadOnly(String... args) throws Exception {
        List<String> command = HostProcess.command(args);
        command.add(1, "-Djava.io.tmpdir=" + tmp);
        Process child = new ProcessBuilder(readOnly(command))
                .redirectOutput(root.resolve("out").toFile()).redirectError(root.resolve("err").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        out = Files.readString(root.resolve("out"));
        err = Files.readString(root.resolve("err"));
        return child.exitValue();
    }

    /** {@code command} run so that it cannot write into the home. */
    private List<String> readOnly(List<String> command) throws Exception {
        if (mountNamespaceWorks()) {
            return underReadOnlyMount(command);
        }
        try (Stream<Path> paths = Files.walk(home)) {
            paths.forEach(p -> p.toFile().setWritable(false, false));
        }
        chmodded = true;
        Path probe = home.resolve("plugins/.probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            assumeTrue(false, "running as root without unshare/mount namespaces: no way to make the home read-only");
        } catch (IOException expected) {
            // Writes fail: the home is read-only for this user.
        }
        return command;
    }

    private boolean mountNamespaceWorks() throws Exception {
        Path probe = home.resolve(".probe");
        return exec(underReadOnlyMount(List.of("true"))) == 0
                && exec(underReadOnlyMount(List.of("touch", probe.toString()))) != 0 && !Files.exists(probe);
    }

    private List<String> underReadOnlyMount(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT, home.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    private static int exec(List<String> command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(new File("/dev/null")).start();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every file and directory under {@code dir}, with sizes and checksums of files. */
    private static List<String> tree(Path dir) throws IOException {
        List<String> entries = new ArrayList<>(TestBundles.snapshot(dir));
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(Files::isDirectory).map(p -> dir.relativize(p) + "/").sorted().forEach(entries::add);
        }
        entries.remove("/");
        return entries;
    }
}
