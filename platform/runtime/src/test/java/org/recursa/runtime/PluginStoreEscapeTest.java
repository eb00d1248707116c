package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The plugin store never writes, installs from or deletes a file outside {@code plugins/}: not for a bundle
 * whose manifest names a path, and not for an {@code installed.json} that someone has edited.
 */
class PluginStoreEscapeTest {

    @TempDir
    Path root;

    private Path home;
    private Path plugins;

    @BeforeEach
    void homeTwoLevelsDown() throws IOException {
        // Deep enough that "../../" from plugins/ still lands inside the test's own directory.
        home = Files.createDirectories(root.resolve("deep/home"));
        plugins = home.resolve("plugins");
    }

    @Test
    void aSymbolicNameThatClimbsOutOfPluginsIsRefusedAndTheVictimIsUntouched() throws IOException {
        Path victim = plugins.resolve("../../victim/important-1.0.0.jar").normalize();
        assertThat(victim.startsWith(root) && !victim.startsWith(home)).as("victim outside home, inside the test").isTrue();
        assertRefused("../../victim/important", victim, "evil.jar has an invalid Bundle-SymbolicName "
                + "'../../victim/important' (expected dot-separated tokens of letters, digits, '_' and '-', "
                + "e.g. com.example.my-plugin)");
    }

    @Test
    void anAbsoluteSymbolicNameIsRefusedAndTheVictimIsUntouched() throws IOException {
        Path victim = root.resolve("victim/important-1.0.0.jar");
        String name = victim.getParent().resolve("important").toString();
        assertRefused(name, victim, "evil.jar has an invalid Bundle-SymbolicName '" + name + "' (expected "
                + "dot-separated tokens of letters, digits, '_' and '-', e.g. com.example.my-plugin)");
    }

    @Test
    void aVersionOutsideTheOsgiGrammarIsRefused() throws IOException {
        Path jar = TestBundles.fabricate(root.resolve("odd.jar"), Map.of(
                "Bundle-SymbolicName", "test.odd", "Bundle-Version", "1.0.0.x/../../y"));
        try (RecursaHost host = start()) {
            assertThatThrownBy(() -> host.plugins().install(jar))
                    .isInstanceOf(RecursaException.class)
                    .hasMessage("odd.jar has an invalid Bundle-Version '1.0.0.x/../../y' (expected "
                            + "major[.minor[.micro[.qualifier]]]: numbers, and a qualifier of letters, digits, "
                            + "'_' and '-', e.g. 1.0.0 or 1.2.0.beta-1)");
        }
    }

    @Test
    void aJournalEntryPointingOutsidePluginsIsNeitherInstalledNorDeleted() throws IOException {
        startAndStop();
        Path victim = TestBundles.fabricate(home.resolve("victim.jar"), Map.of(
                "Bundle-SymbolicName", "test.victim", "Bundle-Version", "1.0.0"));
        String before = BundleFile.sha256(victim);
        tamper("recursa-task-copy-0.1.0.SNAPSHOT.jar", "../victim.jar");

        try (RecursaHost host = start()) {
            PluginView copy = host.plugins().info("recursa-task-copy");
            assertThat(copy.state()).isEqualTo("failed");
            assertThat(copy.problem()).hasValue("installed.json names '../victim.jar' as the jar of "
                    + "recursa-task-copy, which is not a file in " + plugins + "; uninstall the plugin and "
                    + "install it again");
            assertThat(bundleNames(host)).as("nothing installed from outside plugins/").doesNotContain("test.victim");

            host.plugins().uninstall("recursa-task-copy");

            assertThat(host.plugins().list()).extracting(PluginView::symbolicName).doesNotContain("recursa-task-copy");
        }
        assertThat(victim).exists();
        assertThat(BundleFile.sha256(victim)).isEqualTo(before);
    }

    @Test
    void anAbsoluteJournalEntryIsNeitherInstalledNorDeleted() throws IOException {
        startAndStop();
        Path victim = TestBundles.fabricate(root.resolve("victim.jar"), Map.of(
                "Bundle-SymbolicName", "test.victim", "Bundle-Version", "1.0.0"));
        String before = BundleFile.sha256(victim);
        tamper("recursa-task-copy-0.1.0.SNAPSHOT.jar", victim.toString());

        try (RecursaHost host = start()) {
            assertThat(host.plugins().info("recursa-task-copy").state()).isEqualTo("failed");
            assertThat(bundleNames(host)).doesNotContain("test.victim");
            host.plugins().uninstall("recursa-task-copy");
        }
        assertThat(victim).exists();
        assertThat(BundleFile.sha256(victim)).isEqualTo(before);
    }

    private void assertRefused(String symbolicName, Path victim, String message) throws IOException {
        Files.createDirectories(victim.getParent());
        Files.writeString(victim, "precious");
        Path evil = TestBundles.fabricate(root.resolve("evil.jar"), Map.of(
                "Bundle-SymbolicName", symbolicName, "Bundle-Version", "1.0.0"));
        try (RecursaHost host = start()) {
            List<String> before = outsideFramework();
            assertThatThrownBy(() -> host.plugins().install(evil))
                    .isInstanceOf(RecursaException.class)
                    .hasMessage(message);
            assertThat(outsideFramework()).as("nothing written anywhere").isEqualTo(before);
        }
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.readString(plugins.resolve(PluginJournal.FILE))).doesNotContain("victim");
    }

    /** Every file under the test's root except this process's framework cache. */
    private List<String> outsideFramework() throws IOException {
        return TestBundles.snapshot(root).stream().filter(f -> !f.startsWith("deep/home/framework/")).toList();
    }

    private void tamper(String file, String replacement) throws IOException {
        Path journal = plugins.resolve(PluginJournal.FILE);
        String text = Files.readString(journal);
        assertThat(text).contains("\"" + file + "\"");
        Files.writeString(journal, text.replace("\"" + file + "\"", "\"" + replacement + "\""));
    }

    private void startAndStop() {
        start().close();
    }

    private RecursaHost start() {
        return RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    private static List<String> bundleNames(RecursaHost host) {
        return Arrays.stream(host.framework().getBundleContext().getBundles())
                .filter(b -> b.getState() != Bundle.UNINSTALLED).map(Bundle::getSymbolicName).toList();
    }
}
