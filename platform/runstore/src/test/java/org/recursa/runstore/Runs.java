package org.recursa.runstore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run configurations and records for the run store's tests, written through the real writer. */
final class Runs {

    private Runs() {
    }

    /** A binary-successor configuration as the runtime records it; the store assigns id, format and start. */
    static RunConfig config(String arch) {
        return new RunConfig(0, null, Instant.now().toString(), null, 7, "io", Map.of("team", "search"),
                "carry chains for " + arch,
                new Component("binary-successor", "org.recursa.tasks.recursion", "0.1.0",
                        ordered("max_bits", 10, "max_train_carry", 5)),
                new Component(arch, "org.recursa.arch." + arch, "0.2.0", ordered("d_model", 128, "heads", 4)),
                new Component("greedy", "org.recursa.sampler.greedy", "0.1.0", Map.of()),
                ordered("steps", 3, "lr", 0.001, "schedule", "cosine"),
                ordered("parameters", 1000, "flops_per_token", 5000),
                ordered("java", "17", "cores", 2));
    }

    /**
     * Splits with two out-of-distribution ones: seq_acc_ood = 0.3, token_acc_ood = 0.65. test-id has distinct inputs,
     * intervals and every decoding figure; test-ood-carry decoding figures from a sampler that counted neither FLOPs
     * nor depths; test-ood-bits is recorded as runs did before any of those existed.
     */
    static Map<String, FinalRecord.SplitResult> splits() {
        Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
        splits.put("test-id", new FinalRecord.SplitResult(256, 0.995, 0.99, null, Map.of(), 200,
                new FinalRecord.Interval(0.97, 0.997), 0.985, new FinalRecord.Interval(0.96, 0.995),
                new FinalRecord.Decoding(5120.5, 2816, 11, 3_000_000_000L, 3.25)));
        splits.put("test-ood-carry", new FinalRecord.SplitResult(256, 0.6, 0.2, null,
                Map.of("carry_chain", ordered2("6", new FinalRecord.Cell(100, 0.7, 0.3),
                        "7", new FinalRecord.Cell(156, 0.5, 0.1))), null, null, null, null,
                new FinalRecord.Decoding(800.0, 3328, 13, null, null)));
        splits.put("test-ood-bits", new FinalRecord.SplitResult(256, 0.7, 0.4, null, Map.of()));
        return splits;
    }

    /** A step record of {@code metrics.jsonl}. */
    static Map<String, Object> step(int step, double loss, double tokensPerSecond) {
        return ordered("type", "step", "step", step, "loss", loss, "lr", 0.001, "tokens_per_s", tokensPerSecond);
    }

    /** An eval record of {@code metrics.jsonl}. */
    static Map<String, Object> eval(int step, String split, double tokenAcc, double seqAcc) {
        return ordered("type", "eval", "step", step, "split", split, "token_acc", tokenAcc, "seq_acc", seqAcc);
    }

    /** A proof-artifact record (docs/artifacts.md), trimmed to the fields the store passes through. */
    static Map<String, Object> artifact(String run, int index, boolean correct) {
        return ordered("schema", 1, "run", run, "split", "test-ood-carry", "example", "test-ood-carry/" + index,
                "input", List.of("succ", "B1", "Z"), "expected", List.of("B0", "B1", "Z"),
                "predicted", correct ? List.of("B0", "B1", "Z") : List.of("B1", "Z"),
                "verdict", correct ? "correct" : "wrong", "features", ordered("carry_chain", 6 + index));
    }

    /** A run that trained three steps and finished, with one artifact file. */
    static String finished(RunStore store, String label) {
        try (RunWriter writer = store.create(config("universal"), label)) {
            writer.progress(step(1, 0.9, 1000));
            writer.artifacts("test-ood-carry", List.of(artifact(writer.id(), 0, false)));
            writer.finish(RunStatus.FINISHED, 3, false, 1.5, splits());
            return writer.id();
        }
    }

    /** A map in the order of its key-value arguments. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int k = 0; k < keysAndValues.length; k += 2) {
            map.put((String) keysAndValues[k], keysAndValues[k + 1]);
        }
        return map;
    }

    private static Map<String, FinalRecord.Cell> ordered2(String k1, FinalRecord.Cell v1, String k2,
                                                          FinalRecord.Cell v2) {
        Map<String, FinalRecord.Cell> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
