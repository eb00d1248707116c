package org.recursa.runstore;

import java.util.Locale;

/**
 * How a run stands. {@link #CRASHED} is never written: readers derive it for a run that says it is running while
 * no process owns it (killed with SIGKILL, power loss, a JVM crash).
 */
public enum RunStatus {
    /** Its process is alive and training or evaluating. */
    RUNNING,
    /** Trained and evaluated every split. */
    FINISHED,
    /** Stopped by the user (Ctrl-C); the directory was completed. */
    INTERRUPTED,
    /** Ended by an error, which its final record names. */
    FAILED,
    /** Its process died without recording an outcome. */
    CRASHED;

    /** The lower-case name used on disk and in the index. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the run has ended, one way or another. */
    public boolean ended() {
        return this != RUNNING;
    }

    /**
     * Parses a status as written on disk (any case).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static RunStatus of(String text) {
        for (RunStatus status : values()) {
            if (status.id().equalsIgnoreCase(text.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + text.trim() + "'");
    }
}
