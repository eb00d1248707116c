package org.recursa.index.filter;

/** The kind of document a filter or an order-by runs against, which decides the keys it may use. */
public enum Scope {
    /** Run documents: only prefixed keys ({@code metrics.}, {@code params.}, {@code tags.}, {@code attributes.}). */
    RUNS,
    /** Proof-artifact documents: bare keys (artifact fields) and {@code run.}-prefixed keys (their run's). */
    ARTIFACTS;

    /** Why {@code key} cannot be used against this kind of document, or null if it can. */
    String problem(Key key) {
        if (this == RUNS && key.scope() == KeyScope.BARE) {
            return "'" + key + "' has no prefix; run filters use keys starting with metrics., params., tags."
                    + " or attributes.";
        }
        if (this == RUNS && key.run()) {
            return "'" + key + "' is an artifact filter key; in a run filter write "
                    + Key.of(key.scope(), key.name());
        }
        if (this == ARTIFACTS && key.scope() != KeyScope.BARE && !key.run()) {
            return "'" + key + "' is a run key; in an artifact filter write " + key.underRun();
        }
        return null;
    }
}
