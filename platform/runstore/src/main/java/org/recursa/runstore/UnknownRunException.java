package org.recursa.runstore;

/** A run id (or prefix) that names no run, or a malformed one: what the user typed is wrong. */
public final class UnknownRunException extends RunStoreException {

    /** The one-line message names the id and what exists. */
    public UnknownRunException(String message) {
        super(message);
    }
}
