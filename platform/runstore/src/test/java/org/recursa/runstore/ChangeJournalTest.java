package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change journal: safe appends from several processes, complete entries only, positions that resume. */
class ChangeJournalTest {

    private static final int CHILDREN = 4;
    private static final int RUNS_EACH = 50;

    @TempDir
    Path runs;

    @Test
    void concurrentCreatesFromSeveralProcessesLoseNoEntryAndTearNoLine() throws Exception {
        Path go = runs.resolveSibling(runs.getFileName() + ".go");
        List<Child> children = new ArrayList<>();
        try {
            for (int c = 0; c < CHILDREN; c++) {
                // The same label in every child: ids of one second differ only in their random suffix.
                children.add(Child.start("create", runs.toString(), "copy-universal", Integer.toString(RUNS_EACH),
                        go.toString()));
            }
            for (Child child : children) {
                child.await("ready");
            }
            Files.createFile(go);  // on a fresh store: the children also race to create the journal
            for (Child child : children) {
                child.await("done");
                assertThat(child.waitFor()).isZero();
            }
        } finally {
            for (Child child : children) {
                child.close();
            }
            Files.deleteIfExists(go);
        }

        RunStore store = RunStore.at(runs);
        List<String> ids = store.ids();
        assertThat(ids).hasSize(CHILDREN * RUNS_EACH);
        List<String> lines = Files.readAllLines(runs.resolve(ChangeJournal.FILE), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1 + 2 * CHILDREN * RUNS_EACH);
        for (String line : lines) {
            JsonNode node = Json.LINE.readTree(line);  // every line is one whole JSON object
            assertThat(node.isObject()).as(line).isTrue();
        }
        ChangeJournal.Batch batch = store.journal().read(0);
        assertThat(batch.next()).isEqualTo(store.journal().end());
        Map<String, List<ChangeJournal.Op>> byRun = batch.changes().stream().collect(Collectors.groupingBy(
                ChangeJournal.Change::run, Collectors.mapping(ChangeJournal.Change::op, Collectors.toList())));
        assertThat(byRun).hasSize(CHILDREN * RUNS_EACH).containsOnlyKeys(ids);
        assertThat(byRun.values()).allSatisfy(ops -> assertThat(ops).containsExactly(ChangeJournal.Op.CREATED,
                ChangeJournal.Op.ENDED));
    }

    @Test
    void concurrentCreatesFromThreadsOfOneProcessLoseNoEntry() throws Exception {
        RunStore store = RunStore.at(runs);
        int threads = 6;
        int each = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> work = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        try (RunWriter writer = store.create(Runs.config("vanilla"), "threads")) {
                            writer.finish(RunStatus.FINISHED, 0, false, 0.0, Map.of());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();  // on a fresh store: the threads also race to create the journal
            for (java.util.concurrent.Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.ids()).hasSize(threads * each);
        assertThat(store.journal().read(0).changes()).hasSize(2 * threads * each);
    }

    @Test
    void aTornLastLineIsLeftForTheNextRead() throws Exception {
        RunStore store = RunStore.at(runs);
        String first = Runs.finished(store, "first");
        ChangeJournal journal = store.journal();
        long complete = journal.end();
        String torn = "{\"op\":\"created\",\"run\":\"20250101-000000-torn-0001\",\"at\":\"2025-01-01T00:00:00Z\"}";
        append(torn.substring(0, 20));

        ChangeJournal.Batch batch = journal.read(0);
        assertThat(batch.changes()).extracting(c -> c.op() + " " + c.run()).containsExactly("CREATED " + first,
                "ENDED " + first);
        assertThat(batch.next()).as("at the start of the torn line").isEqualTo(complete);
        assertThat(journal.read(batch.next()).changes()).isEmpty();
        assertThat(journal.read(batch.next()).next()).isEqualTo(complete);

        append(torn.substring(20) + "\n");
        ChangeJournal.Batch rest = journal.read(batch.next());
        assertThat(rest.changes()).containsExactly(new ChangeJournal.Change(ChangeJournal.Op.CREATED,
                "20250101-000000-torn-0001", "2025-01-01T00:00:00Z"));
        assertThat(rest.next()).isEqualTo(journal.end());
    }

    @Test
    void aPositionPastTheEndIsRefused() {
        RunStore store = RunStore.at(runs);
        Runs.finished(store, "only");
        long end = store.journal().end();
        assertThat(store.journal().read(end).changes()).isEmpty();
        assertThatThrownBy(() -> store.journal().read(end + 1)).isInstanceOf(RunStoreException.class)
                .hasMessage(runs.toAbsolutePath().resolve("journal") + " is shorter (" + end + " bytes) than the "
                        + "position " + (end + 1) + " read before: it was replaced or truncated");
    }

    @Test
    void theHeaderNamesTheJournalAndAReplacedJournalHasAnotherId() throws Exception {
        RunStore store = RunStore.at(runs);
        Runs.finished(store, "one");
        String id = store.journal().id().orElseThrow();
        assertThat(RunStore.at(runs).journal().id()).hasValue(id);
        Files.delete(runs.resolve(ChangeJournal.FILE));
        RunStore fresh = RunStore.at(runs);
        assertThat(fresh.journal().id().orElseThrow()).isNotEqualTo(id);
        assertThat(fresh.journal().read(0).changes()).isEmpty();
    }

    private void append(String text) throws Exception {
        Files.writeString(runs.resolve(ChangeJournal.FILE), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
