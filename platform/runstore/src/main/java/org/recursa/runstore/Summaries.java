package org.recursa.runstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives a run's {@link SummaryRecord} from its other records: the one place that decides which params and
 * metrics a run has. Params are the flattened settings ({@code task}, {@code arch}, {@code sampler}, {@code mode},
 * {@code seed}, {@code task.*}, {@code arch.*}, {@code sampler.*}, {@code train.*}, the bundle versions). Metrics
 * are {@code seq_acc_<split>} and {@code token_acc_<split>} per split (dashes become underscores), their means over
 * the out-of-distribution splits ({@code seq_acc_ood}, {@code token_acc_ood}; a split is OOD when its name starts
 * with {@code test-ood}), {@code trace_valid_<split>} in trace mode; where the run recorded them,
 * {@code distinct_inputs_<split>}, {@code seq_acc_distinct_<split>} (accuracy with each distinct input counted once)
 * and {@code seq_acc_low_<split>} / {@code seq_acc_high_<split>} (the Wilson 95% interval of {@code seq_acc}); where
 * the run recorded its decoding, {@code tokens_per_s_<split>} and {@code model_calls_<split>}, and where the sampler
 * recorded them {@code flops_<split>} and {@code avg_depth_<split>}; and
 * {@code steps}, {@code seconds}, {@code final_loss}, {@code tokens_per_s}, {@code parameters},
 * {@code flops_per_token}; where the run recorded them, {@code train_flops} and {@code train_flops_full_depth} (what
 * training computed, and at full depth) and {@code seq_acc_<split>_depth_<d>} per inference depth
 * ({@code eval.recursions}). Params also hold {@code eval.*}.
 */
final class Summaries {

    /**
     * What the summary needs from the progress log, kept up to date by the writer as it appends.
     *
     * @param steps           step records seen
     * @param lastLoss        the last step's loss (NaN before the first)
     * @param tokensPerSecond sum of the steps' tokens per second
     */
    record ProgressStats(int steps, double lastLoss, double tokensPerSecond) {

        static final ProgressStats NONE = new ProgressStats(0, Double.NaN, 0);

        ProgressStats plus(double loss, double speed) {
            return new ProgressStats(steps + 1, loss, tokensPerSecond + speed);
        }

        static ProgressStats of(ProgressLog log) {
            ProgressStats stats = NONE;
            for (ProgressLog.Step step : log.steps()) {
                stats = stats.plus(step.loss(), step.values().getOrDefault("tokens_per_s", 0.0));
            }
            return stats;
        }
    }

    private Summaries() {
    }

    static SummaryRecord derive(RunConfig config, FinalRecord end, ProgressStats progress, RunStatus status,
                                String reason, List<String> artifacts) {
        Map<String, String> tags = new TreeMap<>(config.tags());
        if (config.note() != null) {
            tags.put("note", config.note());
        }
        Long endTime = end == null ? null : java.time.Instant.parse(end.finishedAt()).toEpochMilli();
        return new SummaryRecord(RunFormat.VERSION, config.id(), status.id(), reason, id(config.task()),
                id(config.architecture()), config.startMillis(), endTime, config.parent(), params(config),
                metrics(config, end, progress), tags, artifacts);
    }

    private static String id(Component component) {
        return component == null ? "" : component.id();
    }

    private static Map<String, String> params(RunConfig config) {
        Map<String, String> params = new TreeMap<>();
        params.put("task", id(config.task()));
        params.put("arch", id(config.architecture()));
        params.put("sampler", id(config.sampler()));
        params.put("mode", config.mode());
        params.put("seed", Long.toString(config.seed()));
        flatten("task", config.task() == null ? Map.of() : config.task().settings(), params);
        flatten("arch", config.architecture() == null ? Map.of() : config.architecture().settings(), params);
        flatten("sampler", config.sampler() == null ? Map.of() : config.sampler().settings(), params);
        flatten("train", config.train(), params);
        flatten("eval", config.eval(), params);
        params.put("task_version", config.task() == null || config.task().version() == null ? ""
                : config.task().version());
        params.put("arch_version", config.architecture() == null || config.architecture().version() == null ? ""
                : config.architecture().version());
        if (config.parent() != null) {
            params.put("parent", config.parent());
        }
        if (config.compressor() != null) {
            params.put("compressor", config.compressor().id());
            flatten("compressor", config.compressor().settings(), params);
        }
        return params;
    }

    /**
     * A compressed run's sizes: {@code checkpoint_bytes} and {@code compression_ratio} (the parent's checkpoint over
     * this one's), the weights' {@code weight_bytes}, and the compressor's measures as {@code compression_<name>}.
     */
    private static void compression(FinalRecord.Compression compression, Map<String, Double> metrics) {
        if (compression == null) {
            return;
        }
        metrics.put("checkpoint_bytes", (double) compression.checkpointBytes());
        metrics.put("compression_ratio", compression.checkpointRatio());
        metrics.put("weight_bytes", (double) compression.bytesAfter());
        metrics.put("uptrain_steps", (double) compression.uptrainSteps());
        compression.measures().forEach((name, value) -> metrics.put("compression_" + name, value));
    }

    /** A split's decoding figures: speed and model calls always, FLOPs and depth where the sampler recorded them. */
    private static void decoding(String key, FinalRecord.Decoding decoding, Map<String, Double> metrics) {
        if (decoding == null) {
            return;
        }
        metrics.put("tokens_per_s_" + key, decoding.tokensPerS());
        metrics.put("model_calls_" + key, (double) decoding.modelCalls());
        if (decoding.flops() != null) {
            metrics.put("flops_" + key, decoding.flops().doubleValue());
        }
        if (decoding.avgDepth() != null) {
            metrics.put("avg_depth_" + key, decoding.avgDepth());
        }
    }

    private static void flatten(String prefix, Map<String, Object> settings, Map<String, String> out) {
        settings.forEach((key, value) -> out.put(prefix + "." + key, String.valueOf(value)));
    }

    private static Map<String, Double> metrics(RunConfig config, FinalRecord end, ProgressStats progress) {
        Map<String, Double> metrics = new TreeMap<>();
        if (config.model().get("parameters") instanceof Number parameters) {
            metrics.put("parameters", parameters.doubleValue());
        }
        if (config.model().get("flops_per_token") instanceof Number flops) {
            metrics.put("flops_per_token", flops.doubleValue());
        }
        if (progress.steps() > 0) {
            metrics.put("final_loss", progress.lastLoss());
            metrics.put("tokens_per_s", progress.tokensPerSecond() / progress.steps());
        }
        if (end == null) {
            return metrics;
        }
        if (end.steps() != null) {
            metrics.put("steps", end.steps().doubleValue());
        }
        if (end.seconds() != null) {
            metrics.put("seconds", end.seconds());
        }
        List<Double> oodSeq = new ArrayList<>();
        List<Double> oodToken = new ArrayList<>();
        end.splits().forEach((split, result) -> {
            String key = split.replace('-', '_').toLowerCase(Locale.ROOT);
            metrics.put("seq_acc_" + key, result.seqAcc());
            metrics.put("token_acc_" + key, result.tokenAcc());
            if (result.traceValid() != null) {
                metrics.put("trace_valid_" + key, result.traceValid());
            }
            if (result.distinctInputs() != null) {
                metrics.put("distinct_inputs_" + key, result.distinctInputs().doubleValue());
            }
            if (result.seqAccDistinct() != null) {
                metrics.put("seq_acc_distinct_" + key, result.seqAccDistinct());
            }
            if (result.seqAccInterval() != null) {
                metrics.put("seq_acc_low_" + key, result.seqAccInterval().low());
                metrics.put("seq_acc_high_" + key, result.seqAccInterval().high());
            }
            decoding(key, result.decoding(), metrics);
            if (split.startsWith("test-ood")) {
                oodSeq.add(result.seqAcc());
                oodToken.add(result.tokenAcc());
            }
        });
        if (!oodSeq.isEmpty()) {
            metrics.put("seq_acc_ood", oodSeq.stream().mapToDouble(Double::doubleValue).average().orElse(0));
            metrics.put("token_acc_ood", oodToken.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        }
        if (end.training() != null) {
            metrics.put("train_flops", end.training().flops());
            metrics.put("train_flops_full_depth", end.training().fullDepthFlops());
        }
        if (end.depths() != null) {
            end.depths().forEach((depth, splits) -> splits.forEach((split, result) -> metrics.put("seq_acc_"
                    + split.replace('-', '_').toLowerCase(Locale.ROOT) + "_depth_" + depth, result.seqAcc())));
        }
        compression(end.compression(), metrics);
        return metrics;
    }
}
