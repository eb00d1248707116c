package org.recursa.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small synthetic run directories in the documented format (docs/runs.md, docs/artifacts.md): a
 * binary-successor run with the splits test-id, test-edge-carry, test-ood-carry and test-ood-length, a few dozen
 * steps, evaluations every 10 steps, and artifacts with or without per-token depth. Seeded, so every file is the same
 * on every run of the tests.
 */
final class RunFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    static final int STEPS = 60;
    static final int EVAL_EVERY = 10;
    static final int ARTIFACTS = 40;

    private final String id;
    private final String arch;
    private boolean depth;
    private double skill = 0.5;
    private final List<Integer> oodCarries = new ArrayList<>(List.of(6, 7, 8, 9, 10));

    private RunFixture(String arch, String hex) {
        this.arch = arch;
        this.id = "20261125-0405" + hex.substring(0, 2) + "-binary-successor-" + arch + "-" + hex;
    }

    static RunFixture run(String arch, String hex) {
        return new RunFixture(arch, hex);
    }

    /** Artifacts carry {@code depth.per_token} (ACT, MoR). */
    RunFixture withDepth() {
        this.depth = true;
        return this;
    }

    /** Accuracy scale: the OOD carry accuracy is {@code skill / (carry - 5)}. */
    RunFixture skill(double skill) {
        this.skill = skill;
        return this;
    }

    /** Leaves a carry value out of test-ood-carry's by_feature (no example had it). */
    RunFixture withoutOodCarry(int carry) {
        oodCarries.remove(Integer.valueOf(carry));
        return this;
    }

    String id() {
        return id;
    }

    /** Writes the run directory {@code parent/<id>} and returns it. */
    Path writeTo(Path parent) {
        Path dir = parent.resolve(id);
        try {
            Files.createDirectories(dir.resolve("artifacts"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config());
            Files.writeString(dir.resolve("metrics.jsonl"), metrics());
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("final.json").toFile(), summary());
            for (String split : List.of("test-id", "test-edge-carry", "test-ood-carry", "test-ood-length")) {
                Files.writeString(dir.resolve("artifacts").resolve(split + ".jsonl"), artifacts(split));
            }
            Files.writeString(dir.resolve("status"), "finished\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", id);
        config.put("started_at", "2026-11-25T04:05:02Z");
        config.put("seed", 1);
        config.put("mode", "io");
        config.put("task", Map.of("id", "binary-successor", "bundle", "recursa-tasks-recursion",
                "version", "0.1.0.SNAPSHOT", "settings", Map.of("max_bits", 10, "max_train_carry", 5)));
        config.put("architecture", Map.of("id", arch, "bundle", "recursa-arch-" + arch,
                "version", "0.1.0.SNAPSHOT", "settings", Map.of("d_model", 16)));
        config.put("sampler", Map.of("id", "greedy", "settings", Map.of()));
        config.put("train", Map.of("steps", STEPS, "eval_every", EVAL_EVERY));
        config.put("model", Map.of("parameters", 12345, "unique_layers", 1, "effective_layers", 4,
                "max_length", 33, "vocabulary_size", 8, "flops_per_token", 98765));
        return config;
    }

    private String metrics() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int step = 1; step <= STEPS; step++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("type", "step");
            record.put("step", step);
            double loss = 2.0 * Math.exp(-step / (10.0 * skill)) + 1e-3;
            record.put("loss", loss);
            record.put("task_loss", loss);
            record.put("lr", 1e-3);
            record.put("grad_norm", 1.0);
            record.put("tokens_per_s", 5000.0);
            lines.append(JSON.writeValueAsString(record)).append('\n');
            if (step % EVAL_EVERY == 0) {
                double acc = Math.min(1.0, skill * 2 * step / STEPS);
                lines.append(JSON.writeValueAsString(Map.of("type", "eval", "step", step, "split", "test-id",
                        "token_acc", Math.min(1.0, acc + 0.1), "seq_acc", acc))).append('\n');
            }
        }
        return lines.toString();
    }

    private Map<String, Object> summary() {
        Map<String, Object> splits = new LinkedHashMap<>();
        splits.put("test-id", split(0.99, Map.of("bits", range(1, 10, v -> 0.99), "carry_chain", range(0, 5, v -> 1.0))));
        splits.put("test-edge-carry", split(0.9, Map.of("carry_chain", range(4, 5, v -> 0.9),
                "bits", range(4, 4, v -> 0.9))));
        Map<String, Object> carry = new LinkedHashMap<>();
        for (int c : oodCarries) {
            carry.put(Integer.toString(c), cell(c == 10 ? 0.0 : skill / (c - 5)));
        }
        splits.put("test-ood-carry", split(0.2, Map.of("carry_chain", carry, "bits", range(9, 13, v -> skill / 4))));
        // "length" takes 30 values: too many for a chart
        splits.put("test-ood-length", split(0.0, Map.of("length", range(11, 40, v -> 0.0), "bits", range(11, 14, v -> 0.0))));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", "finished");
        summary.put("finished_at", "2026-11-25T04:09:00Z");
        summary.put("steps", STEPS);
        summary.put("stopped_early", false);
        summary.put("seconds", 12.5);
        summary.put("splits", splits);
        return summary;
    }

    private static Map<String, Object> split(double seqAcc, Map<String, Map<String, Object>> byFeature) {
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("examples", 64);
        split.put("token_acc", Math.min(1.0, seqAcc + 0.05));
        split.put("seq_acc", seqAcc);
        split.put("by_feature", new java.util.TreeMap<>(byFeature));
        return split;
    }

    private static Map<String, Object> range(int from, int to, java.util.function.IntToDoubleFunction acc) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int v = from; v <= to; v++) {
            values.put(Integer.toString(v), cell(acc.applyAsDouble(v)));
        }
        return values;
    }

    private static Map<String, Object> cell(double seqAcc) {
        return Map.of("examples", 8, "token_acc", Math.min(1.0, seqAcc + 0.1), "seq_acc", seqAcc);
    }

    private String artifacts(String split) throws IOException {
        Random random = new Random(split.hashCode());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < ARTIFACTS; i++) {
            int bits = 4 + random.nextInt(8);
            List<String> input = new ArrayList<>(List.of("succ"));
            for (int b = 0; b < bits; b++) {
                input.add(random.nextBoolean() ? "B1" : "B0");
            }
            input.add("Z");
            List<String> predicted = input.subList(1, input.size());
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("schema", 1);
            record.put("run", id);
            record.put("task", "binary-successor");
            record.put("arch", arch);
            record.put("mode", "io");
            record.put("split", split);
            record.put("example", split + "/" + i);
            record.put("input", input);
            record.put("expected", predicted);
            record.put("predicted", predicted);
            boolean correct = random.nextDouble() < skill;
            record.put("verdict", correct ? "correct" : "wrong");
            record.put("token_acc", correct ? 1.0 : 0.5);
            record.put("first_error", correct ? -1 : 1);
            record.put("explanation", correct ? "correct" : "token 1: expected 'B0', got 'B1'");
            record.put("features", Map.of("bits", bits, "carry_chain", random.nextInt(bits)));
            record.put("derivation", Map.of("steps", List.of(), "answer", predicted));
            if (depth) {
                int length = input.size() + 1 + predicted.size();
                double[] perToken = new double[length];
                for (int t = 0; t < length; t++) {
                    perToken[t] = 1 + random.nextInt(4);
                }
                record.put("depth", Map.of("per_token", perToken, "mean", 2.5, "max", 4.0, "output_mean", 2.5));
            }
            lines.append(JSON.writeValueAsString(record)).append('\n');
        }
        return lines.toString();
    }
}
