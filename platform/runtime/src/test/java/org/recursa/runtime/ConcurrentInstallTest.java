package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code recursa} processes changing one home at once: every install lands in the journal. Real child
 * JVMs, because the journal is shared between processes, not threads.
 */
class ConcurrentInstallTest {

    private static final int PROCESSES = 3;

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void installsThatStartTogetherAfterEveryHostHasLoadedTheJournalAllLand() throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(spawn(i, "install", home.toString(), TestBundles.firstParty().toString(),
                    bundle(i).toString(), work.resolve("ready-" + i).toString(), work.resolve("go").toString()));
        }
        for (int i = 0; i < PROCESSES; i++) {
            awaitFile(work.resolve("ready-" + i), children.get(i));
        }
        Files.createFile(work.resolve("go"));
        assertEveryInstallLanded(children);
    }

    @Test
    void firstStartsAndInstallsThatRunTogetherLoseNothing() throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(spawn(i, "install", home.toString(), TestBundles.firstParty().toString(),
                    bundle(i).toString()));
        }
        assertEveryInstallLanded(children);
    }

    private void assertEveryInstallLanded(List<Process> children) throws Exception {
        for (int i = 0; i < PROCESSES; i++) {
            Process child = children.get(i);
            assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("child %d finished", i).isTrue();
            assertThat(child.exitValue()).as("child %d exit; stderr: %s", i, read("err-" + i)).isZero();
            assertThat(read("out-" + i)).contains("installed test.race" + i + " 1.0.0");
        }
        String journal = Files.readString(home.resolve("plugins").resolve(PluginJournal.FILE));
        for (int i = 0; i < PROCESSES; i++) {
            assertThat(journal).as("installed.json").contains("\"test.race" + i + "\"");
        }
        try (RecursaHost host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()))) {
            List<String> plugins = host.plugins().list().stream().map(p -> p.symbolicName() + " " + p.state()).toList();
            for (int i = 0; i < PROCESSES; i++) {
                assertThat(plugins).contains("test.race" + i + " active");
            }
            assertThat(plugins).contains("recursa-task-copy active", "recursa-sampler-greedy active");
            assertThat(plugins).allMatch(p -> p.endsWith(" active"));
        }
    }

    /** A library bundle (no extensions, so several can be installed side by side). */
    private Path bundle(int i) throws IOException {
        return TestBundles.fabricate(work.resolve("race" + i + ".jar"), Map.of(
                "Bundle-SymbolicName", "test.race" + i, "Bundle-Version", "1.0.0"));
    }

    private Process spawn(int i, String... args) throws IOException {
        return new ProcessBuilder(HostProcess.command(args))
                .redirectOutput(work.resolve("out-" + i).toFile())
                .redirectError(work.resolve("err-" + i).toFile())
                .start();
    }

    private String read(String name) throws IOException {
        return Files.readString(work.resolve(name));
    }

    private static void awaitFile(Path file, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(file)) {
            assertThat(child.isAlive()).as("child waiting to create %s is alive", file).isTrue();
            assertThat(System.nanoTime()).as("%s created within 120 s", file).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
