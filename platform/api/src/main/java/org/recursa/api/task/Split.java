package org.recursa.api.task;

import java.util.Objects;

/**
 * A named part of a task's data. Every task has {@code train} and {@code test-id} (held out, same
 * distribution); out-of-distribution splits probe generalisation, e.g. longer inputs.
 *
 * @param name              e.g. {@code train}, {@code test-id}, {@code test-ood-length}
 * @param description       one line: how this split differs from training
 * @param outOfDistribution whether the split is drawn from a distribution training never saw
 */
public record Split(String name, String description, boolean outOfDistribution) {

    /** Name of the training split. */
    public static final String TRAIN = "train";
    /** Name of the held-out, in-distribution test split. */
    public static final String TEST_ID = "test-id";

    /** Checks that the name is present and well formed. */
    public Split {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("split name must match [a-z][a-z0-9-]*, got '" + name + "'");
        }
    }
}
