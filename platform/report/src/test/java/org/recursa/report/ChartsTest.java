package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.Series;

/** The chart objects the report builds, before they are encoded: which charts, which series, which values. */
class ChartsTest {

    @TempDir
    static Path tmp;

    static RunFixture vanilla = RunFixture.run("vanilla").skill(0.3);
    static RunFixture mor = RunFixture.run("mor").skill(0.6).withDepth();
    static RunFixture universal = RunFixture.run("universal").skill(0.9).withoutOodCarry(10);
    static ReportPlan plan;

    @BeforeAll
    static void plan() {
        plan = ReportPlan.of(List.of(RunData.read(vanilla.writeTo(tmp)), RunData.read(mor.writeTo(tmp)),
                RunData.read(universal.writeTo(tmp))));
    }

    @Test
    void accuracyByFeatureHasOneSeriesPerRunSideBySide() {
        CategoryChart chart = (CategoryChart) plan.chart("seq-acc-test-ood-carry-by-carry_chain").chart();
        assertThat(names(chart)).containsExactly("vanilla", "mor", "universal");
        CategorySeries universalSeries = chart.getSeries("universal");
        assertThat(new ArrayList<Object>(universalSeries.getXData())).containsExactly("6", "7", "8", "9", "10");
        // carry 10 is absent from the universal run's by_feature: no bar (NaN), not a zero bar
        assertThat(universalSeries.getYData()).containsExactly(0.9, 0.45, 0.3, 0.225, Double.NaN);
        assertThat(chart.getSeries("vanilla").getYData())
                .containsExactly(new double[] {0.3, 0.15, 0.1, 0.075, 0.0}, within(1e-12));
        assertThat(chart.getStyler().isOverlapped()).isFalse();
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(1.0);
        assertThat(chart.getTitle()).isEqualTo("Sequence accuracy by carry_chain on test-ood-carry");
    }

    @Test
    void accuracyByInferenceDepthHasALineForEachRunEvaluatedAtSeveralDepths(@TempDir Path dir) {
        RunFixture scaled = RunFixture.run("recurrent-depth").skill(0.8).withInferenceDepths(16, 1, 4);
        ReportPlan withDepths = ReportPlan.of(List.of(RunData.read(RunFixture.run("vanilla").writeTo(dir)),
                RunData.read(scaled.writeTo(dir))));
        assertThat(withDepths.names()).filteredOn(n -> n.startsWith("seq-acc-by-depth-")).containsExactly(
                "seq-acc-by-depth-test-id", "seq-acc-by-depth-test-edge-carry", "seq-acc-by-depth-test-ood-carry",
                "seq-acc-by-depth-test-ood-length");
        XYChart chart = (XYChart) withDepths.chart("seq-acc-by-depth-test-ood-carry").chart();
        assertThat(names(chart)).containsExactly("recurrent-depth");     // vanilla has no depths
        assertThat(chart.getSeries("recurrent-depth").getXData()).containsExactly(1.0, 4.0, 16.0);
        assertThat(chart.getSeries("recurrent-depth").getYData()).containsExactly(new double[] {0.1, 0.4, 0.8},
                within(1e-12));
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(plan.names()).as("no run of the shared plan has depths").noneMatch(n -> n.contains("by-depth"));
        assertThat(plan.notes.get(ReportPlan.Section.INFERENCE_DEPTH)).as("no section, not a note").isEmpty();
    }

    @Test
    void onlyShiftedSplitsAndFeaturesWithTwoTo24ValuesAreCharted() {
        assertThat(plan.names()).filteredOn(n -> n.startsWith("seq-acc-")).containsExactly(
                "seq-acc-test-edge-carry-by-carry_chain", // bits on test-edge-carry has one value
                "seq-acc-test-ood-carry-by-bits", "seq-acc-test-ood-carry-by-carry_chain",
                "seq-acc-test-ood-length-by-bits"); // length on test-ood-length has 30 values; test-id never
    }

    @Test
    void learningCurvesHaveOneSeriesPerRunAndALogLossAxis() {
        XYChart loss = (XYChart) plan.chart(ReportFiles.LOSS).chart();
        assertThat(names(loss)).containsExactly("vanilla", "mor", "universal");
        assertThat(loss.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(loss.getSeries("mor").getXData()).hasSize(RunFixture.STEPS);

        XYChart heldOut = (XYChart) plan.chart(ReportFiles.HELD_OUT).chart();
        assertThat(names(heldOut)).containsExactly("vanilla", "mor", "universal");
        assertThat(heldOut.getSeries("universal").getXData())
                .containsExactly(10.0, 20.0, 30.0, 40.0, 50.0, 60.0);
        assertThat(heldOut.getStyler().isYAxisLogarithmic()).isFalse();
    }

    @Test
    void longLossCurvesAreAveragedOverBucketsAndSkipNonPositiveLosses() {
        List<Metrics.Step> steps = new ArrayList<>();
        for (int step = 1; step <= 1200; step++) {
            steps.add(new Metrics.Step(step, step == 5 ? Double.NaN : step == 6 ? 0.0 : step));
        }
        List<double[]> points = Charts.lossPoints(new Metrics(steps, List.of()));
        assertThat(points).hasSize(400); // 1198 usable steps in buckets of 3
        assertThat(points.get(0)).containsExactly(2.0, 2.0); // steps 1, 2, 3
        assertThat(points.get(1)).containsExactly((4 + 7 + 8) / 3.0, (4 + 7 + 8) / 3.0); // 5 and 6 skipped
    }

    @Test
    void depthHeatMapHasUpTo32ExamplesByPosition() {
        HeatMapChart chart = (HeatMapChart) plan.chart("depth-" + mor.id()).chart();
        RunData run = plan.runs.get(1);
        DepthTraces traces = run.depth().orElseThrow();
        assertThat(traces.split()).isEqualTo("test-ood-carry");
        assertThat(traces.rows()).hasSize(RunData.DEPTH_ROWS); // the file has 40 examples with depth
        int longest = traces.rows().stream().mapToInt(r -> r.perToken().length).max().orElseThrow();
        assertThat(chart.getHeatMapSeries().getXData()).hasSize(longest);
        assertThat(new ArrayList<Object>(chart.getHeatMapSeries().getYData())).hasSize(RunData.DEPTH_ROWS)
                .first().isEqualTo(traces.rows().get(0).index() + (traces.rows().get(0).correct() ? " right" : " wrong"));
        int cells = traces.rows().stream().mapToInt(r -> r.perToken().length).sum();
        assertThat(chart.getHeatMapSeries().getHeatData()).hasSize(cells);
        assertThat(chart.getStyler().getMin()).isEqualTo(1.0);
        assertThat(chart.getStyler().getMax()).isEqualTo(4.0);
        assertThat(Arrays.stream(traces.rows().get(0).perToken()).allMatch(d -> d >= 1 && d <= 4)).isTrue();
    }

    @Test
    void legendNamesRunsByArchitectureAndDisambiguatesRepeats(@TempDir Path other) {
        RunData first = RunData.read(RunFixture.run("universal").writeTo(other));
        RunLegend legend = new RunLegend(List.of(first, RunData.read(RunFixture.run("universal").writeTo(other)),
                RunData.read(RunFixture.run("mor").writeTo(other))));
        assertThat(plan.runs).extracting(plan.legend::label).containsExactly("vanilla", "mor", "universal");
        String hex = first.id().substring(first.id().lastIndexOf('-') + 1);
        assertThat(legend.label(first)).as("the id's last part tells the two universal runs apart")
                .isEqualTo("universal " + hex);
    }

    private static List<String> names(Chart<?, ?> chart) {
        return chart.getSeriesCollection().stream().map(Series::getName).toList();
    }
}
