package org.recursa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.recursa.index.RunIndex;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaHome;

/**
 * What the run-store commands share: the home, how long they wait for the index's write lock, how they report
 * damaged runs, and how a run id or prefix becomes a run.
 */
final class IndexSession {

    /** How long a command waits for another process that holds the index's write lock. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    private IndexSession() {
    }

    /** The home chosen by the global options. */
    static RecursaHome home(RecursaCommand root) {
        return RecursaHome.resolve(root.home(), System.getenv());
    }

    /** Prints skipped damaged runs, one line each. */
    static void report(RunIndex.Sync sync, PrintWriter err) {
        for (DamagedRunException damaged : sync.damaged()) {
            err.println("recursa: skipped damaged run " + damaged.getMessage());
        }
        err.flush();
    }

    /** The run store of the home chosen by the global options. */
    static RunStore store(RecursaCommand root) {
        return home(root).runStore();
    }

    /** Opens a run by its id or a unique prefix of one. */
    static StoredRun run(RecursaCommand root, String id) {
        return store(root).find(id);
    }

}
