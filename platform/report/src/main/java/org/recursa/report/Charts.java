package org.recursa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The XChart charts of a report, one builder per kind. Builders only build chart objects; {@link ReportWriter}
 * encodes them. Every builder takes the runs that have data for it and gives each one series, in the run's
 * {@link RunLegend} colour.
 */
final class Charts {

    static final int CURVE_WIDTH = 900;
    static final int CURVE_HEIGHT = 500;
    static final int FEATURE_WIDTH = 900;
    static final int FEATURE_HEIGHT = 450;
    static final int DEPTH_WIDTH = 1000;
    static final int DEPTH_HEIGHT = 640;

    /** Loss curves longer than this are averaged over buckets of consecutive steps. */
    static final int MAX_CURVE_POINTS = 500;

    /** Bar charts with more bars than this leave out the value labels, which would overlap. */
    static final int MAX_LABELLED_BARS = 40;

    private static final Color GRID = new Color(225, 225, 225);

    static {
        ReportWriter.headless();
    }

    private Charts() {
    }

    /** Training loss vs step, log y-axis, one line per run with at least one positive, finite loss. */
    static XYChart loss(List<RunData> runs, RunLegend legend) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title("Training loss").xAxisTitle("step").yAxisTitle("loss (log scale)").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(true);
        for (RunData run : runs) {
            List<double[]> points = lossPoints(run.metrics());
            if (points.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(legend.label(run), column(points, 0), column(points, 1));
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(legend.color(run));
            series.setLineWidth(1.5f);
        }
        return chart;
    }

    /**
     * The points of a loss curve: {@code (step, loss)} for every step with a positive, finite loss (a log axis cannot
     * show others), averaged over buckets of consecutive steps when there are more than {@link #MAX_CURVE_POINTS}.
     */
    static List<double[]> lossPoints(Metrics metrics) {
        List<Metrics.Step> steps = metrics.steps().stream()
                .filter(s -> s.loss() > 0 && Double.isFinite(s.loss())).toList();
        int bucket = (steps.size() + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS;
        List<double[]> points = new ArrayList<>();
        for (int from = 0; from < steps.size(); from += bucket) {
            List<Metrics.Step> group = steps.subList(from, Math.min(steps.size(), from + bucket));
            points.add(new double[] {
                group.stream().mapToDouble(Metrics.Step::step).average().orElseThrow(),
                group.stream().mapToDouble(Metrics.Step::loss).average().orElseThrow()});
        }
        return points;
    }

    /** Sequence accuracy on the held-out {@code test-id} set vs step, one line per run that evaluated it. */
    static XYChart heldOutAccuracy(List<RunData> runs, RunLegend legend) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title("Held-out sequence accuracy (" + FinalSummary.IN_DISTRIBUTION + ")")
                .xAxisTitle("step").yAxisTitle("seq acc").build();
        style(chart.getStyler());
        accuracyAxis(chart.getStyler());
        chart.getStyler().setMarkerSize(6);
        for (RunData run : runs) {
            List<Metrics.Eval> evals = run.metrics().evals(FinalSummary.IN_DISTRIBUTION);
            if (evals.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(legend.label(run),
                    evals.stream().mapToDouble(Metrics.Eval::step).toArray(),
                    evals.stream().mapToDouble(Metrics.Eval::seqAcc).toArray());
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(legend.color(run));
            series.setMarkerColor(legend.color(run));
        }
        return chart;
    }

    /**
     * Sequence accuracy on one split against the inference depth the model ran at (test-time depth scaling), one line
     * per run evaluated at several depths, with the depth axis in log 2 steps as depths are usually doubled.
     */
    static XYChart accuracyByInferenceDepth(String split, List<RunData> runs, RunLegend legend) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title("Sequence accuracy by inference depth on " + split)
                .xAxisTitle("inference depth (recursions)").yAxisTitle("seq acc").build();
        style(chart.getStyler());
        accuracyAxis(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(7);
        for (RunData run : runs) {
            List<double[]> points = new ArrayList<>();
            run.summary().depths().forEach((depth, splits) -> {
                FinalSummary.Split result = splits.get(split);
                if (result != null) {
                    points.add(new double[] {depth, result.seqAcc()});
                }
            });
            if (points.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(legend.label(run), column(points, 0), column(points, 1));
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(legend.color(run));
            series.setMarkerColor(legend.color(run));
        }
        return chart;
    }

    /**
     * Sequence accuracy on one split against checkpoint bytes (log scale): one point per run, with its Wilson 95%
     * interval drawn as a vertical line of the run's colour (XChart's error bars are symmetric; the interval is not).
     */
    static XYChart accuracyBySize(String split, List<RunData> runs, RunLegend legend) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title("Sequence accuracy against checkpoint size on " + split)
                .xAxisTitle("checkpoint bytes").yAxisTitle("seq acc").build();
        style(chart.getStyler());
        accuracyAxis(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(9);
        // whole decades around the sizes: a report of near-equal sizes must not stretch a few bytes across the plot
        double smallest = runs.stream().mapToLong(RunData::checkpointBytes).filter(b -> b > 0).min().orElse(1);
        double largest = runs.stream().mapToLong(RunData::checkpointBytes).max().orElse(10);
        double low = Math.floor(Math.log10(smallest));
        double high = Math.max(low + 1, Math.ceil(Math.log10(largest)));
        chart.getStyler().setXAxisMin(Math.pow(10, low));
        chart.getStyler().setXAxisMax(Math.pow(10, high));
        for (RunData run : runs) {
            FinalSummary.Split result = run.summary().splits().get(split);
            if (result == null) {
                continue;
            }
            double bytes = run.checkpointBytes();
            String label = legend.label(run) + (run.config().compressor() == null ? ""
                    : " (" + compressionLabel(run, runs) + ")");
            XYSeries point = chart.addSeries(label, new double[] {bytes}, new double[] {result.seqAcc()});
            point.setMarker(SeriesMarkers.CIRCLE);
            point.setMarkerColor(legend.color(run));
            point.setLineColor(legend.color(run));
            XYSeries interval = chart.addSeries(label + " 95% interval", new double[] {bytes, bytes},
                    new double[] {result.seqAccInterval().low(), result.seqAccInterval().high()});
            interval.setMarker(SeriesMarkers.NONE);
            interval.setLineColor(legend.color(run));
            interval.setShowInLegend(false);
        }
        return chart;
    }

    /**
     * A compressed run's compressor and the settings in which it differs from the other runs of that compressor in
     * the chart, e.g. {@code layer-tying rank=4} (a sweep of ranks), so that each point says what it is.
     */
    static String compressionLabel(RunData run, List<RunData> runs) {
        String compressor = run.config().compressor();
        List<Map<String, Object>> others = runs.stream().filter(r -> compressor.equals(r.config().compressor()))
                .map(r -> r.config().compressorSettings()).toList();
        StringBuilder label = new StringBuilder(compressor);
        run.config().compressorSettings().forEach((key, value) -> {
            if (others.stream().anyMatch(settings -> !java.util.Objects.equals(settings.get(key), value))) {
                label.append(' ').append(key).append('=').append(value);
            }
        });
        return label.toString();
    }

    /**
     * Sequence accuracy per value of one feature on one split, as grouped bars: one category per feature value (the
     * union over the runs, ascending), one series per run that has the feature on that split. A run without examples
     * of a value has no bar there; a bar of height 0 is labelled 0.00.
     */
    static CategoryChart accuracyByFeature(String split, String feature, List<RunData> runs, RunLegend legend) {
        List<Integer> values = new ArrayList<>(featureValues(split, feature, runs));
        CategoryChart chart = new CategoryChartBuilder().width(FEATURE_WIDTH).height(FEATURE_HEIGHT)
                .title("Sequence accuracy by " + feature + " on " + split)
                .xAxisTitle(feature).yAxisTitle("seq acc").build();
        style(chart.getStyler());
        accuracyAxis(chart.getStyler());
        List<String> categories = values.stream().map(String::valueOf).toList();
        int bars = 0;
        for (RunData run : runs) {
            Optional<Map<Integer, FinalSummary.Cell>> cells = cells(run, split, feature);
            if (cells.isEmpty()) {
                continue;
            }
            List<Double> accuracy = values.stream()
                    .map(v -> cells.get().containsKey(v) ? cells.get().get(v).seqAcc() : null).toList();
            CategorySeries series = chart.addSeries(legend.label(run), categories, accuracy);
            series.setFillColor(legend.color(run));
            bars += values.size();
        }
        chart.getStyler().setLabelsVisible(bars <= MAX_LABELLED_BARS);
        chart.getStyler().setLabelsPosition(1.0);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        chart.getStyler().setYAxisDecimalPattern("0.00"); // ticks and bar labels
        return chart;
    }

    /** The union of a feature's values on a split over the runs, ascending. */
    static TreeSet<Integer> featureValues(String split, String feature, List<RunData> runs) {
        TreeSet<Integer> values = new TreeSet<>();
        runs.forEach(run -> cells(run, split, feature).ifPresent(cells -> values.addAll(cells.keySet())));
        return values;
    }

    static Optional<Map<Integer, FinalSummary.Cell>> cells(RunData run, String split, String feature) {
        FinalSummary.Split summary = run.summary().splits().get(split);
        return summary == null ? Optional.empty() : Optional.ofNullable(summary.byFeature().get(feature));
    }

    /**
     * Per-token recursion depth of up to {@link RunData#DEPTH_ROWS} examples of one run: a row per example (labelled
     * with its index in the split and whether it was right), a column per position of {@code input <sep> output},
     * the colour the depth. Positions past an example's end are left blank.
     */
    static HeatMapChart depth(RunData run, DepthTraces traces, RunLegend legend) {
        HeatMapChart chart = new HeatMapChartBuilder().width(DEPTH_WIDTH).height(DEPTH_HEIGHT)
                .title("Per-token depth, " + legend.label(run) + " on " + traces.split())
                .xAxisTitle("position in input <sep> output").yAxisTitle("example").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotGridLinesVisible(false);
        int columns = traces.rows().stream().mapToInt(r -> r.perToken().length).max().orElse(0);
        List<Integer> positions = new ArrayList<>();
        for (int p = 0; p < columns; p++) {
            positions.add(p);
        }
        List<String> examples = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row = 0; row < traces.rows().size(); row++) {
            DepthTraces.Row trace = traces.rows().get(row);
            examples.add(trace.index() + (trace.correct() ? " right" : " wrong"));
            for (int p = 0; p < trace.perToken().length; p++) {
                double depth = trace.perToken()[p];
                cells.add(new Number[] {p, row, depth});
                min = Math.min(min, depth);
                max = Math.max(max, depth);
            }
        }
        chart.getStyler().setMin(min);
        chart.getStyler().setMax(max > min ? max : min + 1);
        chart.getStyler().setHeatMapValueDecimalPattern("0.#");
        chart.addSeries("depth", positions, examples, cells);
        return chart;
    }

    static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        // solid grid lines: dashed ones become large outlined paths in SVG
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setPlotGridLinesColor(GRID);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTickPadding(6);
    }

    private static void accuracyAxis(AxesChartStyler styler) {
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
    }

    static double[] column(List<double[]> points, int index) {
        return points.stream().mapToDouble(p -> p[index]).toArray();
    }
}
