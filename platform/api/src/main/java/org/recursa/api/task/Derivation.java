package org.recursa.api.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a task's reference interpreter computes for one input: the start term, every reduction step, and
 * the answer. The last step's term is the answer (for derivations with at least one step).
 *
 * @param start  the input as a term
 * @param steps  the reduction steps in order
 * @param answer the final answer as tokens
 */
public record Derivation(List<String> start, List<ReductionStep> steps, List<String> answer) {

    /** Copies the lists and checks that the last step ends at the answer. */
    public Derivation {
        start = List.copyOf(start);
        steps = List.copyOf(steps);
        answer = List.copyOf(answer);
        if (!steps.isEmpty() && !Objects.equals(steps.get(steps.size() - 1).term(), answer)) {
            throw new IllegalArgumentException("the last reduction step must produce the answer");
        }
    }

    /**
     * The derivation as a {@link Mode#TRACE trace-mode} target: every step's term, separated by
     * {@link Vocabulary#STEP}. A derivation without steps (the input is already the answer) gives the answer.
     */
    public List<String> traceTokens() {
        if (steps.isEmpty()) {
            return answer;
        }
        List<String> tokens = new ArrayList<>();
        for (ReductionStep step : steps) {
            if (!tokens.isEmpty()) {
                tokens.add(Vocabulary.STEP);
            }
            tokens.addAll(step.term());
        }
        return List.copyOf(tokens);
    }
}
