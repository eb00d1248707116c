package org.recursa.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.recursa.index.filter.FilterQueries;
import org.recursa.index.filter.OrderBy;
import org.recursa.runstore.ChangeJournal;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunStoreException;
import org.recursa.runstore.StoredRun;
import org.recursa.runstore.SummaryRecord;
import org.recursa.runstore.UnknownRunException;

/**
 * The run index in a Lucene directory ({@code $RECURSA_HOME/index}). It follows the run store's change journal:
 * each commit records, in Lucene's commit user data, which journal it follows and the position up to which it has
 * applied it, in the same commit as the documents, so after a crash the index resumes exactly where its last commit
 * left off. A rebuild reads one summary record per run. Only one process writes at a time (Lucene's write lock); a
 * process that cannot get it, or a read-only home, searches the last commit ({@link #openReadOnly}).
 */
public final class LuceneRunIndex implements RunIndex {

    /** Runs between progress lines of a long catch-up or rebuild. */
    private static final int PROGRESS_EVERY_RUNS = 2000;
    /** Version of the document layout; an index of another version is rebuilt. */
    static final String SCHEMA = "3";
    static final String KEY_SCHEMA = "schema";
    static final String KEY_JOURNAL = "journal_id";
    static final String KEY_POSITION = "journal_position";

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;

    private LuceneRunIndex(Path path, Directory directory, IndexWriter writer) {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
    }

    /**
     * Opens the index for writing, waiting up to {@code lockWait} for another process to release it.
     *
     * @param waiting told once when the lock is held by someone else and this call starts waiting
     * @throws IndexBusyException when the lock stays held
     */
    public static LuceneRunIndex open(Path dir, Duration lockWait, Runnable waiting) {
        try {
            Files.createDirectories(dir);
            Directory directory = FSDirectory.open(dir);
            long deadline = System.nanoTime() + lockWait.toNanos();
            boolean told = false;
            while (true) {
                try {
                    IndexWriterConfig config = new IndexWriterConfig()
                            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                            .setCommitOnClose(false)
                            // Large flushes: a rebuild writes millions of small documents.
                            .setRAMBufferSizeMB(256);
                    return new LuceneRunIndex(dir, directory, new IndexWriter(directory, config));
                } catch (LockObtainFailedException busy) {
                    if (System.nanoTime() > deadline) {
                        directory.close();
                        throw new IndexBusyException("the index at " + dir + " is busy: another recursa process is "
                                + "writing it; try again when it has finished", busy);
                    }
                    if (!told) {
                        waiting.run();
                        told = true;
                    }
                    sleep();
                } catch (IOException e) {
                    directory.close();
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index at " + dir + " for writing: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the last commit of the index for searching only: takes no lock and writes nothing, so it works while
     * another process writes and in a read-only home. Catch-ups do nothing.
     *
     * @throws UncheckedIOException when there is no index yet
     */
    public static LuceneRunIndex openReadOnly(Path dir) {
        try {
            Directory directory = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                throw new UncheckedIOException(new IndexNotFoundException("no index at " + dir + " yet"));
            }
            return new LuceneRunIndex(dir, directory, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether an index has been committed at {@code dir}. */
    public static boolean exists(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Directory directory = FSDirectory.open(dir)) {
            return DirectoryReader.indexExists(directory);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean readOnly() {
        return writer == null;
    }

    @Override
    public Sync catchUp(RunStore store, Consumer<String> progress) {
        if (readOnly()) {
            return new Sync(0, 0, List.of());
        }
        Map<String, String> data = commitData();
        Optional<String> journal = store.journal().id();
        if (journal.isEmpty()) {
            return new Sync(0, 0, List.of()); // a read-only store without a journal: nothing new can appear
        }
        if (!SCHEMA.equals(data.get(KEY_SCHEMA)) || !journal.get().equals(data.get(KEY_JOURNAL))) {
            if (!data.getOrDefault(KEY_JOURNAL, "").isEmpty()) {
                progress.accept("the index follows another journal than " + store.root() + "'s; rebuilding it");
            }
            return rebuild(store, progress);
        }
        ChangeJournal.Batch batch;
        try {
            batch = store.journal().read(Long.parseLong(data.getOrDefault(KEY_POSITION, "0")));
        } catch (RunStoreException | NumberFormatException e) {
            progress.accept(e.getMessage() + "; rebuilding the index");
            return rebuild(store, progress);
        }
        Map<String, ChangeJournal.Op> latest = new LinkedHashMap<>();
        batch.changes().forEach(change -> latest.put(change.run(), change.op()));
        List<String> reread = new ArrayList<>();
        int removed = 0;
        for (Map.Entry<String, ChangeJournal.Op> change : latest.entrySet()) {
            if (change.getValue() == ChangeJournal.Op.DELETED || !store.exists(change.getKey())) {
                deleteDocuments(change.getKey());
                removed++;
            } else {
                reread.add(change.getKey());
            }
        }
        for (String running : runningRuns()) {
            if (!latest.containsKey(running)) {
                reread.add(running);
            }
        }
        Sync sync = indexAll(store, reread, progress, true);
        commit(journal.get(), batch.next());
        return new Sync(sync.indexed(), removed, sync.damaged());
    }

    @Override
    public Sync rebuild(RunStore store, Consumer<String> progress) {
        if (readOnly()) {
            throw new IllegalStateException("the index at " + path + " is open read-only");
        }
        Optional<String> journal = store.journal().id();
        // Read the position before the scan: changes made during the scan are applied again by the next catch-up,
        // and applying a change twice does no harm.
        long position = store.journal().end();
        try {
            writer.deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sync sync = indexAll(store, store.ids(), progress, false);
        commit(journal.orElse(""), position);
        return sync;
    }

    @Override
    public void index(RunStore store, String runId) {
        Sync sync = indexAll(store, List.of(runId), s -> { }, true);
        if (!sync.damaged().isEmpty()) {
            throw sync.damaged().get(0);
        }
        commitKeepingPosition();
    }

    @Override
    public void delete(String runId) {
        deleteDocuments(runId);
        commitKeepingPosition();
    }

    /**
     * Commits one run's change without moving the journal position (the next catch-up applies the journal entry
     * again, harmlessly). An index of an older layout is marked as following no journal, so that the next catch-up
     * rebuilds it rather than mixing layouts.
     */
    private void commitKeepingPosition() {
        Map<String, String> data = commitData();
        boolean current = SCHEMA.equals(data.get(KEY_SCHEMA));
        commit(current ? data.getOrDefault(KEY_JOURNAL, "") : "",
                current ? Long.parseLong(data.getOrDefault(KEY_POSITION, "0")) : 0);
    }

    /** The runs the index has as running: the only ones whose status can change without a journal entry. */
    private List<String> runningRuns() {
        List<String> ids = new ArrayList<>();
        int max = Math.max(1, (int) search(SearchTarget.RUNS, "attributes.status = 'running'", null, 1).total());
        for (Hit hit : search(SearchTarget.RUNS, "attributes.status = 'running'", null, max).hits()) {
            ids.add(hit.runId());
        }
        return ids;
    }

    /**
     * Reads and indexes runs on every core: reading JSON and building documents is most of the work, and
     * IndexWriter takes documents from several threads at once. Nothing is committed here: a catch-up or rebuild
     * killed half-way is simply done again from the last commit (applying a change twice does no harm, and an
     * unfinished rebuild leaves the index following no journal), so intermediate commits would only cost time.
     * The writer still flushes segments to disk as its RAM buffer fills.
     */
    private Sync indexAll(RunStore store, List<String> ids, Consumer<String> progress, boolean replace) {
        List<DamagedRunException> damaged = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger indexed = new AtomicInteger();
        long started = System.nanoTime();
        // Reading run files waits on the disk as much as on the CPU: several threads per core keep it busy.
        int threads = Math.min(8, 4 * Runtime.getRuntime().availableProcessors());
        // Each thread takes the next run as soon as it is done with one: no thread waits for the others.
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
                        if (indexRun(store, ids.get(i), replace, damaged)) {
                            indexed.incrementAndGet();
                        }
                        int finished = done.incrementAndGet();
                        if (finished % PROGRESS_EVERY_RUNS == 0 && finished < ids.size()) {
                            synchronized (progress) {
                                progress.accept(String.format(Locale.ROOT, "indexed %,d of %,d runs (%,.0f runs/s)",
                                        finished, ids.size(), finished / ((System.nanoTime() - started) / 1e9)));
                            }
                        }
                    }
                }));
            }
            await(work);
        } finally {
            pool.shutdownNow();
        }
        List<DamagedRunException> sorted = new ArrayList<>(damaged);
        sorted.sort(Comparator.comparing(e -> e.dir().toString()));
        return new Sync(indexed.get(), 0, sorted);
    }

    /**
     * Adds one run's documents: the run document and, for a run that ended normally, every artifact document
     * (the artifacts of a failed or crashed run may be partial and are not indexed).
     *
     * @return whether the run was indexed (false when it vanished or is damaged)
     */
    private boolean indexRun(RunStore store, String id, boolean replace, List<DamagedRunException> damaged) {
        try {
            StoredRun run = store.open(id);
            SummaryRecord summary = run.summary();
            RunSummary view = RunSummary.of(summary, run.dir());
            List<Document> docs = RunDocuments.block(view, run.trustedArtifacts(summary).values());
            if (replace) {
                writer.updateDocuments(new Term(RunDocuments.RUN, id), docs);
            } else {
                writer.addDocuments(docs);
            }
            return true;
        } catch (UnknownRunException vanished) {
            deleteDocuments(id);
            return false;
        } catch (DamagedRunException e) {
            damaged.add(e);
            deleteDocuments(id);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteDocuments(String runId) {
        try {
            writer.deleteDocuments(new Term(RunDocuments.RUN, runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(List<Future<?>> work) {
        for (Future<?> future : work) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while indexing", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void commit(String journal, long position) {
        try {
            Map<String, String> data = new HashMap<>();
            data.put(KEY_SCHEMA, SCHEMA);
            data.put(KEY_JOURNAL, journal);
            data.put(KEY_POSITION, Long.toString(position));
            data.put("committed_at", Instant.now().toString());
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the index at " + path + ": " + e.getMessage(), e);
        }
    }

    /** The user data of the last commit (or of the pending one, once set). */
    Map<String, String> commitData() {
        Map<String, String> map = new HashMap<>();
        if (writer != null) {
            Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
            if (live != null) {
                live.forEach(e -> map.put(e.getKey(), e.getValue()));
            }
            return map;
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            map.putAll(reader.getIndexCommit().getUserData());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }

    @Override
    public Hits search(SearchTarget target, String filter, String orderBy, int max) {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(RunDocuments.TYPE, target.documentType())), BooleanClause.Occur.FILTER)
                .add(FilterQueries.toQuery(filter, target.scope()), BooleanClause.Occur.FILTER)
                .build();
        String order = orderBy == null || orderBy.isBlank() ? target.defaultOrder() : orderBy;
        Sort sort = order == null ? Sort.INDEXORDER : OrderBy.parse(order, target.scope()).toSort();
        try (DirectoryReader reader = writer != null ? DirectoryReader.open(writer) : DirectoryReader.open(directory)) {
            return collect(reader, query, sort, max);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the index at " + path + ": " + e.getMessage(), e);
        }
    }

    private static Hits collect(DirectoryReader reader, Query query, Sort sort, int max) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        TopDocs top = searcher.search(query, Math.max(1, max), sort);
        StoredFields stored = reader.storedFields();
        List<Hit> hits = new ArrayList<>();
        for (ScoreDoc hit : top.scoreDocs) {
            Document doc = stored.document(hit.doc, Set.of(RunDocuments.RUN, RunDocuments.SOURCE));
            hits.add(new Hit(doc.get(RunDocuments.RUN), doc.get(RunDocuments.SOURCE)));
        }
        return new Hits(top.totalHits.value, top.totalHits.relation == TotalHits.Relation.EQUAL_TO, hits);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexBusyException("interrupted while waiting for the index lock", e);
        }
    }

    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.rollback();
            }
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
