package org.recursa.sweep;

/** No sweep has the given id (or the id is malformed); the message lists the newest sweeps. */
public final class UnknownSweepException extends SweepException {
    private static final long serialVersionUID = 1L;

    /** @param message one line */
    public UnknownSweepException(String message) {
        super(message);
    }
}
