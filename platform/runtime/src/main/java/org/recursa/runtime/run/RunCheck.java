package org.recursa.runtime.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Task;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.runtime.ExtensionRegistry;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.EvalSettings;
import org.recursa.runtime.train.TrainSettings;

/**
 * Checks a run request the way {@link Experiment#prepare} resolves it, without building its model: the ids, every
 * setting through the same routing ({@link SettingRouter}) and schemas, the mode, the training and evaluation sets
 * (drawn as the run draws them, so that an evaluation split that cannot be filled outside the training set is found
 * before any run starts), and the settings only a model size reveals (heads that do not divide the width), through
 * the architecture's parameter count, and bf16 products against this CPU. For a sweep, which checks every
 * configuration before it starts any run, and sizes its runs to decide how many fit in memory at once.
 */
public final class RunCheck {

    private RunCheck() {
    }

    /**
     * Checks the request.
     *
     * @return what training the run needs in memory (weights, gradients, AdamW state and activations,
     *         {@link MemoryBudget#trainingBytes()}) for its longest sequence; empty when the architecture does not
     *         size its models
     * @throws UsageException                          one line naming the bad id, setting or combination, as
     *                                                 {@code recursa run} says it
     * @throws org.recursa.runtime.RecursaException    when the run cannot fit in the memory this process may allocate
     */
    public static OptionalLong check(RecursaHost host, RunRequest request) {
        Resolved resolved = resolve(host.registry(), request);
        TrainableArchitecture architecture = resolved.architecture();
        Config archSettings = resolved.archSettings();
        Experiment.Datasets data = Experiment.datasets(resolved, request.seed());
        Config train = data.train();
        ModelSpec spec = new ModelSpec(resolved.bound().vocabulary().size(), data.longest(), request.seed());
        OptionalLong bytes = guard("arch " + architecture.id(), () -> MemoryBudget.of(architecture, spec, archSettings,
                train.getInt("batch_size"))).map(budget -> {
                    budget.check(architecture.id());
                    return OptionalLong.of(budget.trainingBytes());
                }).orElse(OptionalLong.empty());
        requireDepthKnob(resolved, spec);
        return bytes;
    }

    /**
     * A depth curriculum, every-step supervision or evaluation at other depths needs a model whose depth is a knob;
     * only a built model tells, so one is built (after the memory check) when any of them is asked.
     */
    private static void requireDepthKnob(Resolved resolved, ModelSpec spec) {
        TrainSettings train = TrainSettings.of(resolved.train());
        EvalSettings eval = EvalSettings.of(resolved.eval());
        if (!train.curriculum().active() && train.supervision() == null && eval.recursions().isEmpty()) {
            return;
        }
        TrainableArchitecture architecture = resolved.architecture();
        Experiment.requireDepthKnob(architecture.id(), guard("arch " + architecture.id(),
                () -> architecture.build(spec, resolved.archSettings())), train, eval);
    }

    /**
     * A request's extensions and settings, resolved as {@code recursa run} resolves them: ids in the registry, every
     * setting routed to its component ({@link SettingRouter}) and checked against its schema, and the mode against
     * the task's modes. What {@link #check} and {@link Experiment#prepare} both start from.
     *
     * @param routedTrain the {@code train.*} settings as given, before defaults (a run sizes its training set from them)
     */
    record Resolved(Task task, TrainableArchitecture architecture, Sampler sampler, Config train,
                    Map<String, String> routedTrain, Config archSettings, Config taskSettings, Config samplerSettings,
                    BoundTask bound, Config eval) {
    }

    /**
     * Resolves a request.
     *
     * @throws UsageException one line naming the bad id, setting or mode
     */
    static Resolved resolve(ExtensionRegistry registry, RunRequest request) {
        Task task = registry.require(Task.class, request.task());
        TrainableArchitecture architecture = registry.require(TrainableArchitecture.class, request.architecture());
        Sampler sampler = registry.require(Sampler.class, request.sampler());
        Map<String, ConfigSchema> schemas = new LinkedHashMap<>();
        schemas.put("train", TrainSettings.SCHEMA);
        schemas.put("arch", architecture.schema());
        schemas.put("task", task.schema());
        schemas.put("sampler", sampler.schema());
        schemas.put("eval", EvalSettings.SCHEMA);
        Map<String, Map<String, String>> routed = new SettingRouter(schemas).route(request.settings());
        Config train = resolve("train", TrainSettings.SCHEMA, routed.get("train"));
        Config archSettings = resolve("arch " + architecture.id(), architecture.schema(), routed.get("arch"));
        Config taskSettings = resolve("task " + task.id(), task.schema(), routed.get("task"));
        Config samplerSettings = resolve("sampler " + sampler.id(), sampler.schema(), routed.get("sampler"));
        Config eval = resolve("eval", EvalSettings.SCHEMA, routed.get("eval"));
        guard("eval", () -> EvalSettings.of(eval));
        guard("train", () -> TrainSettings.of(train)).requireSupportedHere();
        if (!task.modes().contains(request.mode())) {
            throw new UsageException("task '" + task.id() + "' has no " + request.mode().id() + " mode; its modes: "
                    + task.modes().stream().map(Mode::id).sorted().collect(Collectors.joining(", ")));
        }
        return new Resolved(task, architecture, sampler, train, routed.get("train"), archSettings, taskSettings,
                samplerSettings, new BoundTask(task, taskSettings, request.mode()), eval);
    }

    private static Config resolve(String component, ConfigSchema schema, Map<String, String> overrides) {
        return guard(component, () -> schema.resolve(overrides));
    }

    private static <T> T guard(String component, java.util.function.Supplier<T> action) {
        return Experiment.guard(component, action);
    }
}
