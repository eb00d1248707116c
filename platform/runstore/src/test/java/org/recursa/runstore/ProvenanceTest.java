package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config.json}'s provenance is written and read back as a typed record; runs without it still read. */
class ProvenanceTest {

    @TempDir
    Path runs;

    static Provenance provenance() {
        return new Provenance(
                new Provenance.Platform("0.1.0", "52f1172d9a4be0c1e2f3a4b5c6d7e8f901234567", "2026-11-29T14:15:02Z",
                        false),
                List.of(new Provenance.Bundle("recursa-arch-universal", "0.2.0", "ab".repeat(32),
                                List.of("architecture")),
                        new Provenance.Bundle("recursa-task-copy", "0.1.0", "cd".repeat(32), List.of("task")),
                        new Provenance.Bundle("recursa-compressor-identity", "0.1.0", "ef".repeat(32), null)),
                Map.of("org.recursa.engine.nn", "1.0.0", "org.recursa.api", "1.0.0"),
                new Provenance.Engine("FLOAT", new Provenance.Adam(0.9, 0.99, 1e-8),
                        new Provenance.Init(0.02, "std / sqrt(2 * residual applications)", "Box-Muller"), 1e-5,
                        "/lib/libopenblas.so.0", "OpenBLAS", 1, "1.0.0-M2.1", "1.5.8", "0.3.21-1.5.8", "17.0.15",
                        "Debian", "Linux 6.1", "amd64"));
    }

    @Test
    void provenanceRoundTripsThroughConfigJson() throws Exception {
        RunStore store = RunStore.at(runs);
        RunConfig base = Runs.config("universal");
        RunConfig asked = new RunConfig(0, null, base.startedAt(), null, base.seed(), base.mode(), base.tags(),
                base.note(), base.task(), base.architecture(), base.sampler(), base.train(), base.model(),
                base.platform(), provenance());
        String id;
        try (RunWriter writer = store.create(asked, "copy-universal")) {
            id = writer.id();
            writer.finish(RunStatus.FINISHED, 0, false, 0.0, Map.of());
        }

        RunConfig read = store.open(id).config();
        assertThat(read.provenance()).isEqualTo(provenance());
        assertThat(read.provenance().supplierOf("architecture")).map(Provenance.Bundle::symbolicName)
                .hasValue("recursa-arch-universal");
        assertThat(read.provenance().bundles().get(2).supplies()).as("a missing list reads as none").isEmpty();

        JsonNode json = Json.LINE.readTree(Files.readString(store.open(id).dir().resolve(RunFormat.CONFIG)));
        JsonNode written = json.get("provenance");
        assertThat(written.at("/platform/commit").asText()).isEqualTo("52f1172d9a4be0c1e2f3a4b5c6d7e8f901234567");
        assertThat(written.at("/platform/dirty").asBoolean(true)).isFalse();
        assertThat(written.at("/bundles/0/symbolic_name").asText()).isEqualTo("recursa-arch-universal");
        assertThat(written.at("/bundles/0/sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(written.at("/engine/adam/beta2").asDouble()).isEqualTo(0.99);
        assertThat(written.at("/engine/layer_norm_eps").asDouble()).isEqualTo(1e-5);
        assertThat(written.at("/engine/init/residual_projection_std").asText()).startsWith("std / sqrt");
        assertThat(written.get("packages").fieldNames()).toIterable().as("package names are keys, sorted")
                .containsExactly("org.recursa.api", "org.recursa.engine.nn");
    }

    @Test
    void theMapFormForOtherFilesReadsBackEqual() {
        Map<String, Object> map = provenance().toMap();
        assertThat(map).containsOnlyKeys("platform", "bundles", "packages", "engine");
        assertThat(map.get("platform")).isEqualTo(Map.of("version", "0.1.0",
                "commit", "52f1172d9a4be0c1e2f3a4b5c6d7e8f901234567", "commit_time", "2026-11-29T14:15:02Z",
                "dirty", false));
        assertThat(Provenance.fromMap(map)).isEqualTo(provenance());
    }

    @Test
    void anUnknownCommitOmitsWhatTheBuildCouldNotTell() {
        Provenance unknown = new Provenance(new Provenance.Platform("0.1.0", Provenance.UNKNOWN, null, null),
                List.of(), Map.of(), null);
        assertThat(unknown.toMap()).containsOnlyKeys("platform", "bundles", "packages");
        assertThat(unknown.toMap().get("platform")).isEqualTo(Map.of("version", "0.1.0", "commit", "unknown"));
        assertThat(Provenance.fromMap(unknown.toMap())).isEqualTo(unknown);
    }

    @Test
    void aRunWrittenWithoutProvenanceReadsWithNone() throws Exception {
        RunStore store = RunStore.at(runs);
        String id = Runs.finished(store, "older");
        Path config = store.open(id).dir().resolve(RunFormat.CONFIG);
        assertThat(Files.readString(config)).doesNotContain("provenance");
        assertThat(store.open(id).config().provenance()).isNull();
        assertThat(store.open(id).summary().status()).isEqualTo("finished");
    }
}
