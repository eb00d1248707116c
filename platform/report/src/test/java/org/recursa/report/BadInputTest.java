package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing or damaged run directory is one line naming the file and what is wrong, and nothing is written: neither
 * the report directory nor a temporary directory beside it.
 */
class BadInputTest {

    @TempDir
    Path tmp;

    Path good;
    Path bad;
    Path out;

    @BeforeEach
    void runs() {
        good = RunFixture.run("vanilla", "a1b2").writeTo(tmp.resolve("runs"));
        bad = RunFixture.run("mor", "c3d4").withDepth().writeTo(tmp.resolve("runs"));
        out = tmp.resolve("reports").resolve("r1");
    }

    @Test
    void missingFinalJson() throws IOException {
        Files.delete(bad.resolve("final.json"));
        assertFailsWith(bad + "/final.json: missing (the run has not finished, or this is not a run directory)");
    }

    @Test
    void truncatedFinalJson() throws IOException {
        Files.writeString(bad.resolve("final.json"), "{\n  \"status\" : \"finished\",\n  \"splits\" : {\n    \"test-id\" : {");
        assertFailsWith(bad + "/final.json: truncated JSON (unexpected end at line 4, column 18)");
    }

    @Test
    void truncatedMetricsLine() throws IOException {
        Files.writeString(bad.resolve("metrics.jsonl"), "{\"type\":\"step\",\"step\":61,\"loss\":0.5",
                StandardOpenOption.APPEND);
        assertFailsWith(bad + "/metrics.jsonl: line 67: truncated JSON (unexpected end at column 36)");
    }

    @Test
    void invalidJsonInConfig() throws IOException {
        Files.writeString(bad.resolve("config.json"), "{\"id\": \"x\", \"seed\": 1,, }");
        assertFailsWith(bad + "/config.json: invalid JSON at line 1, column 23");
    }

    @Test
    void emptyFinalJson() throws IOException {
        Files.writeString(bad.resolve("final.json"), "");
        assertFailsWith(bad + "/final.json: empty file");
    }

    @Test
    void missingField() throws IOException {
        String config = Files.readString(bad.resolve("config.json")).replace("\"architecture\"", "\"arch\"");
        Files.writeString(bad.resolve("config.json"), config);
        assertFailsWith(bad + "/config.json: field 'architecture.id' is missing");
    }

    @Test
    void wrongTypeDeepInsideFinalJson() throws IOException {
        String summary = Files.readString(bad.resolve("final.json"))
                .replaceFirst("\"6\" : \\{[^}]*}", "\"6\" : { \"examples\" : 8, \"token_acc\" : 1, \"seq_acc\" : \"high\" }");
        Files.writeString(bad.resolve("final.json"), summary);
        assertFailsWith(bad + "/final.json: field 'splits.test-id.by_feature.bits.6.seq_acc' is not a number");
    }

    @Test
    void damagedArtifactLine() throws IOException {
        Path artifacts = bad.resolve("artifacts/test-ood-carry.jsonl");
        List<String> lines = Files.readAllLines(artifacts);
        lines.set(2, lines.get(2).substring(0, 100));
        Files.write(artifacts, lines);
        assertFailsWith(bad + "/artifacts/test-ood-carry.jsonl: line 3: truncated JSON (unexpected end at column 101)");
    }

    @Test
    void metricsThatAreNotText() throws IOException {
        Files.write(bad.resolve("metrics.jsonl"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
        assertFailsWith(bad + "/metrics.jsonl: cannot be read (java.nio.charset.MalformedInputException: Input length = 1)");
    }

    @Test
    void missingRunDirectory() {
        bad = tmp.resolve("runs/nope");
        assertFailsWith(bad + ": no such run directory");
    }

    @Test
    void notARunDirectory() throws IOException {
        bad = Files.createDirectories(tmp.resolve("runs/empty"));
        assertFailsWith(bad + "/config.json: missing (not a run directory)");
    }

    @Test
    void theSameRunTwice() {
        assertThatThrownBy(() -> ReportWriter.write(List.of(good, good), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(good + ": run " + good.getFileName() + " is already in the report (from " + good + ")");
        assertThat(tmp.resolve("reports")).doesNotExist();
    }

    @Test
    void anOutputDirectoryThatIsNotAReportIsLeftAlone() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> ReportWriter.write(List.of(good), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(out + ": exists and is neither empty nor an earlier report; choose another directory");
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out);
        }
        assertThat(out.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void anOutputPathUnderARegularFileNamesThatFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("somefile"), "mine");
        Path under = file.resolve("report");
        assertThatThrownBy(() -> ReportWriter.write(List.of(good), under))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(under + ": cannot be a directory, " + file + " is a file; choose another directory");
        assertThat(file).hasContent("mine");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("runs", "somefile");
        }
    }

    @Test
    void anEarlierReportWithoutAFileListIsLeftAlone() throws IOException {
        ReportWriter.write(List.of(good), out);
        Files.delete(out.resolve(ReportFiles.MANIFEST)); // as written before reports listed their files
        assertThatThrownBy(() -> ReportWriter.write(List.of(good), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(out + ": exists and is neither empty nor an earlier report; choose another directory");
        assertThat(out.resolve(ReportFiles.INDEX)).isRegularFile();
    }

    @Test
    void anEmptyOutputDirectoryIsUsed() throws IOException {
        Files.createDirectories(out);
        Report report = ReportWriter.write(List.of(good), out);
        assertThat(report.index()).isRegularFile();
    }

    private void assertFailsWith(String message) {
        assertThatThrownBy(() -> ReportWriter.write(List.of(good, bad), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(tmp.resolve("reports")).doesNotExist();
        assertThat(tmp.resolve("runs")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));
    }
}
