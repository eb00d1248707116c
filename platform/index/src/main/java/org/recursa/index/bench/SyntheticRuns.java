package org.recursa.index.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/** Synthetic runs, written through the run store, for the index benchmark and for tests of the search commands. */
public final class SyntheticRuns {

    private static final List<String> ARCHS = List.of("vanilla", "universal", "sliced", "relaxed", "mor");

    private SyntheticRuns() {
    }

    /**
     * Records synthetic run {@code i} in {@code store} through the real writer: a finished binary-successor or
     * preorder run of a random architecture with about 20 params, 20 metrics and {@code artifactsPerRun} proof
     * artifacts (docs/runs.md, docs/artifacts.md). Deterministic in {@code i} but for the id and times, which the
     * store assigns.
     *
     * @return the run id
     */
    public static String write(RunStore store, int i, int artifactsPerRun) {
        SplittableRandom random = new SplittableRandom(i);
        String arch = ARCHS.get(random.nextInt(ARCHS.size()));
        String task = random.nextBoolean() ? "binary-successor" : "preorder";
        RunConfig config = new RunConfig(0, null, Instant.now().toString(), null, random.nextInt(10),
                random.nextInt(4) == 0 ? "trace" : "io", Map.of(),
                random.nextInt(3) == 0 ? "long carry chains" : "baseline",
                new Component(task, "org.recursa.tasks.recursion", "0.1.0", ordered("max_bits", 8 + random.nextInt(6),
                        "max_train_carry", 3 + random.nextInt(4), "edge_fraction", random.nextInt(4) * 0.1)),
                new Component(arch, "org.recursa.arch." + arch, "0.1.0", ordered("d_model",
                        64 * (1 + random.nextInt(3)), "heads", 4, "ffn", 512, "dropout", 0.0)),
                new Component("greedy", "org.recursa.sampler.greedy", "0.1.0", Map.of()),
                ordered("steps", 1500, "lr", random.nextBoolean() ? 0.001 : 0.0003, "batch_size", 64, "warmup", 100),
                ordered("parameters", 100_000 + random.nextInt(400_000), "flops_per_token",
                        1_000_000 + random.nextInt(1_000_000)), Map.of("synthetic", true));
        Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
        for (int s = 0; s < 8; s++) {
            double acc = random.nextDouble();
            splits.put(s == 0 ? "test-id" : s < 4 ? "split-" + s : "test-ood-" + s,
                    new FinalRecord.SplitResult(256, Math.min(1, acc + 0.1), acc, null, Map.of()));
        }
        double loss = random.nextDouble() / 10;
        int tokensPerSecond = 5000 + random.nextInt(5000);
        int steps = 500 + random.nextInt(1000);
        double seconds = 60 + random.nextDouble() * 120;
        try (RunWriter writer = store.create(config, task + "-" + arch)) {
            writer.progress(ordered("type", "step", "step", 1, "loss", loss, "tokens_per_s", tokensPerSecond));
            List<Map<String, Object>> artifacts = new ArrayList<>();
            for (int a = 0; a < artifactsPerRun; a++) {
                artifacts.add(artifact(writer.id(), arch, a, random));
            }
            writer.artifacts("test-ood-carry", artifacts);
            writer.finish(RunStatus.FINISHED, steps, false, seconds, splits);
            return writer.id();
        }
    }

    private static Map<String, Object> artifact(String run, String arch, int a, SplittableRandom random) {
        int carry = random.nextInt(12);
        boolean right = random.nextInt(3) > 0;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("schema", 1);
        record.put("run", run);
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
        return record;
    }

    /** A map in the order of its key-value arguments. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int k = 0; k < keysAndValues.length; k += 2) {
            map.put((String) keysAndValues[k], keysAndValues[k + 1]);
        }
        return map;
    }
}
