package org.recursa.index;

/** Another process holds the index's write lock for longer than this one was willing to wait. */
public final class IndexBusyException extends RuntimeException {

    /** The index at {@code where} stayed locked. */
    public IndexBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
