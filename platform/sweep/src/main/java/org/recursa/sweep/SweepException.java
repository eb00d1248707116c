package org.recursa.sweep;

/** A sweep that cannot be created, read or run; the message is one line naming the sweep or file. */
public class SweepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line */
    public SweepException(String message) {
        super(message);
    }

    /** @param message one line */
    public SweepException(String message, Throwable cause) {
        super(message, cause);
    }
}
