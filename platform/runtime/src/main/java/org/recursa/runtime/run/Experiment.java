package org.recursa.runtime.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.ExtensionKind;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Architecture;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runtime.ExtensionEntry;
import org.recursa.runtime.ExtensionRegistry;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.StartedBundle;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Encoding;
import org.recursa.runtime.train.EvalSettings;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.HeldOut;
import org.recursa.runtime.train.Progress;
import org.recursa.runtime.train.TrainSettings;
import org.recursa.runtime.train.Trainer;
import org.recursa.runtime.train.TrainingSet;

/**
 * {@code recursa run}: resolves and checks everything first ({@link #prepare}, which writes nothing), then
 * trains, evaluates every split, and records the run in the run store ({@link #execute}).
 */
public final class Experiment {

    /**
     * A validated run, ready to execute.
     *
     * @param request      what was asked
     * @param task         the task and its resolved settings
     * @param architecture the architecture and its resolved settings
     * @param sampler      the sampler and its resolved settings
     * @param train        the trainer's settings
     * @param model        the freshly built model
     * @param evaluation   the examples of every split, generated up front
     * @param bound        the task bound to its settings and the run's mode
     * @param bundles      every bundle started in the host, with the hash of its jar, for the run's provenance
     * @param eval         the evaluation's settings ({@link EvalSettings})
     */
    public record Prepared(RunRequest request, Component<Task> task, Component<Architecture> architecture,
                           Component<Sampler> sampler, Config train, TrainableModel model, TrainingSet training,
                           Map<String, List<Example>> evaluation, BoundTask bound, List<StartedBundle> bundles,
                           Config eval) {

        /** Copies the bundles. */
        public Prepared {
            bundles = List.copyOf(bundles);
        }
    }

    /**
     * An extension chosen for a run with its settings.
     *
     * @param entry    the registry entry (extension and bundle)
     * @param settings resolved settings
     */
    public record Component<T>(ExtensionEntry entry, T extension, Config settings) {
    }

    /**
     * What a run produced.
     *
     * @param id      the run id
     * @param dir     the run directory
     * @param status  finished or interrupted
     * @param steps   optimiser steps taken
     * @param seconds training time
     * @param splits  final accuracy per split, in the task's split order
     * @param training what training computed ({@link FinalRecord.Training})
     * @param depths  results at other inference depths (depth, then split), or null when none was asked
     */
    public record Result(String id, Path dir, String status, int steps, double seconds,
                         List<Evaluation.Result> splits, FinalRecord.Training training,
                         Map<String, Map<String, FinalRecord.SplitResult>> depths) {
    }

    private static final long EVAL_STREAM = 0xBB67AE8584CAA73BL;

    private Experiment() {
    }

    /**
     * Resolves ids and settings in the host's registry, draws the training set and the evaluation sets (no evaluation
     * input is a training input: {@link HeldOut}), sizes and builds the model, and notes the bundles the host has
     * started. Writes nothing. The trainer settings it returns carry the training-set size actually drawn.
     *
     * @throws UsageException   with one line naming the bad id, setting or combination and the valid choices, or the
     *                          evaluation split that cannot be drawn outside the training set
     * @throws RecursaException with one line when the model cannot fit in memory ({@link MemoryBudget}) or an
     *                          architecture misbehaves
     */
    public static Prepared prepare(RecursaHost host, RunRequest request) {
        ExtensionRegistry registry = host.registry();
        RunCheck.Resolved resolved = RunCheck.resolve(registry, request);
        Task task = resolved.task();
        TrainableArchitecture architecture = resolved.architecture();
        Sampler sampler = resolved.sampler();
        Config archSettings = resolved.archSettings();
        Config taskSettings = resolved.taskSettings();
        Config samplerSettings = resolved.samplerSettings();
        BoundTask bound = resolved.bound();

        Datasets data = datasets(resolved, request.seed());
        Config train = data.train();
        TrainingSet training = data.training();
        Map<String, List<Example>> evaluation = data.evaluation();
        Vocabulary vocabulary = bound.vocabulary();
        ModelSpec spec = new ModelSpec(vocabulary.size(), data.longest(), request.seed());
        guard("arch " + architecture.id(), () -> MemoryBudget.of(architecture, spec, archSettings,
                train.getInt("batch_size"))).ifPresent(budget -> budget.check(architecture.id()));
        TrainableModel model = guard("arch " + architecture.id(), () -> architecture.build(spec, archSettings));
        if (model == null) {
            throw new RecursaException("architecture '" + architecture.id() + "' built no model (build returned null)");
        }
        sampler.unsupportedReason(model.info(), samplerSettings).ifPresent(reason -> {
            throw new UsageException("sampler '" + sampler.id() + "' cannot decode architecture '"
                    + architecture.id() + "': " + reason);
        });
        requireDepthKnob(architecture.id(), model, TrainSettings.of(train), EvalSettings.of(resolved.eval()));
        return new Prepared(request,
                new Component<>(entry(registry, ExtensionKind.TASK, task.id()), task, taskSettings),
                new Component<>(entry(registry, ExtensionKind.ARCHITECTURE, architecture.id()), architecture,
                        archSettings),
                new Component<>(entry(registry, ExtensionKind.SAMPLER, sampler.id()), sampler, samplerSettings),
                train, model, training, evaluation, bound, host.plugins().started(), resolved.eval());
    }

    /**
     * Refuses a depth curriculum, every-step supervision or evaluation at other depths for a model whose depth is not
     * a knob, and depths beyond what the model can run.
     */
    static void requireDepthKnob(String architecture, TrainableModel model, TrainSettings train, EvalSettings eval) {
        List<String> asked = new ArrayList<>();
        if (train.curriculum().active()) {
            asked.add("train.depth_curriculum");
        }
        if (train.supervision() != null) {
            asked.add("train.supervision=every");
        }
        if (!eval.recursions().isEmpty()) {
            asked.add("eval.recursions");
        }
        if (asked.isEmpty()) {
            return;
        }
        if (!(model instanceof RecurrentModel recurrent)) {
            throw new UsageException(String.join(" and ", asked) + (asked.size() == 1 ? " needs" : " need")
                    + " an architecture whose depth is a knob "
                    + "(universal, relaxed, mor, recurrent-depth, loopformer); '" + architecture
                    + "' has a fixed depth");
        }
        int deepest = eval.recursions().isEmpty() ? 0 : eval.recursions().get(eval.recursions().size() - 1);
        if (deepest > recurrent.maxDepth()) {
            throw new UsageException("eval.recursions asks for depth " + deepest + ", but architecture '"
                    + architecture + "' runs at most " + recurrent.maxDepth() + " recursions");
        }
    }

    /**
     * The examples of a split that a run of seed {@code seed} evaluates (and that {@code recursa probe} regenerates):
     * the first {@code count} of the split's evaluation stream that are not training inputs ({@link HeldOut}).
     *
     * @param training the run's training set ({@link TrainingSet#draw} with the run's size and seed)
     */
    public static List<Example> evaluationExamples(BoundTask bound, String split, int count, long seed,
                                                   TrainingSet training) {
        return HeldOut.draw(bound, split, count, seed ^ EVAL_STREAM, training);
    }

    /**
     * Trains, evaluates every split and records the run in {@code store}. Whatever stops the run early is recorded:
     * an error in training, evaluation or saving ends it {@code failed} with the reason; {@code stop} ends it
     * {@code interrupted}.
     *
     * @param stop polled between steps: true stops the run, which is then recorded as interrupted
     */
    public static Result execute(Prepared run, RunStore store, PrintStream out, boolean terminal, BooleanSupplier stop) {
        TrainSettings settings = TrainSettings.of(run.train());
        try (RunWriter writer = store.create(RunRecords.config(run),
                run.request().task() + "-" + run.request().architecture())) {
            Progress progress = new Progress(out, terminal, settings.steps());
            Trainer.Outcome outcome = failing(writer, "training", null, () -> train(run, settings, writer, progress,
                    stop));
            List<Evaluation.Result> splits = failing(writer, "evaluation", outcome, () -> evaluate(run, writer,
                    outcome, progress));
            failing(writer, "saving the checkpoint", outcome, () -> {
                writer.checkpoint(file -> Checkpoint.save(file, run.architecture().extension().id(),
                        run.architecture().settings().asMap(), run.model().info().vocabularySize(),
                        run.model().info().maxLength(), run.model().parameters(),
                        RunRecords.checkpointProvenance(writer.config(), outcome.steps())));
                return null;
            });
            Map<String, Map<String, FinalRecord.SplitResult>> depths = failing(writer, "evaluation at other depths",
                    outcome, () -> evaluateAtDepths(run, outcome, progress));
            RunStatus status = outcome.interrupted() ? RunStatus.INTERRUPTED : RunStatus.FINISHED;
            FinalRecord.Training training = RunRecords.training(outcome);
            writer.finish(status, outcome.steps(), outcome.stoppedEarly(), outcome.seconds(),
                    RunRecords.splits(splits), training, depths);
            return new Result(writer.id(), writer.dir(), status.id(), outcome.steps(), outcome.seconds(), splits,
                    training, depths);
        }
    }

    private static Trainer.Outcome train(Prepared run, TrainSettings settings, RunWriter writer, Progress progress,
                                         BooleanSupplier stop) {
        Trainer trainer = new Trainer(run.model(), run.bound(), run.training(), run.sampler().extension(),
                run.sampler().settings(), settings, run.request().seed());
        return trainer.run(new RecordedTraining(progress, writer, () -> { }), stop);
    }

    private static List<Evaluation.Result> evaluate(Prepared run, RunWriter writer, Trainer.Outcome outcome,
                                                    Progress progress) {
        List<Evaluation.Result> splits = new ArrayList<>();
        if (outcome.interrupted()) {
            return splits;
        }
        Map<String, Object> context = Map.of("run", writer.id(), "task", run.request().task(),
                "arch", run.request().architecture(), "mode", run.request().mode().id());
        return SplitEvaluation.run(run.model(), run.bound(), run.sampler().extension(), run.sampler().settings(),
                run.evaluation(), run.request().seed(), writer, context, progress::note);
    }

    /**
     * Every split evaluated again at each depth of {@code eval.recursions} (test-time depth scaling), on the same
     * examples as at the model's own depth; null when none was asked or the run was interrupted.
     */
    private static Map<String, Map<String, FinalRecord.SplitResult>> evaluateAtDepths(Prepared run,
                                                                                   Trainer.Outcome outcome,
                                                                                   Progress progress) {
        List<Integer> depths = EvalSettings.of(run.eval()).recursions();
        if (depths.isEmpty() || outcome.interrupted()) {
            return null;
        }
        RecurrentModel recurrent = (RecurrentModel) run.model();
        Map<String, Map<String, FinalRecord.SplitResult>> byDepth = new LinkedHashMap<>();
        for (int depth : depths) {
            TrainableModel model = recurrent.atDepth(depth);
            List<Evaluation.Result> splits = new ArrayList<>();
            for (Map.Entry<String, List<Example>> split : run.evaluation().entrySet()) {
                progress.note("evaluating " + split.getKey() + " at depth " + depth);
                splits.add(Evaluation.run(model, run.bound(), run.sampler().extension(), run.sampler().settings(),
                        split.getKey(), split.getValue(), false, run.request().seed()));
            }
            byDepth.put(Integer.toString(depth), RunRecords.splits(splits));
        }
        return byDepth;
    }

    /** The registry entry of an extension the caller has just found installed. */
    static ExtensionEntry entry(ExtensionRegistry registry, ExtensionKind kind, String id) {
        return registry.find(kind, id).orElseThrow(() -> new RecursaException("no " + kind.label() + " '" + id
                + "' is registered"));
    }

    /** A phase of work that may throw anything; the run is recorded as failed with the reason before it propagates. */
    interface Phase<T> {
        T run() throws Exception;
    }

    static <T> T failing(RunWriter writer, String phase, Trainer.Outcome outcome, Phase<T> work) {
        try {
            return work.run();
        } catch (Exception | Error e) {
            String reason = phase + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            try {
                writer.fail(reason, outcome == null ? null : outcome.steps(), outcome == null ? null
                        : outcome.seconds());
            } catch (RuntimeException recording) {
                e.addSuppressed(recording);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new RecursaException(reason, e);
        }
    }

    /**
     * A run's data.
     *
     * @param train      the trainer's settings, with the training-set size actually drawn
     * @param training   the training set
     * @param evaluation every evaluation split's examples, none of them a training input
     * @param longest    the longest encoded sequence among all of them
     */
    record Datasets(Config train, TrainingSet training, Map<String, List<Example>> evaluation, int longest) {
    }

    /**
     * Draws a resolved request's training set and evaluation sets for {@code seed}, as its run does.
     *
     * @throws UsageException naming the evaluation split that cannot be drawn outside the training set
     */
    static Datasets datasets(RunCheck.Resolved resolved, long seed) {
        Task task = resolved.task();
        BoundTask bound = resolved.bound();
        Config train = withTrainingSize(task, resolved.taskSettings(), resolved.train(), resolved.routedTrain());
        int trainExamples = train.getInt("examples");
        TrainingSet training = guard("task " + task.id(), () -> TrainingSet.draw(bound, trainExamples, seed));
        Map<String, List<Example>> evaluation = new LinkedHashMap<>();
        int examples = train.getInt("eval_examples");
        guard("task " + task.id(), () -> {
            for (Split split : task.splits(resolved.taskSettings())) {
                if (!split.name().equals(Split.TRAIN)) {
                    evaluation.put(split.name(), evaluationExamples(bound, split.name(), examples, seed, training));
                }
            }
            return null;
        });
        return new Datasets(train, training, evaluation, longestSequence(bound, training, evaluation));
    }

    private static int longestSequence(BoundTask task, TrainingSet training, Map<String, List<Example>> evaluation) {
        int longest = 0;
        List<Example> all = new ArrayList<>(training.examples());
        evaluation.values().forEach(all::addAll);
        for (Example example : all) {
            longest = Math.max(longest, Encoding.sequence(task.vocabulary(), example).length);
        }
        return longest;
    }

    /**
     * The trainer's settings with {@code examples} and {@code threads} resolved: when the user set none (0), the
     * task's declared default and this machine's worker threads ({@link TrainSettings#resolveThreads}), so that the
     * run records the size it drew and the threads it trained on (a fixed thread count repeats a run bit for bit).
     */
    private static Config withTrainingSize(Task task, Config taskSettings, Config train,
                                           Map<String, String> overrides) {
        if (train.getInt("examples") != 0 && train.getInt("threads") != 0) {
            return train;
        }
        Map<String, String> resolved = new LinkedHashMap<>(overrides);
        if (train.getInt("examples") == 0) {
            int declared = guard("task " + task.id(), () -> task.trainingExamples(taskSettings));
            if (declared < 1) {
                throw new RecursaException("task '" + task.id() + "' declares a default training set of " + declared
                        + " examples; set train.examples");
            }
            resolved.put("examples", Integer.toString(declared));
        }
        if (train.getInt("threads") == 0) {
            try {
                resolved.put("threads", Integer.toString(TrainSettings.resolveThreads(0)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return resolve("train", TrainSettings.SCHEMA, resolved);
    }

    private static Config resolve(String component, ConfigSchema schema, Map<String, String> overrides) {
        return guard(component, () -> schema.resolve(overrides));
    }

    /**
     * Runs plugin code that validates settings; its ConfigException, caused by what the user set, becomes a
     * usage error of one line naming the component.
     */
    static <T> T guard(String component, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (ConfigException e) {
            throw new UsageException(component + ": " + e.getMessage(), e);
        }
    }
}
