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
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;

/**
 * A damaged run, or one that has not ended, is one line naming the run, the file and what is wrong, and nothing is written: neither
 * the report directory nor a temporary directory beside it.
 */
class BadInputTest {

    @TempDir
    Path tmp;

    StoredRun good;
    StoredRun bad;
    Path out;

    @BeforeEach
    void runs() {
        good = RunFixture.run("vanilla").writeTo(tmp.resolve("runs"));
        bad = RunFixture.run("mor").withDepth().writeTo(tmp.resolve("runs"));
        out = tmp.resolve("reports").resolve("r1");
    }

    @Test
    void missingFinalJson() throws IOException {
        Files.delete(bad.dir().resolve("final.json"));
        assertFailsWith(bad.dir() + ": final.json is missing but the status is 'finished'");
    }

    @Test
    void truncatedFinalJson() throws IOException {
        Files.writeString(bad.dir().resolve("final.json"), "{\n  \"status\" : \"finished\",\n  \"splits\" : {\n    \"test-id\" : {");
        assertFailsWithPrefix(bad.dir() + ": final.json is truncated or not a valid record (Unexpected end-of-input");
    }

    @Test
    void aDamagedMetricsLineBeforeTheLast() throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(bad.dir().resolve("metrics.jsonl")));
        lines.set(2, lines.get(2).substring(0, 20));
        Files.write(bad.dir().resolve("metrics.jsonl"), lines);
        assertFailsWith(bad.dir() + ": metrics.jsonl line 3 is not JSON");
    }

    @Test
    void aTornLastMetricsLineIsWhatACrashLeavesAndIsSkipped() throws IOException {
        Files.writeString(bad.dir().resolve("metrics.jsonl"), "{\"type\":\"step\",\"step\":61,\"loss\":0.5",
                StandardOpenOption.APPEND);
        assertThat(ReportWriter.write(List.of(good, bad), out).index()).isRegularFile();
    }

    @Test
    void invalidJsonInConfig() throws IOException {
        Files.writeString(bad.dir().resolve("config.json"), "{\"id\": \"x\", \"seed\": 1,, }");
        assertFailsWithPrefix(bad.dir() + ": config.json is truncated or not a valid record (Unexpected character");
    }

    @Test
    void emptyFinalJson() throws IOException {
        Files.writeString(bad.dir().resolve("final.json"), "");
        assertFailsWith(bad.dir() + ": final.json is empty");
    }

    @Test
    void missingField() throws IOException {
        String config = Files.readString(bad.dir().resolve("config.json")).replace("\"architecture\"", "\"arch\"");
        Files.writeString(bad.dir().resolve("config.json"), config);
        assertFailsWith(bad.dir() + ": config.json lacks started_at, task or architecture");
    }

    @Test
    void wrongTypeDeepInsideFinalJson() throws IOException {
        String summary = Files.readString(bad.dir().resolve("final.json"))
                .replaceFirst("\"6\" : \\{[^}]*}", "\"6\" : { \"examples\" : 8, \"token_acc\" : 1, \"seq_acc\" : \"high\" }");
        Files.writeString(bad.dir().resolve("final.json"), summary);
        assertFailsWithPrefix(bad.dir() + ": final.json: field 'splits.test-id.by_feature.bits.6.seq_acc' has the "
                + "wrong type (");
    }

    @Test
    void damagedArtifactLine() throws IOException {
        Path artifacts = bad.dir().resolve("artifacts/test-ood-carry.jsonl");
        List<String> lines = Files.readAllLines(artifacts);
        lines.set(2, lines.get(2).substring(0, 100));
        Files.write(artifacts, lines);
        assertFailsWith(bad.dir() + ": artifacts/test-ood-carry.jsonl line 3 is not JSON");
    }

    @Test
    void metricsThatAreNotText() throws IOException {
        Files.write(bad.dir().resolve("metrics.jsonl"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
        assertFailsWith(bad.dir() + ": metrics.jsonl cannot be read (Input length = 1)");
    }

    @Test
    void aRunThatHasNotEnded() {
        RunStore store = RunStore.at(tmp.resolve("runs"));
        try (RunWriter running = store.create(store.open(good.id()).config(), "still-running")) {
            bad = store.open(running.id());
            assertFailsWith(bad.dir() + ": the run has not ended (it is running); report it once it has");
        }
    }

    @Test
    void notARunDirectory() throws IOException {
        Files.createDirectories(tmp.resolve("runs/empty"));
        bad = RunStore.at(tmp.resolve("runs")).open("empty");
        assertFailsWith(bad.dir() + ": config.json is missing");
    }

    @Test
    void theSameRunTwice() {
        assertThatThrownBy(() -> ReportWriter.write(List.of(good, good), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(good.dir() + ": run " + good.id() + " is already in the report (from " + good.dir() + ")");
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
        assertNothingWritten();
    }

    private void assertFailsWithPrefix(String message) {
        assertThatThrownBy(() -> ReportWriter.write(List.of(good, bad), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertThat(tmp.resolve("reports")).doesNotExist();
        assertThat(tmp.resolve("runs")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".")
                && !p.getFileName().toString().equals(".journal"));
    }
}
