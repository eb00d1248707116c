package org.recursa.sweep;

/**
 * Something typed wrong in a sweep's command line: a malformed {@code --grid}, {@code --random} or {@code --seeds},
 * a key swept twice, a sweep too large. The message is one line that names the option and says what would be right.
 */
public class SweepSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line */
    public SweepSyntaxException(String message) {
        super(message);
    }
}
