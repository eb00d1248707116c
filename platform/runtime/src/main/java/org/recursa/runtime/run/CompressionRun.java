package org.recursa.runtime.run;

import static org.recursa.runtime.run.Experiment.entry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ExtensionKind;
import org.recursa.api.Setting;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.compress.Uptraining;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.model.WeightSet;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.ExtensionRegistry;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.StartedBundle;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Encoding;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.Progress;
import org.recursa.runtime.train.TrainSettings;
import org.recursa.runtime.train.Trainer;
import org.recursa.runtime.train.TrainingSet;

/**
 * {@code recursa compress} (docs/compression.md): compresses a stored run's model with a {@link Compressor}, uptrains
 * it when asked, and records it as a new run derived from the parent ({@link RunStore#derive}) with its own
 * checkpoint, evaluated on every split with the parent's sampler. {@link #prepare} loads, compresses and checks
 * everything and writes nothing; {@link #execute} uptrains, saves, evaluates and writes.
 */
public final class CompressionRun {

    /** The tag that marks a compressed run; its value is the compressor. */
    public static final String TAG = "compress";
    /** Training sequences a compressor is given to calibrate on. */
    static final int CALIBRATION_EXAMPLES = 256;
    private static final String UPTRAIN = "uptrain.";

    /**
     * What the user asked for.
     *
     * @param compressor the compressor id
     * @param settings   {@code --set} pairs: {@code compressor.KEY} or a bare key of the compressor, and
     *                   {@code uptrain.steps} / {@code uptrain.lr}
     * @param tags       tags to add to the parent's
     * @param note       a note, or null to keep the parent's
     */
    public record Request(String compressor, Map<String, String> settings, Map<String, String> tags, String note) {

        /** Copies the maps and checks the tag keys. */
        public Request {
            settings = Map.copyOf(settings);
            tags = Map.copyOf(tags);
            RunRequest.checkTagKeys(tags);
        }
    }

    /**
     * A compression done in memory, checked and ready to uptrain, save and evaluate.
     *
     * @param parent          the run compressed
     * @param task            the installed task, with the parent's settings
     * @param target          the architecture of the compressed model, with the settings the compressor chose
     * @param sampler         the parent's sampler and settings
     * @param compressor      the compressor and its resolved settings
     * @param uptraining      the uptraining to run
     * @param train           the trainer's settings for the uptraining (the parent's, with its steps and rate)
     * @param source          the parent's model as the compressor saw it
     * @param compression     what the compressor returned
     * @param model           the compressed model, built by the target architecture and holding its weights
     * @param bound           the task bound to the parent's settings and mode
     * @param training        the parent's training set, redrawn
     * @param evaluation      every split's examples, as the parent drew them
     * @param bundles         every bundle started in the host, for the new run's provenance
     * @param compressSeconds time the compressor took
     * @param tags            the new run's tags: the parent's, {@value #TAG}, and the request's
     * @param note            the new run's note
     */
    public record Prepared(TrainedRun parent, Experiment.Component<Task> task,
                           Experiment.Component<org.recursa.api.model.Architecture> target,
                           Experiment.Component<Sampler> sampler, Experiment.Component<Compressor> compressor,
                           Uptraining uptraining, Config train, ModelSnapshot source, Compression compression,
                           TrainableModel model, BoundTask bound, TrainingSet training,
                           Map<String, List<Example>> evaluation, List<StartedBundle> bundles,
                           double compressSeconds, Map<String, String> tags, String note) {
    }

    /**
     * What a compression recorded.
     *
     * @param id          the new run's id
     * @param dir         its directory
     * @param status      finished or interrupted
     * @param compression what it saved
     * @param splits      per split, what it recorded in {@code final.json}
     */
    public record Result(String id, Path dir, String status, FinalRecord.Compression compression,
                         Map<String, FinalRecord.SplitResult> splits) {
    }

    private CompressionRun() {
    }

    /**
     * Checks the request against the run and the installed extensions, loads the run's model, compresses it and
     * checks what the compressor returned. Writes nothing.
     *
     * @throws UsageException   one line naming an unknown compressor or setting, a bad value, a compressor that does
     *                          not apply to the run's model or rejects its settings, or a sampler that cannot decode
     *                          the compressed model
     * @throws RecursaException one line when the run has not ended or saved no weights, or when the compressor
     *                          returns a model its architecture does not build
     */
    public static Prepared prepare(RecursaHost host, StoredRun run, Request request) {
        ExtensionRegistry registry = host.registry();
        Compressor compressor = registry.require(Compressor.class, request.compressor());
        Split settings = split(compressor, request.settings());
        Config compressorSettings = Experiment.guard("compressor " + compressor.id(),
                () -> compressor.schema().resolve(settings.compressor()));
        TrainedRun parent = TrainedRun.of(run, "compress", "compressed");
        BoundTask bound = parent.task(registry);
        TrainableModel parentModel = parent.model(registry, bound);
        Config parentTrain = parentTrain(parent);
        Uptraining uptraining = uptraining(settings.uptrain(), parentTrain);
        ModelSnapshot source = snapshot(parent, registry, parentModel);
        compressor.unsupportedReason(source, compressorSettings, uptraining).ifPresent(reason -> {
            throw new UsageException("compressor '" + compressor.id() + "' cannot compress run " + run.id() + ": "
                    + reason);
        });
        TrainingSet training = parent.training(bound);
        HostCompressionContext context = new HostCompressionContext(registry, new ModelSpec(
                parentModel.info().vocabularySize(), parentModel.info().maxLength(), parent.config().seed()),
                calibration(bound, training), uptraining);
        long started = System.nanoTime();
        Compression compression = Experiment.guard("compressor " + compressor.id(),
                () -> compressor.compress(source, compressorSettings, context));
        double compressSeconds = (System.nanoTime() - started) / 1e9;
        if (compression == null) {
            throw new RecursaException("compressor '" + compressor.id() + "' returned no compression");
        }
        if (uptraining.isActive() && SparseWeights.hasInt8(compression.model().weights())) {
            throw new UsageException("compressor '" + compressor.id() + "' stores weights as int8, which uptraining "
                    + "would move off their grid; drop uptrain.steps or uptrain before quantising");
        }
        TrainableArchitecture target = targetArchitecture(compressor, context, compression.model());
        Config targetSettings = targetSettings(compressor, target, compression.model());
        TrainableModel model = load(compressor, context, target, targetSettings, compression.model());
        Sampler sampler = registry.require(Sampler.class, parent.config().sampler().id());
        Config samplerSettings = TrainedRun.settings(parent.config().sampler(), sampler.schema());
        sampler.unsupportedReason(model.info(), samplerSettings).ifPresent(reason -> {
            throw new UsageException("the run's sampler '" + sampler.id() + "' cannot decode the compressed "
                    + target.id() + " model: " + reason);
        });
        Map<String, String> tags = new TreeMap<>(parent.config().tags());
        tags.put(TAG, compressor.id());
        tags.putAll(request.tags());
        return new Prepared(parent,
                new Experiment.Component<>(entry(registry, ExtensionKind.TASK, bound.task().id()), bound.task(),
                        bound.config()),
                new Experiment.Component<>(entry(registry, ExtensionKind.ARCHITECTURE, target.id()), target,
                        targetSettings),
                new Experiment.Component<>(entry(registry, ExtensionKind.SAMPLER, sampler.id()), sampler,
                        samplerSettings),
                new Experiment.Component<>(entry(registry, ExtensionKind.COMPRESSOR, compressor.id()), compressor,
                        compressorSettings),
                uptraining, uptrainSettings(parentTrain, uptraining), source, compression, model, bound, training,
                parent.evaluationSets(bound, training), host.plugins().started(), compressSeconds, tags,
                request.note() != null ? request.note() : parent.config().note());
    }

    /** The compressor's settings and the uptraining keys of a request. */
    private record Split(Map<String, String> compressor, Map<String, String> uptrain) {
    }

    /**
     * Sorts {@code --set} pairs into the compressor's ({@code compressor.KEY} or a bare key it has) and the
     * uptraining's ({@code uptrain.steps}, {@code uptrain.lr}); any other key is a usage error naming both.
     */
    static Split split(Compressor compressor, Map<String, String> settings) {
        TreeSet<String> keys = new TreeSet<>();
        compressor.schema().settings().stream().map(Setting::key).forEach(keys::add);
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> uptrain = new LinkedHashMap<>();
        new TreeMap<>(settings).forEach((key, value) -> {
            if (key.equals(UPTRAIN + "steps") || key.equals(UPTRAIN + "lr")) {
                uptrain.put(key.substring(UPTRAIN.length()), value);
                return;
            }
            String bare = key.startsWith("compressor.") ? key.substring("compressor.".length()) : key;
            if (!keys.contains(bare)) {
                throw new UsageException("unknown setting '" + key + "'; recursa compress takes uptrain.steps, "
                        + "uptrain.lr and " + (keys.isEmpty() ? "no setting of compressor '" + compressor.id() + "'"
                        : "compressor '" + compressor.id() + "' settings: " + String.join(", ", keys)));
            }
            own.put(bare, value);
        });
        return new Split(own, uptrain);
    }

    /** The parent's trainer settings, which the uptraining starts from. */
    private static Config parentTrain(TrainedRun parent) {
        try {
            return TrainSettings.SCHEMA.resolve(TrainedRun.strings(parent.config().train()));
        } catch (ConfigException e) {
            throw new RecursaException("run " + parent.run().id() + " records trainer settings this Recursa does not "
                    + "read (" + e.getMessage() + "), so it cannot be uptrained from", e);
        }
    }

    /** {@code uptrain.steps} (default 0) and {@code uptrain.lr} (default: the parent's peak rate). */
    private static Uptraining uptraining(Map<String, String> settings, Config parentTrain) {
        int steps = parse("uptrain.steps", settings.get("steps"), 0, "an integer from 0 to 1000000",
                Integer::parseInt);
        double rate = parse("uptrain.lr", settings.get("lr"), parentTrain.getDouble("lr"),
                "a number in (0, 1]", Double::parseDouble);
        if (steps < 0 || steps > 1_000_000) {
            throw new UsageException("uptrain.steps must be an integer from 0 to 1000000, got " + steps);
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new UsageException("uptrain.lr must be a number in (0, 1], got " + settings.get("lr"));
        }
        if (steps == 0 && settings.containsKey("lr")) {
            throw new UsageException("uptrain.lr is only used with uptrain.steps > 0; set uptrain.steps too");
        }
        return new Uptraining(steps, rate);
    }

    private static <T> T parse(String key, String value, T fallback, String expected,
                               java.util.function.Function<String, T> parser) {
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be " + expected + ", got '" + value + "'");
        }
    }

    /**
     * The uptraining's trainer settings: the parent's, with the budget's steps and rate, a warmup of at most a tenth
     * of the steps, an evaluation at least at the end, and no depth curriculum or every-step supervision (the
     * compressed model may be of another architecture).
     */
    private static Config uptrainSettings(Config parentTrain, Uptraining uptraining) {
        Map<String, String> train = TrainedRun.strings(parentTrain.asMap());
        if (!uptraining.isActive()) {
            return parentTrain;
        }
        train.put("steps", Integer.toString(uptraining.steps()));
        train.put("lr", Double.toString(uptraining.learningRate()));
        train.put("warmup", Integer.toString(Math.min(parentTrain.getInt("warmup"), uptraining.steps() / 10)));
        train.put("eval_every", Integer.toString(Math.min(parentTrain.getInt("eval_every"), uptraining.steps())));
        train.put("depth_curriculum", "none");
        train.put("supervision", "final");
        return TrainSettings.SCHEMA.resolve(train);
    }

    /** The parent's model as a compressor sees it: its checkpoint's weights, in their stored form. */
    private static ModelSnapshot snapshot(TrainedRun parent, ExtensionRegistry registry, TrainableModel model) {
        TrainableArchitecture architecture = registry.require(TrainableArchitecture.class,
                parent.config().architecture().id());
        Config settings = TrainedRun.settings(parent.config().architecture(), architecture.schema());
        try {
            WeightSet weights = Checkpoint.read(parent.checkpoint()).weights();
            return new ModelSnapshot(architecture.id(), settings.asMap(), model.info(), weights);
        } catch (IOException e) {
            throw new RecursaException(e.getMessage(), e);
        }
    }

    /** The first training sequences, encoded as the model reads them. */
    private static List<int[]> calibration(BoundTask bound, TrainingSet training) {
        List<int[]> sequences = new ArrayList<>();
        for (Example example : training.examples()) {
            if (sequences.size() == CALIBRATION_EXAMPLES) {
                break;
            }
            sequences.add(Encoding.sequence(bound.vocabulary(), example));
        }
        return sequences;
    }

    private static TrainableArchitecture targetArchitecture(Compressor compressor, HostCompressionContext context,
                                                            ModelSnapshot model) {
        try {
            return context.architecture(model.architecture());
        } catch (ConfigException e) {
            throw new RecursaException("compressor '" + compressor.id() + "' returned a model of architecture '"
                    + model.architecture() + "', which is not installed", e);
        }
    }

    private static Config targetSettings(Compressor compressor, TrainableArchitecture target, ModelSnapshot model) {
        try {
            return target.schema().resolve(TrainedRun.strings(model.settings()));
        } catch (ConfigException e) {
            throw new RecursaException("compressor '" + compressor.id() + "' returned settings that architecture '"
                    + target.id() + "' rejects: " + e.getMessage(), e);
        }
    }

    /** Builds the compressed model and loads its weights; weights that do not fit are the compressor's fault. */
    private static TrainableModel load(Compressor compressor, HostCompressionContext context,
                                       TrainableArchitecture target, Config settings, ModelSnapshot model) {
        try {
            TrainableModel built = target.build(context.spec(), settings);
            built.parameters().assign(model.weights());
            return built;
        } catch (IllegalArgumentException e) {      // a ConfigException too: the compressor chose the settings
            throw new RecursaException("compressor '" + compressor.id() + "' returned weights that do not fit "
                    + target.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Uptrains (when asked), saves the compressed model's checkpoint in the compressor's storage, evaluates every
     * split with the parent's sampler and records the new run, derived from the parent, in {@code store}. An error
     * records the run as failed with the reason; {@code stop} during uptraining records it as interrupted, with the
     * weights it had.
     *
     * @param stop polled between uptraining steps
     */
    public static Result execute(Prepared run, RunStore store, PrintStream out, boolean terminal,
                                 BooleanSupplier stop) {
        String label = run.parent().config().task().id() + "-" + run.target().entry().id() + "-"
                + run.compressor().entry().id();
        try (RunWriter writer = store.derive(run.parent().run().id(), RunRecords.config(run), label)) {
            SparseWeights sparse = new SparseWeights(run.compression().model().weights(), run.model().parameters());
            Trainer.Outcome outcome = Experiment.failing(writer, "uptraining", null, () -> uptrain(run, sparse, writer,
                    out, terminal, stop));
            WeightSet weights = outcome == null ? run.compression().model().weights()
                    : sparse.stored(run.model().parameters());
            Path checkpoint = Experiment.failing(writer, "saving the checkpoint", outcome, () -> writer.checkpoint(
                    file -> Checkpoint.save(file, run.target().entry().id(), run.target().settings().asMap(),
                            run.model().info().vocabularySize(), run.model().info().maxLength(), weights,
                            RunRecords.checkpointProvenance(writer.config(), outcome == null ? 0 : outcome.steps()))));
            boolean interrupted = outcome != null && outcome.interrupted();
            List<Evaluation.Result> splits = interrupted ? List.of() : Experiment.failing(writer, "evaluation",
                    outcome, () -> evaluate(run, writer, out));
            FinalRecord.Compression compression = record(run, weights, checkpoint, outcome);
            Map<String, FinalRecord.SplitResult> recorded = RunRecords.splits(splits);
            int steps = outcome == null ? 0 : outcome.steps();
            writer.finish(interrupted ? RunStatus.INTERRUPTED : RunStatus.FINISHED, steps, false,
                    outcome == null ? 0 : outcome.seconds(), recorded,
                    outcome == null ? null : RunRecords.training(outcome), null, compression);
            return new Result(writer.id(), writer.dir(), interrupted ? "interrupted" : "finished", compression,
                    recorded);
        }
    }

    private static Trainer.Outcome uptrain(Prepared run, SparseWeights sparse, RunWriter writer, PrintStream out,
                                           boolean terminal, BooleanSupplier stop) {
        if (!run.uptraining().isActive()) {
            return null;
        }
        TrainableModel model = run.model();
        TrainSettings settings = TrainSettings.of(run.train());
        Progress progress = new Progress(out, terminal, settings.steps());
        progress.note(String.format(Locale.ROOT, "uptraining %d steps at lr %.3g", settings.steps(),
                settings.learningRate()));
        Trainer trainer = new Trainer(model, run.bound(), run.training(), run.sampler().extension(),
                run.sampler().settings(), settings, run.parent().config().seed());
        return trainer.run(new RecordedTraining(progress, writer, () -> sparse.apply(model.parameters())), stop);
    }

    private static List<Evaluation.Result> evaluate(Prepared run, RunWriter writer, PrintStream out) {
        Map<String, Object> context = Map.of("run", writer.id(), "task", run.task().entry().id(),
                "arch", run.target().entry().id(), "mode", run.bound().mode().id());
        return SplitEvaluation.run(run.model(), run.bound(), run.sampler().extension(), run.sampler().settings(),
                run.evaluation(), run.parent().config().seed(), writer, context, line -> {
                    out.println(line);
                    out.flush();
                });
    }

    private static FinalRecord.Compression record(Prepared run, WeightSet weights, Path checkpoint,
                                                  Trainer.Outcome outcome) {
        try {
            return new FinalRecord.Compression(run.source().weights().parameters(), weights.parameters(),
                    run.source().weights().storageBytes(), weights.storageBytes(),
                    Files.size(run.parent().checkpoint()), Files.size(checkpoint),
                    run.compression().report().summary(), run.compression().report().measures(),
                    outcome == null ? 0 : outcome.steps(), outcome == null ? 0 : outcome.seconds(),
                    run.compressSeconds());
        } catch (IOException e) {
            throw new RecursaException("cannot read the size of a checkpoint: " + e.getMessage(), e);
        }
    }
}
