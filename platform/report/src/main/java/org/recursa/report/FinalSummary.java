package org.recursa.report;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.recursa.runstore.FinalRecord;

/**
 * A run's final record (docs/runs.md, docs/artifacts.md): how it ended and the accuracy of every evaluated
 * split, sliced by each example feature. A failed run records only its status and error; an interrupted run has no
 * splits.
 *
 * @param status       {@code finished}, {@code interrupted} or {@code failed}
 * @param steps        optimiser steps taken, absent for a failed run
 * @param stoppedEarly whether the held-out accuracy reached {@code stop_at}
 * @param seconds      training time, absent for a failed run
 * @param error        why a failed run failed
 * @param splits       split name to its summary, in file order
 * @param depths       inference depth (ascending), then split name, then the summary at that depth; empty unless the
 *                     run was evaluated at other depths ({@code eval.recursions})
 */
public record FinalSummary(String status, OptionalInt steps, boolean stoppedEarly, OptionalDouble seconds,
                           Optional<String> error, Map<String, Split> splits, Map<Integer, Map<String, Split>> depths) {

    /** The split the trainer evaluates for early stopping; every other split is out of distribution or an edge case. */
    public static final String IN_DISTRIBUTION = "test-id";

    /**
     * One evaluated split.
     *
     * @param examples  evaluated examples
     * @param tokenAcc  share of target tokens predicted right
     * @param seqAcc    share of examples predicted exactly
     * @param byFeature feature name, then feature value (ascending), then the accuracy of those examples
     * @param seqAccInterval Wilson 95% interval of {@code seqAcc} (computed from it for runs that predate intervals)
     * @param distinctInputs distinct inputs among the examples, or null for runs that predate the count
     */
    public record Split(int examples, double tokenAcc, double seqAcc, Map<String, Map<Integer, Cell>> byFeature,
                        FinalRecord.Interval seqAccInterval, Integer distinctInputs) {

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
        depths = Collections.unmodifiableMap(new TreeMap<>(depths));
    }

    /**
     * The report's view of a run's final record.
     *
     * @throws IllegalArgumentException when a {@code by_feature} value is not an integer
     */
    static FinalSummary of(FinalRecord end, Path dir) {
        Map<Integer, Map<String, Split>> depths = new TreeMap<>();
        if (end.depths() != null) {
            end.depths().forEach((depth, splits) -> {
                try {
                    depths.put(Integer.parseInt(depth), splits(splits, dir, "depths." + depth + "."));
                } catch (NumberFormatException e) {
                    throw JsonFiles.problem(dir.resolve("final.json"), "field 'depths' has a key '" + depth
                            + "' that is not an integer depth");
                }
            });
        }
        return new FinalSummary(end.status(), end.steps() == null ? OptionalInt.empty() : OptionalInt.of(end.steps()),
                Boolean.TRUE.equals(end.stoppedEarly()), end.seconds() == null ? OptionalDouble.empty()
                : OptionalDouble.of(end.seconds()), Optional.ofNullable(end.error()),
                splits(end.splits(), dir, "splits."),
                depths);
    }

    private static Map<String, Split> splits(Map<String, FinalRecord.SplitResult> results, Path dir, String field) {
        Map<String, Split> splits = new LinkedHashMap<>();
        results.forEach((name, result) -> {
            Map<String, Map<Integer, Cell>> byFeature = new LinkedHashMap<>();
            result.byFeature().forEach((feature, values) -> {
                Map<Integer, Cell> cells = new TreeMap<>();
                values.forEach((key, cell) -> {
                    try {
                        cells.put(Integer.parseInt(key), new Cell(cell.examples(), cell.tokenAcc(), cell.seqAcc()));
                    } catch (NumberFormatException e) {
                        throw JsonFiles.problem(dir.resolve("final.json"), "field '" + field + name
                                + ".by_feature."
                                + feature + "' has a value '" + key + "' that is not an integer");
                    }
                });
                byFeature.put(feature, cells);
            });
            splits.put(name, new Split(result.examples(), result.tokenAcc(), result.seqAcc(), byFeature,
                    result.seqAccIntervalOrDerived(), result.distinctInputs()));
        });
        return splits;
    }

    /** Whether a split is out of distribution or an edge split, i.e. anything but the in-distribution test set. */
    public static boolean isShifted(String split) {
        return !split.equals(IN_DISTRIBUTION);
    }
}
