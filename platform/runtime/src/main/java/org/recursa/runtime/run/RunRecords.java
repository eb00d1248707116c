package org.recursa.runtime.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.host.EngineDescription;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.Provenance;
import org.recursa.runstore.RunConfig;
import org.recursa.runtime.RecursaBuild;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.StartedBundle;
import org.recursa.runtime.train.EvalSettings;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.Trainer;

/**
 * What a run records, built from the runtime's objects for the run store (docs/runs.md). Everything needed to
 * reproduce a run is in its config: resolved settings of every component, the bundles and versions that supplied
 * them, the seed, and the platform.
 */
final class RunRecords {

    private RunRecords() {
    }

    /** The run's {@code config.json}; the store assigns its id, format and start time. */
    static RunConfig config(Experiment.Prepared run) {
        EngineDescription described = EngineDescription.describe();
        return new RunConfig(0, null, Instant.now().toString(), null, run.request().seed(),
                run.request().mode().id(), run.request().tags(), run.request().note(), component(run.task()),
                component(run.architecture()), component(run.sampler()), run.train().asMap(),
                model(run.model().info()), platform(described), provenance(List.of(run.task(), run.architecture(),
                        run.sampler()), run.bundles(), RecursaBuild.current(), described), run.eval().asMap());
    }

    /**
     * The {@code config.json} of an evaluation of a stored run ({@code recursa eval}); the store assigns its id,
     * format, start time and parent. Task, architecture and sampler are the installed extensions that evaluated,
     * with their settings; the trainer settings are the parent's, from which its examples are drawn; the evaluation
     * settings are the defaults (every split at the model's own depth); {@code model} also names the weights: the
     * parent's checkpoint and its SHA-256.
     */
    static RunConfig config(Reevaluation.Prepared run) {
        EngineDescription described = EngineDescription.describe();
        RunConfig parent = run.parent().config();
        Map<String, Object> model = model(run.model().info());
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("run", parent.id());
        weights.put("checkpoint", run.parent().run().dir().relativize(run.parent().checkpoint()).toString());
        weights.put("sha256", run.checkpointSha256());
        model.put("weights", weights);
        return new RunConfig(0, null, Instant.now().toString(), null, run.seed(), parent.mode(), run.tags(),
                run.note(), component(run.task()), component(run.architecture()), component(run.sampler()),
                parent.train(), model, platform(described), provenance(List.of(run.task(), run.architecture(),
                        run.sampler()), run.bundles(), RecursaBuild.current(), described),
                EvalSettings.SCHEMA.defaults().asMap());
    }

    /**
     * The {@code config.json} of a compression of a stored run ({@code recursa compress}); the store assigns its id,
     * format, start time and parent. The architecture is the compressed model's, with the settings the compressor
     * chose; task and sampler are the parent's; the trainer settings are those of the uptraining (the parent's when
     * there was none, from which the examples are drawn); {@code compressor} holds the compressor, its settings and
     * the uptraining asked for.
     */
    static RunConfig config(CompressionRun.Prepared run) {
        EngineDescription described = EngineDescription.describe();
        RunConfig parent = run.parent().config();
        Map<String, Object> settings = new LinkedHashMap<>(run.compressor().settings().asMap());
        settings.put("uptrain.steps", run.uptraining().steps());
        settings.put("uptrain.lr", run.uptraining().learningRate());
        Component compressor = new Component(run.compressor().entry().id(),
                run.compressor().entry().bundle().symbolicName(), run.compressor().entry().bundle().version(),
                settings);
        return new RunConfig(0, null, Instant.now().toString(), null, parent.seed(), parent.mode(), run.tags(),
                run.note(), component(run.task()), component(run.target()), component(run.sampler()),
                run.train().asMap(), model(run.model().info()), platform(described), provenance(List.of(run.task(),
                        run.target(), run.sampler(), run.compressor()), run.bundles(), RecursaBuild.current(),
                        described), EvalSettings.SCHEMA.defaults().asMap(), compressor);
    }

    private static Map<String, Object> model(ModelInfo info) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("parameters", info.parameters());
        model.put("unique_layers", info.uniqueLayers());
        model.put("effective_layers", info.effectiveLayers());
        model.put("flops_per_token", info.flopsPerToken());
        model.put("vocabulary_size", info.vocabularySize());
        model.put("max_length", info.maxLength());
        return model;
    }

    private static Map<String, Object> platform(EngineDescription described) {
        Map<String, Object> platform = new LinkedHashMap<>();
        // every API package by its own version: they move separately (model 0.4.0 beside the root package's 0.1.0)
        Map<String, String> api = new java.util.TreeMap<>();
        RecursaHost.exportedRecursaPackages().forEach((name, version) -> {
            if (name.equals("org.recursa.api") || name.startsWith("org.recursa.api.")) {
                api.put(name, version);
            }
        });
        platform.put("api", api);
        platform.put("java", Runtime.version().toString());
        platform.put("java_vendor", System.getProperty("java.vendor"));
        platform.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        platform.put("arch", System.getProperty("os.arch"));
        platform.put("cores", Runtime.getRuntime().availableProcessors());
        platform.put("blas", described.blas());
        platform.put("products", described.products());
        return platform;
    }

    /**
     * What produced the run: the Recursa build, every bundle the host had started with the hash of the bytes it
     * installed and the components it supplied, Recursa's packages as the host exported them, and the engine.
     */
    static Provenance provenance(List<Experiment.Component<?>> components, List<StartedBundle> started,
                                 RecursaBuild build, EngineDescription described) {
        Map<Long, List<String>> supplies = new HashMap<>();
        for (Experiment.Component<?> component : components) {
            supplies.computeIfAbsent(component.entry().bundle().id(), id -> new ArrayList<>())
                    .add(component.entry().kind().label());
        }
        List<Provenance.Bundle> bundles = new ArrayList<>();
        for (StartedBundle bundle : started) {
            bundles.add(new Provenance.Bundle(bundle.bundle().symbolicName(), bundle.bundle().version(),
                    bundle.sha256() == null ? Provenance.UNKNOWN : bundle.sha256(),
                    supplies.getOrDefault(bundle.bundle().id(), List.of())));
        }
        return new Provenance(new Provenance.Platform(build.version(), build.commit(), build.commitTime(),
                build.dirty()), bundles, RecursaHost.exportedRecursaPackages(), new Provenance.Engine(
                described.precision(),
                new Provenance.Adam(described.adamBeta1(), described.adamBeta2(), described.adamEps()),
                new Provenance.Init(described.initStd(), described.residualProjectionStd(), described.normalInit()),
                described.layerNormEps(), described.blas(), described.products(), described.kernelThreads(),
                described.nd4j(),
                described.javacpp(), described.openblas(), described.java(), described.javaVendor(), described.os(),
                described.arch()));
    }

    /**
     * The checkpoint header's provenance: the run, its steps and seed, and the run's whole provenance, so that a
     * checkpoint copied out of its run directory still says what produced it (docs/checkpoints.md).
     */
    static Map<String, Object> checkpointProvenance(RunConfig config, int steps) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("run", config.id());
        provenance.put("steps", steps);
        provenance.put("seed", config.seed());
        if (config.provenance() != null) {
            provenance.putAll(config.provenance().toMap());
        }
        return provenance;
    }

    private static Component component(Experiment.Component<?> component) {
        return new Component(component.entry().id(), component.entry().bundle().symbolicName(),
                component.entry().bundle().version(), component.settings().asMap());
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
        if (metrics.depth() > 0) {
            record.put("depth", metrics.depth());     // after the model's stats: the depth the trainer asked for
        }
        return record;
    }

    /** What training computed, for {@code final.json}; the depth stages only when a curriculum varied the depth. */
    static FinalRecord.Training training(Trainer.Outcome outcome) {
        Map<String, Integer> stages = new LinkedHashMap<>();
        outcome.depthSteps().forEach((depth, steps) -> stages.put(Integer.toString(depth), steps));
        return new FinalRecord.Training(outcome.flops(), outcome.fullDepthFlops(), stages.size() > 1 ? stages : null);
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

    /** Per split, the numbers {@code final.json} records (docs/runs.md). */
    static Map<String, FinalRecord.SplitResult> splits(List<Evaluation.Result> splits) {
        Map<String, FinalRecord.SplitResult> bySplit = new LinkedHashMap<>();
        for (Evaluation.Result split : splits) {
            Map<String, Map<String, FinalRecord.Cell>> byFeature = new LinkedHashMap<>();
            Breakdown.of(split).forEach((feature, cells) -> {
                Map<String, FinalRecord.Cell> values = new LinkedHashMap<>();
                cells.forEach((value, cell) -> values.put(Integer.toString(value), new FinalRecord.Cell(
                        cell.examples(), cell.tokenAccuracy(), cell.sequenceAccuracy())));
                byFeature.put(feature, values);
            });
            int distinct = split.distinctInputs();
            double perInput = split.distinctSequenceAccuracy();
            bySplit.put(split.split(), new FinalRecord.SplitResult(split.examples(), split.tokenAccuracy(),
                    split.sequenceAccuracy(), split.traceValid(), byFeature, distinct,
                    FinalRecord.Interval.wilson(split.sequenceAccuracy() * split.examples(), split.examples()),
                    perInput, FinalRecord.Interval.wilson(perInput * distinct, distinct), decoding(split.decoding())));
        }
        return bySplit;
    }

    /** The decoding figures {@code final.json} records; FLOPs and depth only where the sampler recorded them. */
    static FinalRecord.Decoding decoding(Evaluation.Decoding decoding) {
        double depth = decoding.averageDepth();
        return new FinalRecord.Decoding(decoding.tokensPerSecond(), decoding.generatedTokens(), decoding.modelCalls(),
                decoding.flops() > 0 ? decoding.flops() : null, Double.isNaN(depth) ? null : depth);
    }
}
