package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunStore#importRun}: a finished run recorded in another store arrives as a zip; what is refused and why,
 * and that importing twice changes nothing.
 */
class RunImportTest {

    private static final long LIMIT = 10_000_000;

    @TempDir
    Path elsewhere;

    @TempDir
    Path here;

    @Test
    void aFinishedRunIsImportedOnceAndJournaled() throws IOException {
        RunStore source = RunStore.at(elsewhere.resolve("runs"));
        String id = Runs.finished(source, "copy-universal");
        RunStore store = RunStore.at(here.resolve("runs"));
        byte[] zip = zip(files(source.root().resolve(id), id));

        assertThat(store.importRun(new ByteArrayInputStream(zip), LIMIT)).isEqualTo(new RunStore.Imported(id, true));
        assertThat(store.ids()).containsExactly(id);
        StoredRun run = store.open(id);
        assertThat(run.state().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.end().orElseThrow().splits()).containsKey("test-id");
        assertThat(store.journal().read(0).changes()).extracting(ChangeJournal.Change::op, ChangeJournal.Change::run)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeJournal.Op.CREATED, id),
                        org.assertj.core.groups.Tuple.tuple(ChangeJournal.Op.ENDED, id));

        assertThat(store.importRun(new ByteArrayInputStream(zip), LIMIT)).isEqualTo(new RunStore.Imported(id, false));
        assertThat(store.journal().read(0).changes()).hasSize(2);
        assertNothingStaged(store);
    }

    @Test
    void anEntryLeavingTheRunIsRefused() throws IOException {
        RunStore source = RunStore.at(elsewhere.resolve("runs"));
        String id = Runs.finished(source, "copy-universal");
        Map<String, byte[]> files = files(source.root().resolve(id), id);
        files.put(id + "/../evil", "x".getBytes(StandardCharsets.UTF_8));
        RunStore store = RunStore.at(here.resolve("runs"));

        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(zip(files)), LIMIT))
                .isInstanceOf(RunStoreException.class)
                .hasMessage("refused run import: entry '" + id + "/../evil' leaves the run directory");
        assertThat(store.ids()).isEmpty();
        assertThat(here.resolve("runs/evil")).doesNotExist();
        assertNothingStaged(store);
    }

    @Test
    void entriesOfTwoRunsOrAnAbsolutePathAreRefused() throws IOException {
        RunStore store = RunStore.at(here.resolve("runs"));
        Map<String, byte[]> two = new LinkedHashMap<>();
        two.put("a/config.json", new byte[1]);
        two.put("b/config.json", new byte[1]);
        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(zip(two)), LIMIT))
                .hasMessage("refused run import: entries of two runs, 'a' and 'b'");
        Map<String, byte[]> absolute = Map.of("/etc/passwd", new byte[1]);
        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(zip(absolute)), LIMIT))
                .hasMessage("refused run import: entry '/etc/passwd' is not <run id>/<path>");
        assertNothingStaged(store);
    }

    @Test
    void moreBytesThanAllowedAreRefusedWhileUnpacking() throws IOException {
        RunStore source = RunStore.at(elsewhere.resolve("runs"));
        String id = Runs.finished(source, "copy-universal");
        Map<String, byte[]> files = files(source.root().resolve(id), id);
        files.put(id + "/checkpoint/model.rckpt", new byte[2_000_000]); // zeros: a few kB compressed
        RunStore store = RunStore.at(here.resolve("runs"));

        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(zip(files)), 1_000_000))
                .hasMessage("refused run import: its files exceed 1000000 bytes");
        assertThat(store.ids()).isEmpty();
        assertNothingStaged(store);
    }

    @Test
    void aDamagedOrUnfinishedRunIsRefused() throws IOException {
        RunStore source = RunStore.at(elsewhere.resolve("runs"));
        String id = Runs.finished(source, "copy-universal");
        RunStore store = RunStore.at(here.resolve("runs"));

        Map<String, byte[]> damaged = files(source.root().resolve(id), id);
        damaged.put(id + "/final.json", "{\"format\": 2, \"status\": ".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(zip(damaged)), LIMIT))
                .isInstanceOf(RunStoreException.class)
                .hasMessageStartingWith("refused run import: run " + id + " is damaged: ");

        Map<String, byte[]> unfinished = files(source.root().resolve(id), id);
        unfinished.remove(id + "/final.json");
        unfinished.put(id + "/status", "failed\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(zip(unfinished)), LIMIT))
                .hasMessageStartingWith("refused run import: run " + id + " is damaged: ");

        assertThatThrownBy(() -> store.importRun(new ByteArrayInputStream(new byte[] {1, 2, 3}), LIMIT))
                .hasMessage("refused run import: the zip holds no run");
        assertThat(store.ids()).isEmpty();
        assertNothingStaged(store);
    }

    private static void assertNothingStaged(RunStore store) throws IOException {
        if (!Files.exists(store.root())) {
            return;
        }
        try (Stream<Path> list = Files.list(store.root())) {
            assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".importing-")))
                    .isEmpty();
        }
    }

    /** The files of a run directory as zip entries {@code <id>/<path>}. */
    private static Map<String, byte[]> files(Path dir, String id) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(id + "/" + dir.relativize(file), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
