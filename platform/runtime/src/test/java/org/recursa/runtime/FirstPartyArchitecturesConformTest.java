package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.ExtensionKind;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.tck.ArchitectureConformance;

/**
 * The TCK's fast mode ({@link ArchitectureConformance#verifyModels}: float32 kernel path and full maximum length
 * included) on every first-party architecture, loaded through Felix as a user's host loads it, on the tiny settings
 * of its own tests. Each must pass in seconds; the times are written to {@code target/verify-models.txt}.
 */
class FirstPartyArchitecturesConformTest {

    /** Settings that make each architecture small, as its own tests use them. */
    private static final Map<String, Map<String, String>> TINY = Map.of(
            "vanilla", Map.of("layers", "2"),
            "universal", Map.of(),
            "loopformer", Map.of("blocks", "2", "loops", "3", "fourier_dims", "8"),
            "mor", Map.of("recursions", "3", "aux_weight", "0.1"),
            "recurrent-depth", Map.of("recurrent_layers", "1", "mean_recurrence", "2", "backprop_depth", "2"),
            "relaxed", Map.of("shared_layers", "2", "loops", "2", "lora_rank", "2"),
            "sliced", Map.of());

    @TempDir
    Path home;

    @TempDir
    Path scratch;

    @Test
    void everyFirstPartyArchitecturePassesTheFastModeInSeconds() throws IOException {
        List<String> timings = new ArrayList<>();
        try (RecursaHost host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()))) {
            List<ExtensionEntry> architectures = host.registry().list(ExtensionKind.ARCHITECTURE);
            assertThat(architectures).extracting(ExtensionEntry::id).containsExactlyInAnyOrderElementsOf(TINY.keySet());
            for (ExtensionEntry entry : architectures) {
                Map<String, String> settings = new HashMap<>(Map.of("d_model", "8", "heads", "2", "ffn", "12"));
                settings.putAll(TINY.get(entry.id()));
                long start = System.nanoTime();
                ArchitectureConformance.verifyModels((TrainableArchitecture) entry.extension(), settings, scratch);
                long millis = (System.nanoTime() - start) / 1_000_000;
                timings.add(String.format("%-16s verifyModels %6d ms  %s", entry.id(), millis, settings));
                assertThat(millis).as(entry.id() + " fast mode").isLessThan(30_000);
            }
        }
        Path report = Path.of("target", "verify-models.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, timings);
        timings.forEach(System.out::println);
    }
}
