package org.recursa.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.recursa.runstore.ProbeRecord;

/**
 * The charts of a run's probe record ({@code probes/<split>.json}, docs/probes.md): the held-out score of every
 * per-token feature at every recorded step, and one example's attention at a step.
 */
final class ProbeCharts {

    static final int SCORES_WIDTH = 900;
    static final int SCORES_HEIGHT = 450;
    static final int ATTENTION_SIZE = 560;

    /** R² below this is drawn at it, so that one poor probe does not squash the others. */
    static final double FLOOR = -1.0;

    static {
        ReportWriter.headless();
    }

    private ProbeCharts() {
    }

    /**
     * Held-out accuracy or R² per recorded step: one line per feature, the steps in the order of the computation
     * on the x-axis; a classification feature also gets its majority-class baseline as a thin line without markers.
     * Steps where a probe could not be fitted leave a gap.
     */
    static CategoryChart scores(String title, ProbeRecord record) {
        CategoryChart chart = new CategoryChartBuilder().width(SCORES_WIDTH).height(SCORES_HEIGHT).title(title)
                .xAxisTitle("recorded step (residual stream after it)").yAxisTitle("held-out accuracy / R²").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);           // every series' point at the middle of its step
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisMin(Math.max(FLOOR, Math.min(0.0, lowest(record))));
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setMarkerSize(7);
        List<String> steps = record.steps();
        int index = 0;
        for (ProbeRecord.Target target : record.targets()) {
            Color color = RunLegend.PALETTE[index++ % RunLegend.PALETTE.length];
            List<Double> values = new ArrayList<>();
            for (String step : steps) {
                ProbeRecord.Score score = target.scores().get(step);
                values.add(score == null || score.value() == null ? null : Math.max(FLOOR, score.value()));
            }
            CategorySeries series = chart.addSeries(label(target), steps, values);
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setMarker(SeriesMarkers.CIRCLE);
            if (target.metric().equals("accuracy") && target.baseline() != null) {
                CategorySeries baseline = chart.addSeries(target.name() + " baseline", steps,
                        steps.stream().map(s -> target.baseline()).toList());
                baseline.setLineColor(color);
                baseline.setLineWidth(0.8f);
                baseline.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** The series label of a feature: its name and metric. */
    static String label(ProbeRecord.Target target) {
        return target.name() + (target.metric().equals("r2") ? " (R²)" : " (accuracy)");
    }

    /**
     * One example's attention at one step, averaged over the heads: a row per query position (the first on top), a
     * column per key position, each labelled with its position and token; white is 0, the darkest the largest
     * weight shown.
     */
    static HeatMapChart attention(String title, List<String> tokens, float[][][] heads) {
        HeatMapChart chart = new HeatMapChartBuilder().width(ATTENTION_SIZE).height(ATTENTION_SIZE).title(title)
                .xAxisTitle("key").yAxisTitle("query").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0, 114, 178), new Color(8, 48, 107)});
        int length = heads.length == 0 ? 0 : heads[0].length;
        List<String> positions = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            positions.add(t + " " + (t < tokens.size() ? tokens.get(t) : "?"));
        }
        List<String> queries = new ArrayList<>(positions);
        java.util.Collections.reverse(queries);          // the first query on top, as attention maps are read
        List<Number[]> cells = new ArrayList<>();
        double max = 0;
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                double mean = 0;
                for (float[][] head : heads) {
                    mean += head[i][j] / (double) heads.length;
                }
                cells.add(new Number[] {j, length - 1 - i, mean});
                max = Math.max(max, mean);
            }
        }
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(max > 0 ? max : 1);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.addSeries("attention", positions, queries, cells);
        return chart;
    }

    private static double lowest(ProbeRecord record) {
        double lowest = 0;
        for (ProbeRecord.Target target : record.targets()) {
            for (ProbeRecord.Score score : target.scores().values()) {
                if (score.value() != null) {
                    lowest = Math.min(lowest, score.value());
                }
            }
        }
        return lowest;
    }
}
