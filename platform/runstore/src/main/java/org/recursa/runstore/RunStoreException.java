package org.recursa.runstore;

/** Something in the run store went wrong; the message is one line that names the run or file. */
public class RunStoreException extends RuntimeException {

    /** A failure with its one-line message. */
    public RunStoreException(String message) {
        super(message);
    }

    /** A failure with its one-line message and cause. */
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
