package org.recursa.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.internal.chartpart.Chart;
import org.recursa.runstore.ProbeRecord;

/**
 * Decides which charts a set of runs gets, builds them (not yet encoded), names them and writes their captions,
 * and collects a note for everything that was left out and why.
 */
final class ReportPlan {

    /** Attention heat maps per probed run at most: the first and last steps and evenly spaced ones between. */
    static final int MAX_ATTENTION_MAPS = 4;

    /** Features with fewer or more values (over all runs) than this get no accuracy chart. */
    static final int MIN_FEATURE_VALUES = 2;
    static final int MAX_FEATURE_VALUES = 24;

    /** The sections of the page, in page order. */
    enum Section {
        COMPRESSION("Size and accuracy"),
        CURVES("Learning curves"),
        FEATURES("Accuracy by feature"),
        INFERENCE_DEPTH("Accuracy by inference depth"),
        DEPTH("Per-token recursion depth"),
        PROBES("Linear probes and attention");

        final String heading;

        Section(String heading) {
            this.heading = heading;
        }
    }

    /**
     * One chart to write.
     *
     * @param name    file name without extension, stable for the same runs
     * @param section where it goes on the page
     * @param title   chart title
     * @param caption one paragraph for a reader: what is plotted and from which file
     * @param chart   the XChart chart
     */
    record Planned(String name, Section section, String title, String caption, Chart<?, ?> chart) {
    }

    final List<RunData> runs;
    final RunLegend legend;
    final List<Planned> charts = new ArrayList<>();
    final Map<Section, List<String>> notes = new EnumMap<>(Section.class);

    private ReportPlan(List<RunData> runs) {
        this.runs = List.copyOf(runs);
        this.legend = new RunLegend(runs);
        for (Section section : Section.values()) {
            notes.put(section, new ArrayList<>());
        }
    }

    static ReportPlan of(List<RunData> runs) {
        ReportPlan plan = new ReportPlan(runs);
        plan.compression();
        plan.curves();
        plan.features();
        plan.inferenceDepth();
        plan.depth();
        plan.probes();
        return plan;
    }

    /** The planned chart of that name. */
    Planned chart(String name) {
        return charts.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no chart " + name + " in " + names()));
    }

    List<String> names() {
        return charts.stream().map(Planned::name).toList();
    }

    /** Runs in the size-and-accuracy section: those with a checkpoint, when any of them is a compressed run. */
    List<RunData> sized() {
        if (runs.stream().noneMatch(r -> r.compression() != null)) {
            return List.of();
        }
        return runs.stream().filter(r -> r.checkpointBytes() >= 0).toList();
    }

    /**
     * When the runs include compressed ones ({@code recursa compress}), one chart per split of sequence accuracy
     * against checkpoint bytes, each run a point with its Wilson interval; runs without a checkpoint get a note.
     */
    private void compression() {
        List<RunData> sized = sized();
        if (sized.isEmpty()) {
            return;
        }
        runs.stream().filter(r -> r.checkpointBytes() < 0).forEach(r -> note(Section.COMPRESSION, label(r)
                + ": no checkpoint, so no size to plot (an evaluation run holds its parent's weights)."));
        Set<String> splits = new LinkedHashSet<>();
        sized.forEach(r -> splits.addAll(r.summary().splits().keySet()));
        for (String split : splits) {
            charts.add(new Planned(ReportFiles.bySize(split), Section.COMPRESSION,
                    "Sequence accuracy against checkpoint size on " + split,
                    "Each run's sequence accuracy on " + split + " (final.json) with its Wilson 95% interval, against "
                            + "the size of its checkpoint file on a log scale (checkpoint/model.rckpt, header "
                            + "included); up and to the left is better.",
                    Charts.accuracyBySize(split, sized, legend)));
        }
    }

    private void curves() {
        List<RunData> withLoss = runs.stream().filter(r -> !Charts.lossPoints(r.metrics()).isEmpty()).toList();
        runs.stream().filter(r -> !withLoss.contains(r)).forEach(r -> note(Section.CURVES, label(r)
                + ": no loss curve, metrics.jsonl has no step record with a positive, finite loss."));
        if (!withLoss.isEmpty()) {
            int longest = withLoss.stream().mapToInt(r -> r.metrics().steps().size()).max().orElse(0);
            String averaged = longest > Charts.MAX_CURVE_POINTS
                    ? " Runs with more than " + Charts.MAX_CURVE_POINTS + " steps are drawn as the mean loss of buckets"
                    + " of consecutive steps (" + Charts.MAX_CURVE_POINTS + " points per run)." : "";
            charts.add(new Planned(ReportFiles.LOSS, Section.CURVES, "Training loss",
                    "Training loss against optimiser step, one line per run, on a log scale (metrics.jsonl, "
                            + "type=step, field loss)." + averaged, Charts.loss(withLoss, legend)));
        }
        List<RunData> withEvals = runs.stream()
                .filter(r -> !r.metrics().evals(FinalSummary.IN_DISTRIBUTION).isEmpty()).toList();
        runs.stream().filter(r -> !withEvals.contains(r)).forEach(r -> note(Section.CURVES, label(r)
                + ": no held-out curve, metrics.jsonl has no eval record of " + FinalSummary.IN_DISTRIBUTION + "."));
        if (!withEvals.isEmpty()) {
            charts.add(new Planned(ReportFiles.HELD_OUT, Section.CURVES, "Held-out sequence accuracy",
                    "Share of the held-out " + FinalSummary.IN_DISTRIBUTION + " examples answered exactly, at each "
                            + "evaluation during training (metrics.jsonl, type=eval, field seq_acc); early stopping "
                            + "watches this curve.", Charts.heldOutAccuracy(withEvals, legend)));
        }
    }

    /**
     * For runs evaluated at several inference depths, one chart per split of accuracy against depth; without such
     * runs the section is left out (most runs are not evaluated at other depths, so a note would be noise).
     */
    private void inferenceDepth() {
        List<RunData> scaled = runs.stream().filter(r -> !r.summary().depths().isEmpty()).toList();
        if (scaled.isEmpty()) {
            return;
        }
        Set<String> splits = new LinkedHashSet<>();
        scaled.forEach(r -> r.summary().depths().values().forEach(bySplit -> splits.addAll(bySplit.keySet())));
        for (String split : splits) {
            charts.add(new Planned(ReportFiles.byInferenceDepth(split), Section.INFERENCE_DEPTH,
                    "Sequence accuracy by inference depth on " + split, "Share of the " + split + " examples "
                            + "answered exactly when the trained model runs that many recursions, one line per run "
                            + "(final.json, depths.<depth>." + split + ".seq_acc); the same examples at every depth.",
                    Charts.accuracyByInferenceDepth(split, scaled, legend)));
        }
    }

    private void features() {
        Set<String> splits = new LinkedHashSet<>();
        runs.forEach(r -> r.summary().splits().keySet().stream().filter(FinalSummary::isShifted).forEach(splits::add));
        for (String split : splits) {
            Set<String> features = new LinkedHashSet<>();
            runs.forEach(r -> {
                FinalSummary.Split summary = r.summary().splits().get(split);
                if (summary != null) {
                    features.addAll(summary.byFeature().keySet());
                }
            });
            for (String feature : features) {
                int values = Charts.featureValues(split, feature, runs).size();
                if (values < MIN_FEATURE_VALUES || values > MAX_FEATURE_VALUES) {
                    continue;
                }
                List<RunData> with = runs.stream().filter(r -> Charts.cells(r, split, feature).isPresent()).toList();
                List<String> without = runs.stream().filter(r -> !with.contains(r)).map(this::label).toList();
                String caption = "Share of the " + split + " examples answered exactly, for each value of " + feature
                        + "; one bar per run (final.json, splits." + split + ".by_feature." + feature
                        + ".<value>.seq_acc). A missing bar means the run had no example with that value."
                        + (without.isEmpty() ? "" : " Not shown (no such split or feature): "
                        + String.join(", ", without) + ".");
                charts.add(new Planned(ReportFiles.byFeature(split, feature), Section.FEATURES,
                        "Sequence accuracy by " + feature + " on " + split, caption,
                        Charts.accuracyByFeature(split, feature, with, legend)));
            }
        }
        if (charts.stream().noneMatch(c -> c.section() == Section.FEATURES)) {
            note(Section.FEATURES, "No split other than " + FinalSummary.IN_DISTRIBUTION + " has a feature with "
                    + MIN_FEATURE_VALUES + " to " + MAX_FEATURE_VALUES + " values.");
        }
    }

    private void depth() {
        for (RunData run : runs) {
            if (run.depth().isEmpty()) {
                note(Section.DEPTH, label(run) + ": no depth heat map, the run has no artifact files (status "
                        + run.summary().status() + ").");
                continue;
            }
            DepthTraces traces = run.depth().get();
            if (traces.rows().isEmpty()) {
                note(Section.DEPTH, label(run) + ": no depth heat map, artifacts/" + traces.split()
                        + ".jsonl has no depth.per_token (architecture " + run.config().arch()
                        + " does not report a per-token depth; ACT and MoR runs do).");
                continue;
            }
            double mean = traces.rows().stream().flatMapToDouble(r -> Arrays.stream(r.perToken()))
                    .average().orElse(0);
            String caption = "Recursion depth per token for the first " + traces.rows().size() + " examples of "
                    + traces.split() + " (artifacts/" + traces.split() + ".jsonl, depth.per_token): one row per "
                    + "example, labelled with its index in the split and whether the answer was right; one column per "
                    + "position of input <sep> output, where position t is the depth used to predict token t+1. "
                    + String.format(Locale.ROOT, "Mean depth over the cells shown: %.2f.", mean);
            charts.add(new Planned(ReportFiles.depth(run.id()), Section.DEPTH,
                    "Per-token depth, " + label(run) + " on " + traces.split(), caption,
                    Charts.depth(run, traces, legend)));
        }
    }

    /**
     * For every run with probe records: a chart of the probes' scores per split, and attention heat maps from the
     * record of {@code test-id} (else the first split). Nothing at all, not even the heading, when no run has one.
     */
    private void probes() {
        if (runs.stream().allMatch(r -> r.probes().isEmpty())) {
            return;
        }
        for (RunData run : runs) {
            if (run.probes().isEmpty()) {
                note(Section.PROBES, label(run) + ": no probes (recursa probe " + run.id() + " records them).");
                continue;
            }
            run.probes().forEach((split, record) -> {
                String title = "Linear probes, " + label(run) + " on " + split;
                String caption = "Held-out score of a linear probe reading each per-token feature of the task from "
                        + "the residual stream after each recorded step (probes/" + split + ".json): accuracy for "
                        + "binary and categorical features, with the majority-class baseline as the thin line of the "
                        + "same colour; R² for numeric ones, whose baseline is 0 (values below "
                        + ProbeCharts.FLOOR + " are drawn at " + ProbeCharts.FLOOR + "). Fitted on the input tokens "
                        + "of " + record.trainExamples() + " examples, scored on those of " + record.testExamples()
                        + " others. Method: " + record.method() + ".";
                charts.add(new Planned(ReportFiles.probe(split, run.id()), Section.PROBES, title, caption,
                        ProbeCharts.scores(title, record)));
            });
            String split = run.probes().containsKey(FinalSummary.IN_DISTRIBUTION) ? FinalSummary.IN_DISTRIBUTION
                    : run.probes().keySet().iterator().next();
            ProbeRecord.Attention attention = run.probes().get(split).attention();
            if (attention == null || attention.steps().isEmpty()) {
                note(Section.PROBES, label(run) + ": no attention heat map, probes/" + split + ".json has no "
                        + "attention maps.");
                continue;
            }
            List<String> steps = new ArrayList<>(attention.steps().keySet());
            for (String step : spread(steps, MAX_ATTENTION_MAPS)) {
                float[][][] heads = attention.steps().get(step);
                String title = "Attention at " + step + ", " + label(run) + " on " + split;
                String caption = "Attention of example " + attention.example() + " at " + step + ", the mean of its "
                        + heads.length + (heads.length == 1 ? " head" : " heads") + " (probes/" + split
                        + ".json, attention.steps." + step + "): one row per query, one column per key, labelled "
                        + "with the position and token of input <sep> output <eos>."
                        + (steps.size() > MAX_ATTENTION_MAPS ? " " + MAX_ATTENTION_MAPS + " of the " + steps.size()
                        + " recorded steps are shown; the file has them all, per head." : "");
                charts.add(new Planned(ReportFiles.attention(split, step, run.id()), Section.PROBES, title, caption,
                        ProbeCharts.attention(title, attention.tokens(), heads)));
            }
        }
    }

    /** At most {@code count} of {@code items}: the first, the last and evenly spaced ones between. */
    static List<String> spread(List<String> items, int count) {
        if (items.size() <= count) {
            return items;
        }
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String item = items.get((int) Math.round(i * (items.size() - 1) / (double) (count - 1)));
            if (!picked.contains(item)) {
                picked.add(item);
            }
        }
        return picked;
    }

    private String label(RunData run) {
        return legend.label(run);
    }

    private void note(Section section, String text) {
        notes.get(section).add(text);
    }
}
