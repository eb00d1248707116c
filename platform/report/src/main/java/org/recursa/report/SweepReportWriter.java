package org.recursa.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.recursa.sweep.SweepAggregate;

/**
 * Writes the report of a sweep (docs/sweeps.md): {@code index.html} with a table of every configuration's accuracy
 * over seeds, a chart per split (a bar per configuration, mean and 95% interval as an error bar) and a chart per
 * feature of the shifted splits (a bar per configuration and feature value), each also as
 * {@code charts/<name>.png} and {@code .svg}. Written as {@link ReportWriter} writes a run report: built beside
 * the directory and moved into place, replacing only an earlier report's files.
 */
public final class SweepReportWriter {

    static {
        ReportWriter.headless();
    }

    private SweepReportWriter() {
    }

    /** A chart of the page: its file name, title, caption and the chart. */
    record Planned(String name, String title, String caption, Chart<?, ?> chart) {
    }

    /**
     * Writes the report.
     *
     * @throws IllegalArgumentException {@code <path>: <what is wrong>} for an unusable {@code outDir}, or when no
     *                                  point of the sweep has finished; nothing has been written then
     * @throws UncheckedIOException     when writing fails; nothing is left behind then either
     */
    public static Report write(SweepAggregate aggregate, Path outDir) {
        Objects.requireNonNull(outDir, "outDir");
        if (aggregate.groups().stream().allMatch(g -> g.runs().isEmpty())) {
            throw new IllegalArgumentException("sweep " + aggregate.plan().id() + " has no finished run yet ("
                    + aggregate.counts() + "); nothing to report");
        }
        OutputDir.checkUsable(outDir);
        List<Planned> planned = plan(aggregate);
        Path temp = null;
        try {
            temp = OutputDir.createTemp(outDir);
            Files.createDirectories(temp.resolve(ReportFiles.CHARTS));
            Map<String, String> inlined = new LinkedHashMap<>();
            List<Report.Chart> charts = new ArrayList<>();
            int index = 0;
            for (Planned chart : planned) {
                byte[] png = ChartEncoder.getBytes(chart.chart(), "png");
                byte[] svg = ChartEncoder.getBytes(chart.chart(), "svg");
                Files.write(file(temp, chart.name(), "png"), png);
                Files.write(file(temp, chart.name(), "svg"), svg);
                inlined.put(chart.name(), SvgInline.inline(new String(svg, StandardCharsets.UTF_8), "c" + index++,
                        chart.title()));
                charts.add(new Report.Chart(chart.name(), chart.title(), file(outDir, chart.name(), "png"),
                        file(outDir, chart.name(), "svg"), chart.chart().getWidth(), chart.chart().getHeight()));
            }
            List<String> notes = notes(aggregate);
            Files.writeString(temp.resolve(ReportFiles.INDEX), SweepPage.render(aggregate, planned, inlined, notes),
                    StandardCharsets.UTF_8);
            OutputDir.moveIntoPlace(temp, outDir);
            temp = null;
            return new Report(outDir, outDir.resolve(ReportFiles.INDEX), charts, notes);
        } catch (IOException e) {
            OutputDir.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write the report to " + outDir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            OutputDir.deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * A chart per split, then per feature of every split but test-id that takes 2 to 24 values, then per split
     * evaluated at other inference depths.
     */
    static List<Planned> plan(SweepAggregate aggregate) {
        List<Planned> charts = new ArrayList<>();
        for (String split : aggregate.splits()) {
            charts.add(new Planned(ReportFiles.sweepSplit(split), "Accuracy on " + split,
                    "Sequence and token accuracy on " + split + " for each configuration: the bar is the mean over "
                            + "the seeds whose run finished, the error bar the 95% t-interval of that mean "
                            + "(mean ± t(0.975, n-1)·sd/√n; none with one seed). From final.json, splits." + split
                            + ".seq_acc and .token_acc.", SweepCharts.split(aggregate, split)));
        }
        for (String split : aggregate.splits()) {
            if (!FinalSummary.isShifted(split)) {
                continue;
            }
            for (String feature : SweepCharts.features(aggregate, split)) {
                int values = SweepCharts.featureValues(aggregate, split, feature).size();
                if (values < ReportPlan.MIN_FEATURE_VALUES || values > ReportPlan.MAX_FEATURE_VALUES) {
                    continue;
                }
                charts.add(new Planned(ReportFiles.sweepFeature(split, feature),
                        "Sequence accuracy by " + feature + " on " + split,
                        "Sequence accuracy on the " + split + " examples of each value of " + feature + ", one bar per "
                                + "configuration: the mean over seeds and its 95% t-interval (final.json, splits."
                                + split + ".by_feature." + feature + ".<value>.seq_acc). A missing bar means no run "
                                + "of the configuration had an example with that value.",
                        SweepCharts.feature(aggregate, split, feature)));
            }
        }
        for (String split : SweepCharts.depthSplits(aggregate)) {
            charts.add(new Planned(ReportFiles.sweepInferenceDepth(split), "Sequence accuracy by inference depth on "
                    + split, "Sequence accuracy on " + split + " when the trained models run that many recursions "
                    + "(eval.recursions), one line per configuration: the mean over seeds and its 95% t-interval "
                    + "(final.json, depths.<depth>." + split + ".seq_acc).",
                    SweepCharts.inferenceDepth(aggregate, split)));
        }
        return charts;
    }

    private static List<String> notes(SweepAggregate aggregate) {
        List<String> notes = new ArrayList<>(aggregate.notes());
        if (aggregate.counts().done() < aggregate.counts().total()) {
            notes.add("The sweep is not complete (" + aggregate.counts() + "); the figures are over the finished "
                    + "runs only.");
        }
        aggregate.groups().stream().filter(g -> g.runs().isEmpty()).forEach(g -> notes.add("Configuration "
                + g.config() + " has no finished run and is not shown."));
        aggregate.groups().stream().filter(g -> g.runs().size() == 1).forEach(g -> notes.add("Configuration "
                + g.config() + " has one finished seed: no interval."));
        return notes;
    }

    private static Path file(Path dir, String name, String extension) {
        return dir.resolve(ReportFiles.CHARTS).resolve(name + "." + extension);
    }
}
