package org.recursa.report;

/**
 * The names of the files a report consists of (docs/reports.md). Names depend only on the runs' ids, splits and
 * features, so a report of the same runs has the same files.
 */
public final class ReportFiles {

    /** The page. */
    public static final String INDEX = "index.html";

    /**
     * The list of the files the report wrote, one path relative to the report directory a line (lines starting
     * with {@code #} are comments). A later report into the same directory replaces exactly these files and keeps
     * every other one.
     */
    public static final String MANIFEST = ".recursa-report";

    /** The directory of the chart files, next to the page. */
    public static final String CHARTS = "charts";

    /** Training loss of every run (chart base name; the files add {@code .png} and {@code .svg}). */
    public static final String LOSS = "learning-loss";

    /** Held-out sequence accuracy of every run during training. */
    public static final String HELD_OUT = "learning-seq-acc";

    private ReportFiles() {
    }

    /** Sequence accuracy by one feature on one split, e.g. {@code seq-acc-test-ood-carry-by-carry_chain}. */
    public static String byFeature(String split, String feature) {
        return "seq-acc-" + safe(split) + "-by-" + safe(feature);
    }

    /** Sequence accuracy against inference depth on one split, e.g. {@code seq-acc-by-depth-test-ood-carry}. */
    public static String byInferenceDepth(String split) {
        return "seq-acc-by-depth-" + safe(split);
    }

    /** Sequence accuracy against checkpoint size on one split, e.g. {@code seq-acc-by-size-test-id}. */
    public static String bySize(String split) {
        return "seq-acc-by-size-" + safe(split);
    }

    /** A sweep's accuracy against inference depth on one split, e.g. {@code sweep-by-depth-test-ood-depth}. */
    public static String sweepInferenceDepth(String split) {
        return "sweep-by-depth-" + safe(split);
    }

    /** One run's per-token depth heat map, e.g. {@code depth-20261125-040502-binary-successor-mor-514c}. */
    public static String depth(String runId) {
        return "depth-" + safe(runId);
    }

    /** One run's probe scores on one split, e.g. {@code probe-test-id-20261125-040502-binary-successor-mor-514c}. */
    public static String probe(String split, String runId) {
        return "probe-" + safe(split) + "-" + safe(runId);
    }

    /** One run's attention map at one step of a probed split, e.g. {@code attention-test-id-recursion.2-<run>}. */
    public static String attention(String split, String step, String runId) {
        return "attention-" + safe(split) + "-" + safe(step) + "-" + safe(runId);
    }

    /** A sweep's accuracy on one split per configuration, e.g. {@code sweep-test-ood-carry}. */
    public static String sweepSplit(String split) {
        return "sweep-" + safe(split);
    }

    /** A sweep's sequence accuracy by one feature on one split, e.g. {@code sweep-test-ood-carry-by-carry_chain}. */
    public static String sweepFeature(String split, String feature) {
        return "sweep-" + safe(split) + "-by-" + safe(feature);
    }

    /** Keeps letters, digits, {@code .}, {@code _} and {@code -}; anything else becomes {@code _}. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
