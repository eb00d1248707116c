package org.recursa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.recursa.index.RunIndex;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa runs delete RUN}: removes a run directory and its index documents. The directory is first
 * renamed to a hidden name (atomic), so a crash never leaves a half-deleted run that looks like a run.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a run: its directory and its documents in the index. Asks first unless --yes.")
final class RunsDeleteCommand implements Runnable {

    @ParentCommand
    private RunsCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    private boolean yes;

    @Override
    public void run() {
        RecursaHome home = IndexSession.home(parent.root);
        Path dir = IndexSession.runDir(home, run);
        String id = dir.getFileName().toString();
        PrintWriter out = spec.commandLine().getOut();
        if (!yes && !confirm(out, id)) {
            out.println("not deleted");
            out.flush();
            return;
        }
        Path doomed = dir.resolveSibling(".deleting-" + id);
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RecursaException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
        try (RunIndex index = RunIndex.open(home.index(), IndexSession.LOCK_WAIT,
                () -> spec.commandLine().getErr().println("recursa: waiting for the index lock"))) {
            index.delete(id);
        } catch (org.recursa.index.IndexBusyException e) {
            spec.commandLine().getErr().println("recursa: the index is busy; it will drop the run on its next catch-up");
        }
        deleteTree(doomed);
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

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new RecursaException("the run was removed from the index but " + root + " could not be fully "
                    + "deleted: " + e.getMessage(), e);
        }
    }
}
