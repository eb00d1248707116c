package org.recursa.index;

import org.recursa.index.filter.Scope;

/**
 * What a search looks for, in one place: the filter scope that names its keys, the document type it matches, and
 * its default order.
 */
public enum SearchTarget {
    /** Runs: newest first unless ordered otherwise. */
    RUNS(Scope.RUNS, IndexFields.RUN_TYPE, "attributes.start_time DESC"),
    /** Proof artifacts: index order (run by run, example by example) unless ordered otherwise. */
    ARTIFACTS(Scope.ARTIFACTS, IndexFields.ARTIFACT_TYPE, null);

    private final Scope scope;
    private final String documentType;
    private final String defaultOrder;

    SearchTarget(Scope scope, String documentType, String defaultOrder) {
        this.scope = scope;
        this.documentType = documentType;
        this.defaultOrder = defaultOrder;
    }

    /** The filter grammar's scope for this target. */
    public Scope scope() {
        return scope;
    }

    /** The value of {@link RunDocuments#TYPE} on this target's documents. */
    String documentType() {
        return documentType;
    }

    /** The order used when none is given, or null for index order. */
    String defaultOrder() {
        return defaultOrder;
    }
}
