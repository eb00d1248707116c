package org.recursa.tck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.recursa.api.Config;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Verdict;
import org.recursa.api.task.Vocabulary;

/**
 * Conformance checks for a {@link Task}: call {@link #verify} from the plugin's tests for every task and a setting or
 * two. A task that passes has the splits the host asks for, generates the same examples for the same seed, can
 * supply evaluation inputs outside its training set, spells everything in its vocabulary, derives every target (step
 * by step, one valid reduction at a time, in trace mode), and has a checker that tells a right answer from a wrong
 * one. The rules mirror what the host does with a task when it trains and evaluates one; samples are small (64
 * examples per split and check) so that a task is verified in about a second.
 */
public final class TaskConformance {

    /** Examples drawn per split and check. */
    static final int SAMPLE = 64;
    /** Draws of an evaluation split that are compared with the training sample. */
    static final int EVALUATION_DRAWS = 4 * SAMPLE;
    /** The largest training sample drawn for the held-out check; the host's default training set is this size. */
    static final int MAX_TRAINING = Task.DEFAULT_TRAINING_EXAMPLES;
    private static final long SEED = 0x5EEDL;

    private TaskConformance() {
    }

    /**
     * Resolves {@code settings} and runs every check.
     *
     * @param settings the task's settings, e.g. {@code max_length=4}; empty for the defaults
     */
    public static void verify(Task task, Map<String, String> settings) {
        Config config = task.schema().resolve(settings);
        hasTheRequiredSplits(task, config);
        isDeterministicPerSeed(task, config);
        keepsEvaluationInputsOutOfTraining(task, config);
        spellsEverythingInItsVocabulary(task, config);
        derivesEveryTarget(task, config);
        rejectsCorruptedAnswers(task, config);
    }

    /**
     * {@link Split#TRAIN} and {@link Split#TEST_ID} are present and in distribution, split names are unique, and an
     * unknown split name is an {@link IllegalArgumentException}, as the {@link Task#generate} contract says.
     */
    public static void hasTheRequiredSplits(Task task, Config config) {
        List<Split> splits = task.splits(config);
        Set<String> names = new LinkedHashSet<>();
        for (Split split : splits) {
            if (!names.add(split.name())) {
                throw new AssertionError(name(task) + ": split '" + split.name() + "' is declared twice in " + splits);
            }
        }
        for (String required : List.of(Split.TRAIN, Split.TEST_ID)) {
            Split split = splits.stream().filter(s -> s.name().equals(required)).findFirst().orElseThrow(
                    () -> new AssertionError(name(task) + " has no '" + required + "' split; it declares " + names));
            if (split.outOfDistribution()) {
                throw new AssertionError(name(task) + ": split '" + required + "' is marked out of distribution, "
                        + "but train and test-id share one distribution");
            }
        }
        String unknown = "no-such-split";
        try {
            task.generate(config, unknown, 1, SEED);
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError(name(task) + ": generate for the unknown split '" + unknown
                + "' must throw IllegalArgumentException listing the valid splits");
    }

    /**
     * For every split: {@code count} examples of that split, equal examples for the same seed, and (where the split
     * draws at least two distinct inputs, so a difference can show) other inputs for another seed.
     */
    public static void isDeterministicPerSeed(Task task, Config config) {
        for (Split split : task.splits(config)) {
            List<Example> first = task.generate(config, split.name(), SAMPLE, SEED);
            String where = name(task) + " split '" + split.name() + "'";
            if (first.size() != SAMPLE) {
                throw new AssertionError(where + ": asked for " + SAMPLE + " examples, got " + first.size());
            }
            for (Example example : first) {
                if (!example.split().equals(split.name())) {
                    throw new AssertionError(where(task, example) + ": the example names the split '"
                            + example.split() + "'");
                }
            }
            List<Example> again = task.generate(config, split.name(), SAMPLE, SEED);
            for (int i = 0; i < SAMPLE; i++) {
                if (!first.get(i).equals(again.get(i))) {
                    throw new AssertionError(where + ": two draws with seed " + SEED + " differ at example " + i
                            + ": " + first.get(i) + " then " + again.get(i) + "; generation must depend on the "
                            + "seed only");
                }
            }
            if (inputs(first).stream().distinct().count() > 1
                    && inputs(first).equals(inputs(task.generate(config, split.name(), SAMPLE, SEED + 1)))) {
                throw new AssertionError(where + ": seeds " + SEED + " and " + (SEED + 1) + " give the same "
                        + SAMPLE + " inputs; the seed must choose the examples");
            }
        }
    }

    /**
     * Every evaluation split can supply inputs outside the training set, the rule of the host's held-out draws: the
     * host draws {@link Task#trainingExamples} training examples and rejects every evaluation draw whose input (as a
     * token list) is a training input, so a split all of whose draws are training inputs cannot be evaluated. The
     * training sample is the host's (up to {@value #MAX_TRAINING} examples) with the evaluation drawn for the same
     * seed, as the host does.
     */
    public static void keepsEvaluationInputsOutOfTraining(Task task, Config config) {
        int size = task.trainingExamples(config);
        if (size < 1) {
            throw new AssertionError(name(task) + ": trainingExamples is " + size + "; a run needs at least one");
        }
        int drawn = Math.min(size, MAX_TRAINING);
        Set<List<String>> training = new HashSet<>(inputs(task.generate(config, Split.TRAIN, drawn, SEED)));
        for (Split split : task.splits(config)) {
            if (split.name().equals(Split.TRAIN)) {
                continue;
            }
            List<List<String>> evaluation = inputs(task.generate(config, split.name(), EVALUATION_DRAWS, SEED));
            if (evaluation.stream().allMatch(training::contains)) {
                throw new AssertionError(name(task) + " split '" + split.name() + "': all " + EVALUATION_DRAWS
                        + " draws (" + evaluation.stream().distinct().count() + " distinct inputs) are inputs of the "
                        + drawn + " training examples (" + training.size() + " distinct), so the split cannot be "
                        + "held out; draw it from a larger space or from a part that train never draws");
            }
        }
    }

    /**
     * Every input and target token of every split is one of the task's own symbols, so that the host can encode
     * {@code input SEP target EOS} with the task's vocabulary; special tokens belong to the host, not to examples.
     */
    public static void spellsEverythingInItsVocabulary(Task task, Config config) {
        Vocabulary vocabulary = task.vocabulary(config);
        for (Split split : task.splits(config)) {
            for (Example example : task.generate(config, split.name(), SAMPLE, SEED)) {
                ownSymbols(vocabulary, example.input(), where(task, example) + " input");
                ownSymbols(vocabulary, example.target(), where(task, example) + " target");
            }
        }
    }

    /**
     * The reference interpreter reaches every example's target. For tasks with {@link Mode#TRACE trace mode}, every
     * step of the derivation is one of the {@link Task#reductions} of the term before it (the derivation's start for
     * the first), the last term is in normal form, and every term is spelled in the vocabulary: the rules by which
     * the host checks a predicted trace, applied to the reference trace.
     */
    public static void derivesEveryTarget(Task task, Config config) {
        if (!task.modes().contains(Mode.IO)) {
            throw new AssertionError(name(task) + ": modes " + task.modes() + " must include io");
        }
        boolean trace = task.modes().contains(Mode.TRACE);
        Vocabulary vocabulary = task.vocabulary(config);
        for (Split split : task.splits(config)) {
            for (Example example : task.generate(config, split.name(), SAMPLE, SEED)) {
                Derivation derivation = task.derive(config, example.input());
                if (!derivation.answer().equals(example.target())) {
                    throw new AssertionError(where(task, example) + ": derive answers " + derivation.answer()
                            + " but the target is " + example.target() + " (input " + example.input() + ")");
                }
                if (trace) {
                    stepsAreSingleReductions(task, config, example, derivation);
                    ownSymbols(vocabulary, derivation.start(), where(task, example) + " derivation start");
                    for (ReductionStep step : derivation.steps()) {
                        ownSymbols(vocabulary, step.term(), where(task, example) + " trace step " + step.rule());
                    }
                }
            }
        }
    }

    /**
     * In every mode the task supports, the checker accepts the target and rejects it with one token changed and with
     * its last token cut off. Trace-mode targets are the derivation's trace, as the host builds them.
     */
    public static void rejectsCorruptedAnswers(Task task, Config config) {
        List<String> symbols = task.vocabulary(config).tokens().subList(Vocabulary.STEP_ID + 1,
                task.vocabulary(config).size());
        for (Mode mode : task.modes()) {
            for (Split split : task.splits(config)) {
                for (Example drawn : task.generate(config, split.name(), SAMPLE, SEED)) {
                    Example example = mode == Mode.IO ? drawn : new Example(drawn.id(), drawn.split(), drawn.input(),
                            task.derive(config, drawn.input()).traceTokens(), drawn.features());
                    CorruptedAnswers.check(task, mode, example, symbols);
                }
            }
        }
    }

    private static void stepsAreSingleReductions(Task task, Config config, Example example, Derivation derivation) {
        List<String> previous = derivation.start();
        for (int i = 0; i < derivation.steps().size(); i++) {
            ReductionStep step = derivation.steps().get(i);
            List<ReductionStep> candidates = task.reductions(config, previous);
            if (candidates.stream().noneMatch(c -> c.term().equals(step.term()))) {
                throw new AssertionError(where(task, example) + ": derivation step " + i + " (" + step.rule() + " at '"
                        + step.position() + "') gives " + step.term() + ", which is not a single reduction of "
                        + previous + "; reductions lists " + terms(candidates));
            }
            previous = step.term();
        }
        List<ReductionStep> remaining = task.reductions(config, previous);
        if (!remaining.isEmpty()) {
            throw new AssertionError(where(task, example) + ": the derivation ends at " + previous + ", which is not "
                    + "in normal form: reductions lists " + terms(remaining));
        }
    }

    private static void ownSymbols(Vocabulary vocabulary, List<String> tokens, String what) {
        int[] ids;
        try {
            ids = vocabulary.encode(tokens);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(what + " " + tokens + " cannot be encoded: " + e.getMessage(), e);
        }
        for (int i = 0; i < ids.length; i++) {
            // A term never holds STEP either: the host puts STEP between the terms of a trace.
            if (ids[i] <= Vocabulary.STEP_ID) {
                throw new AssertionError(what + " " + tokens + " holds the special token " + tokens.get(i)
                        + " at position " + i);
            }
        }
    }

    private static List<List<String>> terms(List<ReductionStep> steps) {
        List<List<String>> terms = new ArrayList<>(steps.size());
        for (ReductionStep step : steps) {
            terms.add(step.term());
        }
        return terms;
    }

    private static List<List<String>> inputs(List<Example> examples) {
        List<List<String>> inputs = new ArrayList<>(examples.size());
        for (Example example : examples) {
            inputs.add(example.input());
        }
        return inputs;
    }

    static String name(Task task) {
        return "task '" + task.id() + "'";
    }

    static String where(Task task, Example example) {
        return name(task) + " split '" + example.split() + "' example " + example.id();
    }

    /** The checker's verdicts on one example's target and its corruptions. */
    private static final class CorruptedAnswers {

        private CorruptedAnswers() {
        }

        static void check(Task task, Mode mode, Example example, List<String> symbols) {
            List<String> target = example.target();
            String where = where(task, example) + " (" + mode.id() + " mode)";
            if (!verdict(task, example, target, where).correct()) {
                throw new AssertionError(where + ": the checker rejects the target " + target);
            }
            if (target.isEmpty()) {
                return;
            }
            List<String> changed = new ArrayList<>(target);
            int at = target.size() / 2;
            String other = symbols.stream().filter(s -> !s.equals(target.get(at))).findFirst().orElse(null);
            if (other != null) {
                changed.set(at, other);
                if (verdict(task, example, changed, where).correct()) {
                    throw new AssertionError(where + ": the checker accepts " + changed + " (token " + at
                            + " changed) for the target " + target);
                }
            }
            List<String> truncated = target.subList(0, target.size() - 1);
            if (verdict(task, example, truncated, where).correct()) {
                throw new AssertionError(where + ": the checker accepts the truncated " + truncated
                        + " for the target " + target);
            }
        }

        private static Verdict verdict(Task task, Example example, List<String> predicted, String where) {
            Verdict verdict = task.check(example, predicted);
            if (verdict == null) {
                throw new AssertionError(where + ": the checker returned null for " + predicted);
            }
            return verdict;
        }
    }
}
