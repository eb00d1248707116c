package org.recursa.runtime;

/**
 * An error in what the user typed: an unknown id, an invalid or unknown setting, a combination the chosen
 * extensions do not support. The CLI exits with 2 for it (a usage error), as for a malformed option.
 */
public class UsageException extends RecursaException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what is wrong and what would be right */
    public UsageException(String message) {
        super(message);
    }

    /** @param message one line; {@code cause} is shown only with {@code --verbose} */
    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
