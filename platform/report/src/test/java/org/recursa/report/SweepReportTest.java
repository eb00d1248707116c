package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.sweep.GridAxis;
import org.recursa.sweep.Seeds;
import org.recursa.sweep.Stats;
import org.recursa.sweep.Sweep;
import org.recursa.sweep.SweepAggregate;
import org.recursa.sweep.SweepPoint;
import org.recursa.sweep.SweepSpec;
import org.recursa.sweep.SweepStore;

/**
 * {@code recursa report --sweep}: the page and its charts, and that the charts really draw the error bars: in the SVG
 * each bar has a vertical line in the error-bar colour centred on the bar's top whose half-length, against the bar's
 * height, is the interval's half-width against the mean, with a cap at each end; the PNG shows the same line.
 */
class SweepReportTest {

    @TempDir
    static Path home;

    static SweepAggregate aggregate;
    static Report report;

    /** Sequence accuracy per seed (1..3) of each configuration; token accuracy is 0.3 higher. */
    static final Map<String, double[]> SEQ = Map.of("vanilla", new double[] {0.5, 0.6, 0.7},
            "mor", new double[] {0.2, 0.3, 0.25});

    @BeforeAll
    static void sweepWithThreeSeedsOfTwoArchitectures() {
        SweepSpec spec = new SweepSpec("binary-successor", "io", "greedy", null, Map.of("train.steps", "50"),
                List.of(GridAxis.parse("arch=vanilla,mor")), List.of(), 0, 1, Seeds.parse("1..3"));
        Sweep sweep = SweepStore.at(home.resolve("sweeps")).create(null, spec, Instant.now()).sweep();
        RunStore store = RunStore.at(home.resolve("runs"));
        for (SweepPoint point : sweep.plan().points()) {
            double seq = SEQ.get(point.arch())[(int) point.seed() - 1];
            Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
            // 60 + seed distinct inputs, per-input accuracy 0.1 below per-example
            splits.put("test-id", new FinalRecord.SplitResult(64, seq + 0.3, seq, null, Map.of(),
                    60 + (int) point.seed(), null, seq - 0.1, null));
            Map<String, FinalRecord.Cell> carry = new LinkedHashMap<>();
            carry.put("6", new FinalRecord.Cell(32, 0.7, seq / 2));
            carry.put("7", new FinalRecord.Cell(32, 0.6, seq / 4));
            splits.put("test-ood-carry", new FinalRecord.SplitResult(64, 0.65, seq * 3 / 8, null,
                    Map.of("carry_chain", carry)));
            RunConfig config = new RunConfig(0, null, Instant.now().toString(), null, point.seed(), "io",
                    point.tags(sweep.id()), null, new Component("binary-successor", "t", "0.1.0", Map.of()),
                    new Component(point.arch(), "a", "0.1.0", Map.of()), new Component("greedy", "s", "0.1.0",
                    Map.of()), Map.of("steps", 50), Map.of(), Map.of());
            try (RunWriter writer = store.create(config, "binary-successor-" + point.arch())) {
                writer.finish(RunStatus.FINISHED, 50, false, 1.0, splits);
            }
        }
        aggregate = SweepAggregate.of(sweep, store);
        report = SweepReportWriter.write(aggregate, home.resolve("report"));
    }

    @Test
    void thePageHasATableAndAChartPerSplitAndPerFeature() throws Exception {
        assertThat(report.charts()).extracting(Report.Chart::name).containsExactly("sweep-test-id",
                "sweep-test-ood-carry", "sweep-test-ood-carry-by-carry_chain");
        assertThat(report.files()).allSatisfy(file -> assertThat(file).isRegularFile());
        String html = Files.readString(report.index());
        assertThat(html).contains("<h1>Recursa sweep " + aggregate.plan().id() + "</h1>",
                "<td>arch=vanilla</td><td class=\"num\">3/3</td>",
                // vanilla test-id: mean 0.6, sd 0.1, half t(0.975, 2) * 0.1 / sqrt(3) = 0.2484
                "<td class=\"num\">0.6000 ± 0.2484<br><small>per input 0.5000 ± 0.2484 · 61..63 distinct</small>"
                        + "</td>", "Accuracy per split", "Accuracy by feature");
        assertThat(report.notes()).isEmpty();
        int lines = 0;
        for (Report.Chart chart : report.charts()) {
            lines += errorBars(Files.readString(chart.svg())).size();
        }
        assertThat(errorBars(html)).as("the page inlines every chart's error bars").hasSize(lines);
    }

    @Test
    void eachSplitChartDrawsTheIntervalOfEveryBarAsAnErrorBar() throws Exception {
        Report.Chart chart = report.charts().get(0);
        String svg = Files.readString(chart.svg());
        List<Bar> bars = bars(svg);
        // two configurations x (sequence, token accuracy), left to right
        assertThat(bars).hasSize(4);
        List<Stats> expected = new ArrayList<>();
        for (SweepAggregate.Group group : aggregate.groups()) {
            expected.add(group.splits().get("test-id").seqAcc());
            expected.add(group.splits().get("test-id").tokenAcc());
        }
        assertThat(expected.get(0).half()).isCloseTo(4.30265273 * 0.1 / Math.sqrt(3), within(1e-6));
        List<Line> lines = errorBars(svg);
        assertThat(lines).as("a vertical line and two caps per bar").hasSize(3 * bars.size());
        BufferedImage png = ImageIO.read(chart.png().toFile());
        assertThat(png.getWidth()).isEqualTo(chart.width());
        double pixelsPerUnit = (bars.get(0).base() - bars.get(0).top()) / expected.get(0).mean();
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            Stats stats = expected.get(i);
            assertThat((bar.base() - bar.top()) / pixelsPerUnit).as("bar %d is the mean", i)
                    .isCloseTo(stats.mean(), within(1e-6));
            Line vertical = lines.stream().filter(l -> Math.abs(l.x1() - l.x2()) < 1e-9
                    && Math.abs(l.x1() - bar.center()) < 1e-6).findFirst().orElseThrow(() -> new AssertionError(
                    "no error bar at the centre of bar " + bar + " among " + lines));
            double low = Math.max(vertical.y1(), vertical.y2());
            double high = Math.min(vertical.y1(), vertical.y2());
            assertThat((low + high) / 2).as("error bar %d centred on the bar's top", i).isCloseTo(bar.top(),
                    within(1e-6));
            assertThat((low - high) / 2 / pixelsPerUnit).as("error bar %d is the 95%% interval", i)
                    .isCloseTo(stats.half(), within(1e-6));
            for (double end : new double[] {low, high}) {
                assertThat(lines).as("a cap at %s", end).anyMatch(l -> Math.abs(l.y1() - end) < 1e-9
                        && Math.abs(l.y2() - end) < 1e-9 && Math.abs(Math.abs(l.x2() - l.x1()) - 6) < 1e-9);
            }
            int dark = 0;
            int length = 0;
            double plotTop = bar.base() - pixelsPerUnit; // accuracy 1.0: the PNG clips the line to the plot
            for (int y = (int) Math.ceil(Math.max(high, plotTop)) + 1; y < Math.min(low, bar.base()) - 1; y++) {
                length++;
                int x = (int) Math.floor(bar.center());
                if (luminance(png.getRGB(x, y)) < 100 || luminance(png.getRGB(x + 1, y)) < 100) {
                    dark++;
                }
            }
            assertThat(dark).as("the PNG draws error bar %d too", i).isGreaterThanOrEqualTo(length * 9 / 10)
                    .isGreaterThan(10);
        }
    }

    @Test
    void theFeatureChartHasABarPerConfigurationAndValueWithItsInterval() throws Exception {
        String svg = Files.readString(report.charts().get(2).svg());
        List<Bar> bars = bars(svg);
        assertThat(bars).hasSize(4);
        assertThat(errorBars(svg)).hasSize(12);
        Stats vanilla6 = aggregate.groups().get(0).splits().get("test-ood-carry").byFeature().get("carry_chain")
                .get("6");
        assertThat(vanilla6.mean()).isCloseTo(0.3, within(1e-12));
        assertThat(vanilla6.half()).isCloseTo(4.30265273 * 0.05 / Math.sqrt(3), within(1e-6));
    }

    @Test
    void configurationsEvaluatedAtOtherDepthsGetALineWithIntervalsPerSplit(@TempDir Path other) {
        SweepSpec spec = new SweepSpec("bool-eval", "io", "greedy", null, Map.of(),
                List.of(GridAxis.parse("arch=universal,vanilla")), List.of(), 0, 1, Seeds.parse("1..2"));
        Sweep sweep = SweepStore.at(other.resolve("sweeps")).create(null, spec, Instant.now()).sweep();
        RunStore store = RunStore.at(other.resolve("runs"));
        for (SweepPoint point : sweep.plan().points()) {
            Map<String, FinalRecord.SplitResult> splits = Map.of("test-id",
                    new FinalRecord.SplitResult(10, 0.5, 0.5, null, Map.of()));
            Map<String, Map<String, FinalRecord.SplitResult>> depths = new LinkedHashMap<>();
            for (int depth : new int[] {1, 4, 16}) {       // seeds 1 and 2: depth / 20 +- 0.01
                depths.put(Integer.toString(depth), Map.of("test-id", new FinalRecord.SplitResult(10, 0.5,
                        depth / 20.0 + (point.seed() == 1 ? -0.01 : 0.01), null, Map.of())));
            }
            RunConfig config = new RunConfig(0, null, Instant.now().toString(), null, point.seed(), "io",
                    point.tags(sweep.id()), null, new Component("bool-eval", "t", "0.1.0", Map.of()),
                    new Component(point.arch(), "a", "0.1.0", Map.of()), new Component("greedy", "s", "0.1.0",
                    Map.of()), Map.of("steps", 50), Map.of(), Map.of());
            try (RunWriter writer = store.create(config, "bool-eval-" + point.arch())) {
                writer.finish(RunStatus.FINISHED, 50, false, 1.0, splits, null,
                        point.arch().equals("universal") ? depths : null);
            }
        }
        List<SweepReportWriter.Planned> plan = SweepReportWriter.plan(SweepAggregate.of(sweep, store));
        assertThat(plan).extracting(SweepReportWriter.Planned::name).contains("sweep-by-depth-test-id");
        org.knowm.xchart.XYChart chart = (org.knowm.xchart.XYChart) plan.stream()
                .filter(p -> p.name().equals("sweep-by-depth-test-id")).findFirst().orElseThrow().chart();
        assertThat(chart.getSeries("arch=vanilla")).as("vanilla was not evaluated at depths").isNull();
        org.knowm.xchart.XYSeries series = chart.getSeries("arch=universal");
        assertThat(series.getXData()).containsExactly(1.0, 4.0, 16.0);
        assertThat(series.getYData()).containsExactly(new double[] {0.05, 0.2, 0.8}, within(1e-12));
        // two seeds 0.02 apart: sd sqrt(2) * 0.01, half-width t(0.975, 1) * sd / sqrt(2) = 12.706 * 0.01
        assertThat(series.getExtraValues()).containsExactly(new double[] {0.127062, 0.127062, 0.127062},
                within(1e-5));
        assertThat(SweepReportWriter.plan(aggregate)).as("the main sweep has no depths")
                .noneMatch(p -> p.name().startsWith("sweep-by-depth-"));
    }

    @Test
    void aSweepWithoutAFinishedRunHasNothingToReport() {
        SweepSpec spec = new SweepSpec("copy", "io", "greedy", "mor", Map.of(), List.of(), List.of(), 0, 1,
                List.of(1L));
        Sweep empty = SweepStore.at(home.resolve("sweeps")).create("empty", spec, Instant.now()).sweep();
        SweepAggregate none = SweepAggregate.of(empty, RunStore.at(home.resolve("runs")));
        assertThatThrownBy(() -> SweepReportWriter.write(none, home.resolve("nothing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sweep empty has no finished run yet (0 done, 0 running, 1 pending, 0 failed); nothing to "
                        + "report");
        assertThat(home.resolve("nothing")).doesNotExist();
    }

    /** A filled bar: its left and right edges, its top and its base (SVG y grows downwards). */
    record Bar(double left, double right, double top, double base) {
        double center() {
            return left + (right - left) / 2;
        }
    }

    /** A line segment in the error-bar colour. */
    record Line(double x1, double x2, double y1, double y2) {
    }

    private static final Pattern BAR = Pattern.compile("<path d=\"M([0-9.]+),([0-9.]+) L([0-9.]+),([0-9.]+) "
            + "L([0-9.]+),([0-9.]+) L([0-9.]+),([0-9.]+) Z\" "
            + "style=\"fill:rgb\\((\\d+),(\\d+),(\\d+)\\);stroke:none;\"/>");
    private static final Pattern LINE = Pattern.compile("<line style=\"[^\"]*stroke:rgb\\(17,17,17\\);[^\"]*\" "
            + "x1=\"([-0-9.E]+)\" x2=\"([-0-9.E]+)\" y1=\"([-0-9.E]+)\" y2=\"([-0-9.E]+)\"/>");

    /** The bars in the palette's first colours (the series), left to right. */
    static List<Bar> bars(String svg) {
        List<Bar> bars = new ArrayList<>();
        Matcher m = BAR.matcher(svg);
        while (m.find()) {
            int r = Integer.parseInt(m.group(9));
            int g = Integer.parseInt(m.group(10));
            int b = Integer.parseInt(m.group(11));
            boolean series = r == 0 && g == 114 && b == 178 || r == 213 && g == 94 && b == 0;
            if (series) {
                double x0 = Double.parseDouble(m.group(1));
                double top = Double.parseDouble(m.group(2));
                double x1 = Double.parseDouble(m.group(3));
                double base = Double.parseDouble(m.group(6));
                bars.add(new Bar(x0, x1, top, base));
            }
        }
        bars.sort(Comparator.comparingDouble(Bar::left));
        return bars;
    }

    static List<Line> errorBars(String svg) {
        List<Line> lines = new ArrayList<>();
        Matcher m = LINE.matcher(svg);
        while (m.find()) {
            lines.add(new Line(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))));
        }
        return lines;
    }

    private static int luminance(int rgb) {
        return ((rgb >> 16 & 0xff) * 299 + (rgb >> 8 & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
    }
}
