package org.recursa.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code recursa} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
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
            if (e.getCause() instanceof org.recursa.index.filter.FilterSyntaxException syntax) {
                syntax.caret().lines().forEach(text -> cmd.getErr().println("  " + text));
            }
            if (root.verbose()) {
                e.printStackTrace(cmd.getErr());
            } else if (!(e instanceof org.recursa.runtime.RecursaException)) {
                cmd.getErr().println("(run with --verbose for the stack trace)");
            }
            cmd.getErr().flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return line.execute(args);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }
}
