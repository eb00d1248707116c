package org.recursa.api.task;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One generated problem with its reference answer.
 *
 * @param id       stable within a split and seed, e.g. {@code test-id/17}
 * @param split    the split it was drawn for
 * @param input    the input tokens (no special tokens)
 * @param target   the expected output tokens for the task's mode (no special tokens)
 * @param features numeric facts used to slice accuracy, e.g. {@code length}, {@code depth},
 *                 {@code carry_chain}
 */
public record Example(String id, String split, List<String> input, List<String> target,
                      Map<String, Integer> features) {

    /** Copies the collections and checks for nulls. */
    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        input = List.copyOf(input);
        target = List.copyOf(target);
        features = Map.copyOf(features);
    }
}
