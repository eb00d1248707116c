package org.recursa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.recursa.index.IndexBusyException;
import org.recursa.index.LuceneRunIndex;
import org.recursa.index.RunIndex;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunStoreException;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa runs delete RUN}: removes a run through the run store (which refuses a running run unless
 * {@code --force}) and drops its index documents.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a run: its directory and its documents in the index. Asks first unless --yes.")
final class RunsDeleteCommand implements Runnable {

    @ParentCommand
    private RunsCommand parent;

    @Spec
    private CommandSpec spec;

    /** How long --force waits for a stopped run to record itself as interrupted. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(90);

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    private boolean yes;

    @Option(names = "--force", description = "Delete a run that is still running: its process is stopped first "
            + "(SIGTERM, which records it as interrupted).")
    private boolean force;

    @Override
    public void run() {
        RecursaHome home = IndexSession.home(parent.root);
        RunStore store = home.runStore();
        String id = store.find(run).id();
        PrintWriter out = spec.commandLine().getOut();
        if (!yes && !confirm(out, id)) {
            out.println("not deleted");
            out.flush();
            return;
        }
        try {
            store.delete(id, force, STOP_WAIT);
        } catch (RunStoreException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        try (RunIndex index = LuceneRunIndex.open(home.index(), IndexSession.LOCK_WAIT,
                () -> spec.commandLine().getErr().println("recursa: waiting for the index lock"))) {
            index.delete(id);
        } catch (IndexBusyException | java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("recursa: the index cannot be written now; it will drop the run on "
                    + "its next catch-up");
        }
        out.println("deleted run " + id);
        out.flush();
    }

    private boolean confirm(PrintWriter out, String id) {
        out.print("delete run " + id + " and its artifacts? [y/N] ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
