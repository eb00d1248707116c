package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.recursa.api.Config;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Task;
import org.recursa.api.task.Verdict;
import org.recursa.api.task.Vocabulary;

/**
 * A task with its resolved settings and the mode it is trained in. In trace mode the examples' targets are
 * the reference derivation's {@link Derivation#traceTokens() trace}, built here from {@link Task#derive}, so
 * tasks implement trace mode once, through their interpreter, and the checker is the same for every task.
 */
public final class BoundTask {

    private final Task task;
    private final Config config;
    private final Mode mode;
    private final Vocabulary vocabulary;

    /** Binds {@code task} to its settings and a mode it {@link Task#modes() supports}. */
    public BoundTask(Task task, Config config, Mode mode) {
        if (!task.modes().contains(mode)) {
            throw new IllegalArgumentException("task '" + task.id() + "' has no " + mode.id() + " mode");
        }
        this.task = task;
        this.config = config;
        this.mode = mode;
        this.vocabulary = task.vocabulary(config);
    }

    /** The task. */
    public Task task() {
        return task;
    }

    /** Its resolved settings. */
    public Config config() {
        return config;
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    /** The task's vocabulary. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Examples of {@code split} with this mode's targets. */
    public List<Example> generate(String split, int count, long seed) {
        List<Example> examples = task.generate(config, split, count, seed);
        if (mode == Mode.IO) {
            return examples;
        }
        List<Example> traced = new ArrayList<>(examples.size());
        for (Example example : examples) {
            traced.add(new Example(example.id(), example.split(), example.input(),
                    task.derive(config, example.input()).traceTokens(), example.features()));
        }
        return traced;
    }

    /**
     * The checker's judgement of a prediction with the evidence: the reference derivation and, in trace mode,
     * the step-by-step check of the predicted trace.
     *
     * @param example   the example (with this mode's target)
     * @param predicted decoded tokens without special tokens other than {@link Vocabulary#STEP}
     */
    public Judgement judge(Example example, List<String> predicted) {
        Derivation reference = task.derive(config, example.input());
        Verdict verdict = task.check(example, predicted);
        TraceCheck.Result trace = mode == Mode.TRACE ? TraceCheck.check(task, config, reference, predicted) : null;
        return new Judgement(example, verdict, reference, trace);
    }

    /**
     * One judged example.
     *
     * @param example   the example
     * @param verdict   the task checker's verdict against the target
     * @param reference the reference derivation
     * @param trace     the step-by-step check of a predicted trace, or null in io mode
     */
    public record Judgement(Example example, Verdict verdict, Derivation reference, TraceCheck.Result trace) {
    }
}
