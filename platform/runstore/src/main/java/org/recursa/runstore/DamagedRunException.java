package org.recursa.runstore;

import java.nio.file.Path;

/** A run directory that cannot be read: a missing or truncated file. The message names the path and the file. */
public final class DamagedRunException extends RunStoreException {

    private final Path dir;

    /** A damaged run at {@code dir}, with what is wrong. */
    public DamagedRunException(Path dir, String problem, Throwable cause) {
        super(dir + ": " + problem, cause);
        this.dir = dir;
    }

    /** The run directory. */
    public Path dir() {
        return dir;
    }
}
