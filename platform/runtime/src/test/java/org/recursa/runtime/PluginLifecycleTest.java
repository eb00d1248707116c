package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Binding;
import com.google.inject.Key;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.recursa.api.ExtensionKind;
import org.recursa.api.task.Task;
import org.recursa.runtime.fixtures.DuplicateCopyModule;
import org.recursa.runtime.fixtures.DuplicateCopyTask;
import org.recursa.runtime.fixtures.EchoModule;
import org.recursa.runtime.fixtures.EchoTask;
import org.recursa.runtime.fixtures.LeakyModule;
import org.recursa.runtime.fixtures.LeakyTask;
import org.recursa.runtime.fixtures.TrainOnlyModule;
import org.recursa.runtime.fixtures.TrainOnlyTask;
import org.recursa.runtime.fixtures.UntrainableArchitecture;
import org.recursa.runtime.fixtures.UntrainableModule;

/** Install, uninstall, restart: a real embedded Felix with the real first-party bundles. */
class PluginLifecycleTest {

    private static final String API_IMPORTS = "org.recursa.api;version=\"[1.0,2)\","
            + "org.recursa.api.task;version=\"[1.0,2)\",org.recursa.api.plugin;version=\"[1.0,2)\","
            + "com.google.inject";

    @TempDir
    Path home;

    @TempDir
    Path work;

    private RecursaHost start() {
        return RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    @Test
    void firstStartInstallsTheDistributionBundlesAndRegistersTheirExtensions() {
        try (RecursaHost host = start()) {
            assertThat(ids(host, ExtensionKind.TASK)).containsExactly("addition", "binary-successor", "bool-eval", "copy",
                    "inorder", "list-reverse", "peano-add", "postorder", "preorder", "reverse");
            assertThat(ids(host, ExtensionKind.SAMPLER)).containsExactly("beam", "depthwise-batching", "diffusion-forcing", "early-exit",
                    "greedy", "sample");
            assertThat(ids(host, ExtensionKind.COMPRESSOR)).containsExactly("depth", "identity", "int8", "layer-tying",
                    "prune");
            assertThat(ids(host, ExtensionKind.ARCHITECTURE)).containsExactly("loopformer", "mor", "recurrent-depth",
                    "relaxed", "sliced", "universal", "vanilla");
            assertThat(host.registry().find(ExtensionKind.TASK, "copy").orElseThrow().bundle().symbolicName())
                    .isEqualTo("recursa-task-copy");
            assertThat(host.plugins().list()).extracting(PluginView::state).containsOnly("active");
            assertThat(home.resolve("plugins/installed.json")).exists();
        }
    }

    @Test
    void extensionsAreLoadedByBundleClassLoadersNotTheHostClassPath() {
        try (RecursaHost host = start()) {
            Task copy = host.registry().require(Task.class, "copy");
            assertThat(copy.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
            assertThat(copy.getClass().getClassLoader().toString()).contains("recursa-task-copy");
            assertThat(Task.class.getClassLoader()).isSameAs(getClass().getClassLoader());
        }
    }

    @Test
    void uninstallRemovesTheExtensionAndInstallBringsItBackAcrossRestarts() throws IOException {
        try (RecursaHost host = start()) {
            PluginView removed = host.plugins().uninstall("copy");
            assertThat(removed.symbolicName()).isEqualTo("recursa-task-copy");
            assertThat(ids(host, ExtensionKind.TASK)).doesNotContain("copy").contains("reverse");
        }
        try (RecursaHost host = start()) {
            assertThat(ids(host, ExtensionKind.TASK)).as("uninstall persists across restarts").doesNotContain("copy");
            assertThat(ids(host, ExtensionKind.SAMPLER)).containsExactly("beam", "depthwise-batching", "diffusion-forcing", "early-exit",
                    "greedy", "sample");
            PluginView installed = host.plugins().install(TestBundles.firstParty("recursa-task-copy"));
            assertThat(installed.extensions()).extracting(ExtensionEntry::id).containsExactly("copy");
            assertThat(installed.origin()).isEqualTo("user");
        }
        try (RecursaHost host = start()) {
            assertThat(ids(host, ExtensionKind.TASK)).as("install persists across restarts").contains("copy");
        }
    }

    @Test
    void afterUninstallNoClassOfThePluginIsReachableFromTheHost() throws IOException {
        Path echo = TestBundles.fabricate(work.resolve("echo.jar"), Map.of(
                "Bundle-SymbolicName", "test.echo", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", EchoModule.class.getName()),
                EchoModule.class, EchoTask.class);
        try (RecursaHost host = start()) {
            host.plugins().install(echo);
            Task task = host.registry().require(Task.class, "echo");
            ClassLoader pluginLoader = task.getClass().getClassLoader();
            assertThat(pluginLoader).isNotSameAs(EchoTask.class.getClassLoader());
            WeakReference<ClassLoader> loader = new WeakReference<>(pluginLoader);
            task = null;
            pluginLoader = null;

            host.plugins().uninstall("echo");

            assertThat(host.registry().find(ExtensionKind.TASK, "echo")).isEmpty();
            for (Binding<?> binding : host.injector().getAllBindings().values()) {
                Key<?> key = binding.getKey();
                assertThat(key.getTypeLiteral().getRawType().getClassLoader())
                        .as("host binding %s", key).isNotSameAs(loader.get());
            }
            for (int i = 0; i < 50 && loader.get() != null; i++) {
                System.gc();
                // Guice forgets a dead child injector's keys lazily, on the parent's next child injector.
                host.injector().createChildInjector(b -> b.bind(String.class).toInstance("nudge"));
            }
            assertThat(loader.get()).as("the plugin's class loader is garbage after uninstall").isNull();
        }
    }

    @Test
    void aFileThatIsNotAJarIsRejectedAndNothingChanges() throws IOException {
        Path text = Files.writeString(work.resolve("notes.jar"), "not a zip");
        assertRejected(text, "notes.jar is not a jar file (zip END header not found); "
                + "expected an OSGi bundle .jar");
    }

    @Test
    void aJarThatIsNotABundleIsRejectedAndNothingChanges() throws IOException {
        Path plain = TestBundles.fabricate(work.resolve("plain.jar"), Map.of(), EchoTask.class);
        assertRejected(plain, "plain.jar is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName "
                + "(build plugins with bnd-maven-plugin; see docs/plugin-guide.md)");
    }

    @Test
    void aMissingFileIsRejected() throws IOException {
        Path missing = work.resolve("nowhere.jar");
        assertRejected(missing, missing + " does not exist; expected the path of a plugin bundle .jar file");
    }

    @Test
    void aDirectoryIsRejectedAsADirectory() throws IOException {
        Path directory = Files.createDirectories(work.resolve("build"));
        assertRejected(directory, directory + " is a directory; expected the path of a plugin bundle .jar file");
    }

    @Test
    void aBundleBuiltAgainstAnotherApiVersionNamesTheVersionTheHostExports() throws IOException {
        String model = RecursaHost.exportedVersion("org.recursa.api.model").orElseThrow();
        Path newer = TestBundles.fabricate(work.resolve("newer.jar"), Map.of(
                "Bundle-SymbolicName", "test.newer", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS + ",org.recursa.api.model;version=\"[99.0,100)\"",
                "Recursa-Module", EchoModule.class.getName()), EchoModule.class, EchoTask.class);
        assertRejected(newer, "bundle test.newer 1.0.0 cannot be resolved: it imports org.recursa.api.model (version "
                + "[99.0.0,100.0.0)), exported at " + model + " by the host; rebuild it against the packages this "
                + "Recursa exports ('recursa --version' lists them)");
    }

    @Test
    void aBundleBuiltAgainstThePreReleaseApiIsRefusedNamingTheVersionTheHostExports() throws IOException {
        // What bnd generated for a plugin built against org.recursa.api.model 0.4.0, before the API went to 1.0.0.
        Path old = TestBundles.fabricate(work.resolve("old.jar"), Map.of(
                "Bundle-SymbolicName", "test.old", "Bundle-Version", "0.3.0",
                "Import-Package", API_IMPORTS + ",org.recursa.api.model;version=\"[0.4,1)\"",
                "Recursa-Module", EchoModule.class.getName()), EchoModule.class, EchoTask.class);
        assertRejected(old, "bundle test.old 0.3.0 cannot be resolved: it imports org.recursa.api.model (version "
                + "[0.4.0,1.0.0)), exported at 1.0.0 by the host; rebuild it against the packages this "
                + "Recursa exports ('recursa --version' lists them)");
    }

    @Test
    void aBundleWithAnUnresolvableImportNamesTheMissingPackage() throws IOException {
        Path broken = TestBundles.fabricate(work.resolve("broken.jar"), Map.of(
                "Bundle-SymbolicName", "test.broken", "Bundle-Version", "1.2.3",
                "Import-Package", API_IMPORTS + ",com.example.missing;version=\"[1.0,2)\"",
                "Recursa-Module", EchoModule.class.getName()), EchoModule.class, EchoTask.class);
        assertRejected(broken, "bundle test.broken 1.2.3 cannot be resolved: it imports package "
                + "com.example.missing (version [1.0.0,2.0.0)), which neither the host nor any installed plugin exports");
    }

    @Test
    void aBundleOfferingAnIdThatIsTakenNamesBothBundles() throws IOException {
        Path impostor = TestBundles.fabricate(work.resolve("impostor.jar"), Map.of(
                "Bundle-SymbolicName", "test.impostor", "Bundle-Version", "2.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", DuplicateCopyModule.class.getName()),
                DuplicateCopyModule.class, DuplicateCopyTask.class);
        assertRejected(impostor, "duplicate task id 'copy': offered by bundle recursa-task-copy 0.1.0.SNAPSHOT "
                + "and by bundle test.impostor 2.0.0; uninstall one of them");
        try (RecursaHost host = start()) {
            assertThat(host.registry().require(Task.class, "copy").description())
                    .as("the original keeps its id").doesNotContain("impostor");
        }
    }

    @Test
    void anArchitectureThatIsNotTrainableIsRefusedWhenItRegisters() throws IOException {
        Path untrainable = TestBundles.fabricate(work.resolve("untrainable.jar"), Map.of(
                "Bundle-SymbolicName", "test.untrainable", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS + ",org.recursa.api.model;version=\"[1.0,2)\"",
                "Recursa-Module", UntrainableModule.class.getName()),
                UntrainableModule.class, UntrainableArchitecture.class);
        assertRejected(untrainable, "bundle test.untrainable 1.0.0 offers architecture 'untrainable' ("
                + UntrainableArchitecture.class.getName() + "), which does not implement "
                + "org.recursa.engine.train.TrainableArchitecture (training SPI 1.3.0): an architecture's build must "
                + "return a TrainableModel (see docs/plugin-guide.md)");
    }

    @Test
    void aModuleHeaderNamingANonModuleClassIsRejected() throws IOException {
        Path wrong = TestBundles.fabricate(work.resolve("wrong.jar"), Map.of(
                "Bundle-SymbolicName", "test.wrong", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", EchoTask.class.getName()), EchoTask.class);
        assertRejected(wrong, "class " + EchoTask.class.getName() + " named by Recursa-Module in bundle test.wrong "
                + "1.0.0 is not a Guice module; extend org.recursa.api.plugin.PluginModule");
    }

    @Test
    void aTaskWhoseHeldOutSplitOverlapsTrainingIsRefusedNamingTheRule() throws IOException {
        Path leaky = TestBundles.fabricate(work.resolve("leaky.jar"), Map.of(
                "Bundle-SymbolicName", "test.leaky", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", LeakyModule.class.getName()),
                LeakyModule.class, LeakyTask.class);
        assertRejected(leaky, "bundle test.leaky 1.0.0 is refused: task 'leaky' breaks the rule 'held-out inputs "
                + "outside training': task 'leaky' split 'test-id': all 256 draws (3 distinct inputs) are inputs of "
                + "the 10000 training examples (3 distinct), so the split cannot be held out; draw it from a larger "
                + "space or from a part that train never draws");
    }

    @Test
    void aTaskWithoutATestIdSplitIsRefusedNamingTheRule() throws IOException {
        Path trainOnly = TestBundles.fabricate(work.resolve("train-only.jar"), Map.of(
                "Bundle-SymbolicName", "test.train-only", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", TrainOnlyModule.class.getName()),
                TrainOnlyModule.class, TrainOnlyTask.class);
        assertRejected(trainOnly, "bundle test.train-only 1.0.0 is refused: task 'echo' breaks the rule 'train and "
                + "test-id splits present': task 'echo' has no 'test-id' split; it declares [train]");
    }

    @Test
    void installingAnInstalledBundleAgainIsRejected() throws IOException {
        assertRejected(TestBundles.firstParty("recursa-sampler-greedy"), "bundle recursa-sampler-greedy is "
                + "already installed (version 0.1.0.SNAPSHOT); uninstall it first with "
                + "'recursa plugin uninstall recursa-sampler-greedy'");
    }

    @Test
    void uninstallingAnUnknownIdListsWhatIsInstalled() throws IOException {
        try (RecursaHost host = start()) {
            List<String> before = TestBundles.snapshot(home.resolve("plugins"));
            assertThatThrownBy(() -> host.plugins().uninstall("nope"))
                    .isInstanceOf(RecursaException.class)
                    .hasMessage("no installed plugin offers an extension or is a bundle named 'nope'; installed: "
                            + "loopformer (architecture), mor (architecture), recurrent-depth (architecture), "
                            + "relaxed (architecture), "
                            + "sliced (architecture), "
                            + "universal (architecture), vanilla (architecture), addition (task), "
                            + "binary-successor (task), bool-eval (task), copy (task), inorder (task), "
                            + "list-reverse (task), peano-add (task), postorder (task), preorder (task), "
                            + "reverse (task), beam (sampler), depthwise-batching (sampler), "
                            + "diffusion-forcing (sampler), early-exit (sampler), greedy (sampler), sample (sampler), "
                            + "depth (compressor), identity (compressor), int8 (compressor), "
                            + "layer-tying (compressor), prune (compressor)");
            assertThat(TestBundles.snapshot(home.resolve("plugins"))).isEqualTo(before);
        }
    }

    @Test
    void aBrokenBundleInTheStoreDoesNotStopTheHost() throws IOException {
        try (RecursaHost host = start()) {
            host.plugins().uninstall("copy");
        }
        // Simulate a plugin whose dependency disappeared: the journal lists a bundle that cannot resolve.
        Path broken = TestBundles.fabricate(work.resolve("late.jar"), Map.of(
                "Bundle-SymbolicName", "test.late", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS, "Recursa-Module", EchoModule.class.getName()),
                EchoModule.class, EchoTask.class);
        try (RecursaHost host = start()) {
            host.plugins().install(broken);
        }
        TestBundles.fabricate(home.resolve("plugins/test.late-1.0.0.jar"), Map.of(
                "Bundle-SymbolicName", "test.late", "Bundle-Version", "1.0.0",
                "Import-Package", API_IMPORTS + ",com.example.gone"), EchoModule.class, EchoTask.class);
        try (RecursaHost host = start()) {
            PluginView late = host.plugins().info("test.late");
            assertThat(late.state()).isEqualTo("failed");
            assertThat(late.problem()).hasValue("bundle test.late 1.0.0 cannot be resolved: it imports package "
                    + "com.example.gone, which neither the host nor any installed plugin exports");
            assertThat(ids(host, ExtensionKind.SAMPLER)).containsExactly("beam", "depthwise-batching", "diffusion-forcing", "early-exit",
                    "greedy", "sample");
        }
    }

    private void assertRejected(Path jar, String message) throws IOException {
        try (RecursaHost host = start()) {
            List<String> before = TestBundles.snapshot(home.resolve("plugins"));
            List<String> extensionsBefore = host.registry().all().stream().map(e -> e.kind() + ":" + e.id()).toList();
            long bundlesBefore = host.framework().getBundleContext().getBundles().length;

            assertThatThrownBy(() -> host.plugins().install(jar))
                    .isInstanceOf(RecursaException.class)
                    .hasMessage(message);

            assertThat(TestBundles.snapshot(home.resolve("plugins"))).as("plugin store unchanged").isEqualTo(before);
            assertThat(host.registry().all().stream().map(e -> e.kind() + ":" + e.id()).toList())
                    .isEqualTo(extensionsBefore);
            assertThat(java.util.Arrays.stream(host.framework().getBundleContext().getBundles())
                    .filter(b -> b.getState() != Bundle.UNINSTALLED).count()).isEqualTo(bundlesBefore);
        }
    }

    private static List<String> ids(RecursaHost host, ExtensionKind kind) {
        return host.registry().list(kind).stream().map(ExtensionEntry::id).toList();
    }
}
