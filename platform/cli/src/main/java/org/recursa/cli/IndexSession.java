package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.recursa.index.DamagedRunException;
import org.recursa.index.RunIndex;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;

/**
 * What the run-store commands share: the home, how long they wait for the index's write lock, how they report
 * damaged runs, and how a run id or prefix becomes a run directory.
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

    /** Resolves a run id or a unique prefix of one to its directory. */
    static Path runDir(RecursaHome home, String id) {
        Path exact = home.runs().resolve(id);
        if (!id.isBlank() && !id.contains("/") && !id.startsWith(".") && Files.isDirectory(exact)) {
            return exact;
        }
        List<Path> all = runs(home);
        List<Path> matches = all.stream().filter(p -> p.getFileName().toString().startsWith(id)).toList();
        if (matches.size() == 1 && !id.isBlank()) {
            return matches.get(0);
        }
        if (matches.size() > 1 && !id.isBlank()) {
            throw new RecursaException("run id prefix '" + id + "' matches " + matches.size() + " runs, e.g. "
                    + names(matches.subList(0, Math.min(3, matches.size()))) + "; give more of the id");
        }
        throw new RecursaException("unknown run '" + id + "'; " + (all.isEmpty() ? "there are no runs in "
                + home.runs() : all.size() + " runs in " + home.runs() + ", newest: "
                + names(all.subList(Math.max(0, all.size() - 3), all.size()))));
    }

    private static List<Path> runs(RecursaHome home) {
        try {
            return RunIndex.runDirectories(home.runs());
        } catch (java.io.UncheckedIOException e) {
            throw new RecursaException("cannot list " + home.runs() + ": " + e.getCause().getMessage(), e);
        }
    }

    private static String names(List<Path> paths) {
        return String.join(", ", paths.stream().map(p -> p.getFileName().toString()).toList());
    }
}
