package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.task.Task;
import org.recursa.runtime.fixtures.DuplicateCopyModule;
import org.recursa.runtime.fixtures.DuplicateCopyTask;
import org.recursa.runtime.fixtures.EchoModule;
import org.recursa.runtime.fixtures.EchoTask;
import org.recursa.runtime.fixtures.EchoV2Module;
import org.recursa.runtime.fixtures.EchoV2Task;
import org.recursa.runtime.fixtures.TrainOnlyModule;
import org.recursa.runtime.fixtures.TrainOnlyTask;

/** {@link PluginStore#update}: a real embedded Felix replacing a fabricated bundle, or refusing to. */
class PluginUpdateTest {

    private static final String API_IMPORTS = "org.recursa.api;version=\"[1.0,2)\","
            + "org.recursa.api.task;version=\"[1.0,2)\",org.recursa.api.plugin;version=\"[1.0,2)\","
            + "com.google.inject";
    private static final String V1 = "echo a string of digits";
    private static final String V2 = "echo a string of digits, second version";

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeEach
    void installEcho100() throws IOException {
        try (RecursaHost host = start()) {
            host.plugins().install(echo("1.0.0", "echo-1.0.0.jar", ""));
        }
    }

    @Test
    void anUpdateFrom100To110ReplacesTheBundleAndWhatItsExtensionReports() throws IOException {
        Path jar = echoV2("1.1.0", "echo-1.1.0.jar", "");
        try (RecursaHost host = start()) {
            PluginUpdate update = host.plugins().update(null, jar, false);

            assertThat(update.before().version()).isEqualTo("1.0.0");
            assertThat(update.after().version()).isEqualTo("1.1.0");
            assertThat(update.after().state()).isEqualTo("active");
            assertThat(update.after().origin()).isEqualTo("user");
            assertThat(update.after().extensions()).extracting(ExtensionEntry::id).containsExactly("echo");
            assertThat(host.registry().require(Task.class, "echo").description()).isEqualTo(V2);
        }
        assertThat(home.resolve("plugins/test.echo-1.1.0.jar")).exists();
        assertThat(home.resolve("plugins/test.echo-1.0.0.jar")).as("the old jar is gone").doesNotExist();
        try (RecursaHost host = start()) {
            assertThat(host.plugins().info("echo").version()).as("the update persists").isEqualTo("1.1.0");
            assertThat(host.registry().require(Task.class, "echo").description()).isEqualTo(V2);
        }
    }

    @Test
    void theIdFormNamesTheBundleTheJarMustReplace() throws IOException {
        Path jar = echoV2("1.1.0", "echo-1.1.0.jar", "");
        try (RecursaHost host = start()) {
            assertThat(host.plugins().update("echo", jar, false).after().version()).isEqualTo("1.1.0");
        }
        assertRefused("copy", echoV2("1.2.0", "echo-1.2.0.jar", ""), false, UsageException.class,
                "echo-1.2.0.jar is bundle test.echo, not recursa-task-copy which 'copy' names; "
                        + "pass a jar of recursa-task-copy");
    }

    @Test
    void anUnresolvableNewVersionLeavesTheStoreUnchangedAndTheOldVersionWorking() throws IOException {
        Path broken = echoV2("1.1.0", "broken.jar", ",com.example.missing;version=\"[1.0,2)\"");
        assertRefused(null, broken, false, RecursaException.class, "bundle test.echo 1.1.0 cannot be resolved: "
                + "it imports package com.example.missing (version [1.0.0,2.0.0)), which neither the host nor any "
                + "installed plugin exports");
        try (RecursaHost host = start()) {
            assertThat(host.registry().require(Task.class, "echo").description()).isEqualTo(V1);
        }
    }

    @Test
    void aNewVersionWhoseExtensionIdIsTakenLeavesTheOldVersionWorking() throws IOException {
        Path clash = TestBundles.fabricate(work.resolve("clash.jar"), Map.of(
                "Bundle-SymbolicName", "test.echo", "Bundle-Version", "2.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", DuplicateCopyModule.class.getName()),
                DuplicateCopyModule.class, DuplicateCopyTask.class);
        assertRefused(null, clash, false, RecursaException.class, "duplicate task id 'copy': offered by bundle "
                + "recursa-task-copy 0.1.0.SNAPSHOT and by bundle test.echo 2.0.0; uninstall one of them");
    }

    @Test
    void aNewVersionThatBreaksAnInstallRuleLeavesTheOldVersionWorking() throws IOException {
        Path broken = TestBundles.fabricate(work.resolve("train-only.jar"), Map.of(
                "Bundle-SymbolicName", "test.echo", "Bundle-Version", "1.1.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", TrainOnlyModule.class.getName()),
                TrainOnlyModule.class, TrainOnlyTask.class);
        assertRefused(null, broken, false, RecursaException.class, "bundle test.echo 1.1.0 is refused: task 'echo' "
                + "breaks the rule 'train and test-id splits present': task 'echo' has no 'test-id' split; it "
                + "declares [train]");
        try (RecursaHost host = start()) {
            assertThat(host.registry().require(Task.class, "echo").description()).isEqualTo(V1);
        }
    }

    @Test
    void theSameVersionIsRefusedUnlessForced() throws IOException {
        Path same = echoV2("1.0.0", "same.jar", "");
        assertRefused(null, same, false, UsageException.class, "bundle test.echo 1.0.0 is already installed; "
                + "pass a jar with another version, or --force to replace it by this jar anyway");
        try (RecursaHost host = start()) {
            PluginUpdate update = host.plugins().update(null, same, true);
            assertThat(update.after().version()).isEqualTo("1.0.0");
            assertThat(host.registry().require(Task.class, "echo").description()).isEqualTo(V2);
        }
        assertThat(BundleFile.sha256(home.resolve("plugins/test.echo-1.0.0.jar"))).isEqualTo(BundleFile.sha256(same));
    }

    @Test
    void aBundleThatIsNotInstalledIsRefusedWithAHintToInstallIt() throws IOException {
        Path other = TestBundles.fabricate(work.resolve("other.jar"), Map.of(
                "Bundle-SymbolicName", "test.other", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", EchoModule.class.getName()),
                EchoModule.class, EchoTask.class);
        assertRefused(null, other, false, UsageException.class, "bundle test.other is not installed, so there is "
                + "nothing to update; install it with 'recursa plugin install " + other + "'");
    }

    @Test
    void anUnknownIdIsRefusedNamingWhatIsInstalled() throws IOException {
        assertRefused("nope", echoV2("1.1.0", "echo-1.1.0.jar", ""), false, UsageException.class, null);
    }

    @Test
    void aJarThatIsNotABundleIsRefused() throws IOException {
        Path plain = TestBundles.fabricate(work.resolve("plain.jar"), Map.of(), EchoTask.class);
        assertRefused(null, plain, false, RecursaException.class, "plain.jar is a jar but not an OSGi bundle: its "
                + "manifest has no Bundle-SymbolicName (build plugins with bnd-maven-plugin; see "
                + "docs/plugin-guide.md)");
    }

    /** Refuses the update and proves nothing changed: store bytes, registry, and the old version still running. */
    private void assertRefused(String target, Path jar, boolean force, Class<? extends RecursaException> type,
                               String message) throws IOException {
        try (RecursaHost host = start()) {
            List<String> before = TestBundles.snapshot(home.resolve("plugins"));
            String description = host.registry().require(Task.class, "echo").description();
            List<String> extensionsBefore = host.registry().all().stream().map(e -> e.kind() + ":" + e.id()).toList();

            var thrown = assertThatThrownBy(() -> host.plugins().update(target, jar, force)).isInstanceOf(type);
            if (message != null) {
                thrown.hasMessage(message);
            } else {
                thrown.hasMessageStartingWith("no installed plugin offers an extension or is a bundle named 'nope'; "
                        + "installed: ").hasMessageContaining("echo (task)");
            }

            assertThat(TestBundles.snapshot(home.resolve("plugins"))).as("plugin store unchanged").isEqualTo(before);
            assertThat(host.registry().all().stream().map(e -> e.kind() + ":" + e.id()).toList())
                    .isEqualTo(extensionsBefore);
            assertThat(host.registry().require(Task.class, "echo").description()).isEqualTo(description);
            assertThat(host.plugins().info("echo").state()).isEqualTo("active");
        }
    }

    private RecursaHost start() {
        return RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    private Path echo(String version, String file, String extraImports) throws IOException {
        return TestBundles.fabricate(work.resolve(file), Map.of(
                "Bundle-SymbolicName", "test.echo", "Bundle-Version", version,
                "Import-Package", API_IMPORTS + extraImports, "Recursa-Module", EchoModule.class.getName()),
                EchoModule.class, EchoTask.class);
    }

    private Path echoV2(String version, String file, String extraImports) throws IOException {
        return TestBundles.fabricate(work.resolve(file), Map.of(
                "Bundle-SymbolicName", "test.echo", "Bundle-Version", version,
                "Import-Package", API_IMPORTS + extraImports, "Recursa-Module", EchoV2Module.class.getName()),
                EchoV2Module.class, EchoV2Task.class);
    }
}
