package org.recursa.cli;

import java.io.PrintWriter;
import org.recursa.index.filter.FilterSyntaxException;
import org.recursa.repository.CatalogException;
import org.recursa.runstore.RunStoreException;
import org.recursa.runstore.UnknownRunException;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.UsageException;
import picocli.CommandLine;

/**
 * Entry point of the {@code recursa} command. Exit codes: 0 ok, 1 failure, 2 usage error: a malformed command line,
 * and anything else the user typed that names nothing or cannot be combined (an unknown id, setting or run, a bad
 * setting value, a malformed filter), which commands signal with a {@link UsageException} anywhere in the cause
 * chain.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given output streams; what tests call.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        RecursaCommand root = new RecursaCommand();
        CommandLine line = new CommandLine(root);
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((e, args1) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("recursa: " + e.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            failed.getErr().flush();
            return CommandLine.ExitCode.USAGE;
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("recursa: " + oneLine(e));
            if (e.getCause() instanceof FilterSyntaxException syntax) {
                syntax.caret().lines().forEach(text -> cmd.getErr().println("  " + text));
            }
            if (root.verbose()) {
                e.printStackTrace(cmd.getErr());
            } else if (!(e instanceof RecursaException) && !(e instanceof RunStoreException)
                    && !(e instanceof CatalogException) && IoMessages.fileProblem(e) == null) {
                cmd.getErr().println("(run with --verbose for the stack trace)");
            }
            cmd.getErr().flush();
            return isUsageError(e) ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return line.execute(args);
    }

    /** What the user typed was wrong: an unknown id or setting, a bad combination, a malformed filter. */
    static boolean isUsageError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UsageException || t instanceof FilterSyntaxException || t instanceof UnknownRunException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first line of the message; a file operation that failed outside a RecursaException (whose message
     * already says what it was doing) is {@code <file>: <reason>}, as Java's own messages often omit one of them.
     */
    static String oneLine(Throwable e) {
        if (!(e instanceof RecursaException) && !(e instanceof RunStoreException)
                && !(e instanceof CatalogException)) {
            String file = IoMessages.fileProblem(e);
            if (file != null) {
                return file;
            }
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }
}
