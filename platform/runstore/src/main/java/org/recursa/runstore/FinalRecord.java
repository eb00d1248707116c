package org.recursa.runstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code final.json}: how a run ended and the accuracy of every evaluated split (docs/runs.md). Written once,
 * atomically, when the run ends; its presence is what marks a run as ended.
 *
 * @param format       run-format version
 * @param status       {@code finished}, {@code interrupted} or {@code failed}
 * @param finishedAt   ISO-8601 instant
 * @param steps        optimiser steps taken (null when the run failed before training)
 * @param stoppedEarly whether held-out accuracy reached the stopping target
 * @param seconds      training time (null when unknown)
 * @param error        why a failed run failed, or null
 * @param splits       split name to its result, in the task's split order
 */
public record FinalRecord(int format, String status, String finishedAt, Integer steps, Boolean stoppedEarly,
                          Double seconds, String error, Map<String, SplitResult> splits) {

    /** Copies the splits; missing reads as none. */
    public FinalRecord {
        splits = splits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /** The status as an enum. */
    public RunStatus runStatus() {
        return RunStatus.of(status);
    }

    /**
     * One evaluated split.
     *
     * @param examples   evaluated examples
     * @param tokenAcc   share of target tokens predicted right
     * @param seqAcc     share of examples predicted exactly
     * @param traceValid share of examples whose predicted trace reaches the answer (trace mode), or null
     * @param byFeature  feature name, then feature value, then the accuracy of those examples
     */
    public record SplitResult(int examples, double tokenAcc, double seqAcc, Double traceValid,
                              Map<String, Map<String, Cell>> byFeature) {

        /** Copies the breakdown; missing reads as none. */
        public SplitResult {
            Map<String, Map<String, Cell>> copy = new LinkedHashMap<>();
            if (byFeature != null) {
                byFeature.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            }
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
}
