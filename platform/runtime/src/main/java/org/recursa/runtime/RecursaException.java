package org.recursa.runtime;

/**
 * An error the user can act on: the message is one line that says what is wrong and what would be right.
 * The CLI prints it without a stack trace (unless {@code --verbose}).
 */
public class RecursaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what is wrong and what would be right */
    public RecursaException(String message) {
        super(message);
    }

    /** @param message one line; {@code cause} is shown only with {@code --verbose} */
    public RecursaException(String message, Throwable cause) {
        super(message, cause);
    }
}
