package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recursa runs}: search, show, compare and delete recorded runs. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Search, show, compare and delete runs (the index follows $RECURSA_HOME/runs).",
        subcommands = {RunsSearchCommand.class, RunsShowCommand.class, RunsCompareCommand.class,
                RunsDeleteCommand.class})
final class RunsCommand implements Runnable {

    @picocli.CommandLine.ParentCommand
    RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
