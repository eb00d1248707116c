package org.recursa.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A run's {@code final.json} (docs/runs.md, docs/artifacts.md): how it ended and the accuracy of every evaluated
 * split, sliced by each example feature. A failed run records only its status and error; an interrupted run has no
 * splits.
 *
 * @param status       {@code finished}, {@code interrupted} or {@code failed}
 * @param steps        optimiser steps taken, absent for a failed run
 * @param stoppedEarly whether the held-out accuracy reached {@code stop_at}
 * @param seconds      training time, absent for a failed run
 * @param error        why a failed run failed
 * @param splits       split name to its summary, in file order
 */
public record FinalSummary(String status, OptionalInt steps, boolean stoppedEarly, OptionalDouble seconds,
                           Optional<String> error, Map<String, Split> splits) {

    /** The file's name inside a run directory. */
    public static final String FILE = "final.json";

    /** The split the trainer evaluates for early stopping; every other split is out of distribution or an edge case. */
    public static final String IN_DISTRIBUTION = "test-id";

    /**
     * One evaluated split.
     *
     * @param examples  evaluated examples
     * @param tokenAcc  share of target tokens predicted right
     * @param seqAcc    share of examples predicted exactly
     * @param byFeature feature name, then feature value (ascending), then the accuracy of those examples
     */
    public record Split(int examples, double tokenAcc, double seqAcc, Map<String, Map<Integer, Cell>> byFeature) {

        public Split {
            Map<String, Map<Integer, Cell>> copy = new LinkedHashMap<>();
            byFeature.forEach((feature, cells) -> copy.put(feature, Collections.unmodifiableMap(new TreeMap<>(cells))));
            byFeature = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * Accuracy over the examples that share one feature value.
     *
     * @param examples how many
     * @param tokenAcc share of their target tokens predicted right
     * @param seqAcc   share predicted exactly
     */
    public record Cell(int examples, double tokenAcc, double seqAcc) {
    }

    public FinalSummary {
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /**
     * Reads {@code final.json}.
     *
     * @throws IllegalArgumentException {@code <file>: <what is wrong>} when it is missing or damaged
     */
    public static FinalSummary read(Path file) {
        JsonNode root = JsonFiles.readDocument(file, "the run has not finished, or this is not a run directory");
        JsonFiles.Fields fields = JsonFiles.Fields.of(file);
        String status = fields.text(root, "status");
        OptionalInt steps = root.has("steps") ? OptionalInt.of(fields.integer(root, "steps")) : OptionalInt.empty();
        OptionalDouble seconds = root.has("seconds")
                ? OptionalDouble.of(fields.number(root, "seconds")) : OptionalDouble.empty();
        Optional<String> error = root.path("error").isTextual()
                ? Optional.of(root.path("error").asText()) : Optional.empty();
        Map<String, Split> splits = new LinkedHashMap<>();
        if (root.has("splits")) {
            for (Iterator<String> names = fields.object(root, "splits").fieldNames(); names.hasNext(); ) {
                String name = names.next();
                JsonNode split = fields.object(root, "splits." + name);
                splits.put(name, split(fields.inside("splits." + name), split));
            }
        }
        return new FinalSummary(status, steps, root.path("stopped_early").asBoolean(false), seconds, error, splits);
    }

    private static Split split(JsonFiles.Fields fields, JsonNode node) {
        Map<String, Map<Integer, Cell>> byFeature = new LinkedHashMap<>();
        if (node.has("by_feature")) {
            JsonNode features = fields.object(node, "by_feature");
            for (Iterator<String> names = features.fieldNames(); names.hasNext(); ) {
                String feature = names.next();
                JsonFiles.Fields featureFields = fields.inside("by_feature");
                JsonNode values = featureFields.object(features, feature);
                Map<Integer, Cell> cells = new TreeMap<>();
                for (Iterator<String> keys = values.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    int value;
                    try {
                        value = Integer.parseInt(key);
                    } catch (NumberFormatException e) {
                        throw fields.problem("field '" + fields.prefix() + "by_feature." + feature + "' has a value '"
                                + key + "' that is not an integer");
                    }
                    JsonNode cell = values.path(key);
                    JsonFiles.Fields cellFields = featureFields.inside(feature + "." + key);
                    cells.put(value, new Cell(cellFields.integer(cell, "examples"), cellFields.number(cell, "token_acc"),
                            cellFields.number(cell, "seq_acc")));
                }
                byFeature.put(feature, cells);
            }
        }
        return new Split(fields.integer(node, "examples"), fields.number(node, "token_acc"),
                fields.number(node, "seq_acc"), byFeature);
    }

    /** Whether a split is out of distribution or an edge split, i.e. anything but the in-distribution test set. */
    public static boolean isShifted(String split) {
        return !split.equals(IN_DISTRIBUTION);
    }
}
