package org.recursa.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes run directories in the documented format (docs/runs.md, docs/artifacts.md) for index tests. */
final class RunFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFixtures() {
    }

    /**
     * A finished binary-successor run with the given architecture, accuracies and wrong examples.
     *
     * @param wrongCarryChains carry chains of the test-ood-carry examples the model got wrong (one artifact each),
     *                         plus one correct example
     */
    static Path run(Path runs, String id, String arch, double seqAccTestId, double seqAccOod, List<Integer> wrongCarryChains,
                    long startMillis) {
        Path dir = runs.resolve(id);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", id);
        config.put("started_at", Instant.ofEpochMilli(startMillis).toString());
        config.put("seed", 1);
        config.put("mode", "io");
        config.put("tags", Map.of("note", "carry chains for " + arch));
        config.put("task", Map.of("id", "binary-successor", "bundle", "recursa-tasks-recursion", "version", "0.1.0",
                "settings", Map.of("max_bits", 10, "max_train_carry", 5)));
        config.put("architecture", Map.of("id", arch, "bundle", "recursa-arch-" + arch, "version", "0.1.0",
                "settings", Map.of("d_model", 128)));
        config.put("sampler", Map.of("id", "greedy", "bundle", "recursa-sampler-greedy", "version", "0.1.0",
                "settings", Map.of()));
        config.put("train", Map.of("steps", 100, "lr", 0.001));
        config.put("model", Map.of("parameters", 1000, "flops_per_token", 5000));
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("status", "finished");
        end.put("finished_at", Instant.ofEpochMilli(startMillis + 60_000).toString());
        end.put("steps", 100);
        end.put("seconds", 60.0);
        end.put("splits", Map.of(
                "test-id", Map.of("examples", 10, "token_acc", seqAccTestId, "seq_acc", seqAccTestId),
                "test-ood-carry", Map.of("examples", 10, "token_acc", seqAccOod, "seq_acc", seqAccOod)));
        List<Map<String, Object>> artifacts = new ArrayList<>();
        int i = 0;
        for (int carry : wrongCarryChains) {
            artifacts.add(artifact(id, arch, i++, carry, false));
        }
        artifacts.add(artifact(id, arch, i, 2, true));
        try {
            Files.createDirectories(dir.resolve("artifacts"));
            Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(config));
            Files.writeString(dir.resolve("metrics.jsonl"),
                    "{\"type\":\"step\",\"step\":1,\"loss\":0.5,\"tokens_per_s\":1000}\n");
            Files.writeString(dir.resolve("final.json"), JSON.writeValueAsString(end));
            Files.writeString(dir.resolve("status"), "finished\n");
            StringBuilder lines = new StringBuilder();
            for (Map<String, Object> artifact : artifacts) {
                lines.append(JSON.writeValueAsString(artifact)).append('\n');
            }
            Files.writeString(dir.resolve("artifacts/test-ood-carry.jsonl"), lines.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static Map<String, Object> artifact(String run, String arch, int index, int carry, boolean correct) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("schema", 1);
        record.put("run", run);
        record.put("task", "binary-successor");
        record.put("arch", arch);
        record.put("mode", "io");
        record.put("split", "test-ood-carry");
        record.put("example", "test-ood-carry/" + index);
        record.put("input", List.of("succ", "B1", "Z"));
        record.put("expected", List.of("B0", "B1", "Z"));
        record.put("predicted", correct ? List.of("B0", "B1", "Z") : List.of("B1", "Z"));
        record.put("verdict", correct ? "correct" : "wrong");
        record.put("token_acc", correct ? 1.0 : 0.0);
        record.put("first_error", correct ? -1 : 0);
        record.put("explanation", correct ? "correct" : "token 0: expected 'B0', got 'B1'");
        record.put("features", Map.of("bits", carry + 1, "carry_chain", carry, "steps", carry + 1));
        record.put("derivation", Map.of("steps", List.of(), "answer", List.of("B0", "B1", "Z")));
        return record;
    }
}
