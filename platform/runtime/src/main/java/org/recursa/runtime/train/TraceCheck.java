package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.recursa.api.Config;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;

/**
 * Checks a predicted reduction trace step by step: every predicted term must be a single valid reduction of
 * the term before it (the input for the first), by any redex, not only the one the reference strategy picks.
 * The first invalid step is recorded with the rule that should have fired there and where.
 */
public final class TraceCheck {

    /**
     * The outcome.
     *
     * @param predictedSteps    terms in the predicted trace
     * @param validSteps        leading predicted steps that are valid single reductions
     * @param firstInvalidStep  0-based index of the first invalid step (the number of predicted steps when the
     *                          trace stops before the normal form), or -1 when the whole trace is valid
     * @param expectedRule      the rule the reference strategy fires at that point ({@code normal-form} when
     *                          the previous term had no redex and the trace should have ended), or null
     * @param expectedPosition  where that rule fires, or null
     * @param reachesAnswer     all steps valid and the last term is the reference answer in normal form
     * @param explanation       one line for a person
     */
    public record Result(int predictedSteps, int validSteps, int firstInvalidStep, String expectedRule,
                         String expectedPosition, boolean reachesAnswer, String explanation) {
    }

    private TraceCheck() {
    }

    /** Checks {@code predicted} (terms separated by {@link Vocabulary#STEP}) against the task's reductions. */
    public static Result check(Task task, Config config, Derivation reference, List<String> predicted) {
        List<List<String>> terms = split(predicted);
        List<String> previous = reference.start();
        for (int i = 0; i < terms.size(); i++) {
            List<ReductionStep> candidates = task.reductions(config, previous);
            List<String> term = terms.get(i);
            if (candidates.stream().noneMatch(c -> c.term().equals(term))) {
                String rule = candidates.isEmpty() ? "normal-form" : candidates.get(0).rule();
                String position = candidates.isEmpty() ? "" : candidates.get(0).position();
                String why = candidates.isEmpty()
                        ? "step " + i + ": the previous term is in normal form, so the trace should have ended"
                        : "step " + i + ": not a single reduction of the previous term; expected " + rule + " at "
                                + position + " giving " + String.join(" ", candidates.get(0).term());
                return new Result(terms.size(), i, i, rule, position, false, why);
            }
            previous = term;
        }
        List<ReductionStep> remaining = task.reductions(config, previous);
        if (!remaining.isEmpty()) {
            ReductionStep next = remaining.get(0);
            return new Result(terms.size(), terms.size(), terms.size(), next.rule(), next.position(), false,
                    "step " + terms.size() + ": the trace stops before the normal form; expected " + next.rule()
                            + " at " + next.position());
        }
        boolean answer = previous.equals(reference.answer());
        return new Result(terms.size(), terms.size(), -1, null, null, answer, answer
                ? "every step is a valid reduction and the trace ends at the answer"
                : "every step is valid but the trace ends at a term other than the answer");
    }

    /** The terms of a trace. An empty prediction is one empty term. */
    public static List<List<String>> split(List<String> tokens) {
        List<List<String>> terms = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String token : tokens) {
            if (token.equals(Vocabulary.STEP)) {
                terms.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        terms.add(current);
        return terms;
    }

    /** The inverse of {@link #split}: terms joined by {@link Vocabulary#STEP}. */
    public static List<String> join(List<List<String>> terms) {
        List<String> tokens = new ArrayList<>();
        for (List<String> term : terms) {
            if (!tokens.isEmpty()) {
                tokens.add(Vocabulary.STEP);
            }
            tokens.addAll(term);
        }
        return tokens;
    }
}
