package org.recursa.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
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
import org.recursa.index.filter.Scope;

/**
 * The Lucene index of the run store ({@code $RECURSA_HOME/index}), derived from the run directories and always
 * rebuildable from them. Each run's documents carry the fingerprint of the files they were built from, in the
 * same commit, so what the index has applied survives a crash exactly as far as its last commit; on every open
 * {@link #catchUp} re-reads the runs whose files changed since, indexes new ones and drops deleted ones. Only one
 * process writes at a time (Lucene's write lock); a second one waits for it, and a search that cannot get the
 * lock reads the last commit instead.
 */
public final class RunIndex implements AutoCloseable {

    /** Commit at least this often during long catch-ups and rebuilds, so a kill loses little work. */
    private static final int COMMIT_EVERY_RUNS = 2000;

    private final Directory directory;
    private final IndexWriter writer;

    private RunIndex(Directory directory, IndexWriter writer) {
        this.directory = directory;
        this.writer = writer;
    }

    /**
     * Opens the index for writing, waiting up to {@code lockWait} for another process to release it.
     *
     * @param waiting told once when the lock is held by someone else and this call starts waiting
     * @throws IndexBusyException when the lock stays held
     */
    public static RunIndex open(Path dir, Duration lockWait, Runnable waiting) {
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
                    return new RunIndex(directory, new IndexWriter(directory, config));
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
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index at " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a catch-up or rebuild did.
     *
     * @param indexed runs (re)indexed
     * @param removed runs whose directories are gone
     * @param damaged run directories that could not be read, with the reason; they are skipped
     */
    public record Sync(int indexed, int removed, List<DamagedRunException> damaged) {
    }

    /** Brings the index up to date with {@code runs}: new and changed runs are indexed, vanished ones removed. */
    public Sync catchUp(Path runs, Consumer<String> progress) {
        Map<String, String> applied = appliedFingerprints();
        List<Path> dirs = runDirectories(runs);
        Set<String> present = new java.util.HashSet<>();
        List<Path> changed = new ArrayList<>();
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            present.add(id);
            String fingerprint;
            try {
                fingerprint = RunReader.fingerprint(dir);
            } catch (DamagedRunException e) {
                changed.add(dir);
                continue;
            }
            if (!fingerprint.equals(applied.get(id))) {
                changed.add(dir);
            }
        }
        int removed = 0;
        try {
            for (String id : applied.keySet()) {
                if (!present.contains(id)) {
                    writer.deleteDocuments(new Term(RunDocuments.RUN, id));
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sync sync = indexAll(changed, progress, true);
        commit();
        return new Sync(sync.indexed(), removed, sync.damaged());
    }

    /** Deletes everything and indexes every run directory again. */
    public Sync rebuild(Path runs, Consumer<String> progress) {
        try {
            writer.deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sync sync = indexAll(runDirectories(runs), progress, false);
        commit();
        return sync;
    }

    /** Indexes (or re-indexes) one run and commits. */
    public void index(Path runDir) {
        indexRun(RunReader.read(runDir), true);
        commit();
    }

    /** Removes a run's documents and commits. */
    public void delete(String runId) {
        try {
            writer.deleteDocuments(new Term(RunDocuments.RUN, runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commit();
    }

    /**
     * Reads and indexes runs on every core: reading JSON and building documents is most of the work, and
     * IndexWriter takes documents from several threads at once. Commits every {@link #COMMIT_EVERY_RUNS} runs.
     */
    private Sync indexAll(List<Path> dirs, Consumer<String> progress, boolean replace) {
        List<DamagedRunException> damaged = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger indexed = new java.util.concurrent.atomic.AtomicInteger();
        long started = System.nanoTime();
        // Reading run files waits on the disk as much as on the CPU: 4 threads per core rebuilt 101,000 runs in
        // 67 s, one per core in 126 s (docs/benchmarks.md).
        int threads = Math.min(8, 4 * Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int from = 0; from < dirs.size(); from += COMMIT_EVERY_RUNS) {
                List<Path> chunk = dirs.subList(from, Math.min(dirs.size(), from + COMMIT_EVERY_RUNS));
                List<java.util.concurrent.Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    work.add(pool.submit(() -> {
                        for (int i = offset; i < chunk.size(); i += threads) {
                            Path dir = chunk.get(i);
                            try {
                                indexRun(RunReader.read(dir), replace);
                                indexed.incrementAndGet();
                            } catch (DamagedRunException e) {
                                damaged.add(e);
                                deleteQuietly(dir.getFileName().toString());
                            }
                        }
                    }));
                }
                await(work);
                if (from + chunk.size() < dirs.size()) {
                    commit();
                    progress.accept(String.format(java.util.Locale.ROOT, "indexed %,d of %,d runs (%.0f runs/s)",
                            indexed.get(), dirs.size(), indexed.get() / ((System.nanoTime() - started) / 1e9)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<DamagedRunException> sorted = new ArrayList<>(damaged);
        sorted.sort(java.util.Comparator.comparing(e -> e.dir().toString()));
        return new Sync(indexed.get(), 0, sorted);
    }

    private static void await(List<java.util.concurrent.Future<?>> work) {
        for (java.util.concurrent.Future<?> future : work) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while indexing", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * Adds the run's documents: the run document and every artifact document, replacing the ones under its id
     * when {@code replace} (a rebuild starts from an empty index and skips the deletes).
     */
    private void indexRun(RunSummary run, boolean replace) {
        List<Document> docs = new ArrayList<>();
        docs.add(RunDocuments.run(run));
        RunDocuments.artifacts(run, docs::add);
        try {
            if (replace) {
                writer.updateDocuments(new Term(RunDocuments.RUN, run.id()), docs);
            } else {
                writer.addDocuments(docs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteQuietly(String runId) {
        try {
            writer.deleteDocuments(new Term(RunDocuments.RUN, runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void commit() {
        try {
            Map<String, String> data = new HashMap<>();
            data.put("schema", "1");
            data.put("committed_at", Instant.now().toString());
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Run id to the fingerprint of the files its documents were built from, as of the writer's current state. */
    Map<String, String> appliedFingerprints() {
        Map<String, String> applied = new HashMap<>();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            Query runs = new TermQuery(new Term(RunDocuments.TYPE, "run"));
            StoredFields stored = reader.storedFields();
            int count = Math.max(1, searcher.count(runs));
            for (ScoreDoc hit : searcher.search(runs, count).scoreDocs) {
                Document doc = stored.document(hit.doc, Set.of(RunDocuments.RUN, RunDocuments.FINGERPRINT));
                applied.put(doc.get(RunDocuments.RUN), doc.get(RunDocuments.FINGERPRINT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return applied;
    }

    /**
     * One search result.
     *
     * @param runId  the run the document belongs to
     * @param source the stored JSON (a run summary, or an artifact record)
     */
    public record Hit(String runId, String source) {
    }

    /**
     * Hits of a search.
     *
     * @param total      documents matching
     * @param totalExact whether {@code total} is exact (else a lower bound)
     * @param hits       the top hits in order
     */
    public record Hits(long total, boolean totalExact, List<Hit> hits) {
    }

    /** Runs matching an MLflow-style filter, ordered by {@code orderBy} (default: newest first). */
    public Hits searchRuns(String filter, String orderBy, int max) {
        return search("run", FilterQueries.toQuery(filter, Scope.RUNS),
                sort(orderBy, Scope.RUNS, "attributes.start_time DESC"),
                max);
    }

    /** Proof artifacts matching a filter over artifact fields and {@code run.*} summary fields. */
    public Hits searchArtifacts(String filter, String orderBy, int max) {
        return search("artifact", FilterQueries.toQuery(filter, Scope.ARTIFACTS),
                sort(orderBy, Scope.ARTIFACTS, null), max);
    }

    private Hits search(String type, Query filter, Sort sort, int max) {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            return collect(reader, ofType(type, filter), sort, max);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Searches the last commit of an index without taking its write lock (used while another process writes). */
    public static Hits searchCommitted(Path dir, boolean runs, String filter, String orderBy, int max) {
        Query parsed = FilterQueries.toQuery(filter, runs ? Scope.RUNS : Scope.ARTIFACTS);
        Sort sort = sort(orderBy, runs ? Scope.RUNS : Scope.ARTIFACTS, runs ? "attributes.start_time DESC" : null);
        try (Directory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
            return collect(reader, ofType(runs ? "run" : "artifact", parsed), sort, max);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The documents of one type ({@code run} or {@code artifact}) that match {@code filter}. */
    private static Query ofType(String type, Query filter) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(RunDocuments.TYPE, type)), BooleanClause.Occur.FILTER)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
    }

    /** The sort for an order-by string; the fallback when it is blank (index order when that is null too). */
    private static Sort sort(String orderBy, Scope scope, String fallback) {
        String text = orderBy == null || orderBy.isBlank() ? fallback : orderBy;
        return text == null ? Sort.INDEXORDER : OrderBy.parse(text, scope).toSort();
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

    /** The commit user data of the last commit, for diagnostics. */
    public Map<String, String> commitData() {
        return new TreeMap<>(writer.getLiveCommitData() == null ? Map.of() : toMap(writer.getLiveCommitData()));
    }

    private static Map<String, String> toMap(Iterable<Map.Entry<String, String>> entries) {
        Map<String, String> map = new HashMap<>();
        entries.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /** The run directories under {@code runs} in name order; hidden ones (a delete in progress) are skipped. */
    public static List<Path> runDirectories(Path runs) {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            writer.rollback();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
