package org.recursa.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.recursa.runstore.ArtifactFile;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.ProbeRecord;
import org.recursa.runstore.StoredRun;

/**
 * Everything the report needs of one run, read through the run store: its config, progress, final record, and the
 * per-token depths of one artifact file.
 *
 * @param dir     the run directory
 * @param config  from {@code config.json}
 * @param metrics from {@code metrics.jsonl}
 * @param summary from {@code final.json}
 * @param depth   depths of the preferred split ({@link #depthSplitOrder}); empty when the run has no artifact files
 * @param probes  the run's probe records ({@code recursa probe}), split name to record; empty when it has none
 * @param checkpointBytes size of the run's checkpoint file, or -1 when it saved none (an evaluation run, a failure)
 * @param compression     what compressing it saved ({@code recursa compress}), or null for a run not compressed
 */
public record RunData(Path dir, RunConfig config, Metrics metrics, FinalSummary summary, Optional<DepthTraces> depth,
                      Map<String, ProbeRecord> probes, long checkpointBytes, FinalRecord.Compression compression) {

    /** Copies the probes. */
    public RunData {
        probes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probes));
    }

    /** Examples per depth heat map. */
    public static final int DEPTH_ROWS = 32;

    /**
     * Reads a run through the run store. Every record is parsed whole, so a damaged file is reported here and not
     * halfway through writing a report.
     *
     * @throws IllegalArgumentException one line naming the run, the file and what is wrong, for a damaged run or one
     *                                  that has not ended
     */
    public static RunData read(StoredRun run) {
        try {
            RunConfig config = RunConfig.of(run.config());
            Metrics metrics = Metrics.of(run.progress());
            FinalRecord end = run.end().orElseThrow(() -> JsonFiles.problem(run.dir(), "the run has not ended (it is "
                    + run.state().status().id() + "); report it once it has"));
            FinalSummary summary = FinalSummary.of(end, run.dir());
            Optional<DepthTraces> depth = Optional.empty();
            Map<String, ArtifactFile> artifacts = run.artifacts();
            for (String split : depthSplitOrder(summary)) {
                if (artifacts.containsKey(split)) {
                    depth = Optional.of(DepthTraces.read(artifacts.get(split), DEPTH_ROWS));
                    break;
                }
            }
            long checkpointBytes = -1;
            Optional<Path> checkpoint = run.checkpoint();
            if (checkpoint.isPresent()) {
                try {
                    checkpointBytes = java.nio.file.Files.size(checkpoint.get());
                } catch (java.io.IOException e) {
                    throw JsonFiles.problem(run.dir(), "cannot read the size of its checkpoint: " + e.getMessage());
                }
            }
            return new RunData(run.dir(), config, metrics, summary, depth, run.probes(), checkpointBytes,
                    end.compression());
        } catch (DamagedRunException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The splits whose depths are worth showing, best first: out-of-distribution splits (name contains {@code ood}),
     * then the other shifted (edge) splits, then {@code test-id}; each group in {@code final.json} order.
     */
    static List<String> depthSplitOrder(FinalSummary summary) {
        List<String> order = new ArrayList<>();
        summary.splits().keySet().stream().filter(s -> s.contains("ood")).forEach(order::add);
        summary.splits().keySet().stream().filter(s -> !order.contains(s) && FinalSummary.isShifted(s))
                .forEach(order::add);
        summary.splits().keySet().stream().filter(s -> !order.contains(s)).forEach(order::add);
        return order;
    }

    /** The run id. */
    public String id() {
        return config.id();
    }
}
