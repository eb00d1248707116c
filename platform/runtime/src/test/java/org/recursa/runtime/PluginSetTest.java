package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.ExtensionKind;
import org.recursa.api.task.Task;
import org.recursa.runtime.fixtures.EchoModule;
import org.recursa.runtime.fixtures.EchoTask;
import org.recursa.runtime.fixtures.EchoV2Module;
import org.recursa.runtime.fixtures.EchoV2Task;
import org.recursa.runtime.fixtures.LibEchoModule;
import org.recursa.runtime.fixtures.LibEchoTask;
import org.recursa.runtime.fixtures.TrainOnlyModule;
import org.recursa.runtime.fixtures.TrainOnlyTask;
import org.recursa.runtime.fixtures.lib.Wording;

/**
 * {@link PluginStore#apply}, {@link PluginStore#uninstallWithUnneeded} and {@link PluginStore#rollback} on a real
 * embedded Felix with fabricated bundles: a plugin that imports a package of a library bundle it was installed with.
 */
class PluginSetTest {

    private static final String API_IMPORTS = "org.recursa.api;version=\"[1.0,2)\","
            + "org.recursa.api.task;version=\"[1.0,2)\",org.recursa.api.plugin;version=\"[1.0,2)\","
            + "com.google.inject";
    private static final String LIB = "test.wording";
    private static final String PLUGIN = "test.lib-echo";

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void aPluginAndTheLibraryItNeedsArriveInOneStepAndLeaveTogether() throws IOException {
        try (RecursaHost host = start()) {
            PluginSetResult result = host.plugins().apply(new PluginSetChange("install lib-echo", List.of(),
                    List.of(new PluginSetChange.Addition(library(), true),
                            new PluginSetChange.Addition(plugin(), false))));

            assertThat(result.added()).extracting(PluginView::symbolicName).containsExactly(LIB, PLUGIN);
            assertThat(result.added()).extracting(PluginView::state).containsOnly("active");
            assertThat(host.registry().require(Task.class, "lib-echo").description())
                    .isEqualTo(Wording.echoDescription());
            assertThat(host.plugins().dependencies()).containsExactly(LIB);
        }
        try (RecursaHost host = start()) {
            assertThat(host.plugins().info("lib-echo").state()).as("both persist").isEqualTo("active");
            PluginSetResult removed = host.plugins().uninstallWithUnneeded("lib-echo");
            assertThat(removed.removed()).extracting(PluginView::symbolicName).containsExactly(PLUGIN, LIB);
        }
        assertThat(home.resolve("plugins/" + LIB + "-1.0.0.jar")).doesNotExist();
        try (RecursaHost host = start()) {
            assertThat(host.plugins().list()).extracting(PluginView::symbolicName).doesNotContain(LIB, PLUGIN);
        }
    }

    @Test
    void aLibraryTheUserInstalledStaysWhenThePluginUsingItLeaves() throws IOException {
        try (RecursaHost host = start()) {
            host.plugins().install(library());
            host.plugins().apply(new PluginSetChange("install lib-echo", List.of(),
                    List.of(new PluginSetChange.Addition(plugin(), false))));
            assertThatThrownBy(() -> host.plugins().uninstallWithUnneeded(LIB)).isInstanceOf(RecursaException.class)
                    .hasMessage("bundle " + LIB + " is used by " + PLUGIN + "; uninstall it first");

            PluginSetResult removed = host.plugins().uninstallWithUnneeded("lib-echo");

            assertThat(removed.removed()).extracting(PluginView::symbolicName).containsExactly(PLUGIN);
            assertThat(host.plugins().info(LIB).state()).isEqualTo("active");
        }
    }

    @Test
    void aChangeWhoseLastBundleBreaksAnInstallRuleChangesNothing() throws IOException {
        Path refused = TestBundles.fabricate(work.resolve("train-only.jar"), Map.of(
                "Bundle-SymbolicName", "test.train-only", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", TrainOnlyModule.class.getName()),
                TrainOnlyModule.class, TrainOnlyTask.class);
        try (RecursaHost host = start()) {
            List<String> before = TestBundles.snapshot(home.resolve("plugins"));
            List<String> extensions = host.registry().all().stream().map(ExtensionEntry::id).toList();

            assertThatThrownBy(() -> host.plugins().apply(new PluginSetChange("install", List.of(), List.of(
                    new PluginSetChange.Addition(library(), true), new PluginSetChange.Addition(plugin(), true),
                    new PluginSetChange.Addition(refused, false)))))
                    .isInstanceOf(RecursaException.class).hasMessageContaining("test.train-only 1.0.0 is refused");

            assertThat(TestBundles.snapshot(home.resolve("plugins"))).isEqualTo(before);
            assertThat(host.registry().all().stream().map(ExtensionEntry::id).toList()).isEqualTo(extensions);
            assertThat(host.plugins().started()).extracting(b -> b.bundle().symbolicName())
                    .doesNotContain(LIB, PLUGIN, "test.train-only");
        }
    }

    @Test
    void rollbackUndoesAnInstallThenAnUninstallThenAnUpdateOneStepAtATime() throws IOException {
        try (RecursaHost host = start()) {
            assertThatThrownBy(() -> host.plugins().rollback()).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("there is no earlier set of plugins to roll back to");
            host.plugins().install(echo("1.0.0", EchoModule.class, EchoTask.class));
            host.plugins().update(null, echo("1.1.0", EchoV2Module.class, EchoV2Task.class), false);
            host.plugins().uninstall("copy");
            assertThat(host.plugins().history()).extracting(PluginSetRecord::reason).startsWith(
                    "uninstall recursa-task-copy 0.1.0.SNAPSHOT", "update test.echo 1.0.0 -> 1.1.0",
                    "install test.echo 1.0.0");
            Files.delete(work.resolve("echo-1.0.0.jar")); // the history keeps its own copies

            PluginSetResult undone = host.plugins().rollback();
            assertThat(undone.added()).extracting(PluginView::symbolicName).containsExactly("recursa-task-copy");
            assertThat(host.plugins().info("copy").origin()).as("a first-party plugin comes back as one")
                    .isEqualTo("distribution");

            host.plugins().rollback();
            assertThat(host.registry().require(Task.class, "echo").description())
                    .isEqualTo("echo a string of digits");

            host.plugins().rollback();
            assertThat(host.registry().find(ExtensionKind.TASK, "echo")).isEmpty();
        }
        try (RecursaHost host = start()) {
            assertThat(host.plugins().list()).extracting(PluginView::symbolicName).contains("recursa-task-copy")
                    .doesNotContain("test.echo");
            assertThat(host.plugins().history()).extracting(PluginSetRecord::reason)
                    .doesNotContain("install test.echo 1.0.0");
        }
    }

    @Test
    void aRollbackWhoseJarIsNoLongerKeptChangesNothing() throws IOException {
        try (RecursaHost host = start()) {
            host.plugins().install(echo("1.0.0", EchoModule.class, EchoTask.class));
            host.plugins().uninstall("echo");
            try (var kept = Files.list(home.resolve("plugins/history"))) {
                for (Path jar : kept.toList()) {
                    Files.write(jar, new byte[] {1, 2, 3}); // damaged: its hash no longer matches
                }
            }
            List<String> before = TestBundles.snapshot(home.resolve("plugins"));

            assertThatThrownBy(() -> host.plugins().rollback()).isInstanceOf(RecursaException.class)
                    .hasMessageStartingWith("the jar of test.echo 1.0.0 is no longer kept in ");

            assertThat(TestBundles.snapshot(home.resolve("plugins"))).isEqualTo(before);
        }
    }

    @Test
    void aHandEditedHistoryWhoseHashIsAPathIsNeverFollowed() throws IOException {
        try (RecursaHost host = start()) {
            host.plugins().install(echo("1.0.0", EchoModule.class, EchoTask.class));
        }
        Files.writeString(work.resolve("evil.jar"), "outside");
        String hostile = "../../" + work.getFileName() + "/evil";
        Files.writeString(home.resolve("plugins/history.json"), "{\"format\": 1, \"changes\": [{\"at\": \"x\", "
                + "\"reason\": \"edited\", \"before\": [{\"file\": \"../evil.jar\", \"symbolicName\": "
                + "\"test.evil\", \"version\": \"1.0.0\", \"sha256\": \"" + hostile + "\", \"origin\": "
                + "\"USER\", \"installedAt\": \"x\"}]}]}");
        List<String> before = TestBundles.snapshot(home.resolve("plugins"));
        try (RecursaHost host = start()) {
            assertThatThrownBy(() -> host.plugins().rollback()).isInstanceOf(RecursaException.class)
                    .hasMessageStartingWith("the jar of test.evil 1.0.0 is no longer kept in ");
            assertThat(host.plugins().info("echo").state()).isEqualTo("active");
        }
        assertThat(TestBundles.snapshot(home.resolve("plugins"))).isEqualTo(before);
        assertThat(work.resolve("evil.jar")).hasContent("outside");
    }

    @Test
    void aHistoryThatCannotBeWrittenDoesNotUndoAnInstallThatIsSaved() throws IOException {
        Files.createDirectories(home.resolve("plugins/history.json")); // a directory: unreadable as the history
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try (RecursaHost host = start()) {
            host.plugins().install(echo("1.0.0", EchoModule.class, EchoTask.class));
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("recursa: warning: ")
                .contains("'recursa plugin rollback' cannot undo 'install test.echo 1.0.0'");
        try (RecursaHost host = start()) {
            assertThat(host.plugins().info("echo").state()).as("the install stands").isEqualTo("active");
        }
    }

    private RecursaHost start() {
        return RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    private Path library() throws IOException {
        return TestBundles.fabricate(work.resolve("wording.jar"), Map.of(
                "Bundle-SymbolicName", LIB, "Bundle-Version", "1.0.0",
                "Export-Package", Wording.class.getPackageName() + ";version=\"1.0.0\""), Wording.class);
    }

    private Path plugin() throws IOException {
        return TestBundles.fabricate(work.resolve("lib-echo.jar"), Map.of(
                "Bundle-SymbolicName", PLUGIN, "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS + "," + Wording.class.getPackageName() + ";version=\"[1.0,2)\"",
                "Recursa-Module", LibEchoModule.class.getName()), LibEchoModule.class, LibEchoTask.class);
    }

    private Path echo(String version, Class<?> module, Class<?> task) throws IOException {
        return TestBundles.fabricate(work.resolve("echo-" + version + ".jar"), Map.of(
                "Bundle-SymbolicName", "test.echo", "Bundle-Version", version,
                "Import-Package", API_IMPORTS, "Recursa-Module", module.getName()), module, task);
    }
}
