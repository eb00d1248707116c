package org.recursa.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;

/**
 * Records small synthetic runs through the run store's real writer (docs/runs.md, docs/artifacts.md): a
 * binary-successor run with the splits test-id, test-edge-carry, test-ood-carry and test-ood-length, a few dozen
 * steps, evaluations every 10 steps, and artifacts with or without per-token depth. Seeded, so every record is the same
 * on every run of the tests; the store assigns the id and times.
 */
final class RunFixture {

    static final int STEPS = 60;
    static final int EVAL_EVERY = 10;
    static final int ARTIFACTS = 40;

    private final String arch;
    private String id;
    private boolean depth;
    private List<Integer> inferenceDepths = List.of();
    private double skill = 0.5;
    private final List<Integer> oodCarries = new ArrayList<>(List.of(6, 7, 8, 9, 10));

    private RunFixture(String arch) {
        this.arch = arch;
    }

    static RunFixture run(String arch) {
        return new RunFixture(arch);
    }

    /** Artifacts carry {@code depth.per_token} (ACT, MoR). */
    RunFixture withDepth() {
        this.depth = true;
        return this;
    }

    /**
     * Evaluated at other inference depths: at depth d, test-ood-carry scores {@code skill * min(1, d / 8)} and every
     * other split what it scores at the run's own depth.
     */
    RunFixture withInferenceDepths(Integer... depths) {
        this.inferenceDepths = List.of(depths);
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

    /** The id the store gave the run when it was written. */
    String id() {
        if (id == null) {
            throw new IllegalStateException("write the fixture first");
        }
        return id;
    }

    /** Records the run in the store at {@code runs} through the real writer and returns it. */
    StoredRun writeTo(Path runs) {
        RunStore store = RunStore.at(runs);
        try (RunWriter writer = store.create(config(), "binary-successor-" + arch)) {
            metrics().forEach(writer::progress);
            for (String split : List.of("test-id", "test-edge-carry", "test-ood-carry", "test-ood-length")) {
                writer.artifacts(split, artifacts(split, writer.id()));
            }
            writer.finish(RunStatus.FINISHED, STEPS, false, 12.5, splits(), null, depths());
            id = writer.id();
        }
        return store.open(id);
    }

    private RunConfig config() {
        return new RunConfig(0, null, "2026-11-25T04:05:02Z", null, 1, "io", Map.of(), null,
                new Component("binary-successor", "recursa-tasks-recursion", "0.1.0.SNAPSHOT",
                        Map.of("max_bits", 10, "max_train_carry", 5)),
                new Component(arch, "recursa-arch-" + arch, "0.1.0.SNAPSHOT", Map.of("d_model", 16)),
                new Component("greedy", null, null, Map.of()),
                Map.of("steps", STEPS, "eval_every", EVAL_EVERY),
                Map.of("parameters", 12345, "unique_layers", 1, "effective_layers", 4, "max_length", 33,
                        "vocabulary_size", 8, "flops_per_token", 98765), Map.of());
    }

    private List<Map<String, Object>> metrics() {
        List<Map<String, Object>> records = new ArrayList<>();
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
            records.add(record);
            if (step % EVAL_EVERY == 0) {
                double acc = Math.min(1.0, skill * 2 * step / STEPS);
                records.add(Map.of("type", "eval", "step", step, "split", "test-id",
                        "token_acc", Math.min(1.0, acc + 0.1), "seq_acc", acc));
            }
        }
        return records;
    }

    private Map<String, FinalRecord.SplitResult> splits() {
        Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
        splits.put("test-id", split(0.99, Map.of("bits", range(1, 10, v -> 0.99), "carry_chain", range(0, 5, v -> 1.0))));
        splits.put("test-edge-carry", split(0.9, Map.of("carry_chain", range(4, 5, v -> 0.9),
                "bits", range(4, 4, v -> 0.9))));
        Map<String, FinalRecord.Cell> carry = new LinkedHashMap<>();
        for (int c : oodCarries) {
            carry.put(Integer.toString(c), cell(c == 10 ? 0.0 : skill / (c - 5)));
        }
        FinalRecord.SplitResult ood = split(0.2, Map.of("carry_chain", carry, "bits", range(9, 13, v -> skill / 4)));
        // recorded with distinct inputs and intervals, as runs are now; the other splits as runs were before them
        splits.put("test-ood-carry", new FinalRecord.SplitResult(ood.examples(), ood.tokenAcc(), ood.seqAcc(), null,
                ood.byFeature(), 16, new FinalRecord.Interval(0.11, 0.31), 0.25, new FinalRecord.Interval(0.1, 0.5)));
        // "length" takes 30 values: too many for a chart
        splits.put("test-ood-length", split(0.0, Map.of("length", range(11, 40, v -> 0.0), "bits", range(11, 14, v -> 0.0))));
        return splits;
    }

    private Map<String, Map<String, FinalRecord.SplitResult>> depths() {
        if (inferenceDepths.isEmpty()) {
            return null;
        }
        Map<String, Map<String, FinalRecord.SplitResult>> depths = new LinkedHashMap<>();
        for (int d : inferenceDepths) {
            Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>(splits());
            splits.put("test-ood-carry", split(skill * Math.min(1.0, d / 8.0), Map.of()));
            depths.put(Integer.toString(d), splits);
        }
        return depths;
    }

    private static FinalRecord.SplitResult split(double seqAcc, Map<String, Map<String, FinalRecord.Cell>> byFeature) {
        return new FinalRecord.SplitResult(64, Math.min(1.0, seqAcc + 0.05), seqAcc, null,
                new java.util.TreeMap<>(byFeature));
    }

    private static Map<String, FinalRecord.Cell> range(int from, int to, java.util.function.IntToDoubleFunction acc) {
        Map<String, FinalRecord.Cell> values = new LinkedHashMap<>();
        for (int v = from; v <= to; v++) {
            values.put(Integer.toString(v), cell(acc.applyAsDouble(v)));
        }
        return values;
    }

    private static FinalRecord.Cell cell(double seqAcc) {
        return new FinalRecord.Cell(8, Math.min(1.0, seqAcc + 0.1), seqAcc);
    }

    private List<Map<String, Object>> artifacts(String split, String runId) {
        Random random = new Random(split.hashCode());
        List<Map<String, Object>> records = new ArrayList<>();
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
            record.put("run", runId);
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
            records.add(record);
        }
        return records;
    }
}
