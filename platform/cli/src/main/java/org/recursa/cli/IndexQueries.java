package org.recursa.cli;

import java.io.PrintWriter;
import org.recursa.index.IndexBusyException;
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
        try {
            RunIndex index;
            try {
                index = RunIndex.open(home.index(), java.time.Duration.ofSeconds(2), () -> { });
            } catch (IndexBusyException busy) {
                err.println("recursa: the index is being written by another recursa process; searching its last commit");
                err.flush();
                return RunIndex.searchCommitted(home.index(), runs, options.filter, options.orderBy, options.max);
            }
            try (index) {
                IndexSession.report(index.catchUp(home.runs(), err::println), err);
                return runs ? index.searchRuns(options.filter, options.orderBy, options.max)
                        : index.searchArtifacts(options.filter, options.orderBy, options.max);
            }
        } catch (FilterSyntaxException e) {
            throw new RecursaException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new RecursaException(e.getMessage(), e);
        }
    }
}
