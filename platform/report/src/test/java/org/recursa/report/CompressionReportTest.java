package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;

/**
 * The size-and-accuracy section: a parent with a 40,000-byte checkpoint, an int8 child of 10,000 bytes and a
 * layer-tying child of 20,000, recorded through the real run store; plus an evaluation run without weights.
 */
class CompressionReportTest {

    @TempDir
    static Path tmp;

    static StoredRun parent;
    static StoredRun int8;
    static StoredRun tied;
    static StoredRun evaluation;
    static StoredRun tiedAgain;

    @BeforeAll
    static void recordRuns() {
        RunStore store = RunStore.at(tmp.resolve("runs"));
        parent = record(store, null, "vanilla", 40_000, 0.90, null);
        int8 = record(store, parent.id(), "vanilla", 10_000, 0.88, compression("int8 weights", 40_000, 10_000));
        tied = record(store, parent.id(), "relaxed", 20_000, 0.70, compression("tied", 40_000, 20_000));
        evaluation = record(store, parent.id(), "vanilla", -1, 0.90, null);
        tiedAgain = record(store, parent.id(), "relaxed", 21_000, 0.75, compression("tied again", 40_000, 21_000));
    }

    private static FinalRecord.Compression compression(String summary, long before, long after) {
        return new FinalRecord.Compression(1000, 1000, before - 100, after - 100, before, after, summary,
                Map.of("max_abs_error", 0.01), 0, 0, 0.1);
    }

    private static StoredRun record(RunStore store, String parentId, String arch, int checkpointBytes, double seqAcc,
                                    FinalRecord.Compression compression) {
        Component compressor = compression == null ? null : compression.summary().startsWith("int8")
                ? new Component("int8", "b", "1", Map.of("uptrain.steps", 0))
                : new Component("layer-tying", "b", "1", Map.of("rank", compression.summary().length(),
                "uptrain.steps", 0));
        RunConfig config = new RunConfig(0, null, "2026-11-30T00:00:00Z", null, 1, "io", Map.of(), null,
                new Component("copy", "t", "1", Map.of()), new Component(arch, "a", "1", Map.of()),
                new Component("greedy", null, null, Map.of()), Map.of("steps", 10), Map.of("parameters", 1000),
                Map.of(), null, Map.of(), compressor);
        try (RunWriter writer = parentId == null ? store.create(config, arch) : store.derive(parentId, config, arch)) {
            if (checkpointBytes >= 0) {
                writer.checkpoint(file -> Files.write(file, new byte[checkpointBytes]));
            }
            Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
            splits.put("test-id", new FinalRecord.SplitResult(100, seqAcc, seqAcc, null, Map.of()));
            splits.put("test-ood-length", new FinalRecord.SplitResult(100, seqAcc / 2, seqAcc / 2, null, Map.of()));
            writer.finish(RunStatus.FINISHED, 0, false, 1.0, splits, null, null, compression);
            return store.open(writer.id());
        }
    }

    @Test
    void eachSplitGetsAChartOfAccuracyAgainstCheckpointBytes() {
        List<RunData> runs = List.of(RunData.read(parent), RunData.read(int8), RunData.read(tied),
                RunData.read(evaluation));
        ReportPlan plan = ReportPlan.of(runs);

        assertThat(plan.names()).startsWith("seq-acc-by-size-test-id", "seq-acc-by-size-test-ood-length");
        XYChart chart = (XYChart) plan.chart("seq-acc-by-size-test-id").chart();
        List<XYSeries> points = List.of(chart.getSeries(plan.legend.label(runs.get(0))),
                chart.getSeries(plan.legend.label(runs.get(1)) + " (int8)"),
                chart.getSeries(plan.legend.label(runs.get(2)) + " (layer-tying)"));
        assertThat(points).extracting(s -> s.getXData()[0]).containsExactly(40_000.0, 10_000.0, 20_000.0);
        assertThat(points).extracting(s -> s.getYData()[0]).containsExactly(0.90, 0.88, 0.70);
        XYSeries interval = chart.getSeries(points.get(1).getName() + " 95% interval");
        FinalRecord.Interval wilson = FinalRecord.Interval.wilson(88, 100);
        assertThat(interval.getYData()).containsExactly(wilson.low(), wilson.high());
        assertThat(interval.isShowInLegend()).isFalse();
        assertThat(chart.getSeries(plan.legend.label(runs.get(3)))).as("no checkpoint, no point").isNull();
        assertThat(plan.notes.get(ReportPlan.Section.COMPRESSION)).singleElement().asString()
                .contains("no checkpoint, so no size to plot");
    }

    @Test
    void pointsOfOneCompressorSayTheSettingsInWhichTheyDiffer() {
        List<RunData> runs = List.of(RunData.read(parent), RunData.read(tied), RunData.read(tiedAgain));
        ReportPlan plan = ReportPlan.of(runs);
        XYChart chart = (XYChart) plan.chart("seq-acc-by-size-test-id").chart();

        // the summaries "tied" and "tied again" stand for ranks 4 and 10; uptrain.steps is the same, so not shown
        assertThat(chart.getSeries(plan.legend.label(runs.get(1)) + " (layer-tying rank=4)")).isNotNull();
        assertThat(chart.getSeries(plan.legend.label(runs.get(2)) + " (layer-tying rank=10)")).isNotNull();
    }

    @Test
    void theTableShowsSizesRatiosAndTheChangeFromTheParent() throws IOException {
        Report report = ReportWriter.write(List.of(parent, int8, tied), tmp.resolve("report"));
        String html = Files.readString(report.index());

        assertThat(html).contains("<h2>Size and accuracy</h2>", "4.00×", "2.00×", "-2.0 pt", "-20.0 pt",
                "max_abs_error=0.01000", "int8 {uptrain.steps=0}");
        assertThat(html.indexOf("Size and accuracy")).isLessThan(html.indexOf("Learning curves") < 0
                ? Integer.MAX_VALUE : html.indexOf("Learning curves"));
    }

    @Test
    void runsWithoutACompressedOneGetNoSizeSection() {
        ReportPlan plan = ReportPlan.of(List.of(RunData.read(parent)));
        assertThat(plan.names()).noneMatch(name -> name.startsWith("seq-acc-by-size"));
        assertThat(plan.notes.get(ReportPlan.Section.COMPRESSION)).isEmpty();
    }
}
