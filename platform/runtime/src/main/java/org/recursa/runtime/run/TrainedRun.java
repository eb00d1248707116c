package org.recursa.runtime.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runstore.Component;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.ExtensionRegistry;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.TrainingSet;

/**
 * An ended run that saved its weights, as the commands that read a trained model back see it ({@code recursa probe},
 * {@code recursa eval}): its task bound to the recorded settings and mode, its model rebuilt by the installed
 * architecture from the recorded settings and the checkpoint, and the examples it drew, redrawn from its seed.
 *
 * @param run        the run
 * @param config     its {@code config.json}
 * @param end        its {@code final.json}
 * @param checkpoint its checkpoint file
 */
public record TrainedRun(StoredRun run, RunConfig config, FinalRecord end, Path checkpoint) {

    /**
     * Reads an ended run that has a checkpoint.
     *
     * @param verb      what the caller does with it, for messages: {@code probe}
     * @param participle the same as a participle: {@code probed}
     * @throws RecursaException with one line when the run has not ended, is damaged or saved no weights; a
     *                          {@link org.recursa.runtime.UsageException} naming the run to use instead when it is an
     *                          evaluation of another run ({@code recursa eval}), which holds none
     */
    public static TrainedRun of(StoredRun run, String verb, String participle) {
        RunConfig config;
        FinalRecord end;
        try {
            config = run.config();
            end = run.end().orElse(null);
            if (end == null) {
                throw new RecursaException("run " + run.id() + " has not ended (it is " + run.state().status().id()
                        + "); " + verb + " it once it has");
            }
        } catch (DamagedRunException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        FinalRecord ended = end;
        if (run.checkpoint().isEmpty() && config.parent() != null && config.compressor() == null) {
            throw new org.recursa.runtime.UsageException("run " + run.id() + " is an evaluation of run "
                    + config.parent() + " and holds no weights of its own; " + verb + " " + config.parent()
                    + " instead");
        }
        Path checkpoint = run.checkpoint().orElseThrow(() -> new RecursaException("run " + run.id()
                + " has no checkpoint (it " + ended.status() + (ended.error() == null ? "" : ": " + ended.error())
                + "); only a run that saved its weights can be " + participle));
        return new TrainedRun(run, config, end, checkpoint);
    }

    /**
     * The run's task from {@code registry}, bound to the settings and mode the run recorded.
     *
     * @throws org.recursa.runtime.UsageException when the task is not installed
     * @throws RecursaException when the recorded settings do not fit the installed task
     */
    public BoundTask task(ExtensionRegistry registry) {
        Task task = registry.require(Task.class, config.task().id());
        return new BoundTask(task, settings(config.task(), task.schema()), Mode.of(config.mode()));
    }

    /**
     * The model the run trained, with its checkpoint's weights: built by the installed architecture from the
     * settings the run recorded, for the checkpoint's vocabulary and length.
     *
     * @throws RecursaException when the checkpoint does not fit the installed task or architecture
     */
    public TrainableModel model(ExtensionRegistry registry, BoundTask bound) {
        TrainableArchitecture architecture = registry.require(TrainableArchitecture.class,
                config.architecture().id());
        Config settings = settings(config.architecture(), architecture.schema());
        try {
            Checkpoint.Header header = Checkpoint.read(checkpoint).header();
            if (header.vocabularySize() != bound.vocabulary().size()) {
                throw new RecursaException(checkpoint + " reads " + header.vocabularySize() + " token ids, but task '"
                        + bound.task().id() + "' as installed has " + bound.vocabulary().size()
                        + " (the task plugin changed since the run)");
            }
            TrainableModel model = architecture.build(new ModelSpec(header.vocabularySize(), header.maxLength(),
                    config.seed()), settings);
            Checkpoint.load(checkpoint, architecture.id(), model.parameters());
            return model;
        } catch (IOException e) {
            throw new RecursaException(e.getMessage(), e);
        }
    }

    /** The run's training set, redrawn from its recorded size and seed. */
    public TrainingSet training(BoundTask bound) {
        return TrainingSet.draw(bound, trainingExamples(), config.seed());
    }

    /** The examples of {@code split} the run evaluated (its first {@code count}), none a training input. */
    public List<Example> evaluationExamples(BoundTask bound, String split, int count,
                                                      TrainingSet training) {
        return Experiment.evaluationExamples(bound, split, count, config.seed(), training);
    }

    /**
     * Every split of the task but {@code train}, drawn as the run drew them: the examples a derived run (an evaluation
     * or a compression of this one) is evaluated on, so that its figures compare one to one with the run's.
     *
     * @param training the run's training set ({@link #training})
     * @throws org.recursa.runtime.UsageException when the task rejects its recorded settings
     */
    public Map<String, List<Example>> evaluationSets(BoundTask bound, TrainingSet training) {
        return Experiment.guard("task " + bound.task().id(), () -> {
            int count = evaluatedExamples();
            Map<String, List<Example>> evaluation = new LinkedHashMap<>();
            for (Split split : bound.task().splits(bound.config())) {
                if (!split.name().equals(Split.TRAIN)) {
                    evaluation.put(split.name(), evaluationExamples(bound, split.name(), count, training));
                }
            }
            return evaluation;
        });
    }

    /** How many examples the run evaluated per split ({@code train.eval_examples}). */
    public int evaluatedExamples() {
        Object examples = config.train().get("eval_examples");
        return examples instanceof Number number ? number.intValue() : 256;
    }

    /** The size of the training set the run drew, as its config records it ({@code train.examples}). */
    private int trainingExamples() {
        Object examples = config.train().get("examples");
        if (!(examples instanceof Number number)) {
            throw new RecursaException("run " + config.id() + " records no training-set size (train.examples); it was "
                    + "made before runs drew a finite training set, so its evaluation examples cannot be redrawn");
        }
        return number.intValue();
    }

    /** A component's settings as the run recorded them, resolved against the installed extension's schema. */
    static Config settings(Component component, ConfigSchema schema) {
        try {
            return schema.resolve(strings(component.settings()));
        } catch (ConfigException e) {
            throw new RecursaException(component.id() + ": the run's settings do not fit the installed plugin ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Recorded settings (numbers, booleans, strings) as the text a schema resolves, keeping their order. */
    static Map<String, String> strings(Map<String, Object> settings) {
        Map<String, String> strings = new LinkedHashMap<>();
        settings.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }
}
