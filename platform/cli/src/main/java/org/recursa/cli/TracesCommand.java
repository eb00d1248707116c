package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recursa traces}: search the proof and trace artifacts of all runs. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "Search the proof/trace artifacts of every run (one document per evaluated example).",
        subcommands = {TracesSearchCommand.class})
final class TracesCommand implements Runnable {

    @picocli.CommandLine.ParentCommand
    RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
