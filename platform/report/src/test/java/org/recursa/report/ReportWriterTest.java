package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.StoredRun;
import org.w3c.dom.Document;

/** A report of three synthetic runs (vanilla, MoR with depth, universal), written once and inspected file by file. */
class ReportWriterTest {

    @TempDir
    static Path tmp;

    static RunFixture vanilla = RunFixture.run("vanilla").skill(0.3);
    static RunFixture mor = RunFixture.run("mor").skill(0.6).withDepth();
    static RunFixture universal = RunFixture.run("universal").skill(0.9).withoutOodCarry(10);
    static List<StoredRun> runs;
    static Report report;

    @BeforeAll
    static void writeReport() {
        Path store = tmp.resolve("runs");
        runs = List.of(vanilla.writeTo(store), mor.writeTo(store), universal.writeTo(store));
        report = ReportWriter.write(runs, tmp.resolve("report"));
    }

    @Test
    void writesTheDocumentedFilesAndNothingElse() throws IOException {
        assertThat(report.charts()).extracting(Report.Chart::name).containsExactly(
                "learning-loss", "learning-seq-acc",
                "seq-acc-test-edge-carry-by-carry_chain",
                "seq-acc-test-ood-carry-by-bits", "seq-acc-test-ood-carry-by-carry_chain",
                "seq-acc-test-ood-length-by-bits",
                "depth-" + mor.id());
        assertThat(report.index()).isEqualTo(tmp.resolve("report/index.html"));
        assertThat(report.files()).hasSize(2 + 2 * report.charts().size()).allMatch(Files::isRegularFile)
                .contains(tmp.resolve("report").resolve(ReportFiles.MANIFEST));
        try (Stream<Path> written = Files.walk(report.dir())) {
            assertThat(written.filter(Files::isRegularFile)).containsExactlyInAnyOrderElementsOf(report.files());
        }
        try (Stream<Path> siblings = Files.list(tmp)) { // no temporary directory left behind
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("runs", "report");
        }
    }

    @Test
    void pngsDecodeAtTheChartSize() throws IOException {
        for (Report.Chart chart : report.charts()) {
            BufferedImage image = ImageIO.read(chart.png().toFile());
            assertThat(image).as(chart.name()).isNotNull();
            assertThat(image.getWidth()).as(chart.name()).isEqualTo(chart.width());
            assertThat(image.getHeight()).as(chart.name()).isEqualTo(chart.height());
        }
        Map<String, int[]> expected = Map.of(
                "learning-loss", new int[] {Charts.CURVE_WIDTH, Charts.CURVE_HEIGHT},
                "seq-acc-test-ood-carry-by-carry_chain", new int[] {Charts.FEATURE_WIDTH, Charts.FEATURE_HEIGHT},
                "depth-" + mor.id(), new int[] {Charts.DEPTH_WIDTH, Charts.DEPTH_HEIGHT});
        expected.forEach((name, size) -> assertThat(report.charts()).filteredOn(c -> c.name().equals(name))
                .singleElement().extracting(Report.Chart::width, Report.Chart::height).containsExactly(size[0], size[1]));
    }

    @Test
    void svgsParseAsXml() throws Exception {
        DocumentBuilder parser = xmlParser();
        for (Report.Chart chart : report.charts()) {
            Document svg = parser.parse(chart.svg().toFile());
            assertThat(svg.getDocumentElement().getTagName()).as(chart.name()).isEqualTo("svg");
            assertThat(svg.getDocumentElement().getAttribute("viewBox"))
                    .isEqualTo("0 0 " + chart.width() + " " + chart.height());
        }
    }

    @Test
    void pageHasTheRunsAndOneInlineSvgPerChart() throws Exception {
        String html = Files.readString(report.index());
        for (RunFixture run : List.of(vanilla, mor, universal)) {
            assertThat(html).contains("<td title=\"" + tmp.resolve("runs").resolve(run.id()).toAbsolutePath() + "\">"
                    + run.id() + "</td>");
        }
        assertThat(count(html, "<svg ")).isEqualTo(report.charts().size());
        for (Report.Chart chart : report.charts()) {
            assertThat(html).contains("<figure id=\"" + chart.name() + "\">")
                    .contains("<a href=\"charts/" + chart.name() + ".png\">PNG</a>");
        }
        // per-split seq_acc of the vanilla run, from final.json, in split order with test-id first, over its Wilson 95%
        // interval (computed from 63 of 64 and 58 of 64 for splits recorded without one) and distinct inputs if recorded
        assertThat(html).contains("<th>test-id</th><th>test-edge-carry</th><th>test-ood-carry</th><th>test-ood-length</th>")
                .contains("<td class=\"num\">0.9900<br><small>[0.917, 0.997]</small></td>"
                        + "<td class=\"num\">0.9000<br><small>[0.810, 0.956]</small></td>"
                        + "<td class=\"num\">0.2000<br><small>[0.110, 0.310] · 16 inputs</small></td>"
                        + "<td class=\"num\">0.0000<br><small>[0.000, 0.057]</small></td>");
        // nothing that would load from elsewhere
        assertThat(html.contains("<script") || html.contains("<link") || html.contains(" src=\"")
                || html.contains("href=\"http")).as("page refers to something outside itself").isFalse();
        // every inlined SVG has its own clip path ids
        Matcher ids = Pattern.compile(" id=\"(c\\d+-[^\"]+)\"").matcher(html);
        List<String> clipIds = ids.results().map(m -> m.group(1)).toList();
        assertThat(clipIds).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(report.charts().size());
    }

    @Test
    void runsWithoutDepthGetANoteInsteadOfAHeatMap() throws IOException {
        assertThat(report.notes()).containsExactly(
                "vanilla: no depth heat map, artifacts/test-ood-carry.jsonl has no depth.per_token (architecture "
                        + "vanilla does not report a per-token depth; ACT and MoR runs do).",
                "universal: no depth heat map, artifacts/test-ood-carry.jsonl has no depth.per_token (architecture "
                        + "universal does not report a per-token depth; ACT and MoR runs do).");
        assertThat(Files.readString(report.index())).contains("<p class=\"note\">vanilla: no depth heat map");
    }

    @Test
    void aSecondReportReplacesTheFirst(@TempDir Path other) throws IOException {
        Path out = other.resolve("again");
        ReportWriter.write(runs.subList(0, 2), out);
        Report second = ReportWriter.write(runs.subList(0, 1), out);
        try (Stream<Path> written = Files.walk(out)) {
            assertThat(written.filter(Files::isRegularFile)).containsExactlyInAnyOrderElementsOf(second.files());
        }
        assertThat(Files.readString(second.index())).contains(vanilla.id()).doesNotContain(mor.id());
        try (Stream<Path> siblings = Files.list(other)) {
            assertThat(siblings).containsExactly(out);
        }
    }

    @Test
    void theManifestListsEveryOtherFileRelativeToTheReport() throws IOException {
        List<String> listed = Files.readAllLines(report.dir().resolve(ReportFiles.MANIFEST)).stream()
                .filter(line -> !line.startsWith("#")).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(report.files().stream()
                .filter(f -> !f.getFileName().toString().equals(ReportFiles.MANIFEST))
                .map(f -> report.dir().relativize(f).toString()).toList());
    }

    @Test
    void aSecondReportKeepsTheFilesItDidNotWrite(@TempDir Path other) throws IOException {
        Path out = other.resolve("again");
        Report first = ReportWriter.write(runs.subList(0, 2), out);
        Path notes = Files.writeString(out.resolve("notes.txt"), "mine");
        Path figure = Files.writeString(out.resolve("charts/figure-3.svg"), "<svg/>");
        Path mine = Files.createDirectories(out.resolve("drafts")).resolve("v1.txt");
        Files.writeString(mine, "draft");

        Report second = ReportWriter.write(runs.subList(0, 1), out);

        assertThat(notes).hasContent("mine");
        assertThat(figure).hasContent("<svg/>");
        assertThat(mine).hasContent("draft");
        try (Stream<Path> written = Files.walk(out)) {
            assertThat(written.filter(Files::isRegularFile)).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(second.files().stream(), Stream.of(notes, figure, mine)).toList());
        }
        assertThat(first.charts()).anyMatch(c -> c.name().equals("depth-" + mor.id()));
        assertThat(out.resolve("charts/depth-" + mor.id() + ".png")).doesNotExist();
        assertThat(Files.readString(second.index())).contains(vanilla.id()).doesNotContain(mor.id());
        try (Stream<Path> siblings = Files.list(other)) {
            assertThat(siblings).containsExactly(out);
        }
    }

    @Test
    void aReportNeverOverwritesAFileItDidNotWrite(@TempDir Path other) throws IOException {
        Path out = other.resolve("again");
        ReportWriter.write(runs.subList(0, 1), out);
        Path collision = Files.writeString(out.resolve("charts/depth-" + mor.id() + ".png"), "mine");
        String before = Files.readString(out.resolve(ReportFiles.INDEX));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportWriter.write(runs.subList(0, 2), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(collision + ": not written by recursa report, and the new report would replace it; "
                        + "move it or choose another directory");
        assertThat(collision).hasContent("mine");
        assertThat(out.resolve(ReportFiles.INDEX)).hasContent(before);
        try (Stream<Path> siblings = Files.list(other)) {
            assertThat(siblings).containsExactly(out);
        }
    }

    static DocumentBuilder xmlParser() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // the SVG doctype names the W3C DTD: never fetch it
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
