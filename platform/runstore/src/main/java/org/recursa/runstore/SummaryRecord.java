package org.recursa.runstore;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code summary.json}: the MLflow-style view of one run that the index needs, written when the run ends so that a
 * rebuild reads one small file per run instead of five. For runs without one (still running, crashed, or written by
 * format 1) the store derives the same record from the other files ({@link Summaries}).
 *
 * @param format    run-format version
 * @param id        run id
 * @param status    see {@link RunStatus#id()}
 * @param reason    why a run failed or crashed, or null
 * @param task      task id
 * @param arch      architecture id
 * @param startTime epoch milliseconds
 * @param endTime   epoch milliseconds, or null while running or when crashed
 * @param parent    the run this one derives from, or null
 * @param params    flattened settings as strings, e.g. {@code arch.d_model -> 128}
 * @param metrics   final numbers, e.g. {@code seq_acc_test_id -> 0.99}
 * @param tags      user tags, {@code note} included
 * @param artifacts the splits that have a proof-artifact file
 */
public record SummaryRecord(int format, String id, String status, String reason, String task, String arch,
                            long startTime, Long endTime, String parent, Map<String, String> params,
                            Map<String, Double> metrics, Map<String, String> tags, List<String> artifacts) {

    /** Copies and sorts the maps. */
    public SummaryRecord {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(params));
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** The status as an enum. */
    public RunStatus runStatus() {
        return RunStatus.of(status);
    }
}
