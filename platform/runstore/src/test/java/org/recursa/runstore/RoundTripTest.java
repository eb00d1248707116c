package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link RunWriter} writes, {@link StoredRun} reads back unchanged; the summary's numbers are derived right. */
class RoundTripTest {

    @TempDir
    Path runs;

    @Test
    void aWrittenRunReadsBackIdentically() throws Exception {
        RunStore store = RunStore.at(runs);
        RunConfig asked = Runs.config("universal");
        Instant before = Instant.now();
        RunWriter writer = store.create(asked, "copy-universal");
        String id = writer.id();
        List<Map<String, Object>> artifacts = List.of(Runs.artifact(id, 0, false), Runs.artifact(id, 1, true));
        try (writer) {
            writer.progress(Runs.step(1, 0.9, 1000));
            writer.progress(Runs.step(2, 0.5, 3000));
            writer.progress(Runs.eval(2, "test-id", 0.8, 0.5));
            writer.progress(Runs.step(3, 0.25, 2000));
            writer.artifacts("test-ood-carry", artifacts);
            writer.checkpoint(target -> Files.writeString(target, "weights"));
            writer.finish(RunStatus.FINISHED, 3, true, 12.5, Runs.splits());
        }

        StoredRun run = store.open(id);
        assertThat(run.dir()).isEqualTo(runs.toAbsolutePath().resolve(id));
        RunConfig config = run.config();
        assertThat(config).isEqualTo(writer.config());
        assertThat(config.format()).isEqualTo(RunFormat.VERSION);
        assertThat(config.id()).isEqualTo(id).matches("\\d{8}-\\d{6}-copy-universal-[0-9a-f]{4}");
        assertThat(config.parent()).isNull();
        assertThat(Instant.parse(config.startedAt())).isBetween(before, Instant.now());
        assertThat(config).usingRecursiveComparison().ignoringFields("format", "id", "startedAt").isEqualTo(asked);

        ProgressLog progress = run.progress();
        assertThat(progress.steps()).containsExactly(
                new ProgressLog.Step(1, 0.9, Map.of("step", 1.0, "loss", 0.9, "lr", 0.001, "tokens_per_s", 1000.0)),
                new ProgressLog.Step(2, 0.5, Map.of("step", 2.0, "loss", 0.5, "lr", 0.001, "tokens_per_s", 3000.0)),
                new ProgressLog.Step(3, 0.25, Map.of("step", 3.0, "loss", 0.25, "lr", 0.001, "tokens_per_s", 2000.0)));
        assertThat(progress.evals()).containsExactly(new ProgressLog.Eval(2, "test-id", 0.8, 0.5));

        FinalRecord end = run.end().orElseThrow();
        assertThat(end).usingRecursiveComparison().ignoringFields("finishedAt").isEqualTo(new FinalRecord(
                RunFormat.VERSION, "finished", null, 3, true, 12.5, null, Runs.splits()));
        assertThat(end.splits().keySet()).as("split order kept").containsExactly("test-id", "test-ood-carry",
                "test-ood-bits");
        assertThat(run.state()).isEqualTo(new StoredRun.State(RunStatus.FINISHED, java.util.Optional.empty()));

        SummaryRecord summary = run.summary();
        assertThat(summary.id()).isEqualTo(id);
        assertThat(summary.status()).isEqualTo("finished");
        assertThat(summary.reason()).isNull();
        assertThat(summary.task()).isEqualTo("binary-successor");
        assertThat(summary.arch()).isEqualTo("universal");
        assertThat(summary.startTime()).isEqualTo(config.startMillis());
        assertThat(summary.endTime()).isEqualTo(Instant.parse(end.finishedAt()).toEpochMilli());
        assertThat(summary.artifacts()).containsExactly("test-ood-carry");
        assertThat(summary.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "search", "note",
                "carry chains for universal"));
        assertThat(summary.params()).containsEntry("task", "binary-successor").containsEntry("arch", "universal")
                .containsEntry("sampler", "greedy").containsEntry("mode", "io").containsEntry("seed", "7")
                .containsEntry("arch.d_model", "128").containsEntry("task.max_bits", "10")
                .containsEntry("train.lr", "0.001").containsEntry("train.schedule", "cosine")
                .containsEntry("arch_version", "0.2.0").doesNotContainKey("parent");
        Map<String, Double> metrics = summary.metrics();
        assertThat(metrics.get("seq_acc_ood")).isCloseTo(0.3, within(1e-12));
        assertThat(metrics.get("token_acc_ood")).isCloseTo(0.65, within(1e-12));
        assertThat(metrics).containsEntry("seq_acc_test_id", 0.99).containsEntry("token_acc_test_ood_carry", 0.6)
                .containsEntry("final_loss", 0.25).containsEntry("tokens_per_s", 2000.0).containsEntry("steps", 3.0)
                .containsEntry("seconds", 12.5).containsEntry("parameters", 1000.0)
                .containsEntry("flops_per_token", 5000.0);
        assertThat(metrics).containsEntry("distinct_inputs_test_id", 200.0)
                .containsEntry("seq_acc_distinct_test_id", 0.985).containsEntry("seq_acc_low_test_id", 0.97)
                .containsEntry("seq_acc_high_test_id", 0.997)
                .as("a split recorded without them has none").doesNotContainKeys("distinct_inputs_test_ood_bits",
                        "seq_acc_distinct_test_ood_bits", "seq_acc_low_test_ood_bits");
        assertThat(metrics).containsEntry("tokens_per_s_test_id", 5120.5).containsEntry("model_calls_test_id", 11.0)
                .containsEntry("flops_test_id", 3e9).containsEntry("avg_depth_test_id", 3.25)
                .containsEntry("tokens_per_s_test_ood_carry", 800.0).containsEntry("model_calls_test_ood_carry", 13.0)
                .as("what the sampler did not record is absent, not 0 or NaN")
                .doesNotContainKeys("flops_test_ood_carry", "avg_depth_test_ood_carry", "tokens_per_s_test_ood_bits",
                        "model_calls_test_ood_bits");
        JsonNode written = Json.DOCUMENT.readTree(run.dir().resolve(RunFormat.FINAL).toFile());
        assertThat(written.at("/splits/test-id/decoding/tokens_per_s").asDouble()).isEqualTo(5120.5);
        assertThat(written.at("/splits/test-id/decoding/generated_tokens").asLong()).isEqualTo(2816);
        assertThat(written.at("/splits/test-id/decoding/model_calls").asLong()).isEqualTo(11);
        assertThat(written.at("/splits/test-id/decoding/flops").asLong()).isEqualTo(3_000_000_000L);
        assertThat(written.at("/splits/test-id/decoding/avg_depth").asDouble()).isEqualTo(3.25);
        assertThat(written.at("/splits/test-ood-carry/decoding").has("avg_depth")).as("absent, not null").isFalse();
        assertThat(written.at("/splits/test-id/distinct_inputs").asInt()).isEqualTo(200);
        assertThat(written.at("/splits/test-id/seq_acc_distinct_interval/high").asDouble()).isEqualTo(0.995);
        assertThat(written.at("/splits/test-ood-bits").has("distinct_inputs")).as("absent, not null").isFalse();

        Files.delete(run.dir().resolve(RunFormat.SUMMARY));
        assertThat(store.open(id).summary()).as("summary.json equals the summary derived from the other files")
                .isEqualTo(summary);

        assertThat(run.artifacts()).containsOnlyKeys("test-ood-carry");
        assertThat(run.trustedArtifacts(summary)).containsOnlyKeys("test-ood-carry");
        List<JsonNode> read = new ArrayList<>();
        run.artifacts().get("test-ood-carry").forEach((record, text) -> read.add(record));
        assertThat(read).containsExactlyElementsOf(artifacts.stream().map(a -> (JsonNode) Json.LINE.valueToTree(a))
                .toList());
        assertThat(Files.readString(run.checkpoint().orElseThrow())).isEqualTo("weights");
        assertThat(Files.readString(run.dir().resolve(RunFormat.STATUS))).isEqualTo("finished\n");
    }
}
