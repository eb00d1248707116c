package org.recursa.api.task;

import java.util.List;
import java.util.Objects;

/**
 * One step of a derivation: the rule that fired, where, and the term it produced.
 *
 * @param rule     the rule, e.g. {@code delta:succ}, {@code beta}, {@code iota:B1}, or {@code copy}
 * @param position where the rule fired in the previous term, as a path or token index; empty at the root
 * @param term     the term after the step, as tokens of the task's vocabulary
 */
public record ReductionStep(String rule, String position, List<String> term) {

    /** Copies the term and checks for nulls. */
    public ReductionStep {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(position, "position");
        term = List.copyOf(term);
    }
}
