package org.recursa.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.recursa.index.IndexBusyException;
import org.recursa.index.LuceneRunIndex;
import org.recursa.index.RunIndex;
import org.recursa.index.filter.FilterSyntaxException;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;

/** Runs a search: catch up and search when the index is free, else search its last commit and say so. */
final class IndexQueries {

    private IndexQueries() {
    }

    /**
     * A search command's results: the hits and their stored JSON, parsed.
     *
     * @param hits    what the index returned
     * @param sources each hit's {@code _source}, in order
     */
    record Results(RunIndex.Hits hits, java.util.List<com.fasterxml.jackson.databind.JsonNode> sources) {
    }

    /** Validates the options, searches runs or artifacts, and parses the hits' stored JSON. */
    static Results run(picocli.CommandLine line, RecursaCommand root, boolean runs, SearchOptions options) {
        options.validate(line);
        RunIndex.Hits hits = search(IndexSession.home(root), line.getErr(), runs, options);
        return new Results(hits, hits.hits().stream().map(h -> Formats.parse(h.source())).toList());
    }

    static RunIndex.Hits search(RecursaHome home, PrintWriter err, boolean runs, SearchOptions options) {
        try (RunIndex index = open(home, err)) {
            IndexSession.report(index.catchUp(home.runStore(), err::println), err);
            return runs ? index.searchRuns(options.filter, options.orderBy, options.max)
                    : index.searchArtifacts(options.filter, options.orderBy, options.max);
        } catch (FilterSyntaxException e) {
            throw new RecursaException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new RecursaException(e.getMessage(), e);
        }
    }

    /**
     * The index for writing when this process can have it; else its last commit, read-only, with a note saying so:
     * when another process writes it, or when the home cannot be written (read-only use must work read-only).
     */
    static RunIndex open(RecursaHome home, PrintWriter err) {
        try {
            return LuceneRunIndex.open(home.index(), Duration.ofSeconds(2), () -> { });
        } catch (IndexBusyException busy) {
            err.println("recursa: the index is being written by another recursa process; searching its last commit");
        } catch (UncheckedIOException cannotWrite) {
            if (!LuceneRunIndex.exists(home.index())) {
                throw new RecursaException("there is no index at " + home.index() + " and it cannot be created ("
                        + cannotWrite.getCause().getMessage() + "); run 'recursa index rebuild' with write access",
                        cannotWrite);
            }
            err.println("recursa: " + home.index() + " cannot be written; searching its last commit, which may lag "
                    + "the runs");
        }
        err.flush();
        return LuceneRunIndex.openReadOnly(home.index());
    }
}
