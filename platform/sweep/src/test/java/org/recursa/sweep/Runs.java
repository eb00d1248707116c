package org.recursa.sweep;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/** Runs of sweep points written through the run store's real writer, as {@code recursa run} records them. */
final class Runs {

    private Runs() {
    }

    /** A copy-task configuration of the point, tagged as the sweep tags it. */
    static RunConfig config(Sweep sweep, SweepPoint point) {
        return new RunConfig(0, null, Instant.now().toString(), null, point.seed(), "io", point.tags(sweep.id()), null,
                new Component("copy", "recursa-task-copy", "0.1.0", Map.of()),
                new Component(point.arch(), "recursa-arch-" + point.arch(), "0.1.0", Map.copyOf(point.settings())),
                new Component("greedy", "recursa-sampler-greedy", "0.1.0", Map.of()),
                Map.of("steps", 5), Map.of("parameters", 1000), Map.of("cores", 2));
    }

    /** Records a finished run of the point with these splits; returns its id. */
    static String finished(RunStore store, Sweep sweep, SweepPoint point, Map<String, FinalRecord.SplitResult> splits) {
        try (RunWriter writer = store.create(config(sweep, point), "copy-" + point.arch())) {
            writer.finish(RunStatus.FINISHED, 5, false, 0.5, splits);
            return writer.id();
        }
    }

    /** Records a finished run with training figures and results at other inference depths; returns its id. */
    static String finished(RunStore store, Sweep sweep, SweepPoint point, Map<String, FinalRecord.SplitResult> splits,
                           double seconds, FinalRecord.Training training,
                           Map<String, Map<String, FinalRecord.SplitResult>> depths) {
        try (RunWriter writer = store.create(config(sweep, point), "copy-" + point.arch())) {
            writer.finish(RunStatus.FINISHED, 5, false, seconds, splits, training, depths);
            return writer.id();
        }
    }

    /** Records a failed run of the point; returns its id. */
    static String failed(RunStore store, Sweep sweep, SweepPoint point, String reason) {
        try (RunWriter writer = store.create(config(sweep, point), "copy-" + point.arch())) {
            writer.fail(reason, 1, 0.1);
            return writer.id();
        }
    }

    /** Splits whose accuracies are a function of the seed: seq acc seed/10, token acc 0.5 + seed/20. */
    static Map<String, FinalRecord.SplitResult> splits(long seed) {
        Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
        splits.put("test-id", new FinalRecord.SplitResult(8, 0.5 + seed / 20.0, seed / 10.0, null, Map.of()));
        return splits;
    }

    /** The runs of every point of the sweep, by point key. */
    static Map<String, List<SweepState.RunRef>> byPoint(RunStore store, Sweep sweep) {
        return SweepState.runs(store, sweep.plan().created()).getOrDefault(sweep.id(), Map.of());
    }
}
