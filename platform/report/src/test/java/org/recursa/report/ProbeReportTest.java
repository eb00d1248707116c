package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.ProbeRecord;
import org.recursa.runstore.RunFormat;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;

/**
 * The probes section: a chart of probe scores per probed split and attention heat maps of a run with a probe
 * record, a note for a run without one, and no section at all when no run was probed.
 */
class ProbeReportTest {

    @TempDir
    Path tmp;

    @Test
    void aProbedRunGetsAScoreChartAndAttentionMapsAndTheOthersANote() throws IOException {
        Path runs = tmp.resolve("runs");
        RunFixture universal = RunFixture.run("universal");
        RunFixture vanilla = RunFixture.run("vanilla");
        StoredRun probed = universal.writeTo(runs);
        StoredRun plain = vanilla.writeTo(runs);
        List<String> steps = List.of("embed", "recursion.1", "recursion.2", "recursion.3", "recursion.4",
                "recursion.5");
        RunStore.at(runs).saveProbe(universal.id(), record("test-id", steps));
        RunStore.at(runs).saveProbe(universal.id(), record("test-ood-carry", steps));

        Report report = ReportWriter.write(List.of(probed, plain), tmp.resolve("report"));
        String id = universal.id();
        assertThat(report.charts()).extracting(Report.Chart::name).contains(
                "probe-test-id-" + id, "probe-test-ood-carry-" + id,
                // at most four maps: the first and last steps with attention and evenly spaced ones between
                "attention-test-id-recursion.1-" + id, "attention-test-id-recursion.2-" + id,
                "attention-test-id-recursion.4-" + id, "attention-test-id-recursion.5-" + id)
                .doesNotContain("attention-test-id-recursion.3-" + id, "attention-test-ood-carry-recursion.1-" + id);
        assertThat(report.charts()).filteredOn(c -> c.name().startsWith("probe-"))
                .allSatisfy(c -> assertThat(c.width()).isEqualTo(ProbeCharts.SCORES_WIDTH));
        assertThat(report.charts()).filteredOn(c -> c.name().startsWith("attention-"))
                .allSatisfy(c -> assertThat(c.height()).isEqualTo(ProbeCharts.ATTENTION_SIZE));
        assertThat(report.notes()).contains("vanilla: no probes (recursa probe " + vanilla.id()
                + " records them).");
        String html = Files.readString(report.index());
        assertThat(html).contains("<h2>Linear probes and attention</h2>", "<figure id=\"probe-test-id-" + id + "\">",
                "Attention of example test-id/0 at recursion.5, the mean of its 2 heads",
                "4 of the 5 recorded steps are shown");
    }

    @Test
    void withoutProbesThePageHasNoProbeSection() throws IOException {
        StoredRun run = RunFixture.run("vanilla").writeTo(tmp.resolve("runs"));
        Report report = ReportWriter.write(List.of(run), tmp.resolve("report"));
        assertThat(report.charts()).noneMatch(c -> c.name().startsWith("probe-") || c.name().startsWith("attention-"));
        assertThat(Files.readString(report.index())).doesNotContain("Linear probes");
    }

    @Test
    void spreadKeepsTheFirstAndLastAndEvenlySpacedOnes() {
        assertThat(ReportPlan.spread(List.of("a", "b", "c"), 4)).containsExactly("a", "b", "c");
        assertThat(ReportPlan.spread(List.of("a", "b", "c", "d", "e", "f", "g"), 4)).containsExactly("a", "c", "e",
                "g");
    }

    /** Scores that rise over the steps, an R² that starts below the floor, and two heads' maps for all but embed. */
    private static ProbeRecord record(String split, List<String> steps) {
        Map<String, ProbeRecord.Score> accuracy = new LinkedHashMap<>();
        Map<String, ProbeRecord.Score> r2 = new LinkedHashMap<>();
        Map<String, float[][][]> maps = new LinkedHashMap<>();
        List<String> tokens = List.of("succ", "B1", "Z", "<sep>", "B0", "B1", "Z", "<eos>");
        for (int s = 0; s < steps.size(); s++) {
            accuracy.put(steps.get(s), new ProbeRecord.Score(0.6 + 0.07 * s, 90, 30, 0.01));
            r2.put(steps.get(s), new ProbeRecord.Score(s == 2 ? null : -1.5 + 0.5 * s, 90, 30, 1.0));
            if (s > 0) {
                float[][][] heads = new float[2][tokens.size()][tokens.size()];
                for (float[][] head : heads) {
                    for (int i = 0; i < tokens.size(); i++) {
                        for (int j = 0; j <= i; j++) {
                            head[i][j] = 1f / (i + 1);
                        }
                    }
                }
                maps.put(steps.get(s), heads);
            }
        }
        List<ProbeRecord.Target> targets = new ArrayList<>();
        targets.add(new ProbeRecord.Target("in_carry_chain", "binary", "accuracy", 0.55, accuracy));
        targets.add(new ProbeRecord.Target("remaining_steps", "numeric", "r2", 0.0, r2));
        return new ProbeRecord(RunFormat.VERSION, "2026-11-29T12:00:00Z", split, 16, 12, 4, "ridge", steps, targets,
                new ProbeRecord.Attention(split + "/0", tokens, maps));
    }
}
