package org.recursa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.recursa.index.IndexBusyException;
import org.recursa.index.LuceneRunIndex;
import org.recursa.index.RunIndex;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa index rebuild}: recreates the index from the run directories. */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Recreate the index from $RECURSA_HOME/runs; damaged run directories are reported and skipped.")
final class IndexRebuildCommand implements Runnable {

    @ParentCommand
    private IndexCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        RecursaHome home = IndexSession.home(parent.root);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        try (RunIndex index = LuceneRunIndex.open(home.index(), IndexSession.LOCK_WAIT,
                () -> err.println("recursa: waiting for another recursa process to finish writing the index"))) {
            RunIndex.Sync sync = index.rebuild(home.runStore(), line -> {
                out.println(line);
                out.flush();
            });
            IndexSession.report(sync, err);
            out.printf(Locale.ROOT, "indexed %,d runs in %.1f s%s%n", sync.indexed(), (System.nanoTime() - started) / 1e9,
                    sync.damaged().isEmpty() ? "" : "; skipped " + sync.damaged().size() + " damaged");
        } catch (IndexBusyException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        out.flush();
        err.flush();
    }
}
