package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install checks on the real first-party bundles: every one is reinstalled through {@code plugin install}, checks
 * included, and the time the checks take is written to {@code target/install-checks.txt}.
 */
class InstallChecksTest {

    @TempDir
    Path home;

    @Test
    void everyFirstPartyBundleInstallsAgainWithTheChecks() throws IOException {
        List<String> timings = new ArrayList<>();
        long total = 0;
        try (RecursaHost host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()))) {
            for (PluginView plugin : host.plugins().list()) {
                Path jar = home.resolve("copy-of-" + Path.of(plugin.file()).getFileName());
                Files.copy(Path.of(plugin.file()), jar);
                host.plugins().uninstall(plugin.symbolicName());
                long installStart = System.nanoTime();
                PluginView again = host.plugins().install(jar);
                long installMillis = (System.nanoTime() - installStart) / 1_000_000;
                assertThat(again.state()).as(plugin.symbolicName()).isEqualTo("active");
                assertThat(again.extensions()).as(plugin.symbolicName()).isNotEmpty();

                BundleRef bundle = again.extensions().get(0).bundle();
                long checkStart = System.nanoTime();
                InstallChecks.verify(bundle, host.registry().ofBundle(bundle.id()));
                long checkMillis = (System.nanoTime() - checkStart) / 1_000_000;
                total += checkMillis;
                timings.add(String.format("%-34s checks %6d ms, install with checks %6d ms  %s",
                        plugin.symbolicName(), checkMillis, installMillis,
                        again.extensions().stream().map(e -> e.kind().label() + " " + e.id()).toList()));
            }
        }
        timings.add(String.format("%-34s checks %6d ms", "all first-party bundles", total));
        Path report = Path.of("target", "install-checks.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, timings);
        timings.forEach(System.out::println);
        assertThat(timings).hasSize(18);
    }
}
