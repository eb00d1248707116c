package org.recursa.runtime.run;

import static org.recursa.runtime.run.Experiment.entry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.recursa.api.Config;
import org.recursa.api.ExtensionKind;
import org.recursa.api.Setting;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Architecture;
import org.recursa.api.task.Example;
import org.recursa.api.task.Task;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.BundleFile;
import org.recursa.runtime.ExtensionRegistry;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.StartedBundle;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Evaluation;

/**
 * {@code recursa eval} (docs/runs.md): evaluates a stored run's checkpoint again, with another sampler or other
 * sampler settings, on the examples the run evaluated, and records the result as a new run derived from it
 * ({@link RunStore#derive}). {@link #prepare} checks everything and writes nothing; {@link #execute} evaluates and
 * writes. The new run holds no weights: its config names the parent's checkpoint and that file's SHA-256.
 */
public final class Reevaluation {

    /** The tag that marks an evaluation run; its value is the sampler. */
    public static final String TAG = "eval";

    /**
     * What the user asked for.
     *
     * @param sampler  the sampler id
     * @param settings {@code --set} pairs, {@code sampler.KEY} or a bare key of the sampler
     * @param seed     the seed of the sampler's random choices; null for the parent's seed
     * @param tags     tags to add to the parent's
     * @param note     a note, or null to keep the parent's
     */
    public record Request(String sampler, Map<String, String> settings, Long seed, Map<String, String> tags,
                          String note) {

        /**
         * Copies the maps and checks the tag keys.
         *
         * @throws UsageException for a tag key {@link RunRequest#TAG_KEY} does not allow
         */
        public Request {
            settings = Map.copyOf(settings);
            tags = Map.copyOf(tags);
            RunRequest.checkTagKeys(tags);
        }
    }

    /**
     * A checked evaluation, ready to execute.
     *
     * @param parent           the run evaluated
     * @param seed             the seed of the sampler's choices
     * @param task             the installed task, with the parent's settings
     * @param architecture     the installed architecture, with the parent's settings
     * @param sampler          the sampler and its resolved settings
     * @param model            the parent's model with its checkpoint's weights
     * @param bound            the task bound to the parent's settings and mode
     * @param evaluation       every split's examples, as the parent drew them
     * @param bundles          every bundle started in the host, for the new run's provenance
     * @param checkpointSha256 the SHA-256 of the parent's checkpoint, for the new run's config
     * @param tags             the new run's tags: the parent's, {@value #TAG}, and the request's
     * @param note             the new run's note
     */
    public record Prepared(TrainedRun parent, long seed, Experiment.Component<Task> task,
                           Experiment.Component<Architecture> architecture, Experiment.Component<Sampler> sampler,
                           TrainableModel model, BoundTask bound, Map<String, List<Example>> evaluation,
                           List<StartedBundle> bundles, String checkpointSha256, Map<String, String> tags,
                           String note) {
    }

    /**
     * What an evaluation recorded.
     *
     * @param id      the new run's id
     * @param dir     its directory
     * @param seconds time spent evaluating
     * @param splits  per split, what it recorded in {@code final.json}
     */
    public record Result(String id, Path dir, double seconds, Map<String, FinalRecord.SplitResult> splits) {
    }

    private Reevaluation() {
    }

    /**
     * Checks the request against the run and the installed extensions, loads the run's model and redraws its
     * examples. Writes nothing.
     *
     * @throws UsageException   one line naming an unknown sampler, a setting the sampler does not have or a bad
     *                          value (with what it accepts), a sampler that cannot decode the run's architecture,
     *                          or a run that is itself an evaluation
     * @throws RecursaException one line when the run has not ended, saved no weights, or no longer fits the
     *                          installed plugins
     */
    public static Prepared prepare(RecursaHost host, StoredRun run, Request request) {
        ExtensionRegistry registry = host.registry();
        Sampler sampler = registry.require(Sampler.class, request.sampler());
        Config samplerSettings = Experiment.guard("sampler " + sampler.id(),
                () -> sampler.schema().resolve(samplerSettings(sampler, request.settings())));
        TrainedRun parent = TrainedRun.of(run, "evaluate", "evaluated");
        BoundTask bound = parent.task(registry);
        TrainableModel model = parent.model(registry, bound);
        String architecture = parent.config().architecture().id();
        Architecture installed = registry.require(Architecture.class, architecture);
        sampler.unsupportedReason(model.info(), samplerSettings).ifPresent(reason -> {
            throw new UsageException("sampler '" + sampler.id() + "' cannot decode architecture '" + architecture
                    + "': " + reason + "; 'recursa extensions --kind sampler' lists the others");
        });
        Map<String, List<Example>> evaluation = parent.evaluationSets(bound, parent.training(bound));
        Map<String, String> tags = new TreeMap<>(parent.config().tags());
        tags.put(TAG, sampler.id());
        tags.putAll(request.tags());
        return new Prepared(parent, request.seed() != null ? request.seed() : parent.config().seed(),
                new Experiment.Component<>(entry(registry, ExtensionKind.TASK, bound.task().id()), bound.task(),
                        bound.config()),
                new Experiment.Component<>(entry(registry, ExtensionKind.ARCHITECTURE, architecture), installed,
                        TrainedRun.settings(parent.config().architecture(), installed.schema())),
                new Experiment.Component<>(entry(registry, ExtensionKind.SAMPLER, sampler.id()), sampler,
                        samplerSettings),
                model, bound, evaluation, host.plugins().started(), BundleFile.sha256(parent.checkpoint()), tags,
                request.note() != null ? request.note() : parent.config().note());
    }

    /**
     * The sampler's overrides from {@code --set} pairs: {@code sampler.KEY} or a bare key the sampler has; any other
     * key is a usage error naming the sampler's settings.
     */
    static Map<String, String> samplerSettings(Sampler sampler, Map<String, String> settings) {
        TreeSet<String> keys = new TreeSet<>();
        sampler.schema().settings().stream().map(Setting::key).forEach(keys::add);
        String valid = keys.isEmpty() ? "sampler '" + sampler.id() + "' takes no settings"
                : "sampler '" + sampler.id() + "' settings: " + String.join(", ", keys.stream()
                        .map(k -> "sampler." + k).toList());
        Map<String, String> overrides = new LinkedHashMap<>();
        new TreeMap<>(settings).forEach((key, value) -> {
            String bare = key.startsWith("sampler.") ? key.substring("sampler.".length()) : key;
            if (!keys.contains(bare)) {
                throw new UsageException("unknown setting '" + key + "'; recursa eval takes sampler settings only, "
                        + "and " + valid);
            }
            overrides.put(bare, value);
        });
        return overrides;
    }

    /**
     * Evaluates every split with the prepared sampler and records the new run, derived from the parent, in
     * {@code store}: proof artifacts per split, and {@code final.json} with the splits' accuracy and decoding
     * figures. An error while evaluating records the run as failed with the reason.
     *
     * @param progress receives a line before each split
     */
    public static Result execute(Prepared run, RunStore store, Consumer<String> progress) {
        String label = run.parent().config().task().id() + "-" + run.parent().config().architecture().id()
                + "-eval-" + run.sampler().entry().id();
        try (RunWriter writer = store.derive(run.parent().run().id(), RunRecords.config(run), label)) {
            long started = System.nanoTime();
            List<Evaluation.Result> splits = Experiment.failing(writer, "evaluation", null, () -> evaluate(run,
                    writer, progress));
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, FinalRecord.SplitResult> recorded = RunRecords.splits(splits);
            writer.finish(RunStatus.FINISHED, 0, false, seconds, recorded, null, null);
            return new Result(writer.id(), writer.dir(), seconds, recorded);
        }
    }

    private static List<Evaluation.Result> evaluate(Prepared run, RunWriter writer, Consumer<String> progress) {
        Map<String, Object> context = Map.of("run", writer.id(), "task", run.task().entry().id(),
                "arch", run.architecture().entry().id(), "mode", run.bound().mode().id());
        return SplitEvaluation.run(run.model(), run.bound(), run.sampler().extension(), run.sampler().settings(),
                run.evaluation(), run.seed(), writer, context, progress);
    }
}
