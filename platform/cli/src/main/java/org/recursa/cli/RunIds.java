package org.recursa.cli;

import java.nio.file.Path;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.UsageException;

/**
 * A run id or prefix the user typed, resolved to its run directory; an id that names no run, or a prefix that
 * names several, is a usage error (exit 2) like any other unknown id.
 */
final class RunIds {

    private RunIds() {
    }

    /** The directory of run {@code id} (or of the one run whose id starts with it). */
    static Path dir(RecursaHome home, String id) {
        try {
            return IndexSession.runDir(home, id);
        } catch (UsageException e) {
            throw e;
        } catch (RecursaException e) {
            // runDir's own verdicts on the id carry no cause; a failure to list the runs carries its IOException.
            if (e.getCause() == null) {
                throw new UsageException(e.getMessage(), e);
            }
            throw e;
        }
    }
}
