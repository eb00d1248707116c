package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probe records: written into an ended run's directory by the store, read back unchanged, refused otherwise. */
class ProbeRecordTest {

    @TempDir
    Path runs;

    @Test
    void aProbeOfAnEndedRunReadsBackIdenticallyAndReplacesTheOneBefore() throws Exception {
        RunStore store = RunStore.at(runs);
        String id = Runs.finished(store, "probe");
        assertThat(store.open(id).probes()).isEmpty();

        Path file = store.saveProbe(id, record("test-id", 0.75));
        assertThat(file).isEqualTo(store.open(id).dir().resolve("probes/test-id.json"));
        assertThat(Files.readString(file)).contains("\"train_examples\" : 12", "\"in_carry_chain\"")
                .doesNotContain("\"value\" : null");
        store.saveProbe(id, record("test-ood-carry", 0.5));
        store.saveProbe(id, record("test-id", 0.9));

        Map<String, ProbeRecord> probes = store.open(id).probes();
        assertThat(probes).containsOnlyKeys("test-id", "test-ood-carry");
        ProbeRecord read = probes.get("test-id");
        assertThat(read).usingRecursiveComparison().isEqualTo(record("test-id", 0.9));
        assertThat(read.targets().get(0).scores()).containsOnlyKeys("embed", "recursion.1");
        assertThat(read.targets().get(0).scores().get("recursion.1").value()).isNull();
        assertThat(read.attention().steps().get("recursion.1")[1][1]).containsExactly(0.25f, 0.75f);
        try (var listed = Files.list(file.getParent())) {
            assertThat(listed.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("test-id.json", "test-ood-carry.json");
        }
        // the run's outcome is untouched: a probe is an analysis of the run, not part of it
        assertThat(store.open(id).summary().artifacts()).containsExactly("test-ood-carry");
    }

    @Test
    void aRunningRunOrABadSplitNameIsRefused() {
        RunStore store = RunStore.at(runs);
        try (RunWriter writer = store.create(Runs.config("vanilla"), "running")) {
            assertThatThrownBy(() -> store.saveProbe(writer.id(), record("test-id", 0.5)))
                    .isInstanceOf(RunStoreException.class)
                    .hasMessage("run " + writer.id() + " has not ended (it is running); probe it once it has");
            writer.finish(RunStatus.FINISHED, 1, false, 1.0, Runs.splits());
        }
        String id = store.ids().get(0);
        assertThatThrownBy(() -> store.saveProbe(id, record("../escape", 0.5)))
                .isInstanceOf(UnknownRunException.class).hasMessageStartingWith("invalid split '../escape'");
        assertThatThrownBy(() -> store.saveProbe("no-such-run", record("test-id", 0.5)))
                .isInstanceOf(UnknownRunException.class).hasMessageStartingWith("unknown run 'no-such-run'");
    }

    @Test
    void aDamagedProbeIsReportedWithItsFile() throws Exception {
        RunStore store = RunStore.at(runs);
        String id = Runs.finished(store, "damaged");
        Path folder = Files.createDirectories(store.open(id).dir().resolve("probes"));
        Files.writeString(folder.resolve("test-id.json"), "{\"format\": 2, \"examples\": \"many\"}");
        assertThatThrownBy(() -> store.open(id).probes()).isInstanceOf(DamagedRunException.class)
                .hasMessageContaining("probes/test-id.json: field 'examples' has the wrong type");
    }

    private static ProbeRecord record(String split, double score) {
        Map<String, ProbeRecord.Score> scores = new LinkedHashMap<>();
        scores.put("embed", new ProbeRecord.Score(score, 40, 12, 0.01));
        scores.put("recursion.1", new ProbeRecord.Score(null, 1, 0, null));
        float[][][] heads = {{{1f, 0f}, {0.5f, 0.5f}}, {{1f, 0f}, {0.25f, 0.75f}}};
        return new ProbeRecord(RunFormat.VERSION, "2026-11-29T12:00:00Z", split, 16, 12, 4, "ridge",
                List.of("embed", "recursion.1"),
                List.of(new ProbeRecord.Target("in_carry_chain", "binary", "accuracy", 0.6, scores)),
                new ProbeRecord.Attention(split + "/0", List.of("succ", "Z"), Map.of("recursion.1", heads)));
    }
}
