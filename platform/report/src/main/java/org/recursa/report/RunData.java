package org.recursa.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the report reads from one run directory: {@code config.json}, {@code metrics.jsonl},
 * {@code final.json}, and the per-token depths of one artifact file.
 *
 * @param dir     the run directory
 * @param config  from {@code config.json}
 * @param metrics from {@code metrics.jsonl}
 * @param summary from {@code final.json}
 * @param depth   depths of the preferred split ({@link #depthSplitOrder}); empty when the run has no artifact files
 */
public record RunData(Path dir, RunConfig config, Metrics metrics, FinalSummary summary, Optional<DepthTraces> depth) {

    /** Examples per depth heat map. */
    public static final int DEPTH_ROWS = 32;

    /**
     * Reads a run directory. Nothing is cached; every file is parsed whole, so a damaged file is reported here and
     * not halfway through writing a report.
     *
     * @throws IllegalArgumentException {@code <path>: <what is wrong>} for a missing directory or a missing or
     *                                  damaged file
     */
    public static RunData read(Path dir) {
        if (!Files.exists(dir)) {
            throw JsonFiles.problem(dir, "no such run directory");
        }
        if (!Files.isDirectory(dir)) {
            throw JsonFiles.problem(dir, "not a directory");
        }
        RunConfig config = RunConfig.read(dir.resolve(RunConfig.FILE));
        Metrics metrics = Metrics.read(dir.resolve(Metrics.FILE));
        FinalSummary summary = FinalSummary.read(dir.resolve(FinalSummary.FILE));
        Optional<DepthTraces> depth = Optional.empty();
        for (String split : depthSplitOrder(summary)) {
            Path file = DepthTraces.file(dir, split);
            if (Files.isRegularFile(file)) {
                depth = Optional.of(DepthTraces.read(file, split, DEPTH_ROWS));
                break;
            }
        }
        return new RunData(dir, config, metrics, summary, depth);
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
