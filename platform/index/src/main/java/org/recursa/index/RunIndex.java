package org.recursa.index;

import java.util.List;
import java.util.function.Consumer;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.RunStore;

/**
 * The searchable index of a run store: runs and their proof artifacts, found with the MLflow-style filter grammar
 * (docs/search.md). It is derived from the run store and always rebuildable from it. {@link LuceneRunIndex} keeps it
 * in a Lucene directory on this machine; the interface is the seam a remote index (a search server shared by many
 * machines) would implement.
 */
public interface RunIndex extends AutoCloseable {

    /**
     * What a catch-up or rebuild did.
     *
     * @param indexed runs (re)indexed
     * @param removed runs dropped because they were deleted
     * @param damaged runs that could not be read, each with its reason
     */
    record Sync(int indexed, int removed, List<DamagedRunException> damaged) {
    }

    /**
     * One search result.
     *
     * @param runId  the run the document belongs to
     * @param source the stored JSON (a run summary, or an artifact record)
     */
    record Hit(String runId, String source) {
    }

    /**
     * Hits of a search.
     *
     * @param total      documents matching
     * @param totalExact whether {@code total} is exact (else a lower bound)
     * @param hits       the top hits in order
     */
    record Hits(long total, boolean totalExact, List<Hit> hits) {
    }

    /**
     * Brings the index up to date with the store: applies the store's change journal from the position the index
     * last applied, and re-reads the runs the index still has as running (a run whose process died is crashed).
     */
    Sync catchUp(RunStore store, Consumer<String> progress);

    /** Deletes everything and indexes every run of the store again. */
    Sync rebuild(RunStore store, Consumer<String> progress);

    /** Indexes (or re-indexes) one run now, e.g. the run that just ended. */
    void index(RunStore store, String runId);

    /** Removes a run's documents now. */
    void delete(String runId);

    /**
     * Searches runs or proof artifacts.
     *
     * @param target  runs or artifacts
     * @param filter  an MLflow-style filter, blank for all
     * @param orderBy comma-separated keys with ASC or DESC, blank for the target's default order
     * @param max     most hits to return
     * @throws org.recursa.index.filter.FilterSyntaxException when the filter or order is malformed
     */
    Hits search(SearchTarget target, String filter, String orderBy, int max);

    /** Runs matching a filter (default order: newest first). */
    default Hits searchRuns(String filter, String orderBy, int max) {
        return search(SearchTarget.RUNS, filter, orderBy, max);
    }

    /** Proof artifacts matching a filter over artifact fields and {@code run.*} summary fields. */
    default Hits searchArtifacts(String filter, String orderBy, int max) {
        return search(SearchTarget.ARTIFACTS, filter, orderBy, max);
    }

    /** Whether this index only reads a snapshot (another process writes it, or the home is read-only). */
    boolean readOnly();

    @Override
    void close();
}
