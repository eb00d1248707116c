package org.recursa.runtime.run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.kernel.Blas;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.Trainer;

/**
 * The JSON documents of a run directory (documented in docs/runs.md). Everything needed to reproduce a run
 * is in {@code config.json}: resolved settings of every component, the bundles and versions that supplied
 * them, the seed, and the platform.
 */
final class RunRecords {

    private RunRecords() {
    }

    static Map<String, Object> config(String id, Experiment.Prepared run) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", id);
        config.put("started_at", Instant.now().toString());
        config.put("seed", run.request().seed());
        config.put("mode", run.request().mode().id());
        config.put("tags", new java.util.TreeMap<>(run.request().tags()));
        if (run.request().note() != null) {
            config.put("note", run.request().note());
        }
        config.put("task", component(run.task()));
        config.put("architecture", component(run.architecture()));
        config.put("sampler", component(run.sampler()));
        config.put("train", run.train().asMap());
        ModelInfo info = run.model().info();
        config.put("model", Map.of("parameters", info.parameters(), "unique_layers", info.uniqueLayers(),
                "effective_layers", info.effectiveLayers(), "flops_per_token", info.flopsPerToken(),
                "vocabulary_size", info.vocabularySize(), "max_length", info.maxLength()));
        config.put("platform", Map.of(
                "api", RecursaHost.exportedVersion("org.recursa.api").orElse("unknown"),
                "java", Runtime.version().toString(),
                "java_vendor", System.getProperty("java.vendor"),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "arch", System.getProperty("os.arch"),
                "cores", Runtime.getRuntime().availableProcessors(),
                "blas", Blas.library()));
        return config;
    }

    private static Map<String, Object> component(Experiment.Component<?> component) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", component.entry().id());
        map.put("bundle", component.entry().bundle().symbolicName());
        map.put("version", component.entry().bundle().version());
        map.put("settings", component.settings().asMap());
        return map;
    }

    static Map<String, Object> step(Trainer.StepMetrics metrics) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", "step");
        record.put("step", metrics.step());
        record.put("loss", metrics.loss());
        record.put("task_loss", metrics.taskLoss());
        metrics.auxLosses().forEach((name, value) -> record.put("loss_" + name, value));
        record.put("lr", metrics.learningRate());
        record.put("grad_norm", metrics.gradientNorm());
        record.put("tokens_per_s", metrics.tokensPerSecond());
        metrics.stats().forEach(record::put);
        return record;
    }

    static Map<String, Object> eval(int step, Evaluation.Result result) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", "eval");
        record.put("step", step);
        record.put("split", result.split());
        record.put("token_acc", result.tokenAccuracy());
        record.put("seq_acc", result.sequenceAccuracy());
        return record;
    }

    static Map<String, Object> result(String status, Trainer.Outcome outcome, List<Evaluation.Result> splits) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("status", status);
        record.put("finished_at", Instant.now().toString());
        record.put("steps", outcome.steps());
        record.put("stopped_early", outcome.stoppedEarly());
        record.put("seconds", outcome.seconds());
        Map<String, Object> bySplit = new LinkedHashMap<>();
        for (Evaluation.Result split : splits) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("examples", split.examples());
            summary.put("token_acc", split.tokenAccuracy());
            summary.put("seq_acc", split.sequenceAccuracy());
            if (split.judgements().stream().anyMatch(j -> j.trace() != null)) {
                summary.put("trace_valid", split.judgements().stream()
                        .filter(j -> j.trace() != null && j.trace().reachesAnswer()).count() / (double) split.examples());
            }
            Map<String, Object> byFeature = new LinkedHashMap<>();
            Breakdown.of(split).forEach((feature, cells) -> {
                Map<String, Object> values = new LinkedHashMap<>();
                cells.forEach((value, cell) -> values.put(Integer.toString(value), Map.of("examples", cell.examples(),
                        "token_acc", cell.tokenAccuracy(), "seq_acc", cell.sequenceAccuracy())));
                byFeature.put(feature, values);
            });
            summary.put("by_feature", byFeature);
            bySplit.put(split.split(), summary);
        }
        record.put("splits", bySplit);
        return record;
    }

    static Map<String, Object> failed(Exception e) {
        return Map.of("status", "failed", "finished_at", Instant.now().toString(), "error", String.valueOf(e));
    }
}
