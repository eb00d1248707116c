package org.recursa.index.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Synthetic run directories for the index benchmark and for tests of the search commands. */
public final class SyntheticRuns {

    private static final List<String> ARCHS = List.of("vanilla", "universal", "sliced", "relaxed", "mor");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticRuns() {
    }

    /**
     * Writes synthetic run {@code i} into {@code dir}: a finished binary-successor or preorder run of a random
     * architecture with about 20 params, 20 metrics and {@code artifactsPerRun} proof artifacts, in the format
     * of docs/runs.md and docs/artifacts.md. Deterministic in {@code i}.
     */
    public static void write(Path dir, int i, int artifactsPerRun) {
        SplittableRandom random = new SplittableRandom(i);
        String arch = ARCHS.get(random.nextInt(ARCHS.size()));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", dir.getFileName().toString());
        config.put("started_at", Instant.ofEpochMilli(1_700_000_000_000L + i * 60_000L).toString());
        config.put("seed", random.nextInt(10));
        config.put("mode", random.nextInt(4) == 0 ? "trace" : "io");
        config.put("tags", Map.of("note", random.nextInt(3) == 0 ? "long carry chains" : "baseline"));
        config.put("task", Map.of("id", random.nextBoolean() ? "binary-successor" : "preorder", "version", "0.1.0",
                "settings", Map.of("max_bits", 8 + random.nextInt(6), "max_train_carry", 3 + random.nextInt(4),
                        "edge_fraction", random.nextInt(4) * 0.1)));
        config.put("architecture", Map.of("id", arch, "version", "0.1.0", "settings", Map.of("d_model",
                64 * (1 + random.nextInt(3)), "heads", 4, "ffn", 512, "dropout", 0.0)));
        config.put("sampler", Map.of("id", "greedy", "version", "0.1.0", "settings", Map.of()));
        config.put("train", Map.of("steps", 1500, "lr", random.nextBoolean() ? 0.001 : 0.0003, "batch_size", 64,
                "warmup", 100));
        config.put("model", Map.of("parameters", 100_000 + random.nextInt(400_000), "flops_per_token",
                1_000_000 + random.nextInt(1_000_000)));
        Map<String, Object> splits = new LinkedHashMap<>();
        for (int s = 0; s < 8; s++) {
            double acc = random.nextDouble();
            splits.put(s == 0 ? "test-id" : s < 4 ? "split-" + s : "test-ood-" + s, Map.of("examples", 256,
                    "seq_acc", acc, "token_acc", Math.min(1, acc + 0.1)));
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("status", "finished");
        end.put("finished_at", Instant.ofEpochMilli(1_700_000_000_000L + i * 60_000L + 180_000).toString());
        end.put("steps", 500 + random.nextInt(1000));
        end.put("seconds", 60 + random.nextDouble() * 120);
        end.put("splits", splits);
        StringBuilder artifacts = new StringBuilder();
        for (int a = 0; a < artifactsPerRun; a++) {
            int carry = random.nextInt(12);
            boolean right = random.nextInt(3) > 0;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("schema", 1);
            record.put("run", dir.getFileName().toString());
            record.put("task", "binary-successor");
            record.put("arch", arch);
            record.put("mode", "io");
            record.put("split", a % 2 == 0 ? "test-ood-carry" : "test-id");
            record.put("example", "test-ood-carry/" + a);
            record.put("input", List.of("succ", "B1", "B1", "B0", "Z"));
            record.put("expected", List.of("B0", "B0", "B1", "Z"));
            record.put("predicted", right ? List.of("B0", "B0", "B1", "Z") : List.of("B0", "B1", "B0", "Z"));
            record.put("verdict", right ? "correct" : "wrong");
            record.put("token_acc", right ? 1.0 : 0.5);
            record.put("first_error", right ? -1 : 1);
            record.put("explanation", right ? "correct" : "token 1: expected 'B0', got 'B1'");
            record.put("features", Map.of("bits", 1 + random.nextInt(14), "carry_chain", carry, "steps", carry + 1));
            record.put("derivation", Map.of("steps", List.of(), "answer", List.of("B0", "B0", "B1", "Z")));
            record.put("depth", Map.of("mean", 1 + random.nextDouble() * 3, "max", 4.0, "output_mean", 2.0,
                    "per_token", new double[0]));
            artifacts.append(json(record)).append('\n');
        }
        try {
            Files.createDirectories(dir.resolve("artifacts"));
            Files.writeString(dir.resolve("config.json"), json(config));
            Files.writeString(dir.resolve("metrics.jsonl"), "{\"type\":\"step\",\"step\":1,\"loss\":"
                    + random.nextDouble() / 10 + ",\"tokens_per_s\":" + (5000 + random.nextInt(5000)) + "}\n");
            Files.writeString(dir.resolve("final.json"), json(end));
            Files.writeString(dir.resolve("artifacts").resolve("test-ood-carry.jsonl"), artifacts.toString());
            Files.writeString(dir.resolve("status"), "finished\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
