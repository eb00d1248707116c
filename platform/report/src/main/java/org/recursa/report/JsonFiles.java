package org.recursa.report;

import java.nio.file.Path;

/**
 * How the report words a problem with a file or directory: one line, {@code <path>: <what is wrong>}, thrown as
 * {@link IllegalArgumentException}. The run records themselves are parsed by the run store, whose messages have the
 * same shape.
 */
final class JsonFiles {

    private JsonFiles() {
    }

    /** {@code <file>: <what>}. */
    static IllegalArgumentException problem(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }

    /** {@code <file>: line <n>: <what>}, for one record of a JSON Lines file. */
    static IllegalArgumentException problem(Path file, int line, String what) {
        return problem(file, "line " + line + ": " + what);
    }
}
