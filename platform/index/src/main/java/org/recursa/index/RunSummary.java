package org.recursa.index;

import java.nio.file.Path;
import java.util.Map;
import org.recursa.runstore.SummaryRecord;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the index knows of one run, from the run store's summary record: the MLflow-style view of params (resolved
 * settings as strings), metrics (final numbers), tags and attributes.
 *
 * @param id          the run id (its directory name)
 * @param dir         the run directory
 * @param status      running, finished, interrupted, failed or crashed (the process died)
 * @param task        task id
 * @param arch        architecture id
 * @param startTime   epoch milliseconds
 * @param endTime     epoch milliseconds, or -1 while running and for a crashed run
 * @param params      flattened settings, e.g. {@code arch.d_model -> 128}
 * @param metrics     final numbers, e.g. {@code seq_acc_test_id -> 0.99}
 * @param tags        user tags, {@code note} included
 * @param reason      why a run failed or crashed, or null
 */
public record RunSummary(String id, Path dir, String status, String task, String arch, long startTime, long endTime,
                         SortedMap<String, String> params, SortedMap<String, Double> metrics,
                         SortedMap<String, String> tags, String reason) {

    /** Copies the maps, sorted by key. */
    public RunSummary {
        params = new TreeMap<>(params);
        metrics = new TreeMap<>(metrics);
        tags = new TreeMap<>(tags);
    }

    /** The index's view of a run store summary. */
    public static RunSummary of(SummaryRecord summary, Path dir) {
        return new RunSummary(summary.id(), dir, summary.status(), summary.task(), summary.arch(), summary.startTime(),
                summary.endTime() == null ? -1 : summary.endTime(), new TreeMap<>(summary.params()),
                new TreeMap<>(summary.metrics()), new TreeMap<>(summary.tags()), summary.reason());
    }

    /** The tag that names a run, as in MLflow; {@code attributes.run_name} follows it. */
    public static final String RUN_NAME_TAG = "mlflow.runName";

    /**
     * The attributes a filter can name as {@code attributes.<name>}. As in MLflow, {@code run_name} is the value of
     * the tag {@value #RUN_NAME_TAG} when the run has it, else the run id.
     */
    public Map<String, Object> attributes() {
        Map<String, Object> attributes = new TreeMap<>();
        attributes.put("run_id", id);
        attributes.put("run_name", tags.getOrDefault(RUN_NAME_TAG, id));
        attributes.put("status", status);
        attributes.put("task", task);
        attributes.put("arch", arch);
        attributes.put("start_time", startTime);
        if (endTime >= 0) {
            attributes.put("end_time", endTime);
        }
        return attributes;
    }
}
