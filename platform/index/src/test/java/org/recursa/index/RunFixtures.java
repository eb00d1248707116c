package org.recursa.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/** Runs for index tests, written through the real run store and writer (docs/runs.md, docs/artifacts.md). */
final class RunFixtures {

    private RunFixtures() {
    }

    /** A binary-successor configuration with the given architecture; the store assigns id, format and start. */
    static RunConfig config(String arch) {
        return new RunConfig(0, null, Instant.now().toString(), null, 1, "io", Map.of(), "carry chains for " + arch,
                new Component("binary-successor", "recursa-tasks-recursion", "0.1.0",
                        ordered("max_bits", 10, "max_train_carry", 5)),
                new Component(arch, "recursa-arch-" + arch, "0.1.0", ordered("d_model", 128)),
                new Component("greedy", "recursa-sampler-greedy", "0.1.0", Map.of()),
                ordered("steps", 100, "lr", 0.001), ordered("parameters", 1000, "flops_per_token", 5000), Map.of());
    }

    /**
     * A finished run with the given architecture and accuracies.
     *
     * @param wrongCarryChains carry chains of the test-ood-carry examples the model got wrong (one artifact each),
     *                         plus one correct example
     * @return the run id
     */
    static String run(RunStore store, String arch, double seqAccTestId, double seqAccOod,
                      List<Integer> wrongCarryChains) {
        try (RunWriter writer = open(store, arch)) {
            writer.artifacts("test-ood-carry", artifacts(writer.id(), arch, wrongCarryChains));
            writer.finish(RunStatus.FINISHED, 100, false, 60.0, splits(seqAccTestId, seqAccOod));
            return writer.id();
        }
    }

    /** A run that has trained one step and is still running: the caller finishes or closes it. */
    static RunWriter open(RunStore store, String arch) {
        RunWriter writer = store.create(config(arch), "binary-successor-" + arch);
        writer.progress(ordered("type", "step", "step", 1, "loss", 0.5, "tokens_per_s", 1000));
        return writer;
    }

    /** The proof artifacts of {@link #run}. */
    static List<Map<String, Object>> artifacts(String run, String arch, List<Integer> wrongCarryChains) {
        List<Map<String, Object>> artifacts = new ArrayList<>();
        int i = 0;
        for (int carry : wrongCarryChains) {
            artifacts.add(artifact(run, arch, i++, carry, false));
        }
        artifacts.add(artifact(run, arch, i, 2, true));
        return artifacts;
    }

    static Map<String, FinalRecord.SplitResult> splits(double seqAccTestId, double seqAccOod) {
        Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
        splits.put("test-id", new FinalRecord.SplitResult(10, seqAccTestId, seqAccTestId, null, Map.of()));
        splits.put("test-ood-carry", new FinalRecord.SplitResult(10, seqAccOod, seqAccOod, null, Map.of()));
        return splits;
    }

    private static Map<String, Object> artifact(String run, String arch, int index, int carry, boolean correct) {
        return ordered("schema", 1, "run", run, "task", "binary-successor", "arch", arch, "mode", "io",
                "split", "test-ood-carry", "example", "test-ood-carry/" + index,
                "input", List.of("succ", "B1", "Z"), "expected", List.of("B0", "B1", "Z"),
                "predicted", correct ? List.of("B0", "B1", "Z") : List.of("B1", "Z"),
                "verdict", correct ? "correct" : "wrong", "token_acc", correct ? 1.0 : 0.0,
                "first_error", correct ? -1 : 0,
                "explanation", correct ? "correct" : "token 0: expected 'B0', got 'B1'",
                "features", ordered("bits", carry + 1, "carry_chain", carry, "steps", carry + 1),
                "derivation", ordered("steps", List.of(), "answer", List.of("B0", "B1", "Z")));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int k = 0; k < keysAndValues.length; k += 2) {
            map.put((String) keysAndValues[k], keysAndValues[k + 1]);
        }
        return map;
    }
}
