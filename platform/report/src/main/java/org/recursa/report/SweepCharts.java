package org.recursa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.recursa.sweep.Stats;
import org.recursa.sweep.SweepAggregate;

/**
 * The charts of a sweep report: bars of the mean over seeds with error bars of the 95% t-interval
 * ({@link Stats#half()}), drawn by XChart's category chart (a vertical line from mean - half to mean + half with a
 * cap at each end, in {@link #ERROR_BARS}). A configuration with one finished seed has no interval: its error bar
 * has length 0.
 */
final class SweepCharts {

    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    /** The error bars' colour, the same in every chart and used for nothing else. */
    static final Color ERROR_BARS = new Color(17, 17, 17);

    /** Sequence accuracy's colour in the split charts. */
    static final Color SEQ = RunLegend.PALETTE[0];
    /** Token accuracy's colour in the split charts. */
    static final Color TOKEN = RunLegend.PALETTE[1];

    /** Category labels longer than this together are turned, so that they do not overlap. */
    static final int MAX_FLAT_LABEL_CHARS = 80;

    static {
        ReportWriter.headless();
    }

    private SweepCharts() {
    }

    /**
     * Sequence accuracy on one split against inference depth ({@code eval.recursions}): a line per configuration
     * evaluated at several depths, the mean over seeds with the 95% t-interval as error bars, depth on a log-2 axis.
     */
    static XYChart inferenceDepth(SweepAggregate aggregate, String split) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Sequence accuracy by inference depth on " + split + ", mean and 95% interval over seeds")
                .xAxisTitle("inference depth (recursions)").yAxisTitle("seq acc").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setErrorBarsColor(ERROR_BARS);
        int index = 0;
        for (SweepAggregate.Group group : aggregate.groups()) {
            List<double[]> points = new ArrayList<>();
            group.depths().forEach((depth, splits) -> {
                SweepAggregate.Split result = splits.get(split);
                if (result != null) {
                    double half = Double.isNaN(result.seqAcc().half()) ? 0 : result.seqAcc().half();
                    points.add(new double[] {depth, result.seqAcc().mean(), half});
                }
            });
            if (points.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(group.config(), Charts.column(points, 0), Charts.column(points, 1),
                    Charts.column(points, 2));
            Color color = RunLegend.PALETTE[index++ % RunLegend.PALETTE.length];
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(color);
            series.setMarkerColor(color);
        }
        return chart;
    }

    /** The splits evaluated at several inference depths by any configuration, in first-seen order. */
    static List<String> depthSplits(SweepAggregate aggregate) {
        Set<String> splits = new LinkedHashSet<>();
        aggregate.groups().forEach(g -> g.depths().values().forEach(bySplit -> splits.addAll(bySplit.keySet())));
        return new ArrayList<>(splits);
    }

    /**
     * One split: a category per configuration that has a finished run, two bars each (sequence and token accuracy,
     * mean over seeds) with their intervals.
     */
    static CategoryChart split(SweepAggregate aggregate, String split) {
        List<SweepAggregate.Group> groups = aggregate.groups().stream()
                .filter(g -> g.splits().containsKey(split)).toList();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Accuracy on " + split + ", mean and 95% interval over seeds")
                .xAxisTitle("configuration").yAxisTitle("accuracy").build();
        List<String> categories = groups.stream().map(SweepAggregate.Group::config).toList();
        style(chart.getStyler(), categories);
        add(chart, "sequence accuracy", SEQ, categories,
                groups.stream().map(g -> g.splits().get(split).seqAcc()).toList());
        add(chart, "token accuracy", TOKEN, categories,
                groups.stream().map(g -> g.splits().get(split).tokenAcc()).toList());
        return chart;
    }

    /**
     * Sequence accuracy per value of one feature on one split: a category per value (ascending), a bar per
     * configuration, each with its interval. A configuration without examples of a value has no bar there.
     */
    static CategoryChart feature(SweepAggregate aggregate, String split, String feature) {
        List<String> values = new ArrayList<>(featureValues(aggregate, split, feature));
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Sequence accuracy by " + feature + " on " + split + ", mean and 95% interval over seeds")
                .xAxisTitle(feature).yAxisTitle("seq acc").build();
        style(chart.getStyler(), values);
        int index = 0;
        for (SweepAggregate.Group group : aggregate.groups()) {
            Color color = RunLegend.PALETTE[index++ % RunLegend.PALETTE.length];
            SweepAggregate.Split stats = group.splits().get(split);
            if (stats == null || !stats.byFeature().containsKey(feature)) {
                continue;
            }
            Map<String, Stats> cells = stats.byFeature().get(feature);
            add(chart, group.config(), color, values, values.stream().map(cells::get).toList());
        }
        return chart;
    }

    /** The union of a feature's values on a split over the configurations, in the aggregate's order. */
    static Set<String> featureValues(SweepAggregate aggregate, String split, String feature) {
        Set<String> values = new TreeSet<>(SweepCharts::compare);
        aggregate.groups().forEach(g -> {
            SweepAggregate.Split stats = g.splits().get(split);
            if (stats != null && stats.byFeature().containsKey(feature)) {
                values.addAll(stats.byFeature().get(feature).keySet());
            }
        });
        return values;
    }

    /** The features of a split, over the configurations, in order of appearance. */
    static Set<String> features(SweepAggregate aggregate, String split) {
        Set<String> features = new LinkedHashSet<>();
        aggregate.groups().forEach(g -> {
            SweepAggregate.Split stats = g.splits().get(split);
            if (stats != null) {
                features.addAll(stats.byFeature().keySet());
            }
        });
        return features;
    }

    /**
     * One series: the means, and the half-widths as error bars. A missing cell is a NaN bar (not drawn) with a 0 error
     * bar; an undefined interval (one seed) is 0.
     */
    private static void add(CategoryChart chart, String name, Color color, List<String> categories, List<Stats> stats) {
        List<Double> means = stats.stream().map(s -> s == null ? Double.NaN : s.mean()).toList();
        List<Double> halves = stats.stream().map(s -> s == null || Double.isNaN(s.half()) ? 0.0 : s.half()).toList();
        CategorySeries series = chart.addSeries(name, categories, means, halves);
        series.setFillColor(color);
        series.setLineColor(color);
    }

    private static void style(CategoryStyler styler, List<String> categories) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTickPadding(6);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setYAxisDecimalPattern("0.00");
        styler.setErrorBarsColorSeriesColor(false);
        styler.setErrorBarsColor(ERROR_BARS);
        if (categories.stream().mapToInt(String::length).sum() > MAX_FLAT_LABEL_CHARS) {
            styler.setXAxisLabelRotation(20);
        }
    }

    private static int compare(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
